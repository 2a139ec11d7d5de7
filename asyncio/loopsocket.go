package asyncio

import (
	"io"
	"net"
	"os"
	"syscall"
)

// A loopSocket is a connected TCP or Unix socket that the loop owns
// outright: its descriptor was taken out of package net (duplicated, and
// the net.Conn closed), so that the loop's poller alone watches it (see
// polled.go). Go's netpoller watches every net.Conn, and a thread of it
// waiting in epoll_wait would be woken by every message the loop's sockets
// receive, even those the loop reads itself: on a busy loop that is most of
// the cost of a write(2). Its methods are the loop's alone, and never wait:
// Read and Write return syscall.EAGAIN when the socket has nothing to read,
// or no room to write.
type loopSocket struct {
	fd            int
	network       string // "tcp" or "unix", for errors
	local, remote net.Addr
	closed        bool
}

// newLoopSocket returns a loopSocket on a duplicate of c's descriptor, or
// nil if c is not a TCP or Unix connection, or cannot be duplicated. The
// caller closes c once it has what it needs from it.
func newLoopSocket(c byteStream) *loopSocket {
	network := socketNetwork(c)
	if network == "" {
		return nil
	}
	nc := c.(net.Conn)
	fd, err := dupDescriptor(nc.(syscall.Conn))
	if err != nil {
		return nil
	}
	return &loopSocket{fd: fd, network: network, local: nc.LocalAddr(), remote: nc.RemoteAddr()}
}

// dupDescriptor duplicates c's descriptor, close-on-exec, for the loop to
// own once c is closed.
func dupDescriptor(c syscall.Conn) (int, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return -1, err
	}
	fd := -1
	if cerr := rc.Control(func(s uintptr) { fd, err = dupSocket(s) }); cerr != nil {
		return -1, cerr
	}
	return fd, err
}

// Read reads what the socket holds now into p: io.EOF once the peer has
// shut down its writing, syscall.EAGAIN if nothing has come.
func (s *loopSocket) Read(p []byte) (int, error) {
	n, err := retryEINTR(sockRead, s.fd, p)
	switch {
	case err == syscall.EAGAIN:
		return 0, err
	case err != nil:
		return 0, s.opError("read", os.NewSyscallError("read", err))
	case n == 0 && len(p) > 0:
		return 0, io.EOF
	}
	return n, nil
}

// Write writes what the socket takes of p now, and returns syscall.EAGAIN,
// unwrapped, if it takes nothing.
func (s *loopSocket) Write(p []byte) (int, error) {
	n, err := retryEINTR(sockWrite, s.fd, p)
	if err != nil && err != syscall.EAGAIN {
		err = s.opError("write", os.NewSyscallError("write", err))
	}
	return max(n, 0), err
}

func retryEINTR(call func(int, []byte) (int, error), fd int, p []byte) (int, error) {
	for {
		n, err := call(fd, p)
		if err != syscall.EINTR {
			return n, err
		}
	}
}

// CloseWrite shuts down the socket's writing: the peer reads EOF.
func (s *loopSocket) CloseWrite() error {
	if err := sockShutdownWrite(s.fd); err != nil {
		return s.opError("close", os.NewSyscallError("shutdown", err))
	}
	return nil
}

// Close closes the socket; the poller must have stopped watching it.
func (s *loopSocket) Close() error {
	if s.closed {
		return s.opError("close", net.ErrClosed)
	}
	s.closed = true
	return sockClose(s.fd)
}

// netConn hands the socket back to package net, for a stream that the loop
// does not read itself (StartTLS's): the loopSocket is closed, whatever
// the outcome.
func (s *loopSocket) netConn() (net.Conn, error) {
	if s.closed {
		return nil, s.opError("close", net.ErrClosed)
	}
	f := os.NewFile(uintptr(s.fd), s.network)
	s.closed = true
	defer f.Close()
	return net.FileConn(f)
}

func (s *loopSocket) LocalAddr() net.Addr  { return s.local }
func (s *loopSocket) RemoteAddr() net.Addr { return s.remote }

func (s *loopSocket) opError(op string, err error) error {
	return &net.OpError{Op: op, Net: s.network, Source: s.local, Addr: s.remote, Err: err}
}
