import asyncio

from ticker_gen import ticker


# snippet: ticker
async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    async for v in ticker(3):
        print(f"{round(loop.time() - start)}s: tick {v}")
    print(f"{round(loop.time() - start)}s: the loop is over")


asyncio.run(main())
# end snippet
