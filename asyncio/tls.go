package asyncio

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"time"
)

// DefaultTLSHandshakeTimeout is how long a TLS handshake may take unless
// WithTLSHandshakeTimeout says otherwise: Python's default
// ssl_handshake_timeout, 60 seconds.
const DefaultTLSHandshakeTimeout = 60 * time.Second

// tlsOptions are the TLS settings of a stream's options.
type tlsOptions struct {
	config           *tls.Config
	serverHostname   string
	hostnameSet      bool
	handshakeTimeout time.Duration
	timeoutSet       bool
}

// WithTLS makes the connection speak TLS with config, built on crypto/tls:
// Python's ssl= argument of open_connection, start_server,
// open_unix_connection and start_unix_server. A client verifies the
// server's certificate for the host it dialed (see WithServerHostname)
// unless config says otherwise; a server needs config.Certificates (or
// GetCertificate). The handshake is made before OpenConnection returns,
// and before a server's handler starts; a server drops, silently as
// Python does outside debug mode, a client whose handshake fails or takes
// longer than the handshake timeout (WithTLSHandshakeTimeout). config is
// not modified (a client's is cloned to set ServerName) and must not be
// modified while in use; a nil config means no TLS. A TLS stream cannot close its write half alone:
// CanWriteEOF reports false, as Python's SSL transport does.
func WithTLS(config *tls.Config) StreamOption {
	return streamOptionFunc(func(c *streamConfig) { c.tls.config = config })
}

// WithServerHostname sets the name a TLS client checks the server's
// certificate against and sends in SNI, instead of the host it dialed:
// Python's server_hostname=. A Unix socket has no host name: a TLS client
// over one needs this option (or config.ServerName, or
// config.InsecureSkipVerify). It needs WithTLS: without it the call panics,
// where Python raises ValueError.
func WithServerHostname(name string) StreamOption {
	return streamOptionFunc(func(c *streamConfig) { c.tls.serverHostname, c.tls.hostnameSet = name, true })
}

// WithTLSHandshakeTimeout bounds the TLS handshake: Python's
// ssl_handshake_timeout=, 60 seconds by default
// (DefaultTLSHandshakeTimeout); d ≤ 0 means the default. The time is the
// loop's (see WithVirtualTime). A handshake that takes longer is aborted
// and fails with an error wrapping ErrTimeout. It needs WithTLS: without it
// the call panics, where Python raises ValueError.
func WithTLSHandshakeTimeout(d time.Duration) StreamOption {
	return streamOptionFunc(func(c *streamConfig) {
		if d <= 0 {
			d = DefaultTLSHandshakeTimeout
		}
		c.tls.handshakeTimeout, c.tls.timeoutSet = d, true
	})
}

// check panics, naming call, if TLS options are given without WithTLS, or
// WithServerHostname to a server.
func (o *tlsOptions) check(call string, server bool) {
	switch {
	case o.config == nil && (o.hostnameSet || o.timeoutSet):
		panic(call + ": WithServerHostname and WithTLSHandshakeTimeout need WithTLS")
	case server && o.hostnameSet:
		panic(call + ": WithServerHostname is for clients")
	}
}

// clientConfig returns the configuration of a client that dialed host: the
// server's name is WithServerHostname's, config.ServerName, or host.
func (o *tlsOptions) clientConfig(host string) *tls.Config {
	cfg := o.config.Clone()
	switch {
	case o.hostnameSet:
		cfg.ServerName = o.serverHostname
	case cfg.ServerName == "":
		cfg.ServerName = host
	}
	return cfg
}

// A tlsStream is a TLS connection as a transport's stream. It hides
// tls.Conn's CloseWrite (see WithTLS), and aborting it closes the socket
// underneath at once, without the close_notify that Close sends, which
// could wait for a peer that does not read (see transport.closeNow).
type tlsStream struct{ conn *tls.Conn }

func (s *tlsStream) Read(p []byte) (int, error)  { return s.conn.Read(p) }
func (s *tlsStream) Write(p []byte) (int, error) { return s.conn.Write(p) }
func (s *tlsStream) Close() error                { return s.conn.Close() }
func (s *tlsStream) LocalAddr() net.Addr         { return s.conn.LocalAddr() }
func (s *tlsStream) RemoteAddr() net.Addr        { return s.conn.RemoteAddr() }
func (s *tlsStream) abortClose() error           { return s.conn.NetConn().Close() }

// A handshake is a TLS handshake in progress on its own goroutine, counted
// as outside work, bounded by a timer of the loop.
type handshake struct {
	reg      *streamRegistry
	work     external
	cancel   context.CancelFunc
	timer    *TimerHandle
	timedOut bool

	// Pairing (loopback.go).
	ends   endpoints
	paired bool       // registered by its ends
	peer   *handshake // the other end's, in the same loop
}

