package asyncio_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// testPKI is a certificate authority made for the tests, with a server
// certificate for localhost, 127.0.0.1 and ::1, and a client certificate.
type testPKI struct {
	ca             *x509.Certificate
	caPEM          []byte
	pool           *x509.CertPool
	server, client tls.Certificate
	serverPEM      []byte // the server's certificate and key, PEM, for CPython
	serverKeyPEM   []byte
}

var (
	pkiOnce sync.Once
	pki     *testPKI
	pkiErr  error
)

// testCerts returns the tests' PKI, made once per process with crypto/x509.
func testCerts(t testing.TB) *testPKI {
	t.Helper()
	pkiOnce.Do(func() { pki, pkiErr = newTestPKI() })
	if pkiErr != nil {
		t.Fatalf("making test certificates: %v", pkiErr)
	}
	return pki
}

func newTestPKI() (*testPKI, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "asyncio test CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	p := &testPKI{ca: ca, caPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), pool: x509.NewCertPool()}
	p.pool.AddCert(ca)
	leaf := func(serial int64, cn string, usage x509.ExtKeyUsage) (tls.Certificate, []byte, []byte, error) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return tls.Certificate{}, nil, nil, err
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial),
			Subject:      pkix.Name{CommonName: cn},
			NotBefore:    now.Add(-time.Hour),
			NotAfter:     now.Add(24 * time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature,
			ExtKeyUsage:  []x509.ExtKeyUsage{usage},
		}
		if usage == x509.ExtKeyUsageServerAuth {
			tmpl.DNSNames = []string{"localhost"}
			tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			return tls.Certificate{}, nil, nil, err
		}
		keyDER, err := x509.MarshalECPrivateKey(key)
		if err != nil {
			return tls.Certificate{}, nil, nil, err
		}
		certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
		keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
		c, err := tls.X509KeyPair(certPEM, keyPEM)
		return c, certPEM, keyPEM, err
	}
	if p.server, p.serverPEM, p.serverKeyPEM, err = leaf(2, "localhost", x509.ExtKeyUsageServerAuth); err != nil {
		return nil, err
	}
	if p.client, _, _, err = leaf(3, "asyncio test client", x509.ExtKeyUsageClientAuth); err != nil {
		return nil, err
	}
	return p, nil
}

// serverConfig is a TLS server's configuration with the test certificate.
func (p *testPKI) serverConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{p.server}, ClientCAs: p.pool}
}

// clientConfig is a TLS client's configuration that trusts the test CA.
func (p *testPKI) clientConfig() *tls.Config {
	return &tls.Config{RootCAs: p.pool}
}

