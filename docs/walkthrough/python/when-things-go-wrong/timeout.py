import asyncio

from slow_coroutine import slow


# snippet: timeout
async def main():
    try:
        async with asyncio.timeout(2):
            await slow(5)
    except TimeoutError as err:
        print("asyncio.timeout raised", repr(err))
        print("isinstance(err, asyncio.CancelledError):", isinstance(err, asyncio.CancelledError))

    print("wait_for returned", await asyncio.wait_for(slow(1), 2))
    try:
        await asyncio.wait_for(slow(3), 2)
    except TimeoutError as err:
        print("wait_for raised", repr(err))


asyncio.run(main())
# end snippet
