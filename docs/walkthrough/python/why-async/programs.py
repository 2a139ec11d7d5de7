import asyncio

from slow_coroutine import slow


# snippet: programs
async def one_after_another():
    return [await slow(3), await slow(1), await slow(2)]


async def gathered():
    return await asyncio.gather(slow(3), slow(1), slow(2))


async def timed(main):
    loop = asyncio.get_running_loop()
    start = loop.time()
    results = await main
    print(results, f"after {round(loop.time() - start)}s")
# end snippet
