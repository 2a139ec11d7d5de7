import asyncio

connections, echoed = 0, 0


# snippet: echo-server
async def echo(reader, writer):
    global connections, echoed
    connections += 1
    while line := await reader.readline():  # b"" at the end of the stream
        echoed += 1
        writer.write(line)
        await writer.drain()
    writer.close()
    await writer.wait_closed()
# end snippet


# snippet: echo-client
async def client(port, name, lines):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    answers = []
    for line in lines:
        await asyncio.sleep(1)  # typing
        writer.write(f"{name}: {line}\n".encode())
        await writer.drain()
        answer = await reader.readline()
        answers.append(answer.decode().rstrip("\n"))
    writer.close()
    await writer.wait_closed()
    return answers
# end snippet


# snippet: echo-main
async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    server = await asyncio.start_server(echo, "127.0.0.1", 0)  # port 0: any free port
    port = server.sockets[0].getsockname()[1]
    async with server:
        results = await asyncio.gather(
            client(port, "ann", ["hello", "how are you?"]),
            client(port, "ben", ["hi"]),
            client(port, "cat", ["good morning", "nice day", "bye"]),
        )
    for answers in results:
        for answer in answers:
            print(answer)
    print("the server served", connections, "connections and echoed", echoed, "lines in", f"{round(loop.time() - start)}s")


asyncio.run(main())
# end snippet
