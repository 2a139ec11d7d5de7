import asyncio


# snippet: shutdown
async def main():  # Python 3.13
    loop = asyncio.get_running_loop()
    start = loop.time()

    def now():
        return f"{round(loop.time() - start)}s"

    queue = asyncio.Queue()

    async def worker(name):
        while True:
            try:
                job = await queue.get()
            except asyncio.QueueShutDown:
                print(now(), name, "goes home")
                return
            await asyncio.sleep(1)
            print(now(), name, "did job", job)
            queue.task_done()

    workers = [asyncio.create_task(worker(name)) for name in ["w1", "w2"]]
    for job in range(1, 4):
        await queue.put(job)
    queue.shutdown()  # no more jobs: get returns what is left, then raises QueueShutDown
    print(now(), "no more jobs")
    await asyncio.gather(*workers)


asyncio.run(main())
# end snippet
