import asyncio


async def main():
    print("hello")
    await asyncio.sleep(1)
    print("world")


# snippet: nested
async def cell():
    try:
        asyncio.run(main())
    except RuntimeError as err:
        print("asyncio.run raised:", err)
    await main()


asyncio.run(cell())
# end snippet
