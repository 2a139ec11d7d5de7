import asyncio

from fail_after import fail_after
from slow_coroutine import slow


# snippet: gather-error
async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        await asyncio.gather(slow(3), fail_after(1, "boom"))
    except RuntimeError as err:
        print("gather raised", repr(err), f"after {round(loop.time() - start)}s")
    await asyncio.sleep(3)


asyncio.run(main())
# end snippet
