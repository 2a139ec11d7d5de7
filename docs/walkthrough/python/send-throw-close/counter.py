# snippet: counter
class Reset(Exception):
    pass


def counter():
    n = 0
    while True:
        try:
            yield n
        except Reset:
            print("counter: reset")
            n = 0
            continue
        n += 1
# end snippet