// TestTLSEcho runs TLS clients of a TLS echo server in the same loop, and
// checks what ExtraInfo tells on both ends.
func TestTLSEcho(t *testing.T) {
	p := testCerts(t)
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		var serverInfo asyncio.ExtraInfo
		srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			serverInfo = w.ExtraInfo()
			return echoHandler(a, r, w)
		}, "127.0.0.1", 0, asyncio.WithTLS(p.serverConfig()))
		if err != nil {
			return err
		}
		tests := []struct {
			name string
			host string
			opts []asyncio.StreamOption
		}{
			{"the certificate checked for the IP address dialed", "127.0.0.1", nil},
			{"the certificate checked for WithServerHostname", "127.0.0.1", []asyncio.StreamOption{asyncio.WithServerHostname("localhost")}},
		}
		for _, tt := range tests {
			r, w, err := asyncio.OpenConnection(a, tt.host, srv.Addr().Port, append(tt.opts, asyncio.WithTLS(p.clientConfig()))...)
			if err != nil {
				t.Errorf("%s: OpenConnection: %v", tt.name, err)
				continue
			}
			for j := range 10 {
				w.Write(loadMessage(j, j))
				line, err := r.ReadLine(a)
				if want := loadMessage(j, j); string(line) != string(want) || err != nil {
					t.Errorf("%s: ReadLine() = %q, %v, want %q", tt.name, line, err, want)
				}
			}
			info := w.ExtraInfo()
			switch {
			case info.TLS == nil || info.TLS.Version != tls.VersionTLS13 || !info.TLS.HandshakeComplete:
				t.Errorf("%s: client ExtraInfo().TLS = %+v, want a complete TLS 1.3 handshake", tt.name, info.TLS)
			case info.PeerCertificate == nil || info.PeerCertificate.Subject.CommonName != "localhost":
				t.Errorf("%s: client ExtraInfo().PeerCertificate = %v, want the server's", tt.name, info.PeerCertificate)
			case info.RemoteAddr.String() != srv.Addr().String() || info.LocalAddr == nil:
				t.Errorf("%s: client addresses %v -> %v, want to %v", tt.name, info.LocalAddr, info.RemoteAddr, srv.Addr())
			}
			if serverInfo.TLS == nil || serverInfo.PeerCertificate != nil {
				t.Errorf("%s: server ExtraInfo() = TLS %v, peer certificate %v, want TLS and none", tt.name, serverInfo.TLS, serverInfo.PeerCertificate)
			}
			if w.CanWriteEOF() || w.WriteEOF() == nil {
				t.Errorf("%s: CanWriteEOF() = true or WriteEOF succeeded on TLS, want neither (as Python's SSL transport)", tt.name)
			}
			w.Close()
			if err := w.WaitClosed(a); err != nil {
				t.Errorf("%s: WaitClosed() = %v", tt.name, err)
			}
		}
		// In the clear, ExtraInfo has the addresses only.
		_, w, err := asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port)
		if err != nil {
			return err
		}
		if info := w.ExtraInfo(); info.TLS != nil || info.PeerCertificate != nil || info.RemoteAddr == nil {
			t.Errorf("ExtraInfo() in the clear = %+v, want addresses only", info)
		}
		w.Close()
		return closeServer(a, srv)
	})
}

// TestTLSHandshakeFailures checks that a failed handshake comes back as an
// error that says what failed, on a client that cannot trust the server,
// and leaves nothing behind on either end; the server's handler never runs.
func TestTLSHandshakeFailures(t *testing.T) {
	p := testCerts(t)
	tests := []struct {
		name   string
		server *tls.Config
		client func() *tls.Config
		opts   []asyncio.StreamOption
		want   func(error) bool // on OpenConnection, or on the first read
		what   string
	}{
		{
			name:   "unknown authority",
			server: p.serverConfig(),
			client: func() *tls.Config { return &tls.Config{} },
			want:   func(err error) bool { var e x509.UnknownAuthorityError; return errors.As(err, &e) },
			what:   "x509.UnknownAuthorityError",
		},
		{
			name:   "wrong host name",
			server: p.serverConfig(),
			client: p.clientConfig,
			opts:   []asyncio.StreamOption{asyncio.WithServerHostname("example.com")},
			want:   func(err error) bool { var e x509.HostnameError; return errors.As(err, &e) },
			what:   "x509.HostnameError",
		},
		{
			name: "client certificate required and missing",
			server: func() *tls.Config {
				c := p.serverConfig()
				c.ClientAuth = tls.RequireAndVerifyClientCert
				return c
			}(),
			client: p.clientConfig,
			want:   func(err error) bool { return err != nil && strings.Contains(err.Error(), "certificate required") },
			what:   "a certificate required alert",
		},
		{
			name:   "no TLS version in common",
			server: &tls.Config{Certificates: []tls.Certificate{p.server}, MinVersion: tls.VersionTLS13},
			client: func() *tls.Config { c := p.clientConfig(); c.MaxVersion = tls.VersionTLS12; return c },
			want:   func(err error) bool { return err != nil && strings.Contains(err.Error(), "protocol version") },
			what:   "a protocol version alert",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer streamLeakCheck(t)()
			streamRun(t, func(a *asyncio.A) error {
				handled := 0
				srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
					handled++
					return echoHandler(a, r, w)
				}, "127.0.0.1", 0, asyncio.WithTLS(tt.server))
				if err != nil {
					return err
				}
				r, w, err := asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port, append(tt.opts, asyncio.WithTLS(tt.client()))...)
				if err == nil {
					// TLS 1.3: the client's handshake ends before the server
					// has checked the client; the server's verdict comes on
					// the first read.
					defer w.Close()
					w.WriteString("hello\n")
					_, err = r.ReadLine(a)
				} else if !strings.Contains(err.Error(), "TLS handshake with 127.0.0.1:") {
					t.Errorf("error %q does not say which handshake failed", err)
				}
				if !tt.want(err) {
					t.Errorf("error = %v, want %s", err, tt.what)
				}
				if err := closeServer(a, srv); err != nil {
					return err
				}
				if handled != 0 {
					t.Errorf("the handler ran %d times, want never", handled)
				}
				return nil
			})
		})
	}
}

