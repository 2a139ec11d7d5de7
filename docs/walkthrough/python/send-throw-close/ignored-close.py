import inspect


# snippet: stubborn
def stubborn():
    try:
        try:
            yield 1
        except GeneratorExit:
            print("stubborn: ignoring GeneratorExit")
        yield 2
        print("stubborn: never printed")
    finally:
        print("stubborn: finally")
# end snippet


# snippet: ignored-close
s = stubborn()
next(s)
try:
    s.close()
except RuntimeError as err:
    print("close raised", repr(err))
print(inspect.getgeneratorstate(s))
del s  # CPython collects it here, closing it again
# end snippet
