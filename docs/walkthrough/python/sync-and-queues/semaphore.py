import asyncio


# snippet: semaphore
async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()

    def now():
        return f"{round(loop.time() - start)}s"

    connections = asyncio.Semaphore(2)
    running, most = 0, 0

    async def download(n):
        nonlocal running, most
        async with connections:
            running += 1
            most = max(most, running)
            print(now(), "download", n, "starts")
            await asyncio.sleep(1)
            print(now(), "download", n, "done")
            running -= 1

    await asyncio.gather(*(download(n) for n in range(1, 6)))
    print(now(), "five downloads, at most", most, "at once")


asyncio.run(main())
# end snippet
