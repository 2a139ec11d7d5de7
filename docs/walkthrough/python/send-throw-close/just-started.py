from averager import averager

# snippet: just-started
avg = averager()
try:
    avg.send(10)
except TypeError as err:
    print("send raised:", repr(err))
print(avg.send(None))
# end snippet
