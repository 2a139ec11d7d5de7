//go:build linux

package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// Attacks on the polled datagram endpoints (datagram_polled.go): floods,
// cancellation, errors, odd sizes, Close, the virtual clock.

// recvWithin is RecvFrom that gives up after d, returning ErrTimeout.
func recvWithin(a *asyncio.A, e *asyncio.DatagramEndpoint, d time.Duration) (received, error) {
	return asyncio.WaitFor(a, asyncio.Async(func(a *asyncio.A) (received, error) {
		data, from, err := e.RecvFrom(a)
		return received{data, from}, err
	}), d)
}

type received struct {
	data []byte
	from netip.AddrPort
}

// udpPeer is a plain Go UDP socket on host; the caller closes it (before
// the leak check).
func udpPeer(t *testing.T, host string) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(netip.MustParseAddr(host), 0)))
	if err != nil {
		t.Skipf("no %s: %v", host, err)
	}
	return c
}

func peerAddr(c *net.UDPConn) netip.AddrPort {
	ap := c.LocalAddr().(*net.UDPAddr).AddrPort()
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}

// Several senders flood a slow receiver beyond its queue, over IPv4 and
// IPv6: what is not delivered is counted, exactly (the flood stays well
// under the socket's buffer, so that the kernel drops nothing), every
// sender's datagrams come in its order, none twice.
func TestPolledDatagramFloodSenders(t *testing.T) {
	for _, host := range []string{"127.0.0.1", "::1"} {
		t.Run(host, func(t *testing.T) {
			defer streamLeakCheck(t)()
			const queue, senders, each = 8, 4, 25
			streamRun(t, func(a *asyncio.A) error {
				e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr(host, 0), asyncio.WithDatagramQueue(queue))
				if err != nil {
					t.Skipf("no %s: %v", host, err)
				}
				defer e.Close()
				var wg sync.WaitGroup
				errs := make(chan error, senders)
				for s := range senders {
					wg.Add(1)
					go func() {
						defer wg.Done()
						c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(e.LocalAddr()))
						if err != nil {
							errs <- err
							return
						}
						defer c.Close()
						for i := range each {
							if _, err := c.Write([]byte(fmt.Sprintf("%d:%d", s, i))); err != nil {
								errs <- err
								return
							}
						}
					}()
				}
				last := map[string]int{}
				got := 0
				total := int64(senders * each)
				for deadline := time.Now().Add(10 * time.Second); int64(got)+e.Dropped() < total; {
					if time.Now().After(deadline) {
						return fmt.Errorf("received %d + dropped %d, want %d", got, e.Dropped(), total)
					}
					r, err := recvWithin(a, e, 100*time.Millisecond)
					if errors.Is(err, asyncio.ErrTimeout) {
						continue
					}
					if err != nil {
						return err
					}
					got++
					s, i, _ := strings.Cut(string(r.data), ":")
					n, _ := strconv.Atoi(i)
					if p, ok := last[s]; ok && n <= p {
						t.Errorf("sender %s: datagram %d after %d", s, n, p)
					}
					last[s] = n
					// A slow receiver.
					if err := asyncio.Sleep(a, time.Millisecond); err != nil {
						return err
					}
				}
				wg.Wait()
				close(errs)
				for err := range errs {
					return err
				}
				// Nothing more comes: the count is exact.
				if _, err := recvWithin(a, e, 50*time.Millisecond); !errors.Is(err, asyncio.ErrTimeout) {
					t.Errorf("RecvFrom after received %d + dropped %d = sent %d: %v, want nothing left", got, e.Dropped(), total, err)
				}
				if int64(got)+e.Dropped() != total {
					t.Errorf("received %d + dropped %d, want %d sent", got, e.Dropped(), total)
				}
				if got < queue {
					t.Errorf("received %d, want at least the queue (%d)", got, queue)
				}
				return nil
			})
		})
	}
}

