import asyncio
import contextlib

from ticker_gen import ticker


# snippet: aclosing
async def main():
    async with contextlib.aclosing(ticker(10)) as t:
        async for v in t:
            print("tick", v)
            if v == 1:
                break
    print("main: after the async with")


asyncio.run(main())
# end snippet