// TestTLSHandshakeTimeouts checks both ends of a handshake that does not
// finish: a client whose server never answers, and a server whose client
// never says hello. Each fails after its timeout, on the loop's (virtual)
// clock, with an error wrapping ErrTimeout, and leaves nothing behind.
func TestTLSHandshakeTimeouts(t *testing.T) {
	p := testCerts(t)
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		l := asyncio.GetRunningLoop(a)
		// A server in the clear that reads and never answers.
		mute, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			_, err := r.Read(a, -1)
			return err
		}, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		start := l.Time()
		_, _, err = asyncio.OpenConnection(a, "127.0.0.1", mute.Addr().Port,
			asyncio.WithTLS(p.clientConfig()), asyncio.WithTLSHandshakeTimeout(7*time.Second))
		if !errors.Is(err, asyncio.ErrTimeout) || !strings.Contains(err.Error(), "TLS handshake with") {
			t.Errorf("OpenConnection to a server that never answers = %v, want a TLS handshake error wrapping ErrTimeout", err)
		}
		if d := l.Time().Sub(start); d != 7*time.Second {
			t.Errorf("the handshake timed out after %v, want 7s", d)
		}
		// A TLS server whose client never says hello.
		handled := 0
		srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			handled++
			return nil
		}, "127.0.0.1", 0, asyncio.WithTLS(p.serverConfig()), asyncio.WithTLSHandshakeTimeout(5*time.Second))
		if err != nil {
			return err
		}
		r, w, err := asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port)
		if err != nil {
			return err
		}
		start = l.Time()
		if data, err := r.Read(a, -1); len(data) != 0 || err != nil {
			t.Errorf("a silent client read %q, %v, want the server to close (EOF)", data, err)
		}
		if d := l.Time().Sub(start); d != 5*time.Second {
			t.Errorf("the server gave up after %v, want 5s", d)
		}
		w.Close()
		if handled != 0 {
			t.Errorf("the handler ran %d times, want never", handled)
		}
		if err := closeServer(a, srv); err != nil {
			return err
		}
		return closeServer(a, mute)
	}, asyncio.WithVirtualTime())
}

// TestStartTLS upgrades connections in place after a greeting in the
// clear, as SMTP's STARTTLS does, with a line written before the upgrade
// in the clear and one written while it is in progress encrypted.
func TestStartTLS(t *testing.T) {
	p := testCerts(t)
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			fmt.Fprint(w, "220 ready\n")
			if line, err := r.ReadLine(a); err != nil || string(line) != "STARTTLS\n" {
				return fmt.Errorf("server: got %q, %v, want STARTTLS", line, err)
			}
			fmt.Fprint(w, "220 go ahead\n")
			if err := w.StartTLS(a, p.serverConfig()); err != nil {
				return fmt.Errorf("server: StartTLS: %w", err)
			}
			if w.ExtraInfo().TLS == nil {
				return errors.New("server: ExtraInfo().TLS = nil after StartTLS")
			}
			return echoHandler(a, r, w)
		}, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		for i := range 20 {
			r, w, err := dial(a, srv)
			if err != nil {
				return err
			}
			for _, want := range []string{"220 ready\n", "220 go ahead\n"} {
				if want == "220 go ahead\n" {
					w.WriteString("STARTTLS\n")
				}
				if line, err := r.ReadLine(a); string(line) != want || err != nil {
					return fmt.Errorf("client %d: got %q, %v, want %q", i, line, err, want)
				}
			}
			upgraded := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
				return struct{}{}, w.StartTLS(a, p.clientConfig(), asyncio.WithServerHostname("localhost"))
			}))
			if err := asyncio.Sleep(a, 0); err != nil {
				return err
			}
			w.Write(loadMessage(i, 0)) // while the upgrade is in progress
			if _, err := upgraded.Await(a); err != nil {
				return fmt.Errorf("client %d: StartTLS: %w", i, err)
			}
			info := w.ExtraInfo()
			if info.TLS == nil || info.PeerCertificate == nil || info.PeerCertificate.Subject.CommonName != "localhost" {
				return fmt.Errorf("client %d: ExtraInfo() after StartTLS = %+v, want TLS with the server's certificate", i, info)
			}
			if err := w.StartTLS(a, p.clientConfig()); err == nil {
				t.Errorf("client %d: a second StartTLS succeeded, want an error", i)
			}
			w.Write(loadMessage(i, 1))
			for j := range 2 {
				if line, err := r.ReadLine(a); string(line) != string(loadMessage(i, j)) || err != nil {
					return fmt.Errorf("client %d: got %q, %v, want %q", i, line, err, loadMessage(i, j))
				}
			}
			w.Close()
			if err := w.WaitClosed(a); err != nil {
				return err
			}
		}
		return closeServer(a, srv)
	})
}