// A flood far beyond the socket buffer at an endpoint nobody reads: it
// holds its queue and no more; what it counts dropped plus what it holds is
// at most what was sent (the kernel drops the rest), and memory does not
// grow with the flood.
func TestPolledDatagramFloodMemoryBounded(t *testing.T) {
	defer streamLeakCheck(t)()
	const queue, flood, size = 16, 20000, 1000
	streamRun(t, func(a *asyncio.A) error {
		e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0), asyncio.WithDatagramQueue(queue))
		if err != nil {
			return err
		}
		defer e.Close()
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		done := make(chan error, 1)
		go func() {
			c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(e.LocalAddr()))
			if err != nil {
				done <- err
				return
			}
			defer c.Close()
			buf := make([]byte, size)
			for i := range flood {
				if _, err := c.Write(buf); err != nil {
					done <- err
					return
				}
				if i%100 == 0 {
					_ = e.Dropped() // any goroutine may ask
				}
			}
			done <- nil
		}()
		var sendErr error
	wait:
		for {
			select {
			case sendErr = <-done:
				break wait
			default:
				if err := asyncio.Sleep(a, time.Millisecond); err != nil {
					return err
				}
			}
		}
		if sendErr != nil {
			return sendErr
		}
		// Let the loop read what is left in the socket.
		for range 20 {
			if err := asyncio.Sleep(a, time.Millisecond); err != nil {
				return err
			}
		}
		var after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&after)
		if grown := int64(after.HeapInuse) - int64(before.HeapInuse); grown > 4<<20 {
			t.Errorf("heap grew by %d bytes during a flood of %d datagrams with a queue of %d", grown, flood, queue)
		}
		dropped := e.Dropped()
		if dropped == 0 || dropped+queue > flood {
			t.Errorf("Dropped() = %d after %d sent to a queue of %d: want >0 and at most %d", dropped, flood, queue, flood-queue)
		}
		for i := range queue {
			r, err := recvWithin(a, e, time.Second)
			if err != nil {
				return fmt.Errorf("datagram %d of the full queue: %w", i, err)
			}
			if len(r.data) != size {
				t.Errorf("datagram %d: %d bytes, want %d", i, len(r.data), size)
			}
		}
		if _, err := recvWithin(a, e, 20*time.Millisecond); !errors.Is(err, asyncio.ErrTimeout) {
			t.Errorf("RecvFrom beyond the queue = %v, want nothing (the queue held %d)", err, queue)
		}
		return nil
	})
}

// RecvFrom cancelled at every point: several waiters with one cancelled
// before data, and a waiter cancelled after 0..N loop turns once a
// datagram was sent (before the poller reports it, while it is read, after
// the waiter was woken): the datagram always goes to exactly one waiter,
// none is lost, the order is kept.
func TestPolledDatagramRecvFromCancelEverywhere(t *testing.T) {
	defer streamLeakCheck(t)()
	for seed := range uint64(9) {
		var opts []asyncio.Option
		if seed > 0 {
			opts = append(opts, asyncio.WithSeed(seed))
		}
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) { recvFromCancelEverywhere(t, opts) })
	}
}

func recvFromCancelEverywhere(t *testing.T, opts []asyncio.Option) {
	streamRun(t, func(a *asyncio.A) error {
		e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
		if err != nil {
			return err
		}
		defer e.Close()
		// Several waiters, the middle one cancelled before data (in order
		// without a seed).
		w1, w2, w3 := startRecvFrom(a, e), startRecvFrom(a, e), startRecvFrom(a, e)
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		w2.Cancel("")
		for _, m := range []string{"one", "two"} {
			if err := e.SendTo([]byte(m), e.LocalAddr()); err != nil {
				return err
			}
		}
		d1, err1 := w1.Await(a)
		if _, err := w2.Await(a); !errors.Is(err, asyncio.ErrCanceled) {
			t.Errorf("cancelled waiter = %v, want a cancellation", err)
		}
		d3, err3 := w3.Await(a)
		if got := string(d1) + string(d3); err1 != nil || err3 != nil || (got != "onetwo" && (len(opts) == 0 || got != "twoone")) {
			t.Errorf("first and third waiters = %q, %v and %q, %v; want \"one\" and \"two\"", d1, err1, d3, err3)
		}
		// One waiter cancelled after k turns of the loop, with a second
		// waiting behind it.
		for k := range 40 {
			first, second := startRecvFrom(a, e), startRecvFrom(a, e)
			if err := asyncio.Sleep(a, 0); err != nil {
				return err
			}
			msg := "m" + strconv.Itoa(k)
			if err := e.SendTo([]byte(msg), e.LocalAddr()); err != nil {
				return err
			}
			for range k % 8 {
				if err := asyncio.Sleep(a, 0); err != nil {
					return err
				}
			}
			if k >= 8 {
				time.Sleep(time.Duration(k%3) * time.Millisecond) // let the poller see it, the loop held
			}
			first.Cancel("")
			d1, err1 := first.Await(a)
			if err1 == nil {
				// first took it before the cancellation: second gets the next one.
				if string(d1) != msg {
					t.Errorf("k=%d: first = %q, want %q", k, d1, msg)
				}
				if err := e.SendTo([]byte("next"), e.LocalAddr()); err != nil {
					return err
				}
				msg = "next"
			} else if !errors.Is(err1, asyncio.ErrCanceled) {
				t.Errorf("k=%d: first = %v", k, err1)
			}
			d2, err2 := asyncio.WaitFor(a, second, 2*time.Second)
			if err2 != nil || string(d2) != msg {
				t.Fatalf("k=%d: second = %q, %v; want %q (first: %q, %v): a datagram lost", k, d2, err2, msg, d1, err1)
			}
		}
		if _, err := recvWithin(a, e, 20*time.Millisecond); !errors.Is(err, asyncio.ErrTimeout) {
			t.Errorf("RecvFrom at the end = %v, want nothing left", err)
		}
		return nil
	}, opts...)
}

