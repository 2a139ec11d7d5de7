# snippet: supervisor
class Stop(Exception):
    pass


def worker():
    try:
        yield "working"
        yield "still working"
    finally:
        print("worker: finally")


def supervisor():
    try:
        yield from worker()
    except Stop as err:
        print("supervisor: worker raised", repr(err))
    yield "supervisor carries on"
# end snippet


# snippet: throw
s = supervisor()
print(next(s))
print(s.throw(Stop("stop")))
s.close()
# end snippet
