import asyncio


# snippet: running-total
async def running_total():
    total = 0
    while True:
        n = yield total
        await asyncio.sleep(1)  # adding takes a while
        total += n
# end snippet


# snippet: asend
async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    acc = running_total()
    total = await anext(acc)  # runs the body to its first yield
    print(f"{round(loop.time() - start)}s: {total}")
    for n in [10, 5]:
        total = await acc.asend(n)
        print(f"{round(loop.time() - start)}s: {total}")
    await acc.aclose()


asyncio.run(main())
# end snippet