// Waiters cancelled at random while a peer floods: every datagram is
// delivered to a RecvFrom that returned it, or counted dropped, or still
// queued; none is lost by a cancellation.
func TestPolledDatagramRecvFromCancelDuringFlood(t *testing.T) {
	defer streamLeakCheck(t)()
	const total, queue = 300, 1000
	streamRun(t, func(a *asyncio.A) error {
		e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0), asyncio.WithDatagramQueue(queue))
		if err != nil {
			return err
		}
		defer e.Close()
		done := make(chan error, 1)
		go func() {
			c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(e.LocalAddr()))
			if err != nil {
				done <- err
				return
			}
			defer c.Close()
			for i := range total {
				if _, err := c.Write([]byte(strconv.Itoa(i))); err != nil {
					done <- err
					return
				}
				if i%10 == 0 {
					time.Sleep(100 * time.Microsecond)
				}
			}
			done <- nil
		}()
		seen := map[string]bool{}
		next := 0
		for round := 0; len(seen) < total; round++ {
			if round > 100000 {
				return fmt.Errorf("received %d of %d, dropped %d", len(seen), total, e.Dropped())
			}
			ws := []*asyncio.Task[[]byte]{startRecvFrom(a, e), startRecvFrom(a, e), startRecvFrom(a, e)}
			if err := asyncio.Sleep(a, 0); err != nil {
				return err
			}
			ws[round%3].Cancel("")
			for _, w := range ws {
				d, err := asyncio.WaitFor(a, w, 20*time.Millisecond)
				if err != nil {
					if !errors.Is(err, asyncio.ErrCanceled) && !errors.Is(err, asyncio.ErrTimeout) {
						return err
					}
					continue
				}
				if string(d) != strconv.Itoa(next) {
					t.Fatalf("received %q, want %q: a datagram lost or out of order", d, strconv.Itoa(next))
				}
				next++
				seen[string(d)] = true
			}
		}
		if err := <-done; err != nil {
			return err
		}
		if e.Dropped() != 0 {
			t.Errorf("Dropped() = %d with a queue of %d", e.Dropped(), queue)
		}
		return nil
	})
}

// A connected endpoint, IPv4 and IPv6: the ICMP port unreachable of a send
// to a closed port comes back through RecvFrom once; once someone listens
// there the endpoint sends and receives; another address is refused.
func TestPolledDatagramConnectedICMP(t *testing.T) {
	for _, host := range []string{"127.0.0.1", "::1"} {
		t.Run(host, func(t *testing.T) {
			defer streamLeakCheck(t)()
			streamRun(t, func(a *asyncio.A) error {
				ln := udpPeer(t, host)
				defer ln.Close()
				port := peerAddr(ln)
				ln.Close()
				e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithRemoteAddr(host, int(port.Port())))
				if err != nil {
					return err
				}
				defer e.Close()
				other := netip.AddrPortFrom(netip.MustParseAddr(host), 9)
				if err := e.SendTo([]byte("x"), other); !errors.Is(err, net.ErrWriteToConnected) {
					t.Errorf("SendTo(%v) on a connected endpoint = %v, want net.ErrWriteToConnected", other, err)
				}
				if err := e.SendTo([]byte("x"), port); err != nil {
					t.Errorf("SendTo(its own remote address) = %v, want nil", err)
				}
				r, err := recvWithin(a, e, 2*time.Second)
				if !errors.Is(err, syscall.ECONNREFUSED) {
					t.Errorf("RecvFrom after a send to a closed port = %q, %v; want ECONNREFUSED", r.data, err)
				}
				if r, err := recvWithin(a, e, 50*time.Millisecond); !errors.Is(err, asyncio.ErrTimeout) {
					t.Errorf("second RecvFrom = %q, %v; want nothing (the error comes once)", r.data, err)
				}
				// Someone listens there now.
				srv, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(port))
				if err != nil {
					t.Logf("port taken meanwhile: %v", err)
					return nil
				}
				defer srv.Close()
				if err := e.SendTo([]byte("hello"), netip.AddrPort{}); err != nil {
					return fmt.Errorf("SendTo after the ICMP error: %w", err)
				}
				buf := make([]byte, 100)
				srv.SetReadDeadline(time.Now().Add(2 * time.Second))
				n, from, err := srv.ReadFromUDPAddrPort(buf)
				if err != nil {
					return err
				}
				if string(buf[:n]) != "hello" {
					t.Errorf("peer received %q", buf[:n])
				}
				if _, err := srv.WriteToUDPAddrPort([]byte("back"), from); err != nil {
					return err
				}
				r, err = recvWithin(a, e, 2*time.Second)
				if err != nil || string(r.data) != "back" || r.from != port {
					t.Errorf("RecvFrom = %q from %v, %v; want \"back\" from %v", r.data, r.from, err, port)
				}
				return nil
			})
		})
	}
}

