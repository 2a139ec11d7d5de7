package asyncio

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"syscall"
	"time"
)

// A SocketOption configures the socket of StartServer, OpenConnection or
// CreateDatagramEndpoint: it is both a StreamOption and a DatagramOption.
// Each option says which calls it applies to; the others ignore it. Only
// this package makes them.
type SocketOption interface {
	StreamOption
	DatagramOption
}

// socketConfig holds the socket options of a listen or a dial.
type socketConfig struct {
	reuseAddress  int           // 0: the default; 1: on; -1: off
	reusePort     bool          // SO_REUSEPORT
	datagram      bool          // a datagram socket: SO_BROADCAST is set as broadcast says
	broadcast     bool          // SO_BROADCAST (datagrams)
	backlog       int           // 0: the default
	localAddr     string        // host:port to bind before dialling, "" if none
	remoteAddr    string        // host:port to connect a datagram endpoint to
	fallbackDelay time.Duration // net.Dialer.FallbackDelay
}

type socketOptionFunc func(*socketConfig)

func (f socketOptionFunc) applyStream(c *streamConfig)     { f(&c.sock) }
func (f socketOptionFunc) applyDatagram(c *datagramConfig) { f(&c.sock) }

// WithReuseAddress sets SO_REUSEADDR on a server's listening socket:
// Python's reuse_address argument of start_server. On Unix, Go (like
// Python) already sets it on every listening TCP socket, so that a server
// can listen again on the port of one just closed; WithReuseAddress(false)
// turns it off. StartServer only; CreateDatagramEndpoint panics on
// WithReuseAddress(true), as Python refuses reuse_address there. Elsewhere
// than on Unix StartServer refuses it with an error wrapping
// errors.ErrUnsupported.
func WithReuseAddress(on bool) SocketOption {
	return socketOptionFunc(func(c *socketConfig) {
		c.reuseAddress = -1
		if on {
			c.reuseAddress = 1
		}
	})
}

// WithReusePort sets SO_REUSEPORT on the socket of StartServer or
// CreateDatagramEndpoint: Python's reuse_port=True. Several sockets, each
// with the option, may then listen on the same address and port, and the
// kernel spreads the connections (or datagrams) over them: that is how a
// program runs one loop per core on one port (see StartServer). It is
// Unix-only, as in Python: elsewhere, and on the Unix systems that lack
// SO_REUSEPORT, StartServer and CreateDatagramEndpoint refuse it with an
// error wrapping errors.ErrUnsupported.
func WithReusePort() SocketOption {
	return socketOptionFunc(func(c *socketConfig) { c.reusePort = true })
}

// WithBacklog sets how many connections the kernel queues for a server
// before it accepts them: Python's backlog argument of start_server
// (default 100 there; here the kernel's maximum, somaxconn, as Go's
// net.Listen). StartServer only. It panics if n < 1. On Windows, where a
// socket's backlog is fixed once it listens, it has no effect.
func WithBacklog(n int) SocketOption {
	if n < 1 {
		panic("asyncio.WithBacklog: backlog must be at least 1, got " + strconv.Itoa(n))
	}
	return socketOptionFunc(func(c *socketConfig) { c.backlog = n })
}

// WithLocalAddr binds the socket to host:port before connecting: Python's
// local_addr=(host, port) of open_connection and create_datagram_endpoint.
// Port 0 lets the system pick one; host "" binds every interface. For
// OpenConnection and CreateDatagramEndpoint; StartServer has its own host
// and port.
func WithLocalAddr(host string, port int) SocketOption {
	address := net.JoinHostPort(host, strconv.Itoa(port))
	return socketOptionFunc(func(c *socketConfig) { c.localAddr = address })
}

