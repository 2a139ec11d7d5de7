import asyncio


# snippet: mixed-fetch
async def fetch_user():
    return await asyncio.sleep(1, "ann")


async def fetch_orders():
    return await asyncio.sleep(2, [7, 9])
# end snippet


# snippet: mixed
async def main():
    user, orders = await asyncio.gather(fetch_user(), fetch_orders())
    print(user, orders)


asyncio.run(main())
# end snippet
