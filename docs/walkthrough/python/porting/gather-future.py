import asyncio

from slow import after


# snippet: gather-future
async def main():
    g = asyncio.gather(after(1, "a"), after(2, "b"))
    def report(g):
        print("callback: done")
    g.add_done_callback(report)
    if not g.done():
        print("started, not done yet")
    print(*await g)

    g = asyncio.gather(after(1, "a"), after(2, "b"))
    g.add_done_callback(report)
    g.remove_done_callback(report)
    await asyncio.sleep(0)
    g.cancel()
    try:
        await g
    except asyncio.CancelledError:
        if not g.cancelled():
            print("CancelledError, though g.cancelled() is false")


asyncio.run(main())
# end snippet
