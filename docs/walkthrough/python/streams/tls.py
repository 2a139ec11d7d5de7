import asyncio
import os
import ssl
import subprocess
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


# snippet: self-signed
def self_signed(host, dir):
    """Makes a certificate for host, signed by its own key (with the openssl
    command: Python's ssl module cannot make one), and returns a server
    context that presents it and a client context that trusts it."""
    cert, key = os.path.join(dir, "cert.pem"), os.path.join(dir, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-days", "1", "-subj", f"/CN={host}", "-addext", f"subjectAltName=DNS:{host}",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert, key)
    client = ssl.create_default_context(cafile=cert)
    return server, client
# end snippet


with tempfile.TemporaryDirectory() as dir:
    server_context, client_context = self_signed("localhost", dir)

    # snippet: tls
    async def main():
        server = await asyncio.start_server(line_echo, "127.0.0.1", 0, ssl=server_context)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port,
                                                       ssl=client_context, server_hostname="localhost")
        print("TLS version:", writer.get_extra_info("ssl_object").version().removeprefix("TLSv"))
        cert = writer.get_extra_info("peercert")
        print("server certificate for:", dict(field[0] for field in cert["subject"])["commonName"])
        await talk(reader, writer, "hello over TLS", "bye")
        server.close()
        await server.wait_closed()

    asyncio.run(main())
    # end snippet
