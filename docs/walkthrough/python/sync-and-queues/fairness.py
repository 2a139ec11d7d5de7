import asyncio


# snippet: fairness
async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    lock = asyncio.Lock()

    async def worker(name):
        try:
            async with lock:
                print(f"{round(loop.time() - start)}s", name, "has the lock")
                await asyncio.sleep(1)
        except asyncio.CancelledError:
            print(f"{round(loop.time() - start)}s", name, "was cancelled, without the lock")
            raise

    await lock.acquire()
    tasks = [asyncio.create_task(worker(name)) for name in ["ann", "ben", "cat"]]
    await asyncio.sleep(0)  # they queue up for the lock, in this order
    lock.release()  # hands the lock to ann, who has not run yet
    tasks[0].cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


asyncio.run(main())
# end snippet
