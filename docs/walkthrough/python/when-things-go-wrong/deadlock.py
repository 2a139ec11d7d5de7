import asyncio


# snippet: deadlock
async def consumer(reply):
    return await reply  # nobody will ever set it


async def main():
    reply = asyncio.get_running_loop().create_future()
    return await asyncio.create_task(consumer(reply))


# asyncio.run(main()) would never return. Give up after a tenth of a second:
async def watchdog():
    try:
        await asyncio.wait_for(main(), 0.1)
    except TimeoutError:
        print("main was still waiting after 0.1s; asyncio.run(main()) would wait forever")


asyncio.run(watchdog())
# end snippet
