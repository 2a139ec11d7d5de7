import asyncio

from funs import fun_a, fun_b


# snippet: gather
async def main():
    print(await asyncio.gather(fun_a(), fun_b()))


asyncio.run(main())
# end snippet
