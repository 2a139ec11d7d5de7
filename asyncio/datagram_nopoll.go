//go:build !linux

package asyncio

import (
	"errors"
	"net/netip"
)

// Without a poller (see poller_other.go) a goroutine receives and sends on
// every datagram endpoint: these are never called.

type sockaddr struct{}

func sockInet6(int) (bool, error) { return false, errors.ErrUnsupported }

func sockRecvfrom(int, []byte) (int, netip.AddrPort, error) {
	return 0, netip.AddrPort{}, errors.ErrUnsupported
}

func sockSendto(int, []byte, netip.AddrPort, bool, *sockaddr) error {
	return errors.ErrUnsupported
}
