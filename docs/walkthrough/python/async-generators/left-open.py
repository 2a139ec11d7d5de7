import asyncio

from ticker_gen import ticker


# snippet: left-open
async def main():
    t = ticker(10)
    async for v in t:
        print("tick", v)
        if v == 1:
            break
    print("main: returning, with the ticker still open")


asyncio.run(main())
print("Run returned")
# end snippet