// TestStartTLSFailure checks that a StartTLS whose handshake fails returns
// the handshake's error and closes the connection, and that StartTLS
// refuses a connection it cannot upgrade without touching it.
func TestStartTLSFailure(t *testing.T) {
	p := testCerts(t)
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			if err := w.StartTLS(a, p.serverConfig()); err == nil {
				return errors.New("server: StartTLS with an untrusting client succeeded")
			}
			if _, err := w.Write([]byte("x")); err == nil {
				return errors.New("server: Write after a failed StartTLS succeeded")
			}
			return nil
		}, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		r, w, err := dial(a, srv)
		if err != nil {
			return err
		}
		err = w.StartTLS(a, &tls.Config{ServerName: "localhost"})
		var e x509.UnknownAuthorityError
		if !errors.As(err, &e) {
			t.Errorf("StartTLS with an untrusted server = %v, want x509.UnknownAuthorityError", err)
		}
		if !w.IsClosing() {
			t.Errorf("IsClosing() after a failed StartTLS = false, want true")
		}
		if _, err := r.Read(a, 1); err == nil || err == io.EOF {
			t.Errorf("Read after a failed StartTLS = %v, want the handshake's error", err)
		}
		if err := w.WaitClosed(a); err == nil {
			t.Errorf("WaitClosed after a failed StartTLS = nil, want the handshake's error")
		}
		// A StartTLS cancelled while the server does not answer: it returns
		// the cancellation, and the connection, closed, fails its reads
		// with an error that is not one (the reading task was not
		// cancelled).
		r, w, err = dial(a, srv)
		if err != nil {
			return err
		}
		upgrade := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			return struct{}{}, w.StartTLS(a, p.clientConfig(), asyncio.WithServerHostname("localhost"))
		}))
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		upgrade.Cancel("")
		if _, err := upgrade.Await(a); !errors.Is(err, asyncio.ErrCanceled) {
			t.Errorf("a cancelled StartTLS = %v, want a cancellation", err)
		}
		if _, err := r.Read(a, 1); err == nil || errors.Is(err, asyncio.ErrCanceled) {
			t.Errorf("Read after a cancelled StartTLS = %v, want an error that is not a cancellation", err)
		}
		if err := w.WaitClosed(a); errors.Is(err, asyncio.ErrCanceled) {
			t.Errorf("WaitClosed after a cancelled StartTLS = %v, want no cancellation", err)
		}
		// Refused without touching the connection.
		r, w, err = dial(a, srv)
		if err != nil {
			return err
		}
		w.WriteEOF()
		if err := w.StartTLS(a, p.clientConfig()); err == nil || w.IsClosing() {
			t.Errorf("StartTLS after WriteEOF = %v (closing %v), want an error and the connection as it was", err, w.IsClosing())
		}
		w.Close()
		r.Read(a, -1)
		return closeServer(a, srv)
	})
}

