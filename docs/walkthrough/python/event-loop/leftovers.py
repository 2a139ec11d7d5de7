import asyncio


# snippet: leftovers
async def forever():
    print("forever: started as", asyncio.current_task().get_name())
    try:
        await asyncio.sleep(24 * 3600)
    except asyncio.CancelledError as err:
        print("forever: sleep raised", repr(err))
        raise


async def main():
    print("main: running as", asyncio.current_task().get_name())
    asyncio.create_task(forever())
    await asyncio.sleep(1)
    print("main: returning, with forever still asleep")
    return "main's result"


print("asyncio.run returned", repr(asyncio.run(main())))
# end snippet
