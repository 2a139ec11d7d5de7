import inspect


# snippet: child-parent
def child():
    try:
        yield 1
        yield 2
    finally:
        print("child: finally")


def parent():
    try:
        yield from child()
        yield 3
    finally:
        print("parent: finally")
# end snippet


# snippet: close
p = parent()
print(next(p))
print("close returned", p.close())
print(inspect.getgeneratorstate(p))
# end snippet
