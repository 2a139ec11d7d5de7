import asyncio

from slow_coroutine import slow


# snippet: slow-gather
async def main():
    # Gather runs its arguments in parallel when awaited on
    print(await asyncio.gather(slow(3), slow(1), slow(2)))


asyncio.run(main())
# end snippet
