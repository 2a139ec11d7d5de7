import inspect

from counter import counter

# snippet: throw-unhandled
c = counter()
print(next(c))
try:
    c.throw(ValueError("bad input"))
except ValueError as err:
    print("throw raised", repr(err))
print(inspect.getgeneratorstate(c))
# end snippet
