import asyncio

# snippet: no-locks
count = 0


async def increment(times):
    global count
    for _ in range(times):
        count += 1  # read, add, write: nothing can run in between
        await asyncio.sleep(0)
    return times


async def main():
    await asyncio.gather(increment(1000), increment(1000), increment(1000))


asyncio.run(main())
print("count =", count)
# end snippet
