package bench_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// The benchmarks of this file are EchoRoundTrip over the other streams:
// TLSEchoRoundTrip over TLS 1.3 on loopback TCP, UnixEchoRoundTrip over a
// Unix domain socket, each against the same echo done with goroutines and
// crypto/tls or package net directly. The handshake, like connecting and
// closing, is not timed.

// BenchmarkTLSEchoRoundTrip is EchoRoundTrip over one TLS 1.3 connection:
// the same tasks, with the record layer's encryption on each side's
// goroutines.
func BenchmarkTLSEchoRoundTrip(b *testing.B) {
	server, client := benchTLSConfigs(b)
	benchEchoStreams(b, func(a *asyncio.A, h echoHandler) (*asyncio.Server, error) {
		return asyncio.StartServer(a, h, "127.0.0.1", 0, asyncio.WithTLS(server))
	}, func(a *asyncio.A, srv *asyncio.Server) (*asyncio.StreamReader, *asyncio.StreamWriter, error) {
		return asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port, asyncio.WithTLS(client))
	})
}

// BenchmarkTLSEchoRoundTripGoroutines is TLSEchoRoundTrip's baseline: the
// same echo with crypto/tls's Listen and Dial and a goroutine on each side.
func BenchmarkTLSEchoRoundTripGoroutines(b *testing.B) {
	server, client := benchTLSConfigs(b)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", server)
	if err != nil {
		b.Fatal(err)
	}
	benchEchoGoroutines(b, ln, func() (net.Conn, error) { return tls.Dial("tcp", ln.Addr().String(), client) })
}

// BenchmarkUnixEchoRoundTrip is EchoRoundTrip over a Unix domain socket.
func BenchmarkUnixEchoRoundTrip(b *testing.B) {
	path := benchSocketPath(b)
	benchEchoStreams(b, func(a *asyncio.A, h echoHandler) (*asyncio.Server, error) {
		return asyncio.StartUnixServer(a, h, path)
	}, func(a *asyncio.A, _ *asyncio.Server) (*asyncio.StreamReader, *asyncio.StreamWriter, error) {
		return asyncio.OpenUnixConnection(a, path)
	})
}

// BenchmarkUnixEchoRoundTripGoroutines is UnixEchoRoundTrip's baseline:
// net.Listen("unix") and a goroutine on each side.
func BenchmarkUnixEchoRoundTripGoroutines(b *testing.B) {
	path := benchSocketPath(b)
	ln, err := net.Listen("unix", path)
	if err != nil {
		b.Fatal(err)
	}
	benchEchoGoroutines(b, ln, func() (net.Conn, error) { return net.Dial("unix", path) })
}

// benchSocketPath returns a path for a Unix socket in a new temporary
// directory, short enough for sockaddr_un, removed after the benchmark.
func benchSocketPath(b *testing.B) string {
	dir, err := os.MkdirTemp("", "aio")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, "s")
}

// benchTLSConfigs returns a TLS server configuration with a self-signed
// ECDSA P-256 certificate for 127.0.0.1, made with crypto/x509, and a
// client configuration that trusts it.
func benchTLSConfigs(b *testing.B) (server, client *tls.Config) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "asyncio bench"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		b.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		b.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}}}
	client = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS13}
	return server, client
}
