//go:build linux

package asyncio

import (
	"errors"
	"net"
	"net/netip"
	"syscall"
	"testing"
)

// TestPolledDatagramSendQueue fills a polled endpoint's socket: what it
// does not take is queued, in order, up to the queue's bound, counted as
// work that ends soon; the poller's report of room sends it; Close sends
// what is queued before it closes the socket, and leaves no descriptor
// watched.
func TestPolledDatagramSendQueue(t *testing.T) {
	peer, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	to := peer.LocalAddr().(*net.UDPAddr).AddrPort()
	full := true
	defer func() { sockSendto = sendtoSock }()
	sockSendto = func(fd int, p []byte, to netip.AddrPort, inet6 bool, sa *sockaddr) error {
		if full {
			return syscall.EAGAIN
		}
		return sendtoSock(fd, p, to, inet6, sa)
	}
	runInternal(t, func(a *A) error {
		e, err := CreateDatagramEndpoint(a, WithLocalAddr("127.0.0.1", 0), WithDatagramQueue(2))
		if err != nil {
			return err
		}
		if !e.polled {
			t.Fatal("the endpoint is not polled")
		}
		for _, msg := range []string{"a", "b"} {
			if err := e.SendTo([]byte(msg), to); err != nil {
				t.Errorf("SendTo(%q) = %v, want nil", msg, err)
			}
		}
		if err := e.SendTo([]byte("c"), to); !errors.Is(err, ErrSendQueueFull) {
			t.Errorf("SendTo beyond the queue = %v, want ErrSendQueueFull", err)
		}
		if got := e.sendWork.kind; got != arrivingWork {
			t.Errorf("sends queued count as %v, want arrivingWork", got)
		}
		full = false
		e.pollReady(false, true, false) // as the poller, when the socket has room
		if len(e.outq) != 0 || e.sendWork.kind != noWork {
			t.Errorf("after room came: %d queued, work %v; want none", len(e.outq), e.sendWork.kind)
		}
		full = true
		if err := e.SendTo([]byte("c"), to); err != nil {
			t.Errorf("SendTo(\"c\") = %v, want nil", err)
		}
		e.Close()
		if e.sockShut {
			t.Errorf("Close closed the socket with a datagram still queued")
		}
		full = false
		e.pollReady(false, true, false)
		if !e.sockShut || e.loop.poller.active() {
			t.Errorf("after the last send: socket closed %v, poller watching %v; want closed, none", e.sockShut, e.loop.poller.active())
		}
		if _, ok := e.loop.datagrams[e]; ok {
			t.Errorf("the loop still holds the endpoint after its socket closed")
		}
		return nil
	})
	peerReads(t, peer, "a", "b", "c")
}

// TestPolledDatagramBatches floods a polled endpoint with more datagrams
// than one callback reads: they are all received, in order, the loop
// reading them over several callbacks.
func TestPolledDatagramBatches(t *testing.T) {
	const n = 3 * maxRecvBatch
	runInternal(t, func(a *A) error {
		e, err := CreateDatagramEndpoint(a, WithLocalAddr("127.0.0.1", 0))
		if err != nil {
			return err
		}
		defer e.Close()
		peer, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(e.LocalAddr()))
		if err != nil {
			return err
		}
		defer peer.Close()
		for i := range n {
			if _, err := peer.Write([]byte{byte(i)}); err != nil {
				return err
			}
		}
		for i := range n {
			data, _, err := e.RecvFrom(a)
			if err != nil {
				return err
			}
			if len(data) != 1 || data[0] != byte(i) {
				t.Fatalf("datagram %d = %v, want [%d]", i, data, i)
			}
		}
		if e.Dropped() != 0 {
			t.Errorf("Dropped() = %d, want 0", e.Dropped())
		}
		return nil
	})
}
