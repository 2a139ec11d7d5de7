package asyncio_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"os"
	"path/filepath"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// A server on a Unix domain socket, and a client of it:
//
//	server = await asyncio.start_unix_server(handle, path)
//	reader, writer = await asyncio.open_unix_connection(path)
func ExampleStartUnixServer() {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "greeter.sock")
	greet := func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
		name, err := r.ReadLine(a)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "hello, %s", name)
		return w.Drain(a)
	}
	_, err = asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		server, err := asyncio.StartUnixServer(a, greet, path)
		if err != nil {
			return struct{}{}, err
		}
		r, w, err := asyncio.OpenUnixConnection(a, path)
		if err != nil {
			return struct{}{}, err
		}
		fmt.Fprintln(w, "unix")
		answer, err := r.ReadLine(a)
		if err != nil {
			return struct{}{}, err
		}
		fmt.Print(string(answer))
		w.Close()
		server.Close()
		if err := server.WaitClosed(a); err != nil {
			return struct{}{}, err
		}
		_, err = os.Stat(path)
		fmt.Println("socket file left:", err == nil)
		return struct{}{}, nil
	}))
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// hello, unix
	// socket file left: false
}

// A STARTTLS exchange, as SMTP's: a greeting in the clear, then both ends
// upgrade the same connection to TLS and go on with the same reader and
// writer. exampleTLS stands for the program's own certificates.
func ExampleStreamWriter_StartTLS() {
	serverConfig, clientConfig := exampleTLS()
	handler := func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
		fmt.Fprint(w, "220 ready for TLS\n")
		if err := w.StartTLS(a, serverConfig); err != nil {
			return err
		}
		line, err := r.ReadLine(a)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "encrypted: %s", line)
		return w.Drain(a)
	}
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		server, err := asyncio.StartServer(a, handler, "127.0.0.1", 0)
		if err != nil {
			return struct{}{}, err
		}
		r, w, err := asyncio.OpenConnection(a, "127.0.0.1", server.Addr().Port)
		if err != nil {
			return struct{}{}, err
		}
		greeting, err := r.ReadLine(a)
		if err != nil {
			return struct{}{}, err
		}
		fmt.Print(string(greeting))
		if err := w.StartTLS(a, clientConfig, asyncio.WithServerHostname("localhost")); err != nil {
			return struct{}{}, err
		}
		info := w.ExtraInfo()
		fmt.Println(tls.VersionName(info.TLS.Version), "with", info.PeerCertificate.Subject.CommonName)
		fmt.Fprintln(w, "hello")
		answer, err := r.ReadLine(a)
		if err != nil {
			return struct{}{}, err
		}
		fmt.Print(string(answer))
		w.Close()
		server.Close()
		return struct{}{}, server.WaitClosed(a)
	}))
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// 220 ready for TLS
	// TLS 1.3 with localhost
	// encrypted: hello
}

// exampleTLS returns the configurations of a TLS server with a certificate
// for localhost and of a client that trusts it (made by the tests'
// certificate authority).
func exampleTLS() (server, client *tls.Config) {
	p, err := newTestPKI()
	if err != nil {
		panic(err)
	}
	return p.serverConfig(), p.clientConfig()
}
