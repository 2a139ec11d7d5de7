import asyncio

from slow import after


# snippet: timeouts
async def main():
    tasks = [asyncio.create_task(after(1, "x"))]
    done, pending = await asyncio.wait(tasks, timeout=0)
    print("timeout=0:", len(done), "done,", len(pending), "pending")
    done, pending = await asyncio.wait(tasks, timeout=None)
    print("timeout=None:", len(done), "done,", len(pending), "pending")

    try:
        await asyncio.wait_for(after(1, "y"), 0)
    except TimeoutError:
        print("wait_for(..., 0): timed out at once")
    print("wait_for(..., None):", await asyncio.wait_for(after(1, "y"), None))


asyncio.run(main())
# end snippet
