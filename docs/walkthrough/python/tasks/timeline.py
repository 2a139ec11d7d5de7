import asyncio


# snippet: timeline
async def countdown_at(start, task_name, seconds):
    loop = asyncio.get_running_loop()
    for i in range(seconds, 0, -1):
        print(f"{round(loop.time() - start)}s", task_name, i)
        await asyncio.sleep(1)
    print(f"{round(loop.time() - start)}s", task_name, "done!")


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    taskA = asyncio.create_task(countdown_at(start, "task A", 3))
    taskB = asyncio.create_task(countdown_at(start, "task B", 2))
    await asyncio.sleep(1)
    print(f"{round(loop.time() - start)}s", "Everything, everywhere, all at once")
    await taskA
    print(f"{round(loop.time() - start)}s", "main: task A is done")
    await taskB
    print(f"{round(loop.time() - start)}s", "main: task B is done")


asyncio.run(main())
# end snippet
