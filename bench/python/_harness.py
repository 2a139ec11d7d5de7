"""Timing harness shared by the CPython benchmark programs of this folder.

Each program measures a few workloads, each the CPython counterpart of a Go
benchmark of package bench, and prints one JSON object per workload on its
own line of standard output, named as the Go benchmark is (without the
"Benchmark" prefix):

    {"name": "Sleep0/tasks=1", "ns_per_op": 1234.5, "ops": 250000}

A memory workload prints bytes_per_task instead of ns_per_op. Nothing else
goes to standard output; progress and errors go to standard error.

A workload is a function run(n) that does n ops and returns the nanoseconds
(time.perf_counter_ns) that the n ops took, leaving its setup and teardown
out, as the Go benchmarks do with b.ResetTimer and b.StopTimer. measure()
calls it with a growing n, the way `go test -bench` grows b.N, until one call
takes at least the target time, and reports that call.
"""

import argparse
import json
import resource
import sys

# How long the reported call of a workload must take, in nanoseconds: the
# normal mode aims at a steady figure, --quick only at a figure.
TARGET_NS = 300_000_000
QUICK_TARGET_NS = 10_000_000

# The largest factor by which n grows from one call to the next, as in the
# testing package, so that a first call made fast by a warm cache cannot send
# n far past the target.
MAX_GROWTH = 100


def parse_args(description):
    """Parses the command line every program shares: --quick and --only."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument(
        "--quick",
        action="store_true",
        help="fast mode: aim at 10 ms per workload instead of 300 ms",
    )
    p.add_argument(
        "--only",
        default="",
        help="run only the workloads whose name contains this string",
    )
    return p.parse_args()


def emit(name, **fields):
    """Prints one workload's result as a JSON line."""
    print(json.dumps({"name": name, **fields}), flush=True)


def measure(args, name, run, start=1, step=1):
    """Calls run(n) with n growing from start until one call takes at least
    the target time, then emits that call's ns per op. n is always a
    multiple of step, for loops that do step ops per iteration."""
    if args.only and args.only not in name:
        return
    target = QUICK_TARGET_NS if args.quick else TARGET_NS
    n = -(-start // step) * step
    while True:
        elapsed = run(n)
        if elapsed >= target:
            break
        # Aim 20% past the target, as the testing package does.
        want = n * target * 1.2 / elapsed if elapsed > 0 else n * MAX_GROWTH
        n = int(min(max(want, n + 1), n * MAX_GROWTH))
        n = -(-n // step) * step
    emit(name, ns_per_op=elapsed / n, ops=n)


def share(total, n, i):
    """Returns the share of total that worker i of n takes on, as stepsFor
    does in the Go benchmarks: total // n, one more for the first total % n
    workers."""
    k = total // n
    if i < total % n:
        k += 1
    return k


def raise_open_files(need):
    """Raises the soft limit of open files to need, or as far toward it as
    the hard limit allows, and returns the soft limit then in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need and (hard == resource.RLIM_INFINITY or soft < hard):
        soft = need if hard == resource.RLIM_INFINITY else min(need, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return soft


def check(ok, message):
    """Stops the program with message if ok is false: a workload that did
    not do its work must not report a figure."""
    if not ok:
        print(f"{sys.argv[0]}: {message}", file=sys.stderr)
        sys.exit(1)
