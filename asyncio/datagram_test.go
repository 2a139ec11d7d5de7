package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// TestDatagramRoundTrip sends a datagram from a connected endpoint to a
// bound one and back, over IPv4 and IPv6 loopback, and checks the
// addresses each side sees.
func TestDatagramRoundTrip(t *testing.T) {
	for _, host := range []string{"127.0.0.1", "::1"} {
		t.Run(host, func(t *testing.T) {
			defer streamLeakCheck(t)()
			streamRun(t, func(a *asyncio.A) error {
				srv, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr(host, 0))
				if err != nil {
					return err
				}
				defer srv.Close()
				if got := srv.LocalAddr(); got.Addr() != netip.MustParseAddr(host) || got.Port() == 0 {
					t.Errorf("LocalAddr() = %v, want %s and a port", got, host)
				}
				if got := srv.RemoteAddr(); got.IsValid() {
					t.Errorf("RemoteAddr() of an unconnected endpoint = %v, want the zero AddrPort", got)
				}
				cli, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithRemoteAddr(host, int(srv.LocalAddr().Port())))
				if err != nil {
					return err
				}
				defer cli.Close()
				if got := cli.RemoteAddr(); got != srv.LocalAddr() {
					t.Errorf("RemoteAddr() = %v, want %v", got, srv.LocalAddr())
				}
				for i := range 3 {
					msg := fmt.Sprintf("ping %d", i)
					if err := cli.SendTo([]byte(msg), netip.AddrPort{}); err != nil {
						return err
					}
					from, err := recvFromWant(t, a, srv, msg, cli.LocalAddr())
					if err != nil {
						return err
					}
					if err := srv.SendTo([]byte("pong"), from); err != nil {
						return err
					}
					if _, err := recvFromWant(t, a, cli, "pong", srv.LocalAddr()); err != nil {
						return err
					}
				}
				return nil
			})
		})
	}
}

// recvFromWant receives a datagram on e and fails t unless it is want,
// from from; it returns the address it came from, or the error of
// RecvFrom.
func recvFromWant(t *testing.T, a *asyncio.A, e *asyncio.DatagramEndpoint, want string, from netip.AddrPort) (netip.AddrPort, error) {
	t.Helper()
	data, got, err := e.RecvFrom(a)
	if err != nil {
		return got, err
	}
	if string(data) != want || got != from {
		t.Errorf("RecvFrom() = %q from %v, want %q from %v", data, got, want, from)
	}
	return got, nil
}

// startRecvFrom starts a task that waits in e.RecvFrom and returns what it
// receives.
func startRecvFrom(a *asyncio.A, e *asyncio.DatagramEndpoint) *asyncio.Task[[]byte] {
	return asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) ([]byte, error) {
		data, _, err := e.RecvFrom(a)
		return data, err
	}))
}

// TestDatagramFlood floods an endpoint that nobody reads: it holds what its
// queue holds, drops and counts the rest, and takes datagrams again once
// they are taken.
func TestDatagramFlood(t *testing.T) {
	defer streamLeakCheck(t)()
	const queue, flood = 8, 100
	streamRun(t, func(a *asyncio.A) error {
		e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0), asyncio.WithDatagramQueue(queue))
		if err != nil {
			return err
		}
		defer e.Close()
		peer, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(e.LocalAddr()))
		if err != nil {
			return err
		}
		defer peer.Close()
		for i := range flood {
			if _, err := peer.Write([]byte(strconv.Itoa(i))); err != nil {
				return err
			}
		}
		// Wait until the receive goroutine has seen them all.
		for deadline := time.Now().Add(10 * time.Second); e.Dropped() < flood-queue; {
			if time.Now().After(deadline) {
				return fmt.Errorf("Dropped() = %d after the flood, want %d", e.Dropped(), flood-queue)
			}
			if err := asyncio.Sleep(a, time.Millisecond); err != nil {
				return err
			}
		}
		for i := range queue {
			data, _, err := e.RecvFrom(a)
			if err != nil {
				return err
			}
			if want := strconv.Itoa(i); string(data) != want {
				t.Errorf("datagram %d = %q, want %q (the first ones are kept)", i, data, want)
			}
		}
		if _, err := peer.Write([]byte("after")); err != nil {
			return err
		}
		data, _, err := e.RecvFrom(a)
		if err != nil {
			return err
		}
		if string(data) != "after" {
			t.Errorf("RecvFrom() after the queue was emptied = %q, want \"after\" (nothing else held)", data)
		}
		if got := e.Dropped(); got != flood-queue {
			t.Errorf("Dropped() = %d, want %d", got, flood-queue)
		}
		return nil
	})
}

