import asyncio
import multiprocessing
import socket


# snippet: loops
LOOPS = 2  # os.cpu_count() in a real server


def serve(port, ports, served, stop):  # one loop, in a process of its own
    async def hello(reader, writer):
        with served.get_lock():  # shared by the processes
            served.value += 1
        writer.write(b"hello\n")
        await writer.drain()
        writer.close()

    async def main():
        server = await asyncio.start_server(hello, "127.0.0.1", port, reuse_port=True)
        ports.put(server.sockets[0].getsockname()[1])
        async with server:
            await asyncio.to_thread(stop.wait)

    asyncio.run(main())


if __name__ == "__main__":
    ports, served, stop = multiprocessing.Queue(), multiprocessing.Value("i"), multiprocessing.Event()
    port, processes = 0, []
    for i in range(LOOPS):
        p = multiprocessing.Process(target=serve, args=(port, ports, served, stop))
        p.start()  # the first loop picks a free port, the others listen on it too
        processes.append(p)
        picked = ports.get()
        if i == 0:
            port = picked

    for _ in range(10):  # ten clients, in plain Python
        with socket.create_connection(("127.0.0.1", port)) as c:
            while c.recv(100):
                pass
    stop.set()
    for p in processes:
        p.join()
    print(LOOPS, "loops served", served.value, "clients on one port")
# end snippet
