import asyncio

from slow import after


# snippet: gather-kinds
async def main():
    user, orders = await asyncio.gather(after(1, "ann"), after(2, [7, 9]))
    print(user, *orders)

    tasks = [asyncio.create_task(after(3 - i, i)) for i in range(3)]
    print(*await asyncio.gather(*tasks))

    for c in asyncio.as_completed([after(3, 3), after(1, 1), after(2, 2)]):
        print("completed:", await c)


asyncio.run(main())
# end snippet
