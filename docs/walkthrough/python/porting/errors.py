import asyncio

from slow import after


# snippet: errors
async def main():
    try:
        await asyncio.wait_for(after(2, "x"), 1)
    except TimeoutError:
        print("TimeoutError")

    task = asyncio.create_task(after(2, "x"))
    await asyncio.sleep(0)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("CancelledError")


asyncio.run(main())
# end snippet