// WithHappyEyeballsDelay sets how long OpenConnection waits for a
// connection over the first address family before it races one over the
// other: Python's happy_eyeballs_delay, which is Go's
// net.Dialer.FallbackDelay. Go's dialer always races IPv6 against IPv4
// (RFC 6555) when a name resolves to both, starting the fallback after
// 300ms, where Python tries addresses one at a time unless the option is
// given; so without this option OpenConnection behaves as Python's with
// happy_eyeballs_delay=0.3. A d ≤ 0 turns the race off: the addresses are
// tried one after the other, as Python's default does. (Python's
// interleave has no Go equivalent: Go tries all the addresses of the
// preferred family first.) OpenConnection only.
func WithHappyEyeballsDelay(d time.Duration) SocketOption {
	if d <= 0 {
		d = -1 // net.Dialer: a negative FallbackDelay disables the race
	}
	return socketOptionFunc(func(c *socketConfig) { c.fallbackDelay = d })
}

// errNoReusePort is the error of reuse_port where the system has no
// SO_REUSEPORT.
var errNoReusePort = fmt.Errorf("asyncio: reuse_port is not supported on this system: %w", errors.ErrUnsupported)

// check reports an option that this system cannot honour, before any
// socket is made.
func (c *socketConfig) check() error {
	if c.reusePort && !reusePortSupported {
		return errNoReusePort
	}
	if c.reuseAddress != 0 && !sockoptsSupported {
		return fmt.Errorf("asyncio: reuse_address is not supported on this system: %w", errors.ErrUnsupported)
	}
	return nil
}

// needControl reports whether a socket needs options set before it binds.
func (c *socketConfig) needControl() bool {
	return sockoptsSupported && (c.reuseAddress != 0 || c.reusePort || c.datagram)
}

// listenConfig returns the net.ListenConfig that sets the options on the
// socket before it binds.
func (c *socketConfig) listenConfig() net.ListenConfig {
	var lc net.ListenConfig
	if c.needControl() {
		lc.Control = c.control
	}
	return lc
}

// control is the Control function of the listener or dialer: it sets the
// options on the socket before it binds.
func (c *socketConfig) control(_, _ string, rc syscall.RawConn) error {
	var err error
	if cerr := rc.Control(func(fd uintptr) { err = setSockopts(fd, c) }); cerr != nil {
		return cerr
	}
	return err
}

// listen listens on address over TCP with the options: a listen of
// StartServer.
func (c *socketConfig) listen(ctx context.Context, address string) (net.Listener, error) {
	lc := c.listenConfig()
	ln, err := lc.Listen(ctx, "tcp", address)
	if err != nil || c.backlog == 0 {
		return ln, err
	}
	if err := setBacklog(ln, c.backlog); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

// setBacklog calls listen(2) again on a listening socket, with the
// backlog: Go's net.Listen has no backlog argument, and a second listen
// changes it (on Unix; Windows keeps the first).
func setBacklog(ln net.Listener, n int) error {
	sc, ok := ln.(syscall.Conn)
	if !ok {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return err
	}
	var lerr error
	if err := rc.Control(func(fd uintptr) { lerr = relisten(fd, n) }); err != nil {
		return err
	}
	if lerr != nil {
		return fmt.Errorf("asyncio: setting the backlog: %w", lerr)
	}
	return nil
}

// dialer returns the net.Dialer of OpenConnection (network "tcp") or of a
// connected datagram endpoint ("udp"), with its local address resolved
// through the resolver of ctx's dial.
func (c *socketConfig) dialer(ctx context.Context, network string) (*net.Dialer, error) {
	d := &net.Dialer{FallbackDelay: c.fallbackDelay}
	if c.needControl() {
		d.Control = c.control
	}
	if c.localAddr == "" {
		return d, nil
	}
	ap, err := resolveAddrPort(ctx, network, c.localAddr)
	if err != nil {
		return nil, err
	}
	if network == "udp" {
		d.LocalAddr = net.UDPAddrFromAddrPort(ap)
	} else {
		d.LocalAddr = net.TCPAddrFromAddrPort(ap)
	}
	return d, nil
}
