//go:build unix

package asyncio

import (
	"net"
	"net/netip"
	"os"
	"syscall"
)

// A directSender makes the loop's non-blocking sends of a datagram
// endpoint: one sendto(2) on the socket, which never waits, as Python's
// transport.sendto tries sock.sendto first. It saves a goroutine and two
// hand-overs per datagram.
type directSender struct {
	raw   syscall.RawConn // nil if the socket cannot be reached
	inet6 bool            // the socket is AF_INET6
	write func(fd uintptr) bool

	// The send in progress.
	buf []byte
	sa  syscall.Sockaddr // nil: the connected address
	sa4 syscall.SockaddrInet4
	sa6 syscall.SockaddrInet6
	err error
}

func (s *directSender) init(c *net.UDPConn) {
	raw, err := c.SyscallConn()
	if err != nil {
		return
	}
	var sa syscall.Sockaddr
	if cerr := raw.Control(func(fd uintptr) { sa, err = syscall.Getsockname(int(fd)) }); cerr != nil || err != nil {
		return
	}
	_, s.inet6 = sa.(*syscall.SockaddrInet6)
	s.raw = raw
	s.write = s.rawSend
}

// send makes one non-blocking send of p to addr (the connected address if
// connected) and reports whether the socket took it; false and a nil error
// mean that it must be queued.
func (s *directSender) send(p []byte, to netip.AddrPort, connected bool) (bool, error) {
	if s.raw == nil {
		return false, nil
	}
	s.sa = nil
	if !connected {
		if s.sa = s.sockaddr(to); s.sa == nil {
			return false, nil // the send goroutine reports it
		}
	}
	s.buf = p
	err := s.raw.Write(s.write)
	werr := s.err
	s.buf, s.sa, s.err = nil, nil, nil
	switch {
	case err != nil:
		return false, err
	case werr == syscall.EAGAIN || werr == syscall.EINTR:
		return false, nil
	case werr != nil:
		return false, &net.OpError{Op: "write", Net: "udp", Addr: net.UDPAddrFromAddrPort(to), Err: os.NewSyscallError("sendto", werr)}
	}
	return true, nil
}

// rawSend is send's callback to syscall.RawConn.Write: one send, and done,
// whatever it returned.
func (s *directSender) rawSend(fd uintptr) bool {
	if s.sa == nil {
		_, s.err = syscall.Write(int(fd), s.buf)
	} else {
		s.err = syscall.Sendto(int(fd), s.buf, 0, s.sa)
	}
	return true
}

// sockaddr returns to as the socket's family spells it, or nil if it
// cannot (a zoned address, or IPv6 on an IPv4 socket).
func (s *directSender) sockaddr(to netip.AddrPort) syscall.Sockaddr {
	a := to.Addr()
	switch {
	case a.Zone() != "":
		return nil
	case s.inet6:
		s.sa6 = syscall.SockaddrInet6{Port: int(to.Port()), Addr: a.As16()}
		return &s.sa6
	case a.Unmap().Is4():
		s.sa4 = syscall.SockaddrInet4{Port: int(to.Port()), Addr: a.Unmap().As4()}
		return &s.sa4
	}
	return nil
}
