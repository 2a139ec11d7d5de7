import asyncio

from slow import after


# snippet: awaitables
async def main():
    q = asyncio.Queue()
    try:
        await asyncio.wait_for(q.get(), 1)
    except TimeoutError:
        print("q.get(): timed out")

    event = asyncio.Event()
    asyncio.get_running_loop().call_later(1, event.set)
    await asyncio.wait_for(event.wait(), 2)
    print("event.wait(): set")

    lock = asyncio.Lock()
    await asyncio.create_task(lock.acquire())
    if lock.locked():
        print("lock.acquire() in a task: locked")

    task = asyncio.create_task(after(2, "saved"))
    try:
        await asyncio.wait_for(asyncio.shield(task), 1)
    except TimeoutError:
        print("shield(task): timed out;", await task)

    try:
        await asyncio.wait_for(asyncio.sleep(2), 1)
    except TimeoutError:
        print("sleep(2): timed out")


asyncio.run(main())
# end snippet
