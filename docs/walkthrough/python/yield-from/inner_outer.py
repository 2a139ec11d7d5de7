# snippet: inner-outer
def inner():
    yield 1
    yield 2
    return "result of inner"


def outer():
    got = yield from inner()
    print("outer: yield from returned", repr(got))
    yield 3
    return "result of outer"
# end snippet
