"""CPython counterpart of bench/echo_test.go, echotls_test.go and
throughput_test.go: an echo over loopback TCP and over a Unix socket with
asyncio streams, with one connection and with 1,000 at once.

    python3 bench/python/echo.py [--quick]

Workloads (one JSON line each, see _harness.py):

  EchoRoundTrip  one round trip of a 64-byte message: the client task's
                 writer.write, drain and reader.readexactly; the server
                 task's reader.read, writer.write and drain; server and
                 client are tasks of one asyncio loop, as in Go's
                 EchoRoundTrip. Connecting and closing are not timed.
  UnixEchoRoundTrip  the same over a Unix domain socket in a temporary
                 directory (start_unix_server, open_unix_connection).
  EchoThroughput/clients=1000  one 64-byte round trip among 1,000
                 connections doing round trips at once, as in Go's
                 EchoThroughput: a task per client connection doing its
                 share of the n round trips (the same exchange as
                 EchoRoundTrip's), the server's handler tasks echoing,
                 all on one asyncio loop. Connecting, a first untimed round
                 trip on every connection (so that every connection is
                 accepted and its handler running) and closing are not
                 timed. The connections are made once, at the first call,
                 and kept for the calls that follow, where Go makes them
                 again for each b.N; --quick keeps the 1,000 clients, as
                 Go's quick run does, and every reported call does at
                 least one round trip per client.
                 The figure depends on the heap this process has: each
                 recv of asyncio's socket transport asks malloc for 256 KiB
                 (max_size) and shrinks it to what came. Run after
                 EchoRoundTrip, as here, glibc takes those buffers from its
                 heap (about 25 µs a round trip on the two-vCPU development
                 machine); run alone (--only EchoThroughput) in a fresh
                 process it maps and unmaps each one (mmap, mremap, munmap,
                 four page faults a round trip), which makes the round
                 trip two to three times slower. compare runs the whole
                 program, so it reports the faster figure, the harder one
                 for Go's target.
"""

import sys

sys.dont_write_bytecode = True

import asyncio  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import _harness  # noqa: E402

ECHO_SIZE = 64

# The connections of EchoThroughput, as throughputClients in Go.
THROUGHPUT_CLIENTS = 1000
# The open files EchoThroughput needs besides its two per connection: this
# process's own, the listener, the selector.
SPARE_FILES = 100


async def serve(reader, writer):
    """The echo server's handler: echoes what it reads until EOF."""
    while True:
        data = await reader.read(64 << 10)
        if not data:
            break
        writer.write(data)
        await writer.drain()
    writer.close()


def echo_round_trip(n, unix=False):
    msg = b"x" * ECHO_SIZE

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


async def round_trips(conns, msg, counts):
    """Runs a task per connection that does counts[i] round trips on
    connection i, and waits for them all: Go's roundTrips."""

    async def client(reader, writer, n):
        for _ in range(n):
            writer.write(msg)
            await writer.drain()
            got = await reader.readexactly(len(msg))
            if got != msg:
                _harness.check(False, f"echo = {got!r}, want {msg!r}")

    tasks = [asyncio.create_task(client(r, w, k)) for (r, w), k in zip(conns, counts) if k > 0]
    for t in tasks:
        await t


class EchoThroughput:
    """EchoThroughput's loop, server and client connections, made by the
    first call of run and kept until close."""

    def __init__(self, clients):
        self.clients = clients
        self.msg = b"x" * ECHO_SIZE
        self.loop = None
        self.server = None
        self.conns = []

    async def connect(self):
        # A backlog as deep as the clients, as Go's (the kernel's maximum):
        # with asyncio's default of 100 a connect that finds the queue full
        # waits a second for the retry.
        self.server = await asyncio.start_server(serve, "127.0.0.1", 0, backlog=self.clients)
        port = self.server.sockets[0].getsockname()[1]
        for _ in range(self.clients):
            self.conns.append(await asyncio.open_connection("127.0.0.1", port))
        await round_trips(self.conns, self.msg, [1] * self.clients)

    async def timed(self, n):
        counts = [_harness.share(n, self.clients, i) for i in range(self.clients)]
        t0 = time.perf_counter_ns()
        await round_trips(self.conns, self.msg, counts)
        return time.perf_counter_ns() - t0

    def run(self, n):
        """Does n round trips shared out over the clients and returns the
        nanoseconds they took."""
        if self.loop is None:
            soft = _harness.raise_open_files(2 * self.clients + SPARE_FILES)
            _harness.check(
                soft >= 2 * self.clients + SPARE_FILES,
                f"EchoThroughput needs {2 * self.clients + SPARE_FILES} open files, the limit is {soft}",
            )
            self.loop = asyncio.new_event_loop()
            self.loop.run_until_complete(self.connect())
        return self.loop.run_until_complete(self.timed(n))

    def close(self):
        if self.loop is None:
            return
        self.loop.run_until_complete(self.disconnect())
        self.loop.close()

    async def disconnect(self):
        for _, w in self.conns:
            w.close()
        for _, w in self.conns:
            await w.wait_closed()
        self.server.close()
        await self.server.wait_closed()


def main():
    args = _harness.parse_args(__doc__.splitlines()[0])
    _harness.measure(args, "EchoRoundTrip", echo_round_trip)
    _harness.measure(args, "UnixEchoRoundTrip", lambda n: echo_round_trip(n, unix=True))
    throughput = EchoThroughput(THROUGHPUT_CLIENTS)
    try:
        _harness.measure(
            args, f"EchoThroughput/clients={THROUGHPUT_CLIENTS}", throughput.run, start=THROUGHPUT_CLIENTS
        )
    finally:
        throughput.close()


if __name__ == "__main__":
    main()
