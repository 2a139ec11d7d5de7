"""CPython counterparts of bench/gen_test.go: generator send, and send
through a chain of `yield from`.

    python3 bench/python/gen.py [--quick]

Workloads (one JSON line each, see _harness.py):

  GenSend            one gen.send round trip on a started generator that
                     yields one more than it was sent: Go's GenSend.
  YieldFrom/depth=N  one send through N delegating generators, each
                     `return (yield from sub)`, down to the same generator:
                     Go's YieldFrom. CPython forwards the send level by
                     level, so it costs O(N).

The timed loops repeat their op ten times per iteration, so that the cost of
CPython's `for` loop (some 10 ns, as much as a send) is spread over ten ops;
Go's b.Loop costs about 1 ns.
"""

import sys

sys.dont_write_bytecode = True

import time  # noqa: E402

import _harness  # noqa: E402

UNROLL = 10
DEPTHS = (1, 10, 100)


def echo():
    """Yields one more than it was sent, starting from 1: the generator of
    Go's GenSend, and the leaf of the YieldFrom chains."""
    v = 0
    while True:
        v = yield v + 1


def delegate(sub):
    """One level of a YieldFrom chain."""
    return (yield from sub)


def send_loop(g, n):
    """Sends through g n times (a multiple of UNROLL) and returns the
    elapsed ns; every value must make the round trip."""
    v = next(g)
    check_from = v
    reps = n // UNROLL
    send = g.send
    t0 = time.perf_counter_ns()
    for _ in range(reps):
        v = send(v)
        v = send(v)
        v = send(v)
        v = send(v)
        v = send(v)
        v = send(v)
        v = send(v)
        v = send(v)
        v = send(v)
        v = send(v)
    elapsed = time.perf_counter_ns() - t0
    _harness.check(v == check_from + n, f"after {n} sends, value = {v}, want {check_from + n}")
    g.close()
    return elapsed


def gen_send(n):
    return send_loop(echo(), n)


def yield_from(depth):
    def run(n):
        g = echo()
        for _ in range(depth):
            g = delegate(g)
        return send_loop(g, n)

    return run


def main():
    args = _harness.parse_args(__doc__.splitlines()[0])
    _harness.measure(args, "GenSend", gen_send, step=UNROLL)
    for depth in DEPTHS:
        _harness.measure(args, f"YieldFrom/depth={depth}", yield_from(depth), step=UNROLL)


if __name__ == "__main__":
    main()
