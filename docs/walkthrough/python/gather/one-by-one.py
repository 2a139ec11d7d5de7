import asyncio

from slow_coroutine import slow


# snippet: one-by-one
async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    results = [await slow(3), await slow(1), await slow(2)]
    print(results, f"after {round(loop.time() - start)}s")


asyncio.run(main())
# end snippet
