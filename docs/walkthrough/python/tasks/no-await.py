import asyncio

from countdown import countdown


# snippet: no-await
async def main():
    taskA = asyncio.create_task(countdown("task A", 3))
    taskB = asyncio.create_task(countdown("task B", 2))
    await asyncio.sleep(1)
    print("Everything, everywhere, all at once")
    return taskA, taskB


taskA, taskB = asyncio.run(main())
print("task A cancelled:", taskA.cancelled())
print("task B cancelled:", taskB.cancelled())
# end snippet