// An unconnected endpoint on the IPv6 wildcard receives from IPv4 and IPv6
// senders, sees their addresses as they are (IPv4 unmapped), and its
// replies reach them.
func TestPolledDatagramWildcardBothFamilies(t *testing.T) {
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("::", 0))
		if err != nil {
			t.Skipf("no IPv6: %v", err)
		}
		defer e.Close()
		for _, host := range []string{"127.0.0.1", "::1", "127.0.0.1", "::1"} {
			p := udpPeer(t, host)
			defer p.Close()
			to := netip.AddrPortFrom(netip.MustParseAddr(host), e.LocalAddr().Port())
			if _, err := p.WriteToUDPAddrPort([]byte("from "+host), to); err != nil {
				return err
			}
			r, err := recvWithin(a, e, 2*time.Second)
			if err != nil {
				return err
			}
			if want := peerAddr(p); string(r.data) != "from "+host || r.from != want || r.from.Addr().Is4In6() {
				t.Errorf("received %q from %v, want %q from %v", r.data, r.from, "from "+host, want)
			}
			if err := e.SendTo([]byte("reply"), r.from); err != nil {
				return err
			}
			buf := make([]byte, 100)
			p.SetReadDeadline(time.Now().Add(2 * time.Second))
			n, from, err := p.ReadFromUDPAddrPort(buf)
			if err != nil {
				return fmt.Errorf("%s peer: %w", host, err)
			}
			if string(buf[:n]) != "reply" || from.Port() != e.LocalAddr().Port() {
				t.Errorf("%s peer received %q from %v", host, buf[:n], from)
			}
		}
		return nil
	})
}

// Sizes: a datagram larger than UDP carries is refused by SendTo with a
// clear error, and the endpoint goes on; the largest fits, whole; empty
// datagrams go both ways, connected or not.
func TestPolledDatagramSizes(t *testing.T) {
	for _, c := range []struct {
		host string
		max  int
	}{{"127.0.0.1", 65507}, {"::1", 65527}} {
		t.Run(c.host, func(t *testing.T) {
			defer streamLeakCheck(t)()
			streamRun(t, func(a *asyncio.A) error {
				e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr(c.host, 0))
				if err != nil {
					t.Skipf("no %s: %v", c.host, err)
				}
				defer e.Close()
				p := udpPeer(t, c.host)
				defer p.Close()
				to := peerAddr(p)
				err = e.SendTo(make([]byte, c.max+1), to)
				if !errors.Is(err, syscall.EMSGSIZE) {
					t.Errorf("SendTo(%d bytes) = %v, want EMSGSIZE", c.max+1, err)
				}
				err = e.SendTo(make([]byte, 100000), to)
				if !errors.Is(err, syscall.EMSGSIZE) {
					t.Errorf("SendTo(100000 bytes) = %v, want EMSGSIZE", err)
				}
				buf := make([]byte, 1<<17)
				for _, size := range []int{c.max, 0, 1} {
					if err := e.SendTo(make([]byte, size), to); err != nil {
						t.Errorf("SendTo(%d bytes) = %v", size, err)
						continue
					}
					p.SetReadDeadline(time.Now().Add(2 * time.Second))
					n, _, err := p.ReadFromUDPAddrPort(buf)
					if err != nil || n != size {
						t.Errorf("peer received %d bytes, %v; want %d", n, err, size)
					}
					if _, err := p.WriteToUDPAddrPort(buf[:size], e.LocalAddr()); err != nil {
						return err
					}
					r, err := recvWithin(a, e, 2*time.Second)
					if err != nil || len(r.data) != size || r.from != to {
						t.Errorf("RecvFrom of %d bytes = %d bytes from %v, %v", size, len(r.data), r.from, err)
					}
				}
				// Connected: the empty datagram is a write(2) of nothing.
				cc, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithRemoteAddr(c.host, int(to.Port())))
				if err != nil {
					return err
				}
				defer cc.Close()
				if err := cc.SendTo(nil, netip.AddrPort{}); err != nil {
					t.Errorf("connected SendTo(nothing) = %v", err)
				}
				if err := cc.SendTo(make([]byte, c.max+1), netip.AddrPort{}); !errors.Is(err, syscall.EMSGSIZE) {
					t.Errorf("connected SendTo(%d bytes) = %v, want EMSGSIZE", c.max+1, err)
				}
				if err := cc.SendTo([]byte("after"), netip.AddrPort{}); err != nil {
					t.Errorf("connected SendTo after EMSGSIZE = %v", err)
				}
				for _, want := range []string{"", "after"} {
					p.SetReadDeadline(time.Now().Add(2 * time.Second))
					n, from, err := p.ReadFromUDPAddrPort(buf)
					if err != nil || string(buf[:n]) != want || from != cc.LocalAddr() {
						t.Errorf("peer received %q from %v, %v; want %q from %v", buf[:n], from, err, want, cc.LocalAddr())
						break
					}
				}
				if _, err := p.WriteToUDPAddrPort(nil, cc.LocalAddr()); err != nil {
					return err
				}
				r, err := recvWithin(a, cc, 2*time.Second)
				if err != nil || len(r.data) != 0 || r.from != to {
					t.Errorf("connected RecvFrom of nothing = %q from %v, %v", r.data, r.from, err)
				}
				return nil
			})
		})
	}
}