// startHandshake starts tc's handshake over raw, on its own goroutine, and
// calls done on the loop when it is over: with nil, or with an error that
// says what failed. A handshake still going after timeout, on the loop's
// clock, is aborted; so is one the loop shuts down (see closeStreams). It
// must be called on the loop.
func startHandshake(l *Loop, tc *tls.Conn, raw net.Conn, timeout time.Duration, done func(error)) *handshake {
	ctx, cancel := context.WithCancel(context.Background())
	h := &handshake{reg: l.streamRegistry(), cancel: cancel}
	h.work.loop = l
	h.pairHandshake(raw)
	h.reg.handshakes[h] = struct{}{}
	if h.reg.shut {
		cancel()
	}
	h.timer = l.CallLater(timeout, func() {
		h.timedOut = true
		cancel()
	})
	go func() {
		err := tc.HandshakeContext(ctx)
		if l.CallSoonThreadsafe(func() {
			h.work.done()
			h.timer.Cancel()
			cancel()
			delete(h.reg.handshakes, h)
			h.unpairHandshake()
			switch {
			case err == nil && h.reg.shut:
				err = errConnectionLost
			case err == nil:
			case h.timedOut:
				err = fmt.Errorf("asyncio: TLS handshake with %v took longer than %v: %w", raw.RemoteAddr(), timeout, ErrTimeout)
			case errors.Is(err, context.Canceled):
				err = fmt.Errorf("asyncio: TLS handshake with %v aborted: %w", raw.RemoteAddr(), errConnectionLost)
			default:
				err = fmt.Errorf("asyncio: TLS handshake with %v failed: %w", raw.RemoteAddr(), err)
			}
			done(err)
		}) != nil {
			raw.Close() // the loop is gone (cannot happen while counted)
		}
	}()
	return h
}

// awaitHandshake makes tc's handshake over raw while the task running a is
// suspended. If the task is cancelled, the handshake is aborted (its
// goroutine ends soon after, counted until then). The caller closes raw if
// it returns an error.
func awaitHandshake(a *A, l *Loop, tc *tls.Conn, raw net.Conn, timeout time.Duration) error {
	f := NewFuture[struct{}](l)
	h := startHandshake(l, tc, raw, timeout, func(err error) {
		switch {
		case f.done():
		case err != nil:
			f.SetException(err)
		default:
			f.SetResult(struct{}{})
		}
	})
	f.addCallback(callback(h.cancel))
	_, err := f.Await(a)
	return err
}

// handshake makes a TLS server's handshake with a client it accepted, and
// then serves it; a client whose handshake fails is closed and forgotten.
func (s *Server) handshake(c net.Conn) {
	tc := tls.Server(&tlsConn{Conn: c}, s.tls.config)
	s.handshaking(c)
	var h *handshake
	h = startHandshake(s.loop, tc, c, s.tls.handshakeTimeout, func(err error) {
		delete(s.handshakes, h)
		s.handshaken(c, err != nil)
		if err != nil {
			c.Close()
			s.maybeWake()
			return
		}
		s.serve(&tlsStream{tc})
	})
	s.handshakes[h] = struct{}{}
}

// StartTLS upgrades the connection to TLS in place, with config: Python
// 3.11's await writer.start_tls(sslcontext), as SMTP's and IMAP's STARTTLS
// do after a greeting in the clear. What was written before the call is
// sent in the clear first; what the reader holds already stays there, in
// the clear; everything after is encrypted, both ways, on the same
// StreamReader and StreamWriter. The writer of a server's connection makes
// the server's side of the handshake, any other the client's. Options:
// WithServerHostname (for a client, whose config.ServerName is used
// otherwise: a client needs one or the other, or
// config.InsecureSkipVerify) and WithTLSHandshakeTimeout.
//
// Writes made while the upgrade is in progress wait for it and go
// encrypted. StartTLS returns the handshake's error if it fails or times
// out, and the *CanceledError if its task is cancelled; the connection is
// then closed, as in Python, and its reads fail. It
// returns an error without touching the connection if the connection is
// closing or closed (the connection's error), already speaks TLS, is not a
// network connection, or was half-closed by WriteEOF; one wrapping
// ErrInvalidState if another StartTLS is in progress.
func (w *StreamWriter) StartTLS(a *A, config *tls.Config, opts ...StreamOption) error {
	if config == nil {
		panic("asyncio.StreamWriter.StartTLS: nil config")
	}
	t := w.t
	cfg := newStreamConfig(append([]StreamOption{WithTLS(config)}, opts...))
	cfg.tls.check("asyncio.StreamWriter.StartTLS", t.server != nil)
	nc, isNet := t.conn.(net.Conn)
	isNet = isNet || t.sock != nil
	_, isTLS := t.conn.(*tlsStream)
	switch {
	case t.closing || t.closed:
		return t.connError()
	case t.upgrading:
		return fmt.Errorf("asyncio.StreamWriter.StartTLS: %w: an upgrade is already in progress", ErrInvalidState)
	case isTLS:
		return errors.New("asyncio.StreamWriter.StartTLS: the connection already speaks TLS")
	case !isNet:
		return errors.New("asyncio.StreamWriter.StartTLS: the connection is not a network connection")
	case t.eofRequested:
		return errors.New("asyncio.StreamWriter.StartTLS: the connection's write half is closed (WriteEOF)")
	}
	t.upgrading = true
	err := t.upgrade(a, nc, &cfg.tls)
	t.upgrading = false
	t.recount()
	if err != nil {
		// The connection's error, for the other tasks using it: not a
		// cancellation, which is the StartTLS task's own.
		lost := err
		if isCancellation(err) {
			lost = fmt.Errorf("asyncio.StreamWriter.StartTLS: the upgrade was cancelled: %w", errConnectionLost)
		}
		if t.rstate == readDone && !t.reader.ended() {
			t.reader.SetException(lost)
		}
		t.lose(lost)
		t.maybeFinish()
		return err
	}
	held := t.held
	t.held = nil
	if len(held) > 0 {
		// An error loses the connection, which the next call reports.
		_, _ = t.transmit(held)
	}
	return nil
}

