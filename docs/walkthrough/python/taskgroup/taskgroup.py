import asyncio

from slow_coroutine import slow


# snippet: taskgroup
async def main():
    async with asyncio.TaskGroup() as tg:
        res1 = tg.create_task(slow(3))
        res2 = tg.create_task(slow(1))
        res3 = tg.create_task(slow(2))

    print(res1.result(), res2.result(), res3.result())


asyncio.run(main())
# end snippet
