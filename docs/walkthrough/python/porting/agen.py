import asyncio


# snippet: agen
async def ticks(n):
    for i in range(n):
        yield await asyncio.sleep(1, i)


async def main():
    ag = ticks(2)
    print(await anext(ag, "end"), await anext(ag, "end"), await anext(ag, "end"))
    if not ag.ag_running and ag.ag_frame is None:
        print("finished, not running")


asyncio.run(main())
# end snippet
