//go:build unix

// CPython's asyncio has Unix sockets only on Unix.

package asyncio_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// The tests of this file run a CPython asyncio peer against ours, where
// python3 is on the PATH: a CPython client against our server and a
// CPython server against our client, over TCP, TLS, a Unix socket, TLS
// over a Unix socket, and a STARTTLS upgrade (StartTLS against Python
// 3.11's writer.start_tls). Each side echoes lines and checks every one.

// interopPeer is the CPython side: python3 -c interopPeer ROLE KIND ADDR
// CAFILE CERTFILE KEYFILE, where ROLE is client or server, KIND one of
// tcp, tls, unix, tls-unix, starttls, and ADDR a port (a client's) or a
// socket path. A server prints its port (or "ready") on a line once it
// listens, serves one client, and exits; a client prints "ok" once every
// line came back.
const interopPeer = `
import asyncio, ssl, sys

role, kind, addr, cafile, certfile, keyfile = sys.argv[1:7]
LINES = 50

def client_ctx():
    return ssl.create_default_context(cafile=cafile)

def server_ctx():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(certfile, keyfile)
    return ctx

async def client():
    tls = kind in ("tls", "tls-unix")
    ctx = client_ctx() if tls else None
    if kind.endswith("unix"):
        r, w = await asyncio.open_unix_connection(addr, ssl=ctx, server_hostname="localhost" if tls else None)
    else:
        r, w = await asyncio.open_connection("127.0.0.1", int(addr), ssl=ctx, server_hostname="localhost" if tls else None)
    if kind == "starttls":
        assert await r.readline() == b"220 ready\n"
        w.write(b"STARTTLS\n")
        assert await r.readline() == b"220 go ahead\n"
        await w.start_tls(client_ctx(), server_hostname="localhost")
    if tls or kind == "starttls":
        cert = w.get_extra_info("peercert")
        assert cert and dict(x[0] for x in cert["subject"])["commonName"] == "localhost", cert
    for i in range(LINES):
        line = f"python line {i} ".encode() + b"p" * (i * 7 % 300) + b"\n"
        w.write(line)
        await w.drain()
        got = await r.readline()
        assert got == line, (got, line)
    w.close()
    await w.wait_closed()
    print("ok", flush=True)

async def server():
    done = asyncio.Event()
    async def handle(r, w):
        try:
            if kind == "starttls":
                w.write(b"220 ready\n")
                assert await r.readline() == b"STARTTLS\n"
                w.write(b"220 go ahead\n")
                await w.drain()
                await w.start_tls(server_ctx())
            while line := await r.readline():
                w.write(line)
                await w.drain()
            w.close()
        finally:
            done.set()
    tls = kind in ("tls", "tls-unix")
    ctx = server_ctx() if tls else None
    if kind.endswith("unix"):
        srv = await asyncio.start_unix_server(handle, addr, ssl=ctx)
        print("ready", flush=True)
    else:
        srv = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=ctx)
        print(srv.sockets[0].getsockname()[1], flush=True)
    await done.wait()
    srv.close()
    await srv.wait_closed()

asyncio.run(client() if role == "client" else server())
`

// interopKinds are the connections the interop tests try.
var interopKinds = []string{"tcp", "tls", "unix", "tls-unix", "starttls"}

