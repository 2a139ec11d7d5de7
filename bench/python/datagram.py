"""CPython counterpart of bench/datagram_test.go: a UDP ping-pong over
loopback with asyncio datagram endpoints.

    python3 bench/python/datagram.py [--quick]

Workload (one JSON line, see _harness.py):

  DatagramRoundTrip  one round trip of a 64-byte datagram: the client's
                     transport.sendto and the await of a future that its
                     protocol's datagram_received resolves; the server
                     protocol's datagram_received, which sends it back;
                     both endpoints on one asyncio loop, as in Go's
                     DatagramRoundTrip. Creating and closing are not timed.
"""

import sys

sys.dont_write_bytecode = True

import asyncio  # noqa: E402
import time  # noqa: E402

import _harness  # noqa: E402

ECHO_SIZE = 64


class Echo(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.transport.sendto(data, addr)


class Client(asyncio.DatagramProtocol):
    def __init__(self):
        self.waiter = None

    def datagram_received(self, data, addr):
        self.waiter.set_result(data)


def datagram_round_trip(n):
    msg = b"x" * ECHO_SIZE

    async def main():
        loop = asyncio.get_running_loop()
        server, _ = await loop.create_datagram_endpoint(Echo, local_addr=("127.0.0.1", 0))
        port = server.get_extra_info("sockname")[1]
        client, proto = await loop.create_datagram_endpoint(Client, remote_addr=("127.0.0.1", port))
        t0 = time.perf_counter_ns()
        for _ in range(n):
            proto.waiter = loop.create_future()
            client.sendto(msg)
            got = await proto.waiter
            if got != msg:
                _harness.check(False, f"echo = {got!r}, want {msg!r}")
        elapsed = time.perf_counter_ns() - t0
        client.close()
        server.close()
        return elapsed

    return asyncio.run(main())


def main():
    args = _harness.parse_args(__doc__.splitlines()[0])
    _harness.measure(args, "DatagramRoundTrip", datagram_round_trip)


if __name__ == "__main__":
    main()