// Close: every waiter gets ErrEndpointClosed, a second Close does nothing,
// SendTo and RecvFrom after it fail; datagrams SendTo took before Close
// reach the peer (a burst, some perhaps queued) and the socket is closed.
func TestPolledDatagramCloseAttack(t *testing.T) {
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0), asyncio.WithDatagramQueue(64))
		if err != nil {
			return err
		}
		ws := []*asyncio.Task[[]byte]{startRecvFrom(a, e), startRecvFrom(a, e), startRecvFrom(a, e)}
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		p := udpPeer(t, "127.0.0.1")
		defer p.Close()
		if err := p.SetReadBuffer(8 << 20); err != nil {
			return err
		}
		// A burst of large datagrams, read as they come: the send buffer
		// may fill and queue some (on loopback it seldom does: the kernel
		// frees a datagram's room as it hands it over).
		const size = 60000
		// No more than the peer's buffer holds (where rmem_max is small
		// too), counting 128KiB a datagram, twice what the kernel charges.
		burst := 60
		if rc, err := p.SyscallConn(); err == nil {
			_ = rc.Control(func(fd uintptr) {
				if n, err := syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF); err == nil {
					burst = min(burst, max(n/(128<<10), 2))
				}
			})
		}
		counted := make(chan int, 1)
		go func() {
			got := 0
			buf := make([]byte, 1<<16)
			for {
				p.SetReadDeadline(time.Now().Add(time.Second))
				n, _, err := p.ReadFromUDPAddrPort(buf)
				if err != nil {
					counted <- got
					return
				}
				if n != size {
					t.Errorf("peer received %d bytes, want %d", n, size)
				}
				got++
			}
		}()
		sent := 0
		for i := range burst {
			err := e.SendTo(make([]byte, size), peerAddr(p))
			if errors.Is(err, asyncio.ErrSendQueueFull) {
				break
			}
			if err != nil {
				return fmt.Errorf("SendTo %d: %w", i, err)
			}
			sent++
		}
		e.Close()
		e.Close()
		for i, w := range ws {
			if _, err := w.Await(a); !errors.Is(err, asyncio.ErrEndpointClosed) {
				t.Errorf("waiter %d at Close = %v, want ErrEndpointClosed", i, err)
			}
		}
		if err := e.SendTo([]byte("x"), peerAddr(p)); !errors.Is(err, asyncio.ErrEndpointClosed) {
			t.Errorf("SendTo after Close = %v, want ErrEndpointClosed", err)
		}
		if _, _, err := e.RecvFrom(a); !errors.Is(err, asyncio.ErrEndpointClosed) {
			t.Errorf("RecvFrom after Close = %v, want ErrEndpointClosed", err)
		}
		// The loop turns while the peer reads: queued sends are flushed.
		got, err := asyncio.ToThread(a, func(context.Context) (int, error) { return <-counted, nil })
		if err != nil {
			return err
		}
		t.Logf("burst: SendTo took %d datagrams, the peer received %d", sent, got)
		if got != sent {
			t.Errorf("the peer received %d datagrams of %d SendTo took before Close", got, sent)
		}
		return nil
	})
}

// Run returning with endpoints open (one with a waiter, one with a burst
// just sent, one connected) leaves no descriptor and no goroutine.
func TestPolledDatagramRunReturnsOpen(t *testing.T) {
	defer streamLeakCheck(t)()
	for range 3 {
		err := streamRunErr(func(a *asyncio.A) error {
			p := udpPeer(t, "127.0.0.1")
			defer p.Close()
			e1, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
			if err != nil {
				return err
			}
			w := startRecvFrom(a, e1)
			e2, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("::", 0), asyncio.WithDatagramQueue(4))
			if err != nil {
				return err
			}
			for range 100 {
				if err := e2.SendTo(make([]byte, 60000), peerAddr(p)); err != nil {
					break
				}
			}
			if _, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithRemoteAddr("127.0.0.1", int(peerAddr(p).Port()))); err != nil {
				return err
			}
			if err := asyncio.Sleep(a, 0); err != nil {
				return err
			}
			w.Cancel("")
			_, _ = w.Await(a)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// The virtual clock: a task waits in RecvFrom on an endpoint nobody sends
// to while another sleeps an hour: the clock jumps, nothing hangs.
func TestPolledDatagramVirtualClockSilent(t *testing.T) {
	defer streamLeakCheck(t)()
	start := time.Now()
	streamRun(t, func(a *asyncio.A) error {
		e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
		if err != nil {
			return err
		}
		defer e.Close()
		w := startRecvFrom(a, e)
		t0 := asyncio.GetRunningLoop(a).Time()
		if err := asyncio.Sleep(a, time.Hour); err != nil {
			return err
		}
		if d := asyncio.GetRunningLoop(a).Time().Sub(t0); d < time.Hour {
			t.Errorf("slept %v of virtual time, want an hour", d)
		}
		e.Close()
		if _, err := w.Await(a); !errors.Is(err, asyncio.ErrEndpointClosed) {
			t.Errorf("waiter = %v, want ErrEndpointClosed", err)
		}
		return nil
	}, asyncio.WithVirtualTime())
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("an hour of virtual sleep beside a silent endpoint took %v", d)
	}
}

// The virtual clock with a real peer that answers within a few
// milliseconds, many times: no false DeadlockError, every answer comes.
func TestPolledDatagramVirtualClockRealPeer(t *testing.T) {
	defer streamLeakCheck(t)()
	p := udpPeer(t, "127.0.0.1")
	defer p.Close()
	go func() {
		buf := make([]byte, 100)
		for {
			n, from, err := p.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			time.Sleep(3 * time.Millisecond)
			_, _ = p.WriteToUDPAddrPort(buf[:n], from)
		}
	}()
	streamRun(t, func(a *asyncio.A) error {
		e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithRemoteAddr("127.0.0.1", int(peerAddr(p).Port())))
		if err != nil {
			return err
		}
		defer e.Close()
		for i := range 20 {
			msg := strconv.Itoa(i)
			if err := e.SendTo([]byte(msg), netip.AddrPort{}); err != nil {
				return err
			}
			data, _, err := e.RecvFrom(a)
			if err != nil {
				return fmt.Errorf("exchange %d: %w", i, err)
			}
			if string(data) != msg {
				t.Errorf("answer %d = %q", i, data)
			}
		}
		return nil
	}, asyncio.WithVirtualTime())
}

