from collections import deque

from funs import fun_a, fun_b


# snippet: round-robin
def round_robin(*coros):
    results = [None] * len(coros)
    ready = deque(range(len(coros)))
    while ready:
        i = ready.popleft()
        try:
            coros[i].send(None)  # run it up to its next await asyncio.sleep(0)
        except StopIteration as stop:
            results[i] = stop.value  # it returned
            continue
        ready.append(i)  # it suspended: back of the queue
    return results


print(round_robin(fun_a(), fun_b()))
# end snippet
