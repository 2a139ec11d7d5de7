import asyncio

from fail_after import fail_after
from slow_coroutine import slow


# snippet: cancel-siblings
async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        async with asyncio.TaskGroup() as tg:
            slow3 = tg.create_task(slow(3))
            tg.create_task(fail_after(1, "boom"))
    except* RuntimeError as error_group:
        print(repr(error_group))
    print(f"after {round(loop.time() - start)}s")
    print("slow(3) cancelled:", slow3.cancelled())


asyncio.run(main())
# end snippet
