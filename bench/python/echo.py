"""CPython counterpart of bench/echo_test.go: a TCP echo over loopback with
asyncio streams.

    python3 bench/python/echo.py [--quick]

Workload (one JSON line, see _harness.py):

  EchoRoundTrip  one round trip of a 64-byte message: the client task's
                 writer.write, drain and reader.readexactly; the server
                 task's reader.read, writer.write and drain; server and
                 client are tasks of one asyncio loop, as in Go's
                 EchoRoundTrip. Connecting and closing are not timed.
"""

import sys

sys.dont_write_bytecode = True

import asyncio  # noqa: E402
import time  # noqa: E402

import _harness  # noqa: E402

ECHO_SIZE = 64


def echo_round_trip(n):
    msg = b"x" * ECHO_SIZE

    async def serve(reader, writer):
        while True:
            data = await reader.read(64 << 10)
            if not data:
                break
            writer.write(data)
            await writer.drain()
        writer.close()

    async def main():
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        t0 = time.perf_counter_ns()
        for _ in range(n):
            writer.write(msg)
            await writer.drain()
            got = await reader.readexactly(ECHO_SIZE)
            if got != msg:
                _harness.check(False, f"echo = {got!r}, want {msg!r}")
        elapsed = time.perf_counter_ns() - t0
        writer.close()
        await writer.wait_closed()
        server.close()
        await server.wait_closed()
        return elapsed

    return asyncio.run(main())


def main():
    args = _harness.parse_args(__doc__.splitlines()[0])
    _harness.measure(args, "EchoRoundTrip", echo_round_trip)


if __name__ == "__main__":
    main()
