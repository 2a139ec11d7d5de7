"""CPython counterpart of bench/subprocess_test.go: child processes with
asyncio.

    python3 bench/python/proc.py [--quick]

Workloads (one JSON line each, see _harness.py):

  SubprocessRun   one child's life: create_subprocess_exec of true, its
                  standard streams on DEVNULL, and proc.wait().
  SubprocessPipe  1 MiB through cat and back: create_subprocess_exec with
                  stdin and stdout pipes, and proc.communicate(input).

(The file is not called subprocess.py, which would hide the standard
library's module of that name from asyncio.)
"""

import sys

sys.dont_write_bytecode = True

import asyncio  # noqa: E402
import shutil  # noqa: E402
import time  # noqa: E402
from asyncio.subprocess import DEVNULL, PIPE  # noqa: E402

import _harness  # noqa: E402

PIPE_SIZE = 1 << 20


def program(name):
    path = shutil.which(name)
    _harness.check(path is not None, f"{name} is not on the PATH")
    return path


def subprocess_run(n):
    prog = program("true")

    async def main():
        t0 = time.perf_counter_ns()
        for _ in range(n):
            proc = await asyncio.create_subprocess_exec(
                prog, stdin=DEVNULL, stdout=DEVNULL, stderr=DEVNULL
            )
            code = await proc.wait()
            _harness.check(code == 0, f"wait() = {code}, want 0")
        return time.perf_counter_ns() - t0

    return asyncio.run(main())


def subprocess_pipe(n):
    prog = program("cat")
    data = b"x" * PIPE_SIZE

    async def main():
        t0 = time.perf_counter_ns()
        for _ in range(n):
            proc = await asyncio.create_subprocess_exec(
                prog, stdin=PIPE, stdout=PIPE, stderr=DEVNULL
            )
            out, _ = await proc.communicate(data)
            _harness.check(len(out) == PIPE_SIZE, f"communicate() = {len(out)} bytes, want {PIPE_SIZE}")
        return time.perf_counter_ns() - t0

    return asyncio.run(main())


def main():
    args = _harness.parse_args(__doc__.splitlines()[0])
    _harness.measure(args, "SubprocessRun", subprocess_run)
    _harness.measure(args, "SubprocessPipe", subprocess_pipe)


if __name__ == "__main__":
    main()
