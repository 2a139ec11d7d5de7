"""CPython counterparts of bench/coro_test.go: resuming a coroutine at the
bottom of an await chain, and awaiting a coroutine that returns at once.

    python3 bench/python/coro.py [--quick]

Workloads (one JSON line each, see _harness.py):

  AwaitDepth/depth=N  one resume, coro.send(None), of a coroutine suspended
                      at the bottom of a chain of N awaits: Go's AwaitDepth.
                      As there, no event loop is involved: the top coroutine
                      is driven by hand, so the figure is the resume alone.
                      The bottom loops on `await suspend()`, a generator-based
                      awaitable that yields once (the leaf every asyncio
                      future and sleep(0) ends in, and Go's coro.Yield). The
                      send passes through all N+1 coroutine frames on its way
                      down and the yield through all of them on its way back:
                      O(N), where Go runs the chain inline in O(1).
  AwaitCall           `await answer()` of a coroutine that returns at once,
                      made from inside a running coroutine: Go's AwaitCall.
  PlainCall           the same work as a plain function call: Go's PlainCall.

The timed loops repeat their op ten times per iteration, so that the cost of
CPython's `for` loop is spread over ten ops (see gen.py).
"""

import sys

sys.dont_write_bytecode = True

import time  # noqa: E402
import types  # noqa: E402

import _harness  # noqa: E402

UNROLL = 10
DEPTHS = (1, 10, 100)


@types.coroutine
def suspend():
    """Suspends the coroutine that awaits it once: the bare yield at the end
    of every await chain."""
    yield


def await_chain(depth, resumes):
    """Returns a coroutine that awaits a coroutine that awaits ..., depth
    awaits in all, down to a bottom that loops on suspend() and counts its
    resumes in resumes[0], as awaitChain does in Go."""

    async def bottom():
        while True:
            await suspend()
            resumes[0] += 1

    async def level(sub):
        return await sub

    c = bottom()
    for _ in range(depth):
        c = level(c)
    return c


def await_depth(depth):
    def run(n):
        resumes = [0]
        top = await_chain(depth, resumes)
        top.send(None)  # runs down to the bottom's first suspend
        send = top.send
        t0 = time.perf_counter_ns()
        for _ in range(n // UNROLL):
            send(None)
            send(None)
            send(None)
            send(None)
            send(None)
            send(None)
            send(None)
            send(None)
            send(None)
            send(None)
        elapsed = time.perf_counter_ns() - t0
        _harness.check(resumes[0] == n, f"bottom resumed {resumes[0]} times by {n} sends")
        top.close()
        return elapsed

    return run


async def answer():
    return 42


def plain_answer():
    return 42


def await_call(n):
    async def top():
        s = 0
        t0 = time.perf_counter_ns()
        for _ in range(n // UNROLL):
            s += await answer()
            s += await answer()
            s += await answer()
            s += await answer()
            s += await answer()
            s += await answer()
            s += await answer()
            s += await answer()
            s += await answer()
            s += await answer()
        return time.perf_counter_ns() - t0, s

    try:
        top().send(None)
    except StopIteration as stop:
        elapsed, s = stop.value
    _harness.check(s == 42 * n, f"sum = {s}, want {42 * n}")
    return elapsed


def plain_call(n):
    s = 0
    t0 = time.perf_counter_ns()
    for _ in range(n // UNROLL):
        s += plain_answer()
        s += plain_answer()
        s += plain_answer()
        s += plain_answer()
        s += plain_answer()
        s += plain_answer()
        s += plain_answer()
        s += plain_answer()
        s += plain_answer()
        s += plain_answer()
    elapsed = time.perf_counter_ns() - t0
    _harness.check(s == 42 * n, f"sum = {s}, want {42 * n}")
    return elapsed


def main():
    args = _harness.parse_args(__doc__.splitlines()[0])
    for depth in DEPTHS:
        _harness.measure(args, f"AwaitDepth/depth={depth}", await_depth(depth), step=UNROLL)
    _harness.measure(args, "AwaitCall", await_call, step=UNROLL)
    _harness.measure(args, "PlainCall", plain_call, step=UNROLL)


if __name__ == "__main__":
    main()
