import asyncio


# snippet: except-star
async def fail(delay, exc):
    await asyncio.sleep(delay)
    raise exc


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail(1, ValueError("bad value")))
            tg.create_task(fail(1, KeyError("k")))
    except* ValueError as eg:
        print("ValueError:", *eg.exceptions)
    except* KeyError as eg:
        print("KeyError:", len(eg.exceptions))


asyncio.run(main())
# end snippet
