from averager import averager

# snippet: send
avg = averager()
print(next(avg))
print(avg.send(10))
print(avg.send(30))
print(avg.send(5))
# end snippet