// TestTLSServerClosedMidHandshake checks the handshakes a TLS server has
// in progress with clients that say nothing: AbortClients ends them, so
// that WaitClosed returns without waiting for the handshake timeout, and
// Run ends those of a server left open.
func TestTLSServerClosedMidHandshake(t *testing.T) {
	p := testCerts(t)
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		var srvs []*asyncio.Server
		for range 2 {
			srv, err := asyncio.StartServer(a, echoHandler, "127.0.0.1", 0, asyncio.WithTLS(p.serverConfig()))
			if err != nil {
				return err
			}
			srvs = append(srvs, srv)
			for range 10 {
				if _, _, err := dial(a, srv); err != nil {
					return err
				}
			}
		}
		if err := asyncio.Sleep(a, time.Millisecond); err != nil {
			return err
		}
		srvs[0].Close()
		srvs[0].AbortClients()
		if err := srvs[0].WaitClosed(a); err != nil {
			return err
		}
		return nil // srvs[1], its handshakes and the clients are left to Run
	})
}

// TestTLSOverUnix runs TLS over a Unix socket: the client names the server
// with WithServerHostname, since a socket path is no host name.
func TestTLSOverUnix(t *testing.T) {
	p := testCerts(t)
	path := unixPath(t)
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		srv, err := asyncio.StartUnixServer(a, echoHandler, path, asyncio.WithTLS(p.serverConfig()))
		if err != nil {
			return err
		}
		if _, _, err := asyncio.OpenUnixConnection(a, path, asyncio.WithTLS(p.clientConfig())); err == nil {
			t.Errorf("OpenUnixConnection with TLS and no server name succeeded, want an error")
		}
		r, w, err := asyncio.OpenUnixConnection(a, path, asyncio.WithTLS(p.clientConfig()), asyncio.WithServerHostname("localhost"))
		if err != nil {
			return err
		}
		w.WriteString("over a Unix socket\n")
		if line, err := r.ReadLine(a); string(line) != "over a Unix socket\n" || err != nil {
			t.Errorf("ReadLine() = %q, %v", line, err)
		}
		if w.ExtraInfo().TLS == nil {
			t.Errorf("ExtraInfo().TLS = nil over a TLS Unix connection")
		}
		w.Close()
		return closeServer(a, srv)
	})
}

// TestTLSOptionMisuse checks that TLS options without WithTLS, and a server
// name given to a server, panic naming the call, where Python raises
// ValueError or TypeError.
func TestTLSOptionMisuse(t *testing.T) {
	p := testCerts(t)
	tests := []struct {
		name string
		call func(a *asyncio.A)
		want string
	}{
		{"OpenConnection: server name without TLS", func(a *asyncio.A) {
			asyncio.OpenConnection(a, "127.0.0.1", 1, asyncio.WithServerHostname("localhost"))
		}, "asyncio.OpenConnection: "},
		{"StartServer: handshake timeout without TLS", func(a *asyncio.A) {
			asyncio.StartServer(a, echoHandler, "127.0.0.1", 0, asyncio.WithTLSHandshakeTimeout(time.Second))
		}, "asyncio.StartServer: "},
		{"StartServer: a server name", func(a *asyncio.A) {
			asyncio.StartServer(a, echoHandler, "127.0.0.1", 0, asyncio.WithTLS(p.serverConfig()), asyncio.WithServerHostname("localhost"))
		}, "asyncio.StartServer: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			streamRun(t, func(a *asyncio.A) (err error) {
				defer func() {
					if r := recover(); r == nil || !strings.HasPrefix(fmt.Sprint(r), tt.want) {
						err = fmt.Errorf("panic = %v, want one starting %q", r, tt.want)
					}
				}()
				tt.call(a)
				return nil
			})
		})
	}
}

