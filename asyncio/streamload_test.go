//go:build unix

package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// The tests of this file put a loop's streams under load and faults: many
// clients at once, clients that vanish, servers closed under their
// clients, readers cancelled in the middle of a read. Clients and server
// run in the same loop; both ends of every connection are its sockets. Each
// test checks that every byte of the clients that behave comes back in
// order, and that when Run returns no task, goroutine or socket is left.

// loadClients returns how many clients a load test may run, at most want:
// each needs two file descriptors (its socket and the server's), and the
// soft limit of open files is raised as far as it goes.
func loadClients(t *testing.T, want int) int {
	t.Helper()
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatalf("Getrlimit: %v", err)
	}
	need := uint64(2*want + 200)
	if lim.Cur < need && lim.Cur < lim.Max {
		lim.Cur = min(need, lim.Max)
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			t.Logf("Setrlimit(%d): %v", lim.Cur, err)
		}
		syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
	n := min(want, (int(lim.Cur)-200)/2)
	if n < want {
		t.Logf("open files limited to %d: %d clients instead of %d", lim.Cur, n, want)
	}
	if n < 10 {
		t.Skipf("open files limited to %d", lim.Cur)
	}
	return n
}

// TestStreamLoadEcho has 1,000 clients send 100 messages each to one echo
// server at the same time, in bursts of one to ten lines.
func TestStreamLoadEcho(t *testing.T) {
	clients := loadClients(t, 1000)
	const msgs = 100
	defer streamLeakCheck(t)()
	start := time.Now()
	streamRun(t, func(a *asyncio.A) error {
		srv, err := asyncio.StartServer(a, loadEchoHandler, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		cs := make([]*asyncio.Task[int], clients)
		for i := range cs {
			cs[i] = asyncio.CreateTask(a, loadClient(srv.Addr().Port, i, msgs, 1+i%10))
		}
		checkLoadClients(t, a, cs, msgs)
		return closeServer(a, srv)
	})
	t.Logf("%d clients × %d messages in %v", clients, msgs, time.Since(start))
}

// TestStreamLoadFaults runs well-behaved clients next to faulty ones:
// clients that close in the middle of a line, clients outside the loop that
// reset their connection in the middle of a line, clients cancelled in the
// middle of a read, and idle clients whose handler gives up on them after a
// timeout. The well-behaved clients must get all their data back; the rest
// must leave nothing behind.
func TestStreamLoadFaults(t *testing.T) {
	n := loadClients(t, 1000) / 5
	const msgs = 50
	defer streamLeakCheck(t)()
	start := time.Now()
	streamRun(t, func(a *asyncio.A) error {
		srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			// An idle client gets a second to say something.
			var first []byte
			err := asyncio.Timeout(a, time.Second, func(*asyncio.TimeoutScope) error {
				var err error
				first, err = r.ReadLine(a)
				return err
			})
			if err != nil {
				if errors.Is(err, asyncio.ErrTimeout) {
					fmt.Fprintln(w, "bye")
				}
				return nil
			}
			w.Write(first)
			return loadEchoHandler(a, r, w)
		}, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		port := srv.Addr().Port
		var good []*asyncio.Task[int]
		var bad []*asyncio.Task[struct{}]
		for i := range n {
			good = append(good, asyncio.CreateTask(a, loadClient(port, i, msgs, 1+i%5)))
			// A client that closes in the middle of a line.
			bad = append(bad, asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
				_, w, err := asyncio.OpenConnection(a, "127.0.0.1", port)
				if err != nil {
					return struct{}{}, err
				}
				w.Write(loadMessage(i, 0))
				w.Write([]byte("half a li"))
				return struct{}{}, w.Close()
			})))
			// A client cancelled in the middle of a read.
			bad = append(bad, asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
				r, w, err := asyncio.OpenConnection(a, "127.0.0.1", port)
				if err != nil {
					return struct{}{}, err
				}
				defer w.Close()
				w.Write(loadMessage(i, 0))
				_, err = r.ReadExactly(a, 1<<20) // more than will ever come
				return struct{}{}, err
			})))
			// An idle client, which the server sends away.
			bad = append(bad, asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
				r, w, err := asyncio.OpenConnection(a, "127.0.0.1", port)
				if err != nil {
					return struct{}{}, err
				}
				defer w.Close()
				line, err := r.ReadLine(a)
				if err == nil && string(line) != "bye\n" {
					err = fmt.Errorf("idle client: got %q, want %q", line, "bye\n")
				}
				return struct{}{}, err
			})))
		}
		// Clients outside the loop that reset their connection in the
		// middle of a line.
		resets := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			return asyncio.ToThread(a, func(ctx context.Context) (struct{}, error) {
				for i := range n {
					c, err := net.Dial("tcp", srv.Addr().String())
					if err != nil {
						return struct{}{}, err
					}
					c.Write(loadMessage(i, 0))
					c.Write([]byte("half a li"))
					c.(*net.TCPConn).SetLinger(0)
					c.Close()
				}
				return struct{}{}, nil
			})
		}))
		if err := asyncio.Sleep(a, 100*time.Millisecond); err != nil {
			return err
		}
		for i := 1; i < len(bad); i += 3 {
			bad[i].Cancel("")
		}
		checkLoadClients(t, a, good, msgs)
		if _, err := resets.Await(a); err != nil {
			return err
		}
		for i, c := range bad {
			_, err := c.Await(a)
			if cancelled := i%3 == 1; cancelled && !errors.Is(err, asyncio.ErrCanceled) || !cancelled && err != nil {
				t.Errorf("faulty client %d: %v", i, err)
			}
		}
		return closeServer(a, srv)
	})
	t.Logf("%d good clients × %d messages, %d faulty ones, in %v", n, msgs, 4*n, time.Since(start))
}

