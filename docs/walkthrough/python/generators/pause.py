import inspect


# snippet: pausing
def pausing():
    print("pausing: started")
    yield 1
    print("pausing: continues where it left off")
    yield 2
    print("pausing: done")
# end snippet


# snippet: pause
x = pausing()
print("caller: created it, state", inspect.getgeneratorstate(x))
n = next(x)
print("caller: got", n, "state", inspect.getgeneratorstate(x))
print("caller: does some work")
n = next(x)
print("caller: got", n)
try:
    next(x)
except StopIteration:
    print("caller: it is finished, state", inspect.getgeneratorstate(x))
# end snippet
