import asyncio

from ticker_gen import ticker


# snippet: break
async def main():
    t = ticker(10)
    async for v in t:
        print("tick", v)
        if v == 1:
            break
    print("main: out of the loop; the ticker waits at its yield")
    await t.aclose()
    print("main: closed it")


asyncio.run(main())
# end snippet