// TestDatagramRecvFromCancelled checks that a cancelled RecvFrom returns the
// cancellation and takes nothing: the next datagram goes to the next
// RecvFrom.
func TestDatagramRecvFromCancelled(t *testing.T) {
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
		if err != nil {
			return err
		}
		defer e.Close()
		waiting := startRecvFrom(a, e)
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		waiting.Cancel("")
		if _, err := waiting.Await(a); !errors.Is(err, asyncio.ErrCanceled) {
			t.Errorf("cancelled RecvFrom = %v, want a cancellation", err)
		}
		if err := e.SendTo([]byte("kept"), e.LocalAddr()); err != nil {
			return err
		}
		_, err = recvFromWant(t, a, e, "kept", e.LocalAddr())
		return err
	})
}

// TestDatagramClose checks what a closed endpoint returns: a RecvFrom
// waiting when it is closed, and RecvFrom and SendTo after it.
func TestDatagramClose(t *testing.T) {
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
		if err != nil {
			return err
		}
		waiting := startRecvFrom(a, e)
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		e.Close()
		e.Close()
		if _, err := waiting.Await(a); !errors.Is(err, asyncio.ErrEndpointClosed) || !errors.Is(err, net.ErrClosed) {
			t.Errorf("RecvFrom waiting at Close = %v, want ErrEndpointClosed", err)
		}
		if _, _, err := e.RecvFrom(a); !errors.Is(err, asyncio.ErrEndpointClosed) {
			t.Errorf("RecvFrom after Close = %v, want ErrEndpointClosed", err)
		}
		if err := e.SendTo([]byte("x"), e.LocalAddr()); !errors.Is(err, asyncio.ErrEndpointClosed) {
			t.Errorf("SendTo after Close = %v, want ErrEndpointClosed", err)
		}
		return nil
	})
}

// TestDatagramLeftOpen leaves endpoints open, one with a task waiting in
// RecvFrom, when main returns: Run closes them, and nothing is left.
func TestDatagramLeftOpen(t *testing.T) {
	defer streamLeakCheck(t)()
	var diag strings.Builder
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		return struct{}{}, leaveOpen(a)
	}), asyncio.WithDiagnostics(&diag))
	if err != nil {
		t.Fatalf("asyncio.Run() = %v, want nil", err)
	}
	if !strings.Contains(diag.String(), "DatagramEndpoint.RecvFrom") {
		t.Errorf("diagnostics = %q, want the task left in RecvFrom reported", diag.String())
	}
}

// leaveOpen opens endpoints and returns, leaving a task waiting in RecvFrom.
func leaveOpen(a *asyncio.A) error {
	for range 3 {
		e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
		if err != nil {
			return err
		}
		if err := e.SendTo([]byte("unread"), e.LocalAddr()); err != nil {
			return err
		}
	}
	e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
	if err != nil {
		return err
	}
	startRecvFrom(a, e)
	return asyncio.Sleep(a, 0)
}

// TestDatagramErrors checks the errors of sends and of the socket: an ICMP
// port unreachable comes back through RecvFrom on a connected endpoint,
// which stays open; a connected endpoint refuses another address.
func TestDatagramErrors(t *testing.T) {
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		// A port nobody listens on: bind one and close it.
		ln, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			return err
		}
		port := ln.LocalAddr().(*net.UDPAddr).Port
		ln.Close()
		e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithRemoteAddr("127.0.0.1", port))
		if err != nil {
			return err
		}
		defer e.Close()
		other := netip.MustParseAddrPort("127.0.0.1:9")
		if err := e.SendTo([]byte("x"), other); !errors.Is(err, net.ErrWriteToConnected) {
			t.Errorf("SendTo(another address) on a connected endpoint = %v, want net.ErrWriteToConnected", err)
		}
		if err := e.SendTo([]byte("x"), netip.AddrPort{}); err != nil {
			return err
		}
		if _, _, err := e.RecvFrom(a); !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("RecvFrom() after a send to a closed port = %v, want ECONNREFUSED", err)
		}
		if err := e.SendTo([]byte("again"), netip.AddrPort{}); err != nil && !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("SendTo() after the error = %v, want the endpoint still open", err)
		}
		return nil
	})
}

// TestCreateDatagramEndpointMisuse checks the panics of a call without
// addresses and of one with WithReuseAddress(true).
func TestCreateDatagramEndpointMisuse(t *testing.T) {
	tests := []struct {
		name string
		opts []asyncio.DatagramOption
	}{
		{"no address", nil},
		{"WithReuseAddress(true)", []asyncio.DatagramOption{asyncio.WithLocalAddr("127.0.0.1", 0), asyncio.WithReuseAddress(true)}},
	}
	for _, tc := range tests {
		streamRun(t, func(a *asyncio.A) error {
			defer func() {
				if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "asyncio.CreateDatagramEndpoint") {
					t.Errorf("%s: CreateDatagramEndpoint panicked with %v, want a panic naming it", tc.name, p)
				}
			}()
			e, err := asyncio.CreateDatagramEndpoint(a, tc.opts...)
			if err == nil {
				e.Close()
			}
			return err
		})
	}
}

