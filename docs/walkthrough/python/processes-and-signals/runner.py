import asyncio

# snippet: runner
queue = asyncio.Queue()


async def start_ticker():
    async def tick():
        for i in range(3):
            await asyncio.sleep(1)
            await queue.put(f"tick {i}")

    return asyncio.create_task(tick())


async def collect(n):
    return [await queue.get() for _ in range(n)]


def state(task):
    return "done" if task.done() else "pending"


with asyncio.Runner() as runner:
    ticker = runner.run(start_ticker())
    print("first run returned; the ticker is", state(ticker))
    start = runner.get_loop().time()
    got = runner.run(collect(3))
    print(f"second run got {', '.join(got)} after {round(runner.get_loop().time() - start)}s")
    print("the ticker is", state(ticker))
# end snippet
