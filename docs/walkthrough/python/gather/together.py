import asyncio

from slow_coroutine import slow


# snippet: together
async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    results = await asyncio.gather(slow(3), slow(1), slow(2))
    print(results, f"after {round(loop.time() - start)}s")


asyncio.run(main())
# end snippet
