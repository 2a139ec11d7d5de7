import asyncio

from http_parts import fetch, slow_page


# snippet: gathered
async def main():
    loop = asyncio.get_running_loop()
    server = await asyncio.start_server(slow_page, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        paths = ["/1", "/2", "/3"]
        start = loop.time()
        bodies = await asyncio.gather(*(fetch(port, path) for path in paths))
        for path, body in zip(paths, bodies):
            print("GET", path, "->", body)
        print(len(paths), "responses after", f"{round(loop.time() - start)}s")


asyncio.run(main())
# end snippet