// TestTLSVirtualClockSameLoop checks that a TLS handshake between two ends
// of the same loop holds the virtual clock however long it takes in real
// time (here longer than an idle threshold of a nanosecond): a handshake,
// on connect or on StartTLS, whose other end is the loop's own is known to
// arrive, and must not let the clock jump to its timeout. The loop's time
// moves only by the client's sleeps.
func TestTLSVirtualClockSameLoop(t *testing.T) {
	p := testCerts(t)
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		l := asyncio.GetRunningLoop(a)
		start := l.Time()
		srv, err := asyncio.StartServer(a, echoHandler, "127.0.0.1", 0, asyncio.WithTLS(p.serverConfig()))
		if err != nil {
			return err
		}
		plain, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			w.WriteString("go ahead\n")
			if err := w.StartTLS(a, p.serverConfig()); err != nil {
				return err
			}
			return echoHandler(a, r, w)
		}, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		for i := range 5 {
			r, w, err := asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port, asyncio.WithTLS(p.clientConfig()))
			if err != nil {
				return fmt.Errorf("connection %d: %w", i, err)
			}
			r2, w2, err := asyncio.OpenConnection(a, "127.0.0.1", plain.Addr().Port)
			if err != nil {
				return err
			}
			if line, err := r2.ReadLine(a); string(line) != "go ahead\n" || err != nil {
				return fmt.Errorf("greeting %d = %q, %v", i, line, err)
			}
			if err := w2.StartTLS(a, p.clientConfig(), asyncio.WithServerHostname("localhost")); err != nil {
				return fmt.Errorf("StartTLS %d: %w", i, err)
			}
			for _, c := range []struct {
				r *asyncio.StreamReader
				w *asyncio.StreamWriter
			}{{r, w}, {r2, w2}} {
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return err
				}
				c.w.WriteString("tick\n")
				if line, err := c.r.ReadLine(a); string(line) != "tick\n" || err != nil {
					return fmt.Errorf("ReadLine() = %q, %v", line, err)
				}
				c.w.Close()
			}
		}
		if d := l.Time().Sub(start); d != 10*time.Second {
			t.Errorf("the loop's clock moved %v, want 10s: the clients' sleeps and nothing else", d)
		}
		if err := closeServer(a, plain); err != nil {
			return err
		}
		return closeServer(a, srv)
	}, asyncio.WithVirtualTime(), asyncio.WithIdleThreshold(time.Nanosecond))
}

// TestTLSAbortStalledClient checks Abort on a TLS connection whose client
// stopped reading, with the server's writer goroutine blocked in the
// middle of a record: WaitClosed returns at once, without the close_notify
// that a graceful close would wait to send.
func TestTLSAbortStalledClient(t *testing.T) {
	p := testCerts(t)
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		aborted := new(asyncio.Event)
		srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			defer aborted.Set()
			w.Write(make([]byte, 8<<20))
			w.Close()
			w.Abort()
			return asyncio.Timeout(a, 10*time.Second, func(*asyncio.TimeoutScope) error {
				return w.WaitClosed(a)
			})
		}, "127.0.0.1", 0, asyncio.WithTLS(p.serverConfig()))
		if err != nil {
			return err
		}
		r, w, err := asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port, asyncio.WithTLS(p.clientConfig()))
		if err != nil {
			return err
		}
		if err := aborted.Wait(a); err != nil {
			return err
		}
		got := 0
		for {
			data, err := r.Read(a, 1<<20)
			got += len(data)
			if err != nil {
				break
			}
		}
		if got >= 8<<20 {
			t.Errorf("the stalled client read %d bytes, want less than what was buffered before Abort", got)
		}
		w.Close()
		return closeServer(a, srv)
	}, asyncio.WithDiagnostics(&failWriter{t}))
}

// failWriter fails the test with whatever is written to it: a loop's
// diagnostics that must stay silent.
type failWriter struct{ t *testing.T }

func (f *failWriter) Write(p []byte) (int, error) {
	f.t.Errorf("diagnostics: %s", p)
	return len(p), nil
}

