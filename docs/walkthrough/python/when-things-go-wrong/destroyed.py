import asyncio
import gc
import logging


class FirstLine(logging.Handler):
    """Prints what asyncio logs, the first line of each message: the rest
    names addresses and files, which change from one run to the next."""

    def emit(self, record):
        print("asyncio:", record.getMessage().splitlines()[0])


logging.getLogger("asyncio").addHandler(FirstLine())


# snippet: destroyed
async def wait_forever():
    await asyncio.get_running_loop().create_future()  # nobody will ever set it


async def main():
    asyncio.create_task(wait_forever())  # and nobody keeps the task
    await asyncio.sleep(0)  # it starts, and waits
    gc.collect()  # the garbage collector finds them both
    print("main: returning")


asyncio.run(main())
# end snippet