// Sends to a closed port in a row on a connected endpoint, the loop held
// between them so that the ICMP error is pending at the next send: each
// error is reported once, by SendTo or by RecvFrom, never by both, and
// the endpoint goes on.
func TestPolledDatagramICMPOnce(t *testing.T) {
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		ln := udpPeer(t, "127.0.0.1")
		port := peerAddr(ln)
		ln.Close()
		e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithRemoteAddr("127.0.0.1", int(port.Port())))
		if err != nil {
			return err
		}
		defer e.Close()
		const sends = 10
		viaSend, viaRecv := 0, 0
		for i := range sends {
			err := e.SendTo([]byte(strconv.Itoa(i)), netip.AddrPort{})
			switch {
			case errors.Is(err, syscall.ECONNREFUSED):
				viaSend++
			case err != nil:
				return err
			}
			time.Sleep(2 * time.Millisecond) // the ICMP error comes, the loop held
		}
		for {
			_, err := recvWithin(a, e, 50*time.Millisecond)
			if errors.Is(err, asyncio.ErrTimeout) {
				break
			}
			if !errors.Is(err, syscall.ECONNREFUSED) {
				t.Fatalf("RecvFrom = %v, want ECONNREFUSED", err)
			}
			viaRecv++
		}
		t.Logf("%d sends to a closed port: %d errors from SendTo, %d from RecvFrom", sends, viaSend, viaRecv)
		if viaSend+viaRecv > sends || viaSend+viaRecv == 0 {
			t.Errorf("%d sends: %d errors from SendTo + %d from RecvFrom, want between 1 and %d", sends, viaSend, viaRecv, sends)
		}
		return nil
	})
}

// A flood at an endpoint that keeps nothing (a queue of 1, never read)
// does not starve the loop: timers and other tasks run.
func TestPolledDatagramFloodNoStarvation(t *testing.T) {
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0), asyncio.WithDatagramQueue(1))
		if err != nil {
			return err
		}
		defer e.Close()
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(e.LocalAddr()))
			if err != nil {
				return
			}
			defer c.Close()
			for {
				select {
				case <-stop:
					return
				default:
					_, _ = c.Write([]byte("x"))
				}
			}
		}()
		defer func() { close(stop); <-done }()
		start := time.Now()
		for range 50 {
			if err := asyncio.Sleep(a, time.Millisecond); err != nil {
				return err
			}
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("50 sleeps of 1ms took %v under a flood", d)
		}
		if e.Dropped() == 0 {
			t.Errorf("Dropped() = 0 under a flood")
		}
		return nil
	})
}

