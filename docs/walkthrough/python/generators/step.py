from fib import fib

# snippet: step
x = fib()
for i in range(20):
  n = next(x)
  print(f"{i:8} {n:8}")
# end snippet
