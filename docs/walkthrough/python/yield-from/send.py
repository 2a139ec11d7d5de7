# snippet: tally
def take_sum(n):
    total = 0
    for _ in range(n):
        total += yield
    return total


def tally():
    a = yield from take_sum(2)
    print("tally: first two add up to", a)
    b = yield from take_sum(3)
    print("tally: next three add up to", b)
    return a + b
# end snippet


# snippet: send
t = tally()
next(t)
for v in [1, 2, 10, 20, 30]:
    try:
        t.send(v)
    except StopIteration as stop:
        print("total", stop.value)
# end snippet