// interopFiles writes the test PKI's CA, certificate and key as PEM files
// for CPython, and returns their paths.
func interopFiles(t *testing.T) (ca, cert, key string) {
	p := testCerts(t)
	dir := t.TempDir()
	ca, cert, key = filepath.Join(dir, "ca.pem"), filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	for path, data := range map[string][]byte{ca: p.caPEM, cert: p.serverPEM, key: p.serverKeyPEM} {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return ca, cert, key
}

// interopLine is line i of our side's echo.
func interopLine(i int) string {
	return fmt.Sprintf("go line %d %s\n", i, strings.Repeat("g", i*11%300))
}

// TestInteropCPythonClient runs a CPython asyncio client against our
// server, for each kind of connection.
func TestInteropCPythonClient(t *testing.T) {
	py := python3(t)
	ca, cert, key := interopFiles(t)
	p := testCerts(t)
	for _, kind := range interopKinds {
		t.Run(kind, func(t *testing.T) {
			defer streamLeakCheck(t)()
			path := unixPath(t)
			streamRun(t, func(a *asyncio.A) error {
				var opts []asyncio.StreamOption
				if strings.HasPrefix(kind, "tls") {
					opts = append(opts, asyncio.WithTLS(p.serverConfig()))
				}
				handler := echoHandler
				if kind == "starttls" {
					handler = func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
						fmt.Fprint(w, "220 ready\n")
						if line, err := r.ReadLine(a); err != nil || string(line) != "STARTTLS\n" {
							return fmt.Errorf("got %q, %v, want STARTTLS", line, err)
						}
						fmt.Fprint(w, "220 go ahead\n")
						if err := w.StartTLS(a, p.serverConfig()); err != nil {
							return err
						}
						return echoHandler(a, r, w)
					}
				}
				var srv *asyncio.Server
				var err error
				addr := path
				if strings.HasSuffix(kind, "unix") {
					srv, err = asyncio.StartUnixServer(a, handler, path, opts...)
				} else {
					srv, err = asyncio.StartServer(a, handler, "127.0.0.1", 0, opts...)
					if srv != nil {
						addr = strconv.Itoa(srv.Addr().Port)
					}
				}
				if err != nil {
					return err
				}
				out, err := asyncio.ToThread(a, func(ctx context.Context) ([]byte, error) {
					ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
					defer cancel()
					return exec.CommandContext(ctx, py, "-c", interopPeer, "client", kind, addr, ca, cert, key).CombinedOutput()
				})
				if err != nil || strings.TrimSpace(string(out)) != "ok" {
					t.Errorf("CPython client: %v\n%s", err, out)
				}
				return closeServer(a, srv)
			})
		})
	}
}

// TestInteropCPythonServer runs our client against a CPython asyncio
// server, for each kind of connection.
func TestInteropCPythonServer(t *testing.T) {
	ca, cert, key := interopFiles(t)
	p := testCerts(t)
	for _, kind := range interopKinds {
		t.Run(kind, func(t *testing.T) {
			path := unixPath(t)
			first := pythonPeer(t, interopPeer, "server", kind, path, ca, cert, key)
			defer streamLeakCheck(t)()
			streamRun(t, func(a *asyncio.A) error {
				var opts []asyncio.StreamOption
				if strings.HasPrefix(kind, "tls") {
					opts = append(opts, asyncio.WithTLS(p.clientConfig()), asyncio.WithServerHostname("localhost"))
				}
				var r *asyncio.StreamReader
				var w *asyncio.StreamWriter
				var err error
				if strings.HasSuffix(kind, "unix") {
					r, w, err = asyncio.OpenUnixConnection(a, path, opts...)
				} else {
					port, perr := strconv.Atoi(first)
					if perr != nil {
						return fmt.Errorf("CPython server's port %q: %w", first, perr)
					}
					r, w, err = asyncio.OpenConnection(a, "127.0.0.1", port, opts...)
				}
				if err != nil {
					return err
				}
				defer w.Close()
				if kind == "starttls" {
					for _, want := range []string{"220 ready\n", "220 go ahead\n"} {
						if want == "220 go ahead\n" {
							w.WriteString("STARTTLS\n")
						}
						if line, err := r.ReadLine(a); string(line) != want || err != nil {
							return fmt.Errorf("got %q, %v, want %q", line, err, want)
						}
					}
					if err := w.StartTLS(a, p.clientConfig(), asyncio.WithServerHostname("localhost")); err != nil {
						return err
					}
				}
				if kind != "tcp" && kind != "unix" {
					if info := w.ExtraInfo(); info.PeerCertificate == nil || info.PeerCertificate.Subject.CommonName != "localhost" {
						t.Errorf("ExtraInfo() = %+v, want the CPython server's certificate", info)
					}
				}
				for i := range 50 {
					w.WriteString(interopLine(i))
					if err := w.Drain(a); err != nil {
						return err
					}
					if line, err := r.ReadLine(a); string(line) != interopLine(i) || err != nil {
						return fmt.Errorf("line %d: got %q, %v, want %q", i, line, err, interopLine(i))
					}
				}
				w.Close()
				return w.WaitClosed(a)
			})
		})
	}
}
