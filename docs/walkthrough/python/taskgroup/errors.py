import asyncio


# snippet: busted
async def busted(s: str) -> None:
    raise RuntimeError(s)
# end snippet


# snippet: errors
async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(busted("First error"))
            tg.create_task(busted("Second error"))
    except* RuntimeError as error_group:
        print(error_group.exceptions)


asyncio.run(main())
# end snippet
