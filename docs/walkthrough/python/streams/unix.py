import asyncio
import os
import tempfile


async def line_echo(reader, writer):
    while line := await reader.readline():
        writer.write(line)
        await writer.drain()
    writer.close()


async def talk(reader, writer, *lines):
    for line in lines:
        writer.write(f"{line}\n".encode())
        answer = await reader.readline()
        print("echo:", answer.decode(), end="")
    writer.close()
    await writer.wait_closed()


with tempfile.TemporaryDirectory() as dir:
    # snippet: unix
    path = os.path.join(dir, "echo.sock")

    async def main():
        server = await asyncio.start_unix_server(line_echo, path)
        reader, writer = await asyncio.open_unix_connection(path)
        await talk(reader, writer, "hello over a Unix socket", "bye")
        server.close()
        await server.wait_closed()

    asyncio.run(main())
    # end snippet
