import asyncio


# snippet: f
def do_a(name):
    print(f"{name}: do_a")


def do_b(name):
    print(f"{name}: do_b")


def do_d(name):
    print(f"{name}: do_d")


async def do_c(name):
    print(f"{name}: do_c")
    await asyncio.sleep(0)


async def f(name):  # The async tells you this will be a coroutine (needs to be awaited)
    do_a(name)
    do_b(name)  # This will always run right after do_a, nothing will run in between
    await do_c(name)  # Execution pauses here, and other coroutines might start and run till their awaits
    do_d(name)
# end snippet


# snippet: order
async def main():
    await asyncio.gather(f("one"), f("two"), f("three"))


asyncio.run(main())
# end snippet
