import asyncio


# snippet: async-with
async def worker(name, lock, sem):
    async with sem:
        print(name, "has a permit")
        try:
            await asyncio.sleep(1)
            async with lock:
                print(name, "has the lock")
                await asyncio.sleep(1)
        finally:
            print(name, "gives its permit back")


async def main():
    lock, sem = asyncio.Lock(), asyncio.Semaphore(2)
    tasks = [asyncio.create_task(worker(n, lock, sem)) for n in "ABC"]
    await asyncio.sleep(1.5)
    tasks[1].cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


asyncio.run(main())
# end snippet
