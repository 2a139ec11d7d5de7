"""CPython counterparts of bench/loop_test.go: asyncio's event loop stepping
tasks, creating them, passing values between them, and holding them idle.

    python3 bench/python/loop.py [--quick]

Workloads (one JSON line each, see _harness.py). Each runs in a fresh
asyncio.run; creating the tasks and their first step (which starts each
coroutine) are left out of the timing, as in Go.

  Sleep0/tasks=N   one task step: a task suspended in `await asyncio.sleep(0)`
                   is resumed by the loop and suspends in sleep(0) again. The
                   ops are shared out among N tasks that all wait in the ready
                   queue: Go's Sleep0/tasks=N.
  Spawn            one trivial task's whole life: asyncio.create_task(one()),
                   its step, and its result collected by asyncio.gather over
                   its batch of 1,000 tasks: Go's Spawn.
  FuturePingPong   one round trip between two tasks through futures; every
                   hop sets a future the other side awaits and carries a new
                   future for the answer: Go's FuturePingPong.
  QueuePingPong    one round trip between two tasks through two unbounded
                   asyncio.Queue: `await q.put(v)`, then `await q.get()` on the
                   other queue: Go's QueuePingPong.
  IdleTaskMemory   bytes per suspended task (bytes_per_task): 100,000 tasks
                   are created and started and each awaits the same future.
                   Measured with tracemalloc: the growth of the memory traced
                   after a gc.collect(). It counts what Python allocates for
                   the task, its coroutine and frame, and its entry among the
                   future's done callbacks; not pymalloc's arena overhead. A
                   second pass without tracemalloc reports the growth of the
                   resident set (rss_bytes_per_task, from /proc/self/statm)
                   as a cross-check. Go's IdleTaskMemory.

Go's Timers runs on the loop's virtual clock, which asyncio does not have;
it has no counterpart here.
"""

import sys

sys.dont_write_bytecode = True

import asyncio  # noqa: E402
import gc  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import _harness  # noqa: E402

TASK_COUNTS = (1, 100, 10_000, 100_000)
SPAWN_BATCH = 1000
IDLE_COUNT = 100_000


def sleep0(tasks):
    def run(n):
        async def worker(k):
            await asyncio.sleep(0)  # the untimed first step ends here
            for _ in range(k):
                await asyncio.sleep(0)
            return k

        async def main():
            ts = [asyncio.create_task(worker(_harness.share(n, tasks, i))) for i in range(tasks)]
            # Every task takes its first step before main resumes: they were
            # queued ahead of it.
            await asyncio.sleep(0)
            t0 = time.perf_counter_ns()
            steps = await asyncio.gather(*ts)
            elapsed = time.perf_counter_ns() - t0
            _harness.check(sum(steps) == n, f"tasks did {sum(steps)} steps in all, want {n}")
            return elapsed

        return asyncio.run(main())

    return run


async def one():
    return 1


def spawn(n):
    async def main():
        t0 = time.perf_counter_ns()
        done = 0
        while done < n:
            b = min(SPAWN_BATCH, n - done)
            results = await asyncio.gather(*[asyncio.create_task(one()) for _ in range(b)])
            _harness.check(sum(results) == b, f"batch of {b} tasks returned {sum(results)}")
            done += b
        return time.perf_counter_ns() - t0

    return asyncio.run(main())


def future_ping_pong(n):
    async def main():
        loop = asyncio.get_running_loop()
        first = loop.create_future()

        async def ponger():
            fut = first
            while True:
                v, reply = await fut
                if reply is None:
                    return v
                fut = loop.create_future()
                reply.set_result((v + 1, fut))

        async def pinger():
            await asyncio.sleep(0)  # the untimed first step ends here
            out, v = first, 0
            for _ in range(n):
                reply = loop.create_future()
                out.set_result((v, reply))
                v, out = await reply
            out.set_result((v, None))
            return v

        pong = asyncio.create_task(ponger())
        ping = asyncio.create_task(pinger())
        await asyncio.sleep(0)
        t0 = time.perf_counter_ns()
        v = await ping
        elapsed = time.perf_counter_ns() - t0
        w = await pong
        _harness.check(v == n and w == n, f"after {n} round trips, pinger has {v} and ponger {w}")
        return elapsed

    return asyncio.run(main())


def queue_ping_pong(n):
    async def main():
        ping_q, pong_q = asyncio.Queue(), asyncio.Queue()

        async def ponger():
            while True:
                v = await ping_q.get()
                if v is None:
                    return
                await pong_q.put(v + 1)

        async def pinger():
            await asyncio.sleep(0)  # the untimed first step ends here
            v = 0
            for _ in range(n):
                await ping_q.put(v)
                v = await pong_q.get()
            await ping_q.put(None)
            return v

        pong = asyncio.create_task(ponger())
        ping = asyncio.create_task(pinger())
        await asyncio.sleep(0)
        t0 = time.perf_counter_ns()
        v = await ping
        elapsed = time.perf_counter_ns() - t0
        await pong
        _harness.check(v == n, f"after {n} round trips, value = {v}, want {n}")
        return elapsed

    return asyncio.run(main())


def rss_bytes():
    """Returns the resident set size of this process, or None where
    /proc/self/statm is missing."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return None


def traced_bytes():
    return tracemalloc.get_traced_memory()[0]


def idle_growth(measure):
    """Returns the growth of measure() per task while IDLE_COUNT tasks are
    suspended on one future, or None if measure() returns None."""

    async def main():
        loop = asyncio.get_running_loop()
        release = loop.create_future()
        all_done = loop.create_future()
        left = IDLE_COUNT

        # One body for every task, and no list of them: nothing is held per
        # task but what the loop and the future hold.
        async def body():
            nonlocal left
            await release
            left -= 1
            if left == 0:
                all_done.set_result(None)

        gc.collect()
        before = measure()
        for _ in range(IDLE_COUNT):
            asyncio.create_task(body())
        await asyncio.sleep(0)
        gc.collect()
        after = measure()
        release.set_result(None)
        await all_done
        if before is None or after is None:
            return None
        return (after - before) / IDLE_COUNT

    return asyncio.run(main())


def idle_task_memory(args):
    if args.only and args.only not in "IdleTaskMemory":
        return
    # The resident set first, in a process that has not yet grown to hold
    # 100,000 tasks (pymalloc would reuse the arenas of an earlier pass) and
    # without tracemalloc, whose own records take memory too.
    rss = idle_growth(rss_bytes)
    tracemalloc.start()
    try:
        traced = idle_growth(traced_bytes)
    finally:
        tracemalloc.stop()
    _harness.emit(
        "IdleTaskMemory",
        bytes_per_task=traced,
        rss_bytes_per_task=rss,
        tasks=IDLE_COUNT,
        method="tracemalloc",
    )


def main():
    args = _harness.parse_args(__doc__.splitlines()[0])
    # Memory first, while the process is small (see idle_task_memory).
    idle_task_memory(args)
    for tasks in TASK_COUNTS:
        _harness.measure(args, f"Sleep0/tasks={tasks}", sleep0(tasks), start=tasks)
    _harness.measure(args, "Spawn", spawn, start=SPAWN_BATCH)
    _harness.measure(args, "FuturePingPong", future_ping_pong)
    _harness.measure(args, "QueuePingPong", queue_ping_pong)


if __name__ == "__main__":
    main()
