package asyncio

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"strconv"
)

// OpenConnection connects to host:port over TCP and returns the
// connection's two halves: Python's
//
//	reader, writer = await asyncio.open_connection(host, port)
//
// The dial (name resolution included) runs on its own goroutine, so the loop
// goes on meanwhile; the calling task is suspended until it succeeds or
// fails. If the task is cancelled while it waits, the dial is abandoned, a
// connection made anyway is closed, and OpenConnection returns the
// *CanceledError.
//
// From then on the connection belongs to the loop: a goroutine reads from
// the socket into the StreamReader's buffer, and what the socket does not
// take at once from the StreamWriter another goroutine writes; both hand
// their results back through the loop's inbox, so the tasks using the
// streams never block the loop. Close the writer when done; whatever is
// still open when Run returns is closed then. Options: WithStreamLimit;
// WithLocalAddr and WithHappyEyeballsDelay for the dial; and WithTLS (with
// WithServerHostname and WithTLSHandshakeTimeout) for a TLS connection,
// whose handshake is made before OpenConnection returns.
func OpenConnection(a *A, host string, port int, opts ...StreamOption) (*StreamReader, *StreamWriter, error) {
	t, err := currentTask(a)
	if err != nil {
		return nil, nil, err
	}
	address := net.JoinHostPort(host, strconv.Itoa(port))
	return openStream(a, t.loop, "asyncio.OpenConnection", "tcp", address, host, loopback(host), newStreamConfig(opts))
}

// openStream dials address on network (local: the dial stays on this host)
// on its own goroutine, makes the TLS handshake if cfg asks for TLS (with
// host as the server's name unless cfg names one), and adopts the
// connection as a transport of l.
func openStream(a *A, l *Loop, call, network, address, host string, local bool, cfg *streamConfig) (*StreamReader, *StreamWriter, error) {
	cfg.tls.check(call, false)
	if err := cfg.sock.check(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", call, err)
	}
	c, err := awaitOutside(a, l, local, func(ctx context.Context) (net.Conn, error) {
		d, err := cfg.sock.dialer(ctx, network)
		if err != nil {
			return nil, err
		}
		return d.DialContext(ctx, network, address)
	})
	if err != nil {
		return nil, nil, err
	}
	var s byteStream = c
	if cfg.tls.config != nil {
		tc := tls.Client(&tlsConn{Conn: c}, cfg.tls.clientConfig(host))
		if err := awaitHandshake(a, l, tc, c, cfg.tls.handshakeTimeout); err != nil {
			c.Close()
			return nil, nil, err
		}
		s = &tlsStream{tc}
	}
	tr := newTransport(l, s, cfg.limit, nil)
	return tr.reader, tr.writer, nil
}

// A StreamOption configures OpenConnection, StartServer, OpenUnixConnection
// and StartUnixServer (and StreamWriter.StartTLS, which takes the TLS ones).
// Only this package makes them.
type StreamOption interface {
	applyStream(*streamConfig)
}

type streamConfig struct {
	limit int
	sock  socketConfig // sockopt.go
	tls   tlsOptions   // tls.go
}

type streamOptionFunc func(*streamConfig)

func (f streamOptionFunc) applyStream(c *streamConfig) { f(c) }

func newStreamConfig(opts []StreamOption) *streamConfig {
	c := &streamConfig{limit: DefaultStreamLimit, tls: tlsOptions{handshakeTimeout: DefaultTLSHandshakeTimeout}}
	for _, o := range opts {
		o.applyStream(c)
	}
	return c
}

// WithStreamLimit sets the buffer limit of the connection's StreamReader:
// Python's limit= argument of open_connection and start_server. It bounds
// the line that ReadLine and ReadUntil accept, and it is the flow-control
// mark: once more than twice the limit is buffered and no task waits for
// data, the socket is not read until the buffer is down to the limit. A
// limit ≤ 0 means DefaultStreamLimit.
func WithStreamLimit(n int) StreamOption {
	return streamOptionFunc(func(c *streamConfig) {
		if n <= 0 {
			n = DefaultStreamLimit
		}
		c.limit = n
	})
}

// awaitOutside runs open (a dial or a listen) on its own goroutine, counted
// as outside work (as work known to arrive soon if local: it stays on this
// host), and suspends the task running a until it is done. A result that
// nobody wants any more (the task was cancelled, or the loop is shutting
// down) is closed on arrival, so it cannot leak.
func awaitOutside[C io.Closer](a *A, l *Loop, local bool, open func(ctx context.Context) (C, error)) (C, error) {
	f := NewFuture[C](l)
	ctx, cancel := context.WithCancel(l.outsideCtx)
	f.addCallback(callback(cancel))
	reg := l.streamRegistry()
	kind := outsideWork
	if local {
		kind = arrivingWork
	}
	w := newExternal(l, kind)
	go func() {
		c, err := open(ctx)
		deliver := func() {
			w.done()
			if err == nil && (f.done() || reg.shut) {
				c.Close()
				return
			}
			if f.done() {
				return
			}
			if err != nil {
				f.SetException(err)
			} else {
				f.SetResult(c)
			}
		}
		if l.CallSoonThreadsafe(deliver) != nil && err == nil {
			c.Close() // the loop is gone (cannot happen while counted)
		}
	}()
	return f.Await(a)
}

// streamRegistry is what a loop knows about its sockets: the servers and
// connections to close at shutdown, and every connection by its pair of
// addresses, so that the two ends of a connection made inside one loop can
// find each other (see loopback.go).
type streamRegistry struct {
	shut       bool // shutdown has closed everything; new sockets are closed at once
	servers    map[*Server]struct{}
	conns      map[*transport]struct{}
	handshakes map[*handshake]struct{} // TLS handshakes in progress (tls.go)
	ends       map[endpoints]*transport

	// handshakeEnds holds the TLS handshakes in progress by their ends.
	handshakeEnds map[endpoints]*handshake
}

func (l *Loop) streamRegistry() *streamRegistry {
	if l.streams == nil {
		l.streams = &streamRegistry{
			servers:    map[*Server]struct{}{},
			conns:      map[*transport]struct{}{},
			handshakes: map[*handshake]struct{}{},
			ends:       map[endpoints]*transport{},

			handshakeEnds: map[endpoints]*handshake{},
		}
	}
	return l.streams
}

// closeServers stops every server of the loop from accepting connections;
// shutdown calls it before it cancels the tasks.
func (l *Loop) closeServers() {
	if l.streams == nil {
		return
	}
	for s := range l.streams.servers {
		s.Close()
	}
}

// closeStreams closes every server and aborts every connection and TLS
// handshake of the loop,
// so that their goroutines come back; shutdown calls it once the tasks have
// ended, before it waits for outside work.
func (l *Loop) closeStreams() {
	if l.streams == nil {
		return
	}
	l.streams.shut = true
	l.closeServers()
	for t := range l.streams.conns {
		t.abort(nil)
	}
	for h := range l.streams.handshakes {
		h.cancel()
	}
}
