package asyncio

import (
	"net"
	"syscall"
	"time"
)

// A tlsConn is the connection under a tls.Conn. For the handshake, made on
// its own goroutine, it is the socket as package net has it (blocking
// reads and writes), after prefix, the bytes of the TLS stream that
// StartTLS's read took before the handshake began. Once the transport's
// poller watches the socket (see startPolling), it is the loop's own
// socket, used on the loop's goroutine alone: a read that finds nothing
// returns errWouldBlock, which tls.Conn keeps no record of (a temporary
// net.Error, as a read deadline's), so that the loop reads again when the
// poller says; a write hands the record to the transport, which writes
// what the socket takes and keeps the rest for when it has room. TLS then
// costs no goroutine either, as Python's SSL transport runs on its loop.
type tlsConn struct {
	net.Conn
	prefix []byte
	t      *transport // set once polled
}

// errWouldBlock is a polled tlsConn's read that found nothing.
var errWouldBlock error = wouldBlockError{}

type wouldBlockError struct{}

func (wouldBlockError) Error() string   { return "asyncio: the socket has nothing to read yet" }
func (wouldBlockError) Timeout() bool   { return true }
func (wouldBlockError) Temporary() bool { return true }

func (c *tlsConn) Read(p []byte) (int, error) {
	if len(c.prefix) > 0 {
		n := copy(p, c.prefix)
		c.prefix = c.prefix[n:]
		return n, nil
	}
	if c.t == nil {
		return c.Conn.Read(p)
	}
	n, err := c.t.sock.Read(p)
	if err == syscall.EAGAIN {
		return 0, errWouldBlock
	}
	return n, err
}

func (c *tlsConn) Write(p []byte) (int, error) {
	if c.t == nil {
		return c.Conn.Write(p)
	}
	return c.t.send(p)
}

func (c *tlsConn) Close() error {
	if c.t == nil {
		return c.Conn.Close()
	}
	return c.t.sock.Close()
}

func (c *tlsConn) LocalAddr() net.Addr {
	if c.t == nil {
		return c.Conn.LocalAddr()
	}
	return c.t.sock.LocalAddr()
}

func (c *tlsConn) RemoteAddr() net.Addr {
	if c.t == nil {
		return c.Conn.RemoteAddr()
	}
	return c.t.sock.RemoteAddr()
}

// A polled tlsConn has no deadlines: nothing waits.

func (c *tlsConn) SetDeadline(d time.Time) error {
	if c.t == nil {
		return c.Conn.SetDeadline(d)
	}
	return nil
}

func (c *tlsConn) SetReadDeadline(d time.Time) error {
	if c.t == nil {
		return c.Conn.SetReadDeadline(d)
	}
	return nil
}

func (c *tlsConn) SetWriteDeadline(d time.Time) error {
	if c.t == nil {
		return c.Conn.SetWriteDeadline(d)
	}
	return nil
}