// pyDatagramEcho is a CPython asyncio datagram echo server on 127.0.0.1: a
// DatagramProtocol that sends every datagram back upper-cased. It prints
// its port, and ends when its stdin closes.
const pyDatagramEcho = `
import asyncio, sys

class Echo(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport
    def datagram_received(self, data, addr):
        self.transport.sendto(data.upper(), addr)

async def main():
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(Echo, local_addr=("127.0.0.1", 0))
    print(transport.get_extra_info("sockname")[1], flush=True)
    await loop.run_in_executor(None, sys.stdin.read)
    transport.close()

asyncio.run(main())
`

// pyDatagramClient is a CPython asyncio datagram client: it sends each of
// its arguments after the first (the port) to 127.0.0.1, waits for each
// answer, prints the answers on one line and ends.
const pyDatagramClient = `
import asyncio, sys

class Client(asyncio.DatagramProtocol):
    def __init__(self):
        self.answers = asyncio.Queue()
    def datagram_received(self, data, addr):
        self.answers.put_nowait(data.decode())

async def main():
    loop = asyncio.get_running_loop()
    transport, proto = await loop.create_datagram_endpoint(Client, remote_addr=("127.0.0.1", int(sys.argv[1])))
    got = []
    for msg in sys.argv[2:]:
        transport.sendto(msg.encode())
        got.append(await asyncio.wait_for(proto.answers.get(), 10))
    print(" ".join(got), flush=True)
    transport.close()

asyncio.run(main())
`

// TestDatagramInteropPython runs our endpoint against CPython asyncio's:
// a Go client of a CPython DatagramProtocol server, and a CPython client
// of a Go server.
func TestDatagramInteropPython(t *testing.T) {
	t.Run("python server", func(t *testing.T) {
		port, err := strconv.Atoi(pythonPeer(t, pyDatagramEcho))
		if err != nil {
			t.Fatal(err)
		}
		defer streamLeakCheck(t)()
		streamRun(t, func(a *asyncio.A) error {
			e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithRemoteAddr("127.0.0.1", port))
			if err != nil {
				return err
			}
			defer e.Close()
			for _, msg := range []string{"one", "two", strings.Repeat("x", 8000)} {
				if err := e.SendTo([]byte(msg), netip.AddrPort{}); err != nil {
					return err
				}
				data, from, err := e.RecvFrom(a)
				if err != nil {
					return err
				}
				if string(data) != strings.ToUpper(msg) || int(from.Port()) != port {
					t.Errorf("answer = %.20q from %v, want %.20q from port %d", data, from, strings.ToUpper(msg), port)
				}
			}
			return nil
		})
	})
	t.Run("python client", func(t *testing.T) {
		py := python3(t)
		defer streamLeakCheck(t)()
		streamRun(t, func(a *asyncio.A) error {
			e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
			if err != nil {
				return err
			}
			defer e.Close()
			msgs := []string{"alpha", "beta", "gamma"}
			server := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
				for range msgs {
					data, from, err := e.RecvFrom(a)
					if err != nil {
						return struct{}{}, err
					}
					if err := e.SendTo([]byte(strings.ToUpper(string(data))), from); err != nil {
						return struct{}{}, err
					}
				}
				return struct{}{}, nil
			}))
			args := append([]string{"-c", pyDatagramClient, strconv.Itoa(int(e.LocalAddr().Port()))}, msgs...)
			out, err := asyncio.ToThread(a, func(ctx context.Context) ([]byte, error) {
				return exec.CommandContext(ctx, py, args...).Output()
			})
			if err != nil {
				return fmt.Errorf("python3 client: %w", err)
			}
			if got, want := strings.TrimSpace(string(out)), "ALPHA BETA GAMMA"; got != want {
				t.Errorf("CPython client got %q, want %q", got, want)
			}
			_, err = server.Await(a)
			return err
		})
	})
}

// TestDatagramLocalAndRemote binds a connected endpoint to a given local
// address: what the peer sees as its sender.
func TestDatagramLocalAndRemote(t *testing.T) {
	defer streamLeakCheck(t)()
	// A free port for the connected endpoint's end.
	probe, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	local := probe.LocalAddr().(*net.UDPAddr).AddrPort()
	probe.Close()
	streamRun(t, func(a *asyncio.A) error {
		srv, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
		if err != nil {
			return err
		}
		defer srv.Close()
		cli, err := asyncio.CreateDatagramEndpoint(a,
			asyncio.WithLocalAddr("127.0.0.1", int(local.Port())),
			asyncio.WithRemoteAddr("127.0.0.1", int(srv.LocalAddr().Port())))
		if err != nil {
			return err
		}
		defer cli.Close()
		if got := cli.LocalAddr(); got != local {
			t.Errorf("LocalAddr() = %v, want %v", got, local)
		}
		if err := cli.SendTo([]byte("hi"), netip.AddrPort{}); err != nil {
			return err
		}
		_, from, err := srv.RecvFrom(a)
		if err != nil {
			return err
		}
		if from != local {
			t.Errorf("the server saw the datagram from %v, want %v", from, local)
		}
		return nil
	})
}

