import asyncio

from funs import fun_a


# snippet: await-twice
async def main():
    c = fun_a()
    print(await c)
    try:
        await c
    except RuntimeError as err:
        print("the second await raised", repr(err))


asyncio.run(main())
# end snippet
