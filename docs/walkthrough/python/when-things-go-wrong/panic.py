import asyncio
import traceback


# snippet: average
def average(xs):
    return sum(xs) // len(xs)
# end snippet


# snippet: panic
async def compute():
    return average([])


async def main():
    t = asyncio.create_task(compute())
    try:
        await t
    except ZeroDivisionError as err:
        print("the task failed:", repr(err))
        tb = "".join(traceback.format_tb(err.__traceback__))
        print("the traceback names average:", "in average" in tb)
    print("main carries on")


asyncio.run(main())
# end snippet
