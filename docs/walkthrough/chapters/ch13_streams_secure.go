package chapters

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// The examples of the streams chapter's section on Unix sockets and TLS.

// lineEcho sends every line it reads back until the client closes its end.
func lineEcho(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
	for {
		line, err := r.ReadLine(a)
		if err != nil {
			return nil // EOF, or the client gone: returning closes the connection
		}
		w.Write(line)
		if err := w.Drain(a); err != nil {
			return err
		}
	}
}

// talk sends each line to an echo server and prints the answers.
func talk(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter, lines ...string) error {
	for _, line := range lines {
		fmt.Fprintln(w, line)
		answer, err := r.ReadLine(a)
		if err != nil {
			return err
		}
		fmt.Print("echo: ", string(answer))
	}
	w.Close()
	return w.WaitClosed(a)
}

func streamsUnix(opts Options) error {
	dir, err := os.MkdirTemp("", "walkthrough")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// snippet: unix
	path := filepath.Join(dir, "echo.sock")
	main := asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		server, err := asyncio.StartUnixServer(a, lineEcho, path)
		if err != nil {
			return struct{}{}, err
		}
		r, w, err := asyncio.OpenUnixConnection(a, path)
		if err != nil {
			return struct{}{}, err
		}
		if err := talk(a, r, w, "hello over a Unix socket", "bye"); err != nil {
			return struct{}{}, err
		}
		server.Close()
		return struct{}{}, server.WaitClosed(a)
	})
	_, err = asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

func streamsTLS(opts Options) error {
	serverConfig, clientConfig, err := selfSigned("localhost")
	if err != nil {
		return err
	}
	// snippet: tls
	main := asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		server, err := asyncio.StartServer(a, lineEcho, "127.0.0.1", 0, asyncio.WithTLS(serverConfig))
		if err != nil {
			return struct{}{}, err
		}
		r, w, err := asyncio.OpenConnection(a, "127.0.0.1", server.Addr().Port,
			asyncio.WithTLS(clientConfig), asyncio.WithServerHostname("localhost"))
		if err != nil {
			return struct{}{}, err
		}
		info := w.ExtraInfo()
		fmt.Println("TLS version:", strings.TrimPrefix(tls.VersionName(info.TLS.Version), "TLS "))
		fmt.Println("server certificate for:", info.PeerCertificate.Subject.CommonName)
		if err := talk(a, r, w, "hello over TLS", "bye"); err != nil {
			return struct{}{}, err
		}
		server.Close()
		return struct{}{}, server.WaitClosed(a)
	})
	_, err = asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

// snippet: self-signed

// selfSigned makes a certificate for host, signed by its own key, and
// returns a server configuration that presents it and a client one that
// trusts it.
func selfSigned(host string) (server, client *tls.Config, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: host},
		DNSNames:              []string{host},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	trusted := x509.NewCertPool()
	trusted.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	client = &tls.Config{RootCAs: trusted}
	return server, client, nil
}

// end snippet
