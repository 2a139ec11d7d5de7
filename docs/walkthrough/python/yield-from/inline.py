import inspect

from inner_outer import inner

# snippet: inline
sub = inner()


def delegator():
    return (yield from sub)


g = delegator()
next(g)
print("sub's state:", inspect.getgeneratorstate(sub))
print("next(sub) returned", next(sub))
g.close()
# end snippet
