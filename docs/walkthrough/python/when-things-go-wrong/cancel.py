import asyncio


# snippet: sleeper
async def sleeper():
    try:
        print("sleeper: starting a long sleep")
        await asyncio.sleep(3600)
        print("sleeper: woke up")
    except asyncio.CancelledError as err:
        print("sleeper: cancelled, with the message", err.args[0])
        raise  # let it go on up
    finally:
        print("sleeper: finally")
# end snippet


# snippet: cancel
async def main():
    t = asyncio.create_task(sleeper())
    await asyncio.sleep(1)
    print("main: cancelling the sleeper")
    t.cancel("enough")
    try:
        await t
    except asyncio.CancelledError as err:
        print("main: the sleeper ended with", repr(err))
    print("main: t.cancelled():", t.cancelled())


asyncio.run(main())
# end snippet
