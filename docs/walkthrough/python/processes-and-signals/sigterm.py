import asyncio
import os
import signal


# snippet: sigterm-handler
def upper(working):
    async def handle(reader, writer):
        line = await reader.readline()
        print("handler: working on", line.strip().decode())
        working.set()
        await asyncio.sleep(1)
        writer.write(line.upper())
        await writer.drain()
        print("handler: done")
        writer.close()
        await writer.wait_closed()

    return handle
# end snippet


# snippet: sigterm-client
async def shout(port, line):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(line.encode() + b"\n")
    answer = await reader.readline()
    print("client: got", answer.strip().decode())
    writer.close()
    await writer.wait_closed()
# end snippet


# snippet: sigterm-main
async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)

    working = asyncio.Event()
    server = await asyncio.start_server(upper(working), "127.0.0.1", 0)
    print("main: serving; waiting for SIGTERM")
    port = server.sockets[0].getsockname()[1]
    request = asyncio.create_task(shout(port, "hello"))

    async def operator():
        await working.wait()
        print("operator: kill -TERM")
        os.kill(os.getpid(), signal.SIGTERM)

    asyncio.create_task(operator())

    await stop.wait()
    loop.remove_signal_handler(signal.SIGTERM)  # a second SIGTERM ends the process
    print("main: SIGTERM: no new connections; finishing the one in flight")
    server.close()
    await server.wait_closed()
    await request
    print(f"main: bye, after {round(loop.time() - start)}s")


asyncio.run(main())
# end snippet