// Addresses the socket cannot send to: IPv6 from an IPv4 endpoint, port
// 0: SendTo returns an error, nothing panics, the endpoint goes on; an
// IPv4-mapped address reaches the IPv4 peer.
func TestPolledDatagramBadAddresses(t *testing.T) {
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
		if err != nil {
			return err
		}
		defer e.Close()
		p := udpPeer(t, "127.0.0.1")
		defer p.Close()
		if err := e.SendTo([]byte("x"), netip.MustParseAddrPort("[::1]:9")); err == nil {
			t.Errorf("SendTo([::1]:9) from an IPv4 endpoint = nil, want an error")
		} else {
			t.Logf("SendTo([::1]:9) from an IPv4 endpoint: %v", err)
		}
		if err := e.SendTo([]byte("x"), netip.MustParseAddrPort("127.0.0.1:0")); err == nil {
			t.Errorf("SendTo(127.0.0.1:0) = nil, want an error")
		}
		mapped := netip.AddrPortFrom(netip.AddrFrom16(peerAddr(p).Addr().As16()), peerAddr(p).Port())
		if err := e.SendTo([]byte("mapped"), mapped); err != nil {
			t.Errorf("SendTo(%v) = %v", mapped, err)
		}
		buf := make([]byte, 100)
		p.SetReadDeadline(time.Now().Add(2 * time.Second))
		n, from, err := p.ReadFromUDPAddrPort(buf)
		if err != nil || string(buf[:n]) != "mapped" || from != e.LocalAddr() {
			t.Errorf("peer received %q from %v, %v", buf[:n], from, err)
		}
		if _, err := p.WriteToUDPAddrPort([]byte("still"), e.LocalAddr()); err != nil {
			return err
		}
		r, err := recvWithin(a, e, 2*time.Second)
		if err != nil || string(r.data) != "still" {
			t.Errorf("RecvFrom after the bad sends = %q, %v", r.data, err)
		}
		return nil
	})
}

// The virtual clock with a peer slower than the idle threshold and no
// timer pending: RecvFrom waits for it (outside work in flight), no
// DeadlockError, whatever the threshold; and WaitFor(RecvFrom, an hour) on
// a silent endpoint times out at once in real time, an hour later in
// virtual time.
func TestPolledDatagramVirtualClockSlowPeer(t *testing.T) {
	for _, idle := range []time.Duration{0, asyncio.DefaultIdleThreshold} {
		t.Run(idle.String(), func(t *testing.T) {
			defer streamLeakCheck(t)()
			p := udpPeer(t, "127.0.0.1")
			defer p.Close()
			go func() {
				buf := make([]byte, 100)
				for {
					n, from, err := p.ReadFromUDPAddrPort(buf)
					if err != nil {
						return
					}
					time.Sleep(50 * time.Millisecond)
					_, _ = p.WriteToUDPAddrPort(buf[:n], from)
				}
			}()
			start := time.Now()
			streamRun(t, func(a *asyncio.A) error {
				e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithRemoteAddr("127.0.0.1", int(peerAddr(p).Port())))
				if err != nil {
					return err
				}
				defer e.Close()
				for i := range 3 {
					if err := e.SendTo([]byte("slow"), netip.AddrPort{}); err != nil {
						return err
					}
					data, _, err := e.RecvFrom(a)
					if err != nil || string(data) != "slow" {
						return fmt.Errorf("exchange %d: %q, %w", i, data, err)
					}
				}
				silent, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
				if err != nil {
					return err
				}
				defer silent.Close()
				t0 := asyncio.GetRunningLoop(a).Time()
				if _, err := recvWithin(a, silent, time.Hour); !errors.Is(err, asyncio.ErrTimeout) {
					t.Errorf("WaitFor(RecvFrom, 1h) on a silent endpoint = %v, want ErrTimeout", err)
				}
				if d := asyncio.GetRunningLoop(a).Time().Sub(t0); d < time.Hour {
					t.Errorf("virtual time passed: %v, want an hour", d)
				}
				return nil
			}, asyncio.WithVirtualTime(), asyncio.WithIdleThreshold(idle))
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// Waiters woken together under every seed: three datagrams read in one
// batch go one to each waiter, none lost, none twice; without a seed, in
// the order the waiters started to wait. (Under a seed the woken tasks
// resume in shuffled order, and each takes the next datagram when it runs,
// as asyncio.Queue's getters take the next value: which waiter gets which
// datagram is then the seed's, as it is for a Queue.)
func TestPolledDatagramWaitersUnderSeeds(t *testing.T) {
	defer streamLeakCheck(t)()
	for seed := range uint64(65) {
		var opts []asyncio.Option
		if seed < 64 {
			opts = append(opts, asyncio.WithSeed(seed))
		}
		streamRun(t, func(a *asyncio.A) error {
			e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
			if err != nil {
				return err
			}
			defer e.Close()
			ws := []*asyncio.Task[[]byte]{startRecvFrom(a, e), startRecvFrom(a, e), startRecvFrom(a, e)}
			for range 3 {
				if err := asyncio.Sleep(a, 0); err != nil {
					return err
				}
			}
			for _, m := range []string{"a", "b", "c"} {
				if err := e.SendTo([]byte(m), e.LocalAddr()); err != nil {
					return err
				}
			}
			seen := map[string]bool{}
			for i, w := range ws {
				d, err := w.Await(a)
				if err != nil || seen[string(d)] || len(d) != 1 || d[0] < 'a' || d[0] > 'c' {
					t.Errorf("seed %d: waiter %d = %q, %v; want one of a, b, c not seen yet", seed, i, d, err)
				}
				seen[string(d)] = true
				if want := string(rune('a' + i)); len(opts) == 0 && string(d) != want {
					t.Errorf("no seed: waiter %d = %q, want %q", i, d, want)
				}
			}
			return nil
		}, opts...)
	}
}

// pyDatagramSizes is a CPython asyncio client: for each family it connects
// to the port in argv[1] on 127.0.0.1 and on ::1, sends an empty datagram,
// a byte and the largest the family carries, each after the answer to the
// one before, and prints "host|port|size:answer-size" for each, port the
// one it sent from.
const pyDatagramSizes = `
import asyncio, sys

class Client(asyncio.DatagramProtocol):
    def __init__(self):
        self.answers = asyncio.Queue()
    def datagram_received(self, data, addr):
        self.answers.put_nowait(data)
    def error_received(self, exc):
        self.answers.put_nowait(exc)

async def main():
    loop = asyncio.get_running_loop()
    out = []
    for host, biggest in (("127.0.0.1", 65507), ("::1", 65527)):
        transport, proto = await loop.create_datagram_endpoint(Client, remote_addr=(host, int(sys.argv[1])))
        me = transport.get_extra_info("sockname")
        # CPython 3.11 does not send empty datagrams (sendto(b"") returns):
        # "E" asks for an empty answer.
        for size in (0, 1, biggest):
            transport.sendto(b"E" if size == 0 else b"y" * size)
            got = await asyncio.wait_for(proto.answers.get(), 10)
            out.append("%s|%d|%d:%d" % (host, me[1], size, len(got) if isinstance(got, bytes) else -1))
        transport.close()
    print(" ".join(out), flush=True)

asyncio.run(main())
`

// A CPython client over IPv4 and IPv6 to our endpoint on the IPv6
// wildcard: empty, one-byte and largest datagrams both ways, the sender
// addresses as CPython bound them.
func TestPolledDatagramPythonSizes(t *testing.T) {
	py := python3(t)
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("::", 0))
		if err != nil {
			t.Skipf("no IPv6: %v", err)
		}
		defer e.Close()
		var froms []netip.AddrPort
		server := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			for range 6 {
				data, from, err := e.RecvFrom(a)
				if err != nil {
					return struct{}{}, err
				}
				froms = append(froms, from)
				if string(data) == "E" {
					data = nil
				}
				if err := e.SendTo(data, from); err != nil {
					return struct{}{}, err
				}
			}
			return struct{}{}, nil
		}))
		out, err := asyncio.ToThread(a, func(ctx context.Context) ([]byte, error) {
			cmd := exec.CommandContext(ctx, py, "-c", pyDatagramSizes, strconv.Itoa(int(e.LocalAddr().Port())))
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				err = fmt.Errorf("%w: %s", err, stderr.String())
			}
			return out, err
		})
		if err != nil {
			server.Cancel("")
			_, _ = server.Await(a)
			return fmt.Errorf("python3 client: %w", err)
		}
		if _, err := server.Await(a); err != nil {
			return err
		}
		fields := strings.Fields(string(out))
		if len(fields) != 6 || len(froms) != 6 {
			return fmt.Errorf("CPython client printed %q, server saw %v", out, froms)
		}
		for i, f := range fields {
			parts := strings.Split(f, "|")
			host, port, sizes := parts[0], parts[1], strings.Split(parts[2], ":")
			if sizes[0] != sizes[1] {
				t.Errorf("CPython sent %s bytes from %s, got %s back", sizes[0], host, sizes[1])
			}
			if want := host + "|" + port; froms[i].Addr().String()+"|"+strconv.Itoa(int(froms[i].Port())) != want {
				t.Errorf("datagram %d came from %v, CPython sent it from %s", i, froms[i], want)
			}
		}
		return nil
	})
}