// TestStreamLoadServerClosed closes two servers while their clients are in
// the middle of their exchanges: the first only stops accepting, so its
// clients go on and get everything back, and clients that come after are
// refused; the second also aborts its connections, so its clients fail,
// and must still leave nothing behind.
func TestStreamLoadServerClosed(t *testing.T) {
	n := loadClients(t, 1000) / 2
	const msgs = 50
	defer streamLeakCheck(t)()
	start := time.Now()
	streamRun(t, func(a *asyncio.A) error {
		accepted := 0
		counted := func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			accepted++
			return loadEchoHandler(a, r, w)
		}
		kept, err := asyncio.StartServer(a, counted, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		aborted, err := asyncio.StartServer(a, counted, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		var keptClients, abortedClients []*asyncio.Task[int]
		for i := range n {
			keptClients = append(keptClients, asyncio.CreateTask(a, loadClient(kept.Addr().Port, i, msgs, 1+i%5)))
			abortedClients = append(abortedClients, asyncio.CreateTask(a, loadClient(aborted.Addr().Port, i, msgs, 1+i%5)))
		}
		// Wait until every client is connected, and then some.
		for accepted < 2*n {
			if err := asyncio.Sleep(a, time.Millisecond); err != nil {
				return err
			}
		}
		if err := asyncio.Sleep(a, 20*time.Millisecond); err != nil {
			return err
		}
		kept.Close()
		aborted.Close()
		aborted.AbortClients()
		if _, _, err := asyncio.OpenConnection(a, "127.0.0.1", kept.Addr().Port); !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("OpenConnection to a closed server: %v, want ECONNREFUSED", err)
		}
		checkLoadClients(t, a, keptClients, msgs)
		failed := 0
		for _, c := range abortedClients {
			if _, err := c.Await(a); err != nil {
				failed++
			}
		}
		if failed == 0 {
			t.Errorf("no client of the aborted server failed")
		}
		if err := kept.WaitClosed(a); err != nil {
			return err
		}
		return aborted.WaitClosed(a)
	})
	t.Logf("%d clients kept and %d aborted × %d messages in %v", n, n, msgs, time.Since(start))
}

// TestStreamLoadAbortStalledClient has one client stop reading while 200
// others exchange lines with the same server: the server buffers more than
// the stalled client will ever take, asks for a Close (which would wait for
// a flush that never comes), then drops the client with Abort. WaitClosed
// must return before the stalled client reads anything, the others must get
// everything back, and the stalled client must see its connection end
// short of what was written.
func TestStreamLoadAbortStalledClient(t *testing.T) {
	n := loadClients(t, 200)
	const msgs = 50
	const flood = 8 << 20 // more than two socket buffers hold
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		aborted := new(asyncio.Event)
		var waitClosed error
		srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			first, err := r.ReadLine(a)
			if err != nil || string(first) != "stall\n" {
				w.Write(first)
				return loadEchoHandler(a, r, w)
			}
			w.Write(make([]byte, flood))
			w.Close()
			if !w.IsClosing() {
				t.Errorf("IsClosing() after Close = false, want true")
			}
			w.Abort()
			waitClosed = asyncio.Timeout(a, 10*time.Second, func(*asyncio.TimeoutScope) error {
				return w.WaitClosed(a)
			})
			if _, err := w.Write([]byte("more")); !errors.Is(err, net.ErrClosed) {
				t.Errorf("Write after Abort = %v, want an error matching net.ErrClosed", err)
			}
			aborted.Set()
			return nil
		}, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		port := srv.Addr().Port
		stalled := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			r, w, err := asyncio.OpenConnection(a, "127.0.0.1", port)
			if err != nil {
				return 0, err
			}
			defer w.Close()
			w.WriteString("stall\n")
			if err := aborted.Wait(a); err != nil {
				return 0, err
			}
			got := 0
			for {
				data, err := r.Read(a, 1<<20)
				got += len(data)
				if err != nil {
					return got, nil // EOF or a reset: the connection ended
				}
			}
		}))
		good := make([]*asyncio.Task[int], n)
		for i := range good {
			good[i] = asyncio.CreateTask(a, loadClient(port, i, msgs, 1+i%5))
		}
		checkLoadClients(t, a, good, msgs)
		got, err := stalled.Await(a)
		if err != nil {
			return err
		}
		if waitClosed != nil {
			t.Errorf("WaitClosed after Abort = %v, want nil at once", waitClosed)
		}
		if got >= flood {
			t.Errorf("the stalled client read %d bytes, want less than the %d buffered before Abort", got, flood)
		}
		return closeServer(a, srv)
	})
}
