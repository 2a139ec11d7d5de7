from funs import fun_a, fun_b


# snippet: both
async def both():
    a = await fun_a()
    b = await fun_b()
    return a + ", " + b
# end snippet


# snippet: await
c = both()
try:
    while True:
        c.send(None)
        print("driver: the coroutine suspended; resuming it")
except StopIteration as stop:
    print("result:", stop.value)
# end snippet
