import asyncio


# snippet: event
async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()

    def now():
        return f"{round(loop.time() - start)}s"

    whistle = asyncio.Event()

    async def runner(name):
        print(now(), name, "is on the blocks")
        await whistle.wait()
        print(now(), name, "runs")
        await asyncio.sleep(2)
        print(now(), name, "arrives")

    runners = [asyncio.create_task(runner(name)) for name in ["ann", "ben", "cat"]]
    await asyncio.sleep(1)
    print(now(), "go!")
    whistle.set()
    await asyncio.gather(*runners)


asyncio.run(main())
# end snippet
