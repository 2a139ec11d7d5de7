import asyncio


# snippet: heartbeat
async def heartbeat():
    try:
        while True:
            await asyncio.sleep(1)
    finally:
        print("heartbeat: stopped")


async def main():
    asyncio.create_task(heartbeat(), name="heartbeat")
    await asyncio.sleep(3)  # returns without stopping the heartbeat: the bug
# end snippet


# snippet: leaks
print("asyncio.run returned", asyncio.run(main()))
# end snippet
