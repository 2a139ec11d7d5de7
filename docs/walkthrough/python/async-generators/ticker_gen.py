import asyncio


# snippet: ticker-def
async def ticker(n):
    try:
        for i in range(n):
            yield i
            await asyncio.sleep(1)
    finally:
        print("ticker: cleaned up")
# end snippet
