//go:build linux

package asyncio

import (
	"net"
	"net/netip"
	"strconv"
	"syscall"
	"unsafe"
)

// The system calls of a polled datagram endpoint (see datagram_polled.go).

// sockInet6 reports whether socket fd is AF_INET6.
func sockInet6(fd int) (bool, error) {
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		return false, err
	}
	_, inet6 := sa.(*syscall.SockaddrInet6)
	return inet6, nil
}

// sockRecvfrom reads one datagram into p and returns its sender, IPv4
// unmapped: syscall.EAGAIN if none has come. Unlike syscall.Recvfrom, it
// allocates no Sockaddr.
func sockRecvfrom(fd int, p []byte) (int, netip.AddrPort, error) {
	var rsa syscall.RawSockaddrAny
	for {
		size := uint32(syscall.SizeofSockaddrAny)
		n, _, errno := syscall.Syscall6(syscall.SYS_RECVFROM, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(p))), uintptr(len(p)), 0, uintptr(unsafe.Pointer(&rsa)), uintptr(unsafe.Pointer(&size)))
		switch {
		case errno == syscall.EINTR:
			continue
		case errno != 0:
			return 0, netip.AddrPort{}, errno
		}
		return int(n), rawAddrPort(&rsa), nil
	}
}

// rawAddrPort returns an AF_INET or AF_INET6 address as an AddrPort, IPv4
// unmapped, as package net reads senders: the zero AddrPort for another
// family.
func rawAddrPort(rsa *syscall.RawSockaddrAny) netip.AddrPort {
	switch rsa.Addr.Family {
	case syscall.AF_INET:
		sa := (*syscall.RawSockaddrInet4)(unsafe.Pointer(rsa))
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), networkPort(&sa.Port))
	case syscall.AF_INET6:
		sa := (*syscall.RawSockaddrInet6)(unsafe.Pointer(rsa))
		a := netip.AddrFrom16(sa.Addr).Unmap()
		if sa.Scope_id != 0 && a.Is6() {
			a = a.WithZone(zoneName(sa.Scope_id))
		}
		return netip.AddrPortFrom(a, networkPort(&sa.Port))
	}
	return netip.AddrPort{}
}

// networkPort reads a port in network byte order.
func networkPort(p *uint16) uint16 {
	b := (*[2]byte)(unsafe.Pointer(p))
	return uint16(b[0])<<8 | uint16(b[1])
}

// zoneName returns the name of interface index, or the index in decimal.
func zoneName(index uint32) string {
	if ifi, err := net.InterfaceByIndex(int(index)); err == nil {
		return ifi.Name
	}
	return strconv.FormatUint(uint64(index), 10)
}

// zoneIndex returns the index of the interface a zone names (by name or in
// decimal), or 0.
func zoneIndex(zone string) uint32 {
	if zone == "" {
		return 0
	}
	if n, err := strconv.ParseUint(zone, 10, 32); err == nil {
		return uint32(n)
	}
	if ifi, err := net.InterfaceByName(zone); err == nil {
		return uint32(ifi.Index)
	}
	return 0
}

// A sockaddr spells the addresses a polled endpoint sends to, in the
// socket's family, reusing its own room: a send allocates nothing.
type sockaddr struct {
	sa4 syscall.SockaddrInet4
	sa6 syscall.SockaddrInet6
}

// sockSendto sends p in one datagram to to, or, if to is the zero
// AddrPort, to the connected address, without waiting: syscall.EAGAIN if
// the socket has no room for it. inet6 says the socket's family; sa is the
// room of the address. Tests replace it to fill the socket.
var sockSendto = sendtoSock

func sendtoSock(fd int, p []byte, to netip.AddrPort, inet6 bool, sa *sockaddr) error {
	for {
		var err error
		a := to.Addr()
		switch {
		case !to.IsValid():
			_, err = syscall.Write(fd, p)
		case inet6 || !a.Unmap().Is4():
			// An IPv6 address on an IPv4 socket: the socket refuses it.
			sa.sa6 = syscall.SockaddrInet6{Port: int(to.Port()), Addr: a.As16(), ZoneId: zoneIndex(a.Zone())}
			err = syscall.Sendto(fd, p, 0, &sa.sa6)
		default:
			sa.sa4 = syscall.SockaddrInet4{Port: int(to.Port()), Addr: a.Unmap().As4()}
			err = syscall.Sendto(fd, p, 0, &sa.sa4)
		}
		if err != syscall.EINTR {
			return err
		}
	}
}
