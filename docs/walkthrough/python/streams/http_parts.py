import asyncio


# snippet: slow-page
async def slow_page(reader, writer):
    request = await reader.readuntil(b"\r\n\r\n")  # the request line and the headers
    path = request.split()[1].decode()  # GET /1 HTTP/1.0
    await asyncio.sleep(1)  # a slow backend
    body = f"this is page {path}"
    writer.write(f"HTTP/1.0 200 OK\r\nContent-Length: {len(body)}\r\n\r\n{body}".encode())
    await writer.drain()
    writer.close()
    await writer.wait_closed()
# end snippet


# snippet: fetch
async def fetch(port, path):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    response = await reader.read()  # HTTP/1.0: the server closes when it is done
    writer.close()
    await writer.wait_closed()
    head, _, body = response.partition(b"\r\n\r\n")
    return body.decode()
# end snippet
