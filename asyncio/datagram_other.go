//go:build !unix

package asyncio

import (
	"net"
	"net/netip"
)

// A directSender sends nothing itself elsewhere than on Unix, where a
// socket's descriptor may block: every datagram goes through the send
// goroutine.
type directSender struct{}

func (*directSender) init(*net.UDPConn) {}

func (*directSender) send([]byte, netip.AddrPort, bool) (bool, error) { return false, nil }
