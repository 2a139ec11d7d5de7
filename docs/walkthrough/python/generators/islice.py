from fib import fib

# snippet: islice
from itertools import islice
print(list(islice(fib(), 20)))
# end snippet
