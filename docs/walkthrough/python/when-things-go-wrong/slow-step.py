import asyncio
import logging
import re
import time


class Summary(logging.Handler):
    """Prints asyncio's slow callback warnings without what changes from
    one run to the next: the files, and how long the step took."""

    def emit(self, record):
        message = record.getMessage()
        m = re.match(r"Executing (<Task \w+ name='\w+' coro=<\w+\(\) \w+)", message)
        if m:
            message = f"Executing {m[1]} …> took … seconds"
        print("asyncio:", message)


logging.getLogger("asyncio").addHandler(Summary())

# The warning is about real time, which the virtual clock that mdsync gives
# these programs does not see pass: this one runs on the real clock.
asyncio.set_event_loop_policy(None)


# snippet: hog
async def hog():
    time.sleep(0.1)  # blocks the loop: the bug
    await asyncio.sleep(0)
    time.sleep(0.1)
# end snippet


# snippet: slow-step
async def main():
    asyncio.get_running_loop().slow_callback_duration = 0.04
    await asyncio.create_task(hog(), name="hog")


asyncio.run(main(), debug=True)
# end snippet
