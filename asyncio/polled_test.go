//go:build linux

package asyncio_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// On Linux the loop polls its TCP and Unix sockets itself, TLS over them
// included: an idle connection costs no goroutine on either side, beyond
// the coroutine of its handler's task (with reader goroutines it cost
// three).
func TestIdleConnectionsHoldNoGoroutine(t *testing.T) {
	p := testCerts(t)
	const conns = 100
	idle := func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
		if _, err := r.Read(a, 1); err != io.EOF { // nothing comes, then EOF
			return err
		}
		return nil
	}
	sock := filepath.Join(t.TempDir(), "s")
	tests := []struct {
		name  string
		serve func(a *asyncio.A) (*asyncio.Server, error)
		dial  func(a *asyncio.A, srv *asyncio.Server) (*asyncio.StreamWriter, error)
	}{
		{"TCP", func(a *asyncio.A) (*asyncio.Server, error) {
			return asyncio.StartServer(a, idle, "127.0.0.1", 0)
		}, func(a *asyncio.A, srv *asyncio.Server) (*asyncio.StreamWriter, error) {
			_, w, err := dial(a, srv)
			return w, err
		}},
		{"TLS", func(a *asyncio.A) (*asyncio.Server, error) {
			return asyncio.StartServer(a, idle, "127.0.0.1", 0, asyncio.WithTLS(p.serverConfig()))
		}, func(a *asyncio.A, srv *asyncio.Server) (*asyncio.StreamWriter, error) {
			_, w, err := asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port, asyncio.WithTLS(p.clientConfig()), asyncio.WithServerHostname("localhost"))
			return w, err
		}},
		{"Unix", func(a *asyncio.A) (*asyncio.Server, error) {
			return asyncio.StartUnixServer(a, idle, sock)
		}, func(a *asyncio.A, srv *asyncio.Server) (*asyncio.StreamWriter, error) {
			_, w, err := asyncio.OpenUnixConnection(a, sock)
			return w, err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer streamLeakCheck(t)()
			streamRun(t, func(a *asyncio.A) error {
				srv, err := tt.serve(a)
				if err != nil {
					return err
				}
				if err := asyncio.Sleep(a, 0); err != nil {
					return err
				}
				before := runtime.NumGoroutine()
				var ws []*asyncio.StreamWriter
				for range conns {
					w, err := tt.dial(a, srv)
					if err != nil {
						return err
					}
					ws = append(ws, w)
				}
				for range 10 {
					if err := asyncio.Sleep(a, 0); err != nil {
						return err
					}
				}
				if grown := runtime.NumGoroutine() - before; grown > conns+conns/10 {
					t.Errorf("%d idle connections (both ends in the loop) added %d goroutines, want one per connection: its handler's coroutine", conns, grown)
				}
				for _, w := range ws {
					w.Close()
					if err := w.WaitClosed(a); err != nil {
						return err
					}
				}
				return closeServer(a, srv)
			})
		})
	}
}

// The loop reads a polled socket until it has seen it empty: data that came
// with the peer's FIN, or just before it, is all read, then EOF, whatever
// its size against the loop's read buffer.
func TestPolledReadsDataThenEOF(t *testing.T) {
	defer streamLeakCheck(t)()
	for _, size := range []int{1, 4 << 10, 8 << 10, 64<<10 + 1, 1 << 20} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		want := bytes.Repeat([]byte("0123456789abcdef"), size/16+1)[:size]
		sent := make(chan error, 1)
		go func() {
			c, err := ln.Accept()
			ln.Close()
			if err != nil {
				sent <- err
				return
			}
			defer c.Close()
			_, err = c.Write(want)
			if err == nil {
				err = c.(*net.TCPConn).CloseWrite()
			}
			sent <- err
		}()
		streamRun(t, func(a *asyncio.A) error {
			r, w, err := asyncio.OpenConnection(a, "127.0.0.1", ln.Addr().(*net.TCPAddr).Port)
			if err != nil {
				return err
			}
			defer w.Close()
			// Let everything arrive before the first read.
			if _, err := asyncio.ToThread(a, func(context.Context) (struct{}, error) { return struct{}{}, <-sent }); err != nil {
				return err
			}
			got, err := r.Read(a, -1)
			if err != nil {
				return err
			}
			if !bytes.Equal(got, want) {
				t.Errorf("size %d: read %d bytes, want all %d", size, len(got), len(want))
			}
			if !r.AtEOF() {
				t.Errorf("size %d: AtEOF() = false after the peer's FIN", size)
			}
			return nil
		})
	}
}

