"""A small web crawler, and the site it crawls.

The crawler fetches pages over HTTP/1.0, a few at a time, follows the
links it finds, gives up on a page that takes too long, and prints what
it found. The site is a tiny server in the same program, with a page that
is too slow and a link to a page that is missing. main.go beside this file
is the same program in Go; main_test.go runs both and compares what they
print.
"""

import asyncio
import re

LINK = re.compile(rb'href="(/[^"]*)"')

# The site: each page and the pages it links to.
PAGES = {
    "/": ["/about", "/blog", "/shop"],
    "/about": ["/", "/team"],
    "/team": ["/about"],
    "/blog": ["/blog/1", "/blog/2", "/archive"],
    "/blog/1": ["/blog/2", "/"],
    "/blog/2": ["/blog/1", "/missing"],
    "/archive": [],
    "/shop": ["/shop/cart"],
    "/shop/cart": ["/shop"],
}
SLOW = {"/archive": 5.0}  # seconds to answer; the others take 0.1


async def serve_page(reader, writer):
    try:
        request = await reader.readline()  # GET /path HTTP/1.0
        while (await reader.readline()).strip():  # the headers, up to a blank line
            pass
        path = request.split()[1].decode()
        await asyncio.sleep(SLOW.get(path, 0.1))
        if path in PAGES:
            body = "".join(f'<a href="{p}">{p}</a>\n' for p in PAGES[path])
            writer.write(b"HTTP/1.0 200 OK\r\n\r\n" + body.encode())
        else:
            writer.write(b"HTTP/1.0 404 Not Found\r\n\r\n")
        await writer.drain()
    except ConnectionError:
        pass  # the crawler gave up on us
    finally:
        writer.close()


async def fetch(port, path):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(f"GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode())
        await writer.drain()
        status = int((await reader.readline()).split()[1])
        while (await reader.readline()).strip():
            pass
        return status, await reader.read()
    finally:
        writer.close()


class Crawler:
    def __init__(self, port, workers, timeout):
        self.port = port
        self.workers = workers
        self.timeout = timeout
        self.queue = asyncio.Queue()
        self.seen = set()
        self.results = {}

    def add(self, path):
        if path not in self.seen:
            self.seen.add(path)
            self.queue.put_nowait(path)

    # snippet: work
    async def work(self):
        while True:
            path = await self.queue.get()
            try:
                status, body = await asyncio.wait_for(fetch(self.port, path), self.timeout)
            except TimeoutError:
                self.results[path] = "timed out"
            except OSError as e:
                self.results[path] = f"failed: {e}"
            else:
                links = [link.decode() for link in LINK.findall(body)]
                self.results[path] = f"{status}, {len(links)} links"
                for link in links:
                    self.add(link)
            finally:
                self.queue.task_done()

    async def crawl(self, root):
        self.add(root)
        workers = [asyncio.create_task(self.work()) for _ in range(self.workers)]
        try:
            await self.queue.join()
        finally:
            for w in workers:
                w.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
        return self.results
    # end snippet


async def main():
    in_flight = set()  # the server's handlers, until they end

    async def handle(reader, writer):
        task = asyncio.current_task()
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
        await serve_page(reader, writer)

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        results = await Crawler(port, workers=3, timeout=2).crawl("/")
        elapsed = loop.time() - start
    finally:
        server.close()
        await asyncio.gather(*in_flight)  # wait_closed does this since 3.12
    for path in sorted(results):
        print(f"{path:12} {results[path]}")
    print(f"{len(results)} pages in {round(elapsed)}s")


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        print("interrupted")
