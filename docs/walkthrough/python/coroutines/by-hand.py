import inspect

from funs import fun_a

# snippet: by-hand
c = fun_a()
print("state:", inspect.getcoroutinestate(c))
request = c.send(None)
print("send returned", request, "state:", inspect.getcoroutinestate(c))
try:
    c.send(None)
except StopIteration as stop:
    print("StopIteration", repr(stop.value), "state:", inspect.getcoroutinestate(c))
# end snippet
