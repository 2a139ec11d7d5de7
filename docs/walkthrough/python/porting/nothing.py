import asyncio


# snippet: nothing
async def greet(name, delay):
    await asyncio.sleep(delay)
    print("hello,", name)


async def main():
    task = asyncio.create_task(greet("task", 1))
    await asyncio.gather(greet("gather 1", 2), greet("gather 2", 3))
    async with asyncio.TaskGroup() as tg:
        tg.create_task(greet("group", 1))
    await task


asyncio.run(main())
# end snippet
