"""CPython counterpart of bench/connmem_test.go: what an idle connection costs.

  ConnMemory   bytes per idle server-side connection (bytes_per_conn): 10,000
               clients (fewer if the hard limit of open files is under
               20,100, or 2,000 with --quick; the conns field says how many)
               connect to an asyncio.start_server, each sends one byte, its
               handler reads it with readexactly(1) and waits in read(1).
               The clients are bare descriptors, connected from a thread and
               kept as ints in an array made beforehand, so that nothing of
               theirs is traced. Measured with tracemalloc: the growth of
               the memory traced after a gc.collect(), from before the first
               connection to the moment every handler waits. It counts what
               Python allocates for the socket object, the transport, the
               protocol, the StreamReader and StreamWriter, the handler's
               task and its coroutine, and the selector's key; not
               pymalloc's arena overhead, nor the kernel's socket. Go's
               ConnMemory.
"""

import sys

sys.dont_write_bytecode = True

import array  # noqa: E402
import asyncio  # noqa: E402
import gc  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import tracemalloc  # noqa: E402

import _harness  # noqa: E402

CONN_WANT = 10_000
QUICK_CONNS = 2_000  # --quick: a rough figure, in a second
SPARE_FILES = 100  # this process's own files, the listener, the selector


def conn_count():
    """Raises the soft limit of open files as far as the hard limit allows
    and returns how many connections fit, at most CONN_WANT: each takes two
    descriptors, the client's and the server's."""
    soft = _harness.raise_open_files(2 * CONN_WANT + SPARE_FILES)
    return min(CONN_WANT, (soft - SPARE_FILES) // 2)


def dial(port, fds):
    """Connects len(fds) bare sockets to 127.0.0.1:port, writes one byte on
    each and keeps its descriptor in fds."""
    for i in range(len(fds)):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"\x01")
        fds[i] = s.detach()


def conn_memory(n):
    async def main():
        loop = asyncio.get_running_loop()
        all_idle = loop.create_future()
        all_done = loop.create_future()
        idle = done = 0

        # One handler for every connection: nothing is held per connection
        # but what the server itself holds.
        async def handler(reader, writer):
            nonlocal idle, done
            try:
                await reader.readexactly(1)
                idle += 1
                if idle == n:
                    all_idle.set_result(None)
                await reader.read(1)  # b"" once the client closes
                writer.close()
            finally:
                done += 1
                if done == n:
                    all_done.set_result(None)

        # A backlog as deep as the clients: with asyncio's default of 100
        # a connect that finds it full waits a second for the retry.
        server = await asyncio.start_server(handler, "127.0.0.1", 0, backlog=n)
        port = server.sockets[0].getsockname()[1]
        fds = array.array("i", [-1]) * n
        try:
            gc.collect()
            before = tracemalloc.get_traced_memory()[0]
            await loop.run_in_executor(None, dial, port, fds)
            await all_idle
            gc.collect()
            after = tracemalloc.get_traced_memory()[0]
        finally:
            for fd in fds:
                if fd >= 0:
                    os.close(fd)
        await all_done
        server.close()
        await server.wait_closed()
        return (after - before) / n

    return asyncio.run(main())


def main():
    args = _harness.parse_args(__doc__.splitlines()[0])
    if args.only and args.only not in "ConnMemory":
        return
    n = conn_count()
    if args.quick:
        n = min(n, QUICK_CONNS)
    tracemalloc.start()
    try:
        per_conn = conn_memory(n)
    finally:
        tracemalloc.stop()
    _harness.emit("ConnMemory", bytes_per_conn=per_conn, conns=n, method="tracemalloc")


if __name__ == "__main__":
    main()
