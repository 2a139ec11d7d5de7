from counter import Reset, counter

# snippet: throw-handled
c = counter()
for _ in range(3):
    print(next(c))
print("after the reset:", c.throw(Reset()))
print(next(c))
# end snippet
