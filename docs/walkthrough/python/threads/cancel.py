import asyncio
import time


# snippet: cancel
def blocking_fetch():
    time.sleep(0.1)  # a thread cannot be told to stop: it runs to its end
    print("worker: finished anyway")
    return "the page"


async def main():
    fetch = asyncio.create_task(asyncio.to_thread(blocking_fetch))
    await asyncio.sleep(0)  # let fetch start its thread
    print("main: cancelling the fetch")
    fetch.cancel("no longer needed")
    try:
        await fetch
    except asyncio.CancelledError as err:
        print("main: the fetch ended with", repr(err))


asyncio.run(main())
print("after asyncio.run")
# end snippet