// upgrade is StartTLS once it has begun: the writes made before it are
// written, reading stops (what was read since the call starts the TLS
// stream; a polled socket goes back to package net for the handshake), the
// handshake is made on a goroutine, and reading starts again on the TLS
// connection: polled by the loop, or by a reader goroutine.
func (t *transport) upgrade(a *A, nc net.Conn, opts *tlsOptions) error {
	for t.writing {
		if err := t.awaitUpgradeStep(a); err != nil {
			return err
		}
	}
	if t.closed {
		// Closed (aborted, or lost) while the writes drained: a polled
		// socket's descriptor is closed already, and its number may be
		// another file's by now.
		return t.connError()
	}
	if s := t.sock; s != nil {
		// What the loop read since the call began is in leftover; the
		// socket goes back to package net, for the TLS stream.
		t.stopPolling()
		t.rstate = readDone
		t.recount()
		c, err := s.netConn()
		t.conn, t.sock = c, nil
		if err != nil {
			t.conn = s
			return err
		}
		nc = c
	}
	if t.rstate != readDone {
		// A read deadline in the past makes the reader goroutine's read
		// return, and the goroutine end (see deliver).
		if err := nc.SetReadDeadline(time.Unix(1, 0)); err != nil {
			return err
		}
		t.unpark()
		t.recount()
		for t.rstate != readDone {
			if err := t.awaitUpgradeStep(a); err != nil {
				return err
			}
		}
	}
	if t.closed {
		return t.connError()
	}
	if err := nc.SetReadDeadline(time.Time{}); err != nil {
		return err
	}
	raw := &tlsConn{Conn: nc, prefix: t.leftover}
	t.leftover = nil
	var tc *tls.Conn
	if t.server != nil {
		tc = tls.Server(raw, opts.config)
	} else {
		tc = tls.Client(raw, opts.clientConfig(opts.config.ServerName))
	}
	if err := awaitHandshake(a, t.loop, tc, nc, opts.handshakeTimeout); err != nil {
		return err
	}
	if t.closed {
		return t.connError()
	}
	t.conn, t.raw = &tlsStream{tc}, nil
	t.rstate = reading
	t.recount()
	if !t.startPolling() {
		go t.readLoop()
	}
	return nil
}

// awaitUpgradeStep suspends StartTLS until the writer or the reader
// goroutine has reported, or the connection closed.
func (t *transport) awaitUpgradeStep(a *A) error {
	w := t.upgradeWaiters.add(t.loop, "StreamWriter", "StartTLS")
	w.reason = upgradeReason{t}
	err := w.await(a)
	w.retire()
	return err
}

// upgradeReason is what a task in StartTLS waits for, for diagnostics.
type upgradeReason struct{ t *transport }

func (u upgradeReason) String() string { return fmt.Sprintf("the TLS upgrade of %v", u.t) }

// ExtraInfo is what a StreamWriter tells about its connection: Python's
// writer.get_extra_info(name), as a typed value.
type ExtraInfo struct {
	// LocalAddr is the connection's own address ("sockname"), nil for a
	// stream without addresses.
	LocalAddr net.Addr
	// RemoteAddr is the address of the other end ("peername").
	RemoteAddr net.Addr
	// TLS is the negotiated state of a TLS connection ("ssl_object",
	// "cipher", "peercert" in full): version, cipher suite, ALPN protocol,
	// server name, and the certificates presented and verified. It is nil
	// for a connection in the clear.
	TLS *tls.ConnectionState
	// PeerCertificate is the certificate the other end presented
	// ("peercert"): nil in the clear, and for a server whose client sent
	// none.
	PeerCertificate *x509.Certificate
}

// ExtraInfo returns what is known about the connection: Python's
// writer.get_extra_info("sockname"), ("peername"), ("ssl_object") and
// ("peercert").
func (w *StreamWriter) ExtraInfo() ExtraInfo {
	local, remote := streamAddrs(w.t.conn)
	info := ExtraInfo{LocalAddr: local, RemoteAddr: remote}
	if s, ok := w.t.conn.(*tlsStream); ok {
		st := s.conn.ConnectionState()
		info.TLS = &st
		if len(st.PeerCertificates) > 0 {
			info.PeerCertificate = st.PeerCertificates[0]
		}
	}
	return info
}
