from inner_outer import outer

# snippet: delegate
g = outer()
while True:
    try:
        print(next(g))
    except StopIteration as stop:
        print("finished with", repr(stop.value))
        break
# end snippet
