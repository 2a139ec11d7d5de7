package asyncio

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"
)

// runInternal runs body as the main task on the virtual clock.
func runInternal(t *testing.T, body func(a *A) error) {
	t.Helper()
	_, err := Run(context.Background(), Async(func(a *A) (struct{}, error) {
		return struct{}{}, body(a)
	}), WithVirtualTime())
	if err != nil {
		t.Fatalf("Run() = %v, want nil", err)
	}
}

// withoutPoller makes a's loop receive and send datagrams through
// goroutines, as where it has no poller: before its first socket.
func withoutPoller(t *testing.T, a *A) {
	t.Helper()
	task, err := currentTask(a)
	if err != nil || task.loop.poller != nil {
		t.Fatalf("withoutPoller: the loop has a poller already (%v)", err)
	}
	task.loop.noPoller = true
}

// TestDatagramWokenThenCancelled checks that a RecvFrom woken for a
// datagram and cancelled before it runs passes the datagram on to the next
// task waiting, instead of leaving it queued with a task asleep.
func TestDatagramWokenThenCancelled(t *testing.T) {
	runInternal(t, func(a *A) error {
		e, err := CreateDatagramEndpoint(a, WithLocalAddr("127.0.0.1", 0))
		if err != nil {
			return err
		}
		defer e.Close()
		recv := func(a *A) ([]byte, error) {
			data, _, err := e.RecvFrom(a)
			return data, err
		}
		first := CreateTask(a, Async(recv))
		second := CreateTask(a, Async(recv))
		if err := Sleep(a, 0); err != nil {
			return err
		}
		// As the receive goroutine hands a datagram over: it wakes the
		// first waiter, which is cancelled before it runs.
		e.held.Add(1)
		e.arrived(received{data: []byte("one")})
		first.Cancel("")
		if _, err := first.Await(a); !errors.Is(err, ErrCanceled) {
			t.Errorf("first RecvFrom = %v, want its cancellation", err)
		}
		got, err := WaitFor(a, second, time.Second)
		if err != nil {
			t.Errorf("second RecvFrom = %v, want the datagram the cancelled one was woken for", err)
		} else if string(got) != "one" {
			t.Errorf("second RecvFrom = %q, want \"one\"", got)
		}
		return nil
	})
}

// TestDatagramSendQueue sends through the send goroutine, as where the
// loop cannot send itself (or the socket's buffer is full): what fits in
// the queue is sent, in order; beyond it SendTo returns ErrSendQueueFull;
// Close sends what is queued before it closes the socket.
func TestDatagramSendQueue(t *testing.T) {
	peer, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	to := peer.LocalAddr().(*net.UDPAddr).AddrPort()
	runInternal(t, func(a *A) error {
		withoutPoller(t, a)
		e, err := CreateDatagramEndpoint(a, WithLocalAddr("127.0.0.1", 0), WithDatagramQueue(2))
		if err != nil {
			return err
		}
		e.direct = directSender{}
		for _, msg := range []string{"a", "b", "c"} {
			if err := e.SendTo([]byte(msg), to); err != nil {
				t.Errorf("SendTo(%q) = %v, want nil", msg, err)
			}
		}
		if err := e.SendTo([]byte("d"), to); !errors.Is(err, ErrSendQueueFull) {
			t.Errorf("SendTo beyond the queue = %v, want ErrSendQueueFull", err)
		}
		e.Close()
		for !e.sockShut { // Run would drop what is not sent
			if err := Sleep(a, 0); err != nil {
				return err
			}
		}
		return nil
	})
	peerReads(t, peer, "a", "b", "c")
}

// TestDatagramSendErrorsReceived checks that the error of a queued send
// comes back through RecvFrom, as Python's error_received.
func TestDatagramSendErrorsReceived(t *testing.T) {
	runInternal(t, func(a *A) error {
		withoutPoller(t, a)
		e, err := CreateDatagramEndpoint(a, WithLocalAddr("127.0.0.1", 0))
		if err != nil {
			return err
		}
		defer e.Close()
		e.direct = directSender{}
		// An IPv4 socket cannot send to an IPv6 address.
		if err := e.SendTo([]byte("x"), netip.MustParseAddrPort("[::1]:9")); err != nil {
			return err
		}
		if _, _, err := e.RecvFrom(a); err == nil {
			t.Errorf("RecvFrom() after a failed queued send = nil error, want the send's error")
		}
		return nil
	})
}

// TestDatagramAbortWhileSending aborts an endpoint (as shutdown does) while
// its send goroutine holds a batch: once the goroutine has come back, the
// loop has forgotten the endpoint.
func TestDatagramAbortWhileSending(t *testing.T) {
	runInternal(t, func(a *A) error {
		withoutPoller(t, a)
		e, err := CreateDatagramEndpoint(a, WithLocalAddr("127.0.0.1", 0))
		if err != nil {
			return err
		}
		e.direct = directSender{}
		if err := e.SendTo([]byte("x"), e.LocalAddr()); err != nil {
			return err
		}
		e.abort()
		for e.sending || !e.recvDone {
			if err := Sleep(a, 0); err != nil {
				return err
			}
		}
		if _, ok := e.loop.datagrams[e]; ok {
			t.Errorf("the loop still holds the endpoint after its socket closed and its goroutines came back")
		}
		return nil
	})
}

// TestDatagramQueueReusesRoom keeps a datagram always waiting while many
// pass through the queue: its memory stays that of the few it holds.
func TestDatagramQueueReusesRoom(t *testing.T) {
	runInternal(t, func(a *A) error {
		e, err := CreateDatagramEndpoint(a, WithLocalAddr("127.0.0.1", 0))
		if err != nil {
			return err
		}
		defer e.Close()
		e.held.Add(1)
		e.arrived(received{data: []byte("0")})
		for i := 1; i <= 1000; i++ {
			e.held.Add(1)
			e.arrived(received{data: []byte("x")})
			if _, _, err := e.RecvFrom(a); err != nil {
				return err
			}
		}
		if got := cap(e.queue); got > 8 {
			t.Errorf("cap(queue) = %d after 1,000 datagrams with at most 2 held, want it small", got)
		}
		return nil
	})
}

// peerReads reads datagrams on peer and checks that they are want, in
// order.
func peerReads(t *testing.T, peer *net.UDPConn, want ...string) {
	t.Helper()
	buf := make([]byte, 16)
	for _, w := range want {
		if err := peer.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
			t.Fatal(err)
		}
		n, _, err := peer.ReadFromUDPAddrPort(buf)
		if err != nil {
			t.Fatalf("peer read: %v, want %q", err, w)
		}
		if got := string(buf[:n]); got != w {
			t.Errorf("peer got %q, want %q", got, w)
		}
	}
}