// More endpoints ready at once than the poller takes in one wait (300, a
// task waiting on each): every datagram reaches its waiter.
func TestPolledDatagramManyReadyAtOnce(t *testing.T) {
	defer streamLeakCheck(t)()
	const n = 300
	streamRun(t, func(a *asyncio.A) error {
		var es []*asyncio.DatagramEndpoint
		defer func() {
			for _, e := range es {
				e.Close()
			}
		}()
		var ws []*asyncio.Task[[]byte]
		for range n {
			e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
			if err != nil {
				return err
			}
			es = append(es, e)
			ws = append(ws, startRecvFrom(a, e))
		}
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		// Sent from outside, the loop held: all n are ready at its next wait.
		done := make(chan error, 1)
		go func() {
			c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
			if err != nil {
				done <- err
				return
			}
			defer c.Close()
			for i, e := range es {
				if _, err := c.WriteToUDPAddrPort([]byte(strconv.Itoa(i)), e.LocalAddr()); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
		if err := <-done; err != nil {
			return err
		}
		for i, w := range ws {
			d, err := asyncio.WaitFor(a, w, 5*time.Second)
			if err != nil || string(d) != strconv.Itoa(i) {
				t.Fatalf("endpoint %d received %q, %v", i, d, err)
			}
		}
		return nil
	})
}
