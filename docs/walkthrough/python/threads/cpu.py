import asyncio
import os
from concurrent.futures import ProcessPoolExecutor


# snippet: count-primes
def count_primes(lo, hi):
    """Counts the primes in [lo, hi) by trial division: pure CPU work."""
    count = 0
    for n in range(max(lo, 2), hi):
        d = 2
        while d * d <= n and n % d != 0:
            d += 1
        if d * d > n:
            count += 1
    return count
# end snippet


# snippet: cpu
async def main():
    limit = 100_000
    n = os.cpu_count()
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor() as pool:  # one Python interpreter per core
        chunks = [
            loop.run_in_executor(pool, count_primes, limit * i // n, limit * (i + 1) // n)
            for i in range(n)
        ]
        counts = await asyncio.gather(*chunks)
    print(sum(counts), "primes below", limit)


if __name__ == "__main__":
    asyncio.run(main())
# end snippet