// A loop asleep in its poller, with a connection open, wakes for every
// call from another goroutine, and for its timers, on one P as on two.
func TestPolledLoopWakes(t *testing.T) {
	defer streamLeakCheck(t)()
	for _, procs := range []int{1, 2} {
		old := runtime.GOMAXPROCS(procs)
		streamRun(t, func(a *asyncio.A) error {
			srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
				if _, err := r.Read(a, 1); err != io.EOF { // nothing comes, then EOF
					return err
				}
				return nil
			}, "127.0.0.1", 0)
			if err != nil {
				return err
			}
			_, w, err := dial(a, srv)
			if err != nil {
				return err
			}
			for i := range 200 {
				got, err := asyncio.ToThread(a, func(context.Context) (int, error) { return i, nil })
				if err != nil || got != i {
					t.Fatalf("ToThread() = %d, %v, want %d, nil", got, err, i)
				}
			}
			start := time.Now()
			if err := asyncio.Sleep(a, 5*time.Millisecond); err != nil {
				return err
			}
			if d := time.Since(start); d < 5*time.Millisecond {
				t.Errorf("Sleep(5ms) with a socket open returned after %v: early", d)
			}
			w.Close()
			if err := w.WaitClosed(a); err != nil {
				return err
			}
			return closeServer(a, srv)
		})
		runtime.GOMAXPROCS(old)
	}
}

// Writes that the socket does not take at once wait for room in it, on the
// loop: a peer that reads slowly still gets every byte, in order.
func TestPolledWritesWaitForRoom(t *testing.T) {
	defer streamLeakCheck(t)()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	want := bytes.Repeat([]byte("abcdefghijklmnopqrstuvwxyz012345"), 1<<16) // 2 MiB
	got := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- nil
			return
		}
		defer c.Close()
		time.Sleep(50 * time.Millisecond) // let the socket fill up
		b, _ := io.ReadAll(c)
		got <- b
	}()
	streamRun(t, func(a *asyncio.A) error {
		_, w, err := asyncio.OpenConnection(a, "127.0.0.1", ln.Addr().(*net.TCPAddr).Port)
		if err != nil {
			return err
		}
		for off := 0; off < len(want); off += 100 << 10 {
			if _, err := w.Write(want[off:min(off+100<<10, len(want))]); err != nil {
				return err
			}
			if err := w.Drain(a); err != nil {
				return err
			}
		}
		w.Close()
		return w.WaitClosed(a)
	})
	if b := <-got; !bytes.Equal(b, want) {
		t.Errorf("the peer read %d bytes, want the %d written, in order", len(b), len(want))
	}
}

// A true deadlock over the loop's own connection is reported, not waited
// for: the handler's write waits for room in a socket whose reader, the
// loop's own client, has paused, and every task waits for an Event nobody
// sets. Only the loop could make progress, by reading, and it will not.
func TestDeadlockOverOwnConnection(t *testing.T) {
	defer streamLeakCheck(t)()
	done := make(chan error, 1)
	go func() {
		done <- streamRunErr(func(a *asyncio.A) error {
			var never asyncio.Event
			srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
				w.Write(make([]byte, 8<<20))
				if err := w.Drain(a); err != nil {
					return err
				}
				return never.Wait(a)
			}, "127.0.0.1", 0, asyncio.WithStreamLimit(16))
			if err != nil {
				return err
			}
			r, w, err := asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port, asyncio.WithStreamLimit(16))
			if err != nil {
				return err
			}
			defer w.Close()
			if _, err := r.ReadExactly(a, 1); err != nil {
				return err
			}
			srv.Close()
			return never.Wait(a)
		}, asyncio.WithVirtualTime())
	}()
	select {
	case err := <-done:
		var d *asyncio.DeadlockError
		if !errors.As(err, &d) {
			t.Errorf("Run() = %v, want a *DeadlockError", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run still waits after 20s: the deadlock was not found")
	}
}

// A loop kept busy by a task that never waits for anything but Sleep(0)
// still polls its sockets: it polls less often while they are idle, so that
// a step pays no system call of its own, but never stops.
func TestPolledBusyLoopStillPolls(t *testing.T) {
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		srv, err := asyncio.StartServer(a, echoHandler, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		r, w, err := dial(a, srv)
		if err != nil {
			return err
		}
		var done bool
		spin := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			steps := 0
			for ; !done; steps++ {
				if err := asyncio.Sleep(a, 0); err != nil {
					return steps, err
				}
			}
			return steps, nil
		}))
		for i := range 100 {
			// Idle long enough for the polls to be spaced out as far as
			// they go, then a message that needs them.
			for range 1000 {
				if err := asyncio.Sleep(a, 0); err != nil {
					return err
				}
			}
			msg := fmt.Sprintf("message %d\n", i)
			w.WriteString(msg)
			if line, err := r.ReadLine(a); string(line) != msg || err != nil {
				return fmt.Errorf("ReadLine() = %q, %v, want %q", line, err, msg)
			}
		}
		done = true
		if _, err := spin.Await(a); err != nil {
			return err
		}
		w.Close()
		if err := w.WaitClosed(a); err != nil {
			return err
		}
		return closeServer(a, srv)
	})
}
