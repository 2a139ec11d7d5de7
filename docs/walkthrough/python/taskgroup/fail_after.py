import asyncio


# snippet: fail-after
async def fail_after(t: int, s: str) -> int:
    await asyncio.sleep(t)
    raise RuntimeError(s)
# end snippet
