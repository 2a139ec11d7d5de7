import asyncio


# snippet: after
async def after(seconds, value):
    await asyncio.sleep(seconds)
    return value
# end snippet
