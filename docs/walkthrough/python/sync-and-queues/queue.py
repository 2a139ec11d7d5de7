import asyncio


# snippet: queue
async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()

    def now():
        return f"{round(loop.time() - start)}s"

    queue = asyncio.Queue(maxsize=2)

    async def consumer():
        try:
            while True:
                job = await queue.get()
                await asyncio.sleep(1)  # work on it
                print(now(), "job", job, "done")
                queue.task_done()
        except asyncio.CancelledError:
            print(now(), "consumer: cancelled while it waited for a job")
            raise

    worker = asyncio.create_task(consumer())
    for job in range(1, 6):
        await queue.put(job)  # waits while the queue is full
        print(now(), "put job", job)
    await queue.join()  # until task_done was called for every job
    print(now(), "all jobs done")
    worker.cancel()
    await asyncio.gather(worker, return_exceptions=True)


asyncio.run(main())
# end snippet
