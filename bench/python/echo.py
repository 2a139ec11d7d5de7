"""CPython counterpart of bench/echo_test.go and echotls_test.go: an echo
over loopback TCP and over a Unix socket with asyncio streams.

    python3 bench/python/echo.py [--quick]

Workload (one JSON line, see _harness.py):

  EchoRoundTrip  one round trip of a 64-byte message: the client task's
                 writer.write, drain and reader.readexactly; the server
                 task's reader.read, writer.write and drain; server and
                 client are tasks of one asyncio loop, as in Go's
                 EchoRoundTrip. Connecting and closing are not timed.
  UnixEchoRoundTrip  the same over a Unix domain socket in a temporary
                 directory (start_unix_server, open_unix_connection).
"""

import sys

sys.dont_write_bytecode = True

import asyncio  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import _harness  # noqa: E402

ECHO_SIZE = 64


def echo_round_trip(n, unix=False):
    msg = b"x" * ECHO_SIZE

    async def serve(reader, writer):
        while True:
            data = await reader.read(64 << 10)
            if not data:
                break
            writer.write(data)
            await writer.drain()
        writer.close()

    async def main(path):
        if unix:
            server = await asyncio.start_unix_server(serve, path)
            reader, writer = await asyncio.open_unix_connection(path)
        else:
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

    with tempfile.TemporaryDirectory(prefix="aio") as d:
        return asyncio.run(main(os.path.join(d, "s")))


def main():
    args = _harness.parse_args(__doc__.splitlines()[0])
    _harness.measure(args, "EchoRoundTrip", echo_round_trip)
    _harness.measure(args, "UnixEchoRoundTrip", lambda n: echo_round_trip(n, unix=True))


if __name__ == "__main__":
    main()