// TestDatagramOutsideWork checks when an endpoint is outside work, under
// strict deadlock detection: while a task waits in RecvFrom, a datagram
// from another process may come, and the loop waits for it; an endpoint
// nobody waits on hides no deadlock.
func TestDatagramOutsideWork(t *testing.T) {
	t.Run("RecvFrom waits", func(t *testing.T) {
		defer streamLeakCheck(t)()
		peer, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		defer peer.Close()
		streamRun(t, func(a *asyncio.A) error {
			e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
			if err != nil {
				return err
			}
			defer e.Close()
			to := net.UDPAddrFromAddrPort(e.LocalAddr())
			go func() { // not known to the loop
				time.Sleep(time.Millisecond)
				peer.WriteToUDP([]byte("late"), to)
			}()
			data, _, err := e.RecvFrom(a)
			if err != nil {
				return err
			}
			if string(data) != "late" {
				t.Errorf("RecvFrom() = %q, want \"late\"", data)
			}
			return nil
		}, asyncio.WithStrictDeadlocks())
	})
	t.Run("nobody waits", func(t *testing.T) {
		defer streamLeakCheck(t)()
		err := streamRunErr(func(a *asyncio.A) error {
			e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
			if err != nil {
				return err
			}
			defer e.Close()
			var never asyncio.Event
			return never.Wait(a)
		}, asyncio.WithStrictDeadlocks())
		var de *asyncio.DeadlockError
		if !errors.As(err, &de) {
			t.Errorf("Run() = %v, want a *DeadlockError", err)
		}
	})
}

// TestDatagramOtherLoop checks that RecvFrom refuses an endpoint of another
// loop, with ErrDifferentLoop, rather than wait where no datagram can wake
// it.
func TestDatagramOtherLoop(t *testing.T) {
	defer streamLeakCheck(t)()
	var stray *asyncio.DatagramEndpoint
	streamRun(t, func(a *asyncio.A) error {
		var err error
		stray, err = asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
		return err // Run closes it
	})
	streamRun(t, func(a *asyncio.A) error {
		if _, _, err := stray.RecvFrom(a); !errors.Is(err, asyncio.ErrDifferentLoop) {
			t.Errorf("RecvFrom on another loop's endpoint = %v, want ErrDifferentLoop", err)
		}
		return nil
	})
}

// TestDatagramCloseUnderSeeds closes a receiving endpoint, and the sending
// one with datagrams still queued, while tasks wait in RecvFrom and one of
// them is cancelled, under seeded schedules: every waiter ends with
// ErrEndpointClosed or its cancellation, a closed endpoint refuses SendTo,
// and nothing is left running.
func TestDatagramCloseUnderSeeds(t *testing.T) {
	defer streamLeakCheck(t)()
	for seed := uint64(1); seed <= 30; seed++ {
		err := streamRunErr(func(a *asyncio.A) error {
			rx, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
			if err != nil {
				return err
			}
			tx, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithRemoteAddr("127.0.0.1", int(rx.LocalAddr().Port())))
			if err != nil {
				return err
			}
			var tasks []*asyncio.Task[int]
			for range 5 {
				tasks = append(tasks, asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
					n := 0
					for {
						_, _, err := rx.RecvFrom(a)
						if err != nil {
							return n, err
						}
						n++
					}
				})))
			}
			big := make([]byte, 60000)
			for i := range 200 {
				tx.SendTo(big[:1+i*100], netip.AddrPort{})
				if i%50 == 0 {
					asyncio.Sleep(a, 0)
				}
			}
			tasks[int(seed)%5].Cancel()
			tx.Close()
			asyncio.Sleep(a, time.Duration(seed%3)*time.Millisecond)
			rx.Close()
			for i, tk := range tasks {
				_, err := tk.Await(a)
				if !errors.Is(err, asyncio.ErrEndpointClosed) && !errors.Is(err, asyncio.ErrCanceled) {
					t.Errorf("seed %d: RecvFrom task %d = %v, want ErrEndpointClosed or a cancellation", seed, i, err)
				}
			}
			if err := tx.SendTo([]byte("x"), netip.AddrPort{}); !errors.Is(err, asyncio.ErrEndpointClosed) {
				t.Errorf("seed %d: SendTo after Close = %v, want ErrEndpointClosed", seed, err)
			}
			return nil
		}, asyncio.WithSeed(seed))
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
	}
}