// TestTLSCancelEveryStep cancels a task that opens a TLS connection and
// echoes a line, after each number of loop iterations in turn, from before
// the dial to after the echo: it ends cancelled or done, never with another
// error, and nothing of its connection is left.
func TestTLSCancelEveryStep(t *testing.T) {
	p := testCerts(t)
	defer streamLeakCheck(t)()
	for k := 0; k < 8; k++ {
		streamRun(t, func(a *asyncio.A) error {
			srv, err := asyncio.StartServer(a, echoHandler, "127.0.0.1", 0, asyncio.WithTLS(p.serverConfig()))
			if err != nil {
				return err
			}
			tk := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
				r, w, err := asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port, asyncio.WithTLS(p.clientConfig()))
				if err != nil {
					return struct{}{}, err
				}
				// A cancellation that lands once the connection is made
				// must not leave it open, or the server's WaitClosed
				// waits for it (as Python's does): close it on every way
				// out, as Python's finally: writer.close() would.
				defer w.Close()
				w.WriteString("hi\n")
				line, err := r.ReadLine(a)
				if err != nil {
					return struct{}{}, err
				}
				if string(line) != "hi\n" {
					return struct{}{}, fmt.Errorf("got %q", line)
				}
				w.Close()
				return struct{}{}, w.WaitClosed(a)
			}))
			for range k {
				asyncio.Sleep(a, 0)
			}
			tk.Cancel()
			_, err = tk.Await(a)
			if err != nil && !errors.Is(err, asyncio.ErrCanceled) {
				t.Errorf("a task cancelled after %d iterations = %v, want a cancellation or nil", k, err)
			}
			return closeServer(a, srv)
		})
	}
}

// TestStartTLSUnderSeeds upgrades a connection with StartTLS under seeded
// schedules and sends numbered lines through it while they are echoed:
// they come back whole and in order under every seed.
func TestStartTLSUnderSeeds(t *testing.T) {
	p := testCerts(t)
	defer streamLeakCheck(t)()
	for seed := uint64(1); seed <= 20; seed++ {
		streamRun(t, func(a *asyncio.A) error {
			srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
				if _, err := r.ReadLine(a); err != nil {
					return err
				}
				w.WriteString("go\n")
				if err := w.StartTLS(a, p.serverConfig()); err != nil {
					return err
				}
				return chunkEchoHandler(a, r, w)
			}, "127.0.0.1", 0)
			if err != nil {
				return err
			}
			r, w, err := dial(a, srv)
			if err != nil {
				return err
			}
			w.WriteString("STARTTLS\n")
			if line, err := r.ReadLine(a); string(line) != "go\n" {
				return fmt.Errorf("seed %d: got %q, %v, want \"go\\n\"", seed, line, err)
			}
			if err := w.StartTLS(a, p.clientConfig(), asyncio.WithServerHostname("localhost")); err != nil {
				return err
			}
			const n = 3000
			asyncio.CreateTask(a, asyncio.AsyncErr(func(a *asyncio.A) error {
				for i := range n {
					fmt.Fprintf(w, "line %d\n", i)
					if err := w.Drain(a); err != nil {
						return err
					}
				}
				return nil
			}))
			for i := range n {
				line, err := r.ReadLine(a)
				if want := fmt.Sprintf("line %d\n", i); string(line) != want || err != nil {
					return fmt.Errorf("seed %d: got %q, %v, want %q", seed, line, err, want)
				}
			}
			w.Close()
			w.WaitClosed(a)
			return closeServer(a, srv)
		}, asyncio.WithSeed(seed))
	}
}

// TestTLSWriteEOFWhileWriting checks that WriteEOF on a TLS stream fails at
// once, as Python's SSL transport refuses write_eof, also while a write is
// still on its way: the refusal does not wait for the write to finish.
func TestTLSWriteEOFWhileWriting(t *testing.T) {
	p := testCerts(t)
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			w.Write(make([]byte, 8<<20)) // more than the peer, which never reads, lets through
			err := w.WriteEOF()
			if !errors.Is(err, errors.ErrUnsupported) {
				t.Errorf("WriteEOF on TLS with a write on its way = %v, want an error matching errors.ErrUnsupported", err)
			}
			w.Abort()
			return nil
		}, "127.0.0.1", 0, asyncio.WithTLS(p.serverConfig()))
		if err != nil {
			return err
		}
		_, w, err := asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port, asyncio.WithTLS(p.clientConfig()))
		if err != nil {
			return err
		}
		defer w.Close()
		return closeServer(a, srv)
	})
}
