import asyncio


# snippet: datagrams
class Upper(asyncio.DatagramProtocol):
    """Answers every datagram with its text in capitals."""

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.transport.sendto(data.upper(), addr)


class Client(asyncio.DatagramProtocol):
    """Queues the answers, for main to await."""

    def __init__(self):
        self.answers = asyncio.Queue()

    def datagram_received(self, data, addr):
        self.answers.put_nowait(data)


async def main():
    loop = asyncio.get_running_loop()
    server, _ = await loop.create_datagram_endpoint(
        Upper, local_addr=("127.0.0.1", 0))

    port = server.get_extra_info("sockname")[1]
    client, protocol = await loop.create_datagram_endpoint(
        Client, remote_addr=("127.0.0.1", port))
    for word in ["one", "two", "three"]:
        client.sendto(word.encode())  # to the remote address
        answer = await protocol.answers.get()
        print(word, "->", answer.decode())
    client.close()
    server.close()


asyncio.run(main())
# end snippet
