//go:build linux

package asyncio_test

// Attacks on the loop's polled sockets (polled.go, poller_linux.go,
// loopsocket.go): real sockets to peers outside the loop (plain net.Conns
// on goroutines), TCP and Unix.

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

var polledNetworks = []string{"tcp", "unix"}

// outsidePeer listens on network and serves the first connection with
// serve on a goroutine. It returns a dialer for the loop side and wait.
func outsidePeer(t *testing.T, network string, serve func(c net.Conn) error) (dial func(a *asyncio.A, opts ...asyncio.StreamOption) (*asyncio.StreamReader, *asyncio.StreamWriter, error), wait func() error) {
	t.Helper()
	var ln net.Listener
	var err error
	if network == "unix" {
		ln, err = net.Listen("unix", filepath.Join(t.TempDir(), "s"))
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	wait = serveOnce(t, ln, serve)
	addr := ln.Addr()
	dial = func(a *asyncio.A, opts ...asyncio.StreamOption) (*asyncio.StreamReader, *asyncio.StreamWriter, error) {
		if network == "unix" {
			return asyncio.OpenUnixConnection(a, addr.String(), opts...)
		}
		return asyncio.OpenConnection(a, "127.0.0.1", addr.(*net.TCPAddr).Port, opts...)
	}
	return dial, wait
}

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>8)
	}
	return b
}

// abortConn makes c's Close send a RST (TCP), or just close (Unix).
func abortConn(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}

// TestPolledPeerDataThenEnd: a peer writes n bytes and at once shuts down
// its writing (FIN), or closes with a RST: the loop reads every byte, then
// EOF (or, after a RST, a prefix then an error).
func TestPolledPeerDataThenEnd(t *testing.T) {
	defer streamLeakCheck(t)()
	for _, network := range polledNetworks {
		for _, n := range []int{1, 4 << 10, 4<<10 + 1, 8 << 10, 64 << 10, 256 << 10, 1 << 20} {
			for _, end := range []string{"fin", "close", "rst"} {
				for _, limit := range []int{0, 1 << 10} {
					name := fmt.Sprintf("%s/%d/%s/limit%d", network, n, end, limit)
					data := pattern(n)
					// The peer waits for a byte first, so that the loop
					// watches the socket before anything comes.
					dial, wait := outsidePeer(t, network, func(c net.Conn) error {
						var one [1]byte
						if _, err := io.ReadFull(c, one[:]); err != nil {
							return err
						}
						if end == "rst" {
							// Unread input makes close send RST too.
							if _, err := c.Write(data); err != nil {
								return err
							}
							abortConn(c)
							return nil
						}
						if _, err := c.Write(data); err != nil {
							return err
						}
						if end == "fin" {
							if err := c.(interface{ CloseWrite() error }).CloseWrite(); err != nil {
								return err
							}
							// Wait for the loop's close.
							io.Copy(io.Discard, c)
						}
						return c.Close()
					})
					streamRun(t, func(a *asyncio.A) error {
						var opts []asyncio.StreamOption
						if limit > 0 {
							opts = append(opts, asyncio.WithStreamLimit(limit))
						}
						r, w, err := dial(a, opts...)
						if err != nil {
							return err
						}
						defer w.Close()
						if err := asyncio.Sleep(a, 5*time.Millisecond); err != nil {
							return err
						}
						w.Write([]byte{1})
						var got []byte
						var rerr error
						for i := 0; ; i++ {
							if limit > 0 && i%4 == 0 {
								asyncio.Sleep(a, 100*time.Microsecond)
							}
							b, err := r.Read(a, 1<<16)
							got = append(got, b...)
							if err == io.EOF {
								break
							}
							if err != nil {
								rerr = err
								break
							}
						}
						switch {
						case end == "rst" && network == "tcp":
							if !bytes.Equal(got, data[:len(got)]) {
								t.Errorf("%s: got %d bytes, not a prefix of what was sent", name, len(got))
							}
							if rerr == nil && len(got) != n {
								t.Errorf("%s: EOF after %d of %d bytes, want all or an error", name, len(got), n)
							}
						default:
							if rerr != nil || !bytes.Equal(got, data) {
								t.Errorf("%s: got %d bytes (equal %v), err %v; want %d bytes then EOF", name, len(got), bytes.Equal(got, data), rerr, n)
							}
						}
						w.Close()
						if err := w.WaitClosed(a); err != nil && rerr == nil {
							return err
						}
						return nil
					})
					if err := wait(); err != nil && end == "fin" {
						t.Errorf("%s: peer: %v", name, err)
					}
				}
			}
		}
	}
}

// TestPolledReadExactlyThenEOF: the peer sends n bytes and closes; the
// loop waits in ReadExactly(n) and then sees EOF.
func TestPolledReadExactlyThenEOF(t *testing.T) {
	defer streamLeakCheck(t)()
	for _, network := range polledNetworks {
		for _, n := range []int{4 << 10, 8 << 10, 256 << 10, 1 << 20} {
			data := pattern(n)
			dial, wait := outsidePeer(t, network, func(c net.Conn) error {
				defer c.Close()
				_, err := c.Write(data)
				return err
			})
			streamRun(t, func(a *asyncio.A) error {
				r, w, err := dial(a)
				if err != nil {
					return err
				}
				defer w.Close()
				got, err := r.ReadExactly(a, n)
				if err != nil || !bytes.Equal(got, data) {
					return fmt.Errorf("%s %d: ReadExactly = %d bytes, %v", network, n, len(got), err)
				}
				rest, err := r.Read(a, 10)
				if len(rest) != 0 || err != io.EOF {
					return fmt.Errorf("%s %d: after the data Read = %q, %v, want EOF", network, n, rest, err)
				}
				if !r.AtEOF() {
					return fmt.Errorf("%s %d: not at EOF", network, n)
				}
				return nil
			})
			if err := wait(); err != nil {
				t.Error(err)
			}
		}
	}
}

// TestPolledFlowControl: a fast writer outside the loop, a reader with a
// small limit that reads slowly: every byte in order.
func TestPolledFlowControl(t *testing.T) {
	defer streamLeakCheck(t)()
	for _, network := range polledNetworks {
		const total = 4 << 20
		data := pattern(total)
		dial, wait := outsidePeer(t, network, func(c net.Conn) error {
			defer c.Close()
			for off := 0; off < total; {
				m := min(total-off, 1+off%70000)
				if _, err := c.Write(data[off : off+m]); err != nil {
					return err
				}
				off += m
			}
			return nil
		})
		streamRun(t, func(a *asyncio.A) error {
			r, w, err := dial(a, asyncio.WithStreamLimit(512))
			if err != nil {
				return err
			}
			defer w.Close()
			var got []byte
			for i := 0; ; i++ {
				if i%50 == 0 {
					if err := asyncio.Sleep(a, time.Millisecond); err != nil {
						return err
					}
				}
				var b []byte
				switch i % 3 {
				case 0:
					b, err = r.Read(a, 100)
				case 1:
					b, err = r.ReadExactly(a, 300)
					var ie *asyncio.IncompleteReadError
					if errors.As(err, &ie) {
						b = ie.Partial
					}
				default:
					b, err = r.Read(a, 4096)
				}
				got = append(got, b...)
				if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
					break
				}
				if err != nil {
					return fmt.Errorf("%s: after %d bytes: %v", network, len(got), err)
				}
			}
			if !bytes.Equal(got, data) {
				i := 0
				for i < len(got) && i < len(data) && got[i] == data[i] {
					i++
				}
				return fmt.Errorf("%s: got %d bytes, want %d; first difference at %d", network, len(got), total, i)
			}
			return nil
		})
		if err := wait(); err != nil {
			t.Error(err)
		}
	}
}

// TestPolledLargeWrites: the loop writes MBs to a peer that reads slowly;
// Drain, then Close: every byte arrives, then EOF, and WaitClosed returns.
func TestPolledLargeWrites(t *testing.T) {
	defer streamLeakCheck(t)()
	for _, network := range polledNetworks {
		const total = 8 << 20
		data := pattern(total)
		got := make(chan []byte, 1)
		dial, wait := outsidePeer(t, network, func(c net.Conn) error {
			defer c.Close()
			var all []byte
			buf := make([]byte, 32<<10)
			for i := 0; ; i++ {
				if i%16 == 0 {
					time.Sleep(time.Millisecond)
				}
				n, err := c.Read(buf)
				all = append(all, buf[:n]...)
				if err == io.EOF {
					break
				}
				if err != nil {
					got <- all
					return err
				}
			}
			got <- all
			return nil
		})
		streamRun(t, func(a *asyncio.A) error {
			_, w, err := dial(a)
			if err != nil {
				return err
			}
			for off := 0; off < total; {
				m := min(total-off, 1<<20+off%3)
				w.Write(data[off : off+m])
				off += m
				if off%(2<<20) < 4 {
					if err := w.Drain(a); err != nil {
						return err
					}
				}
			}
			w.Write(data[:0])
			w.Close()
			return w.WaitClosed(a)
		})
		if err := wait(); err != nil {
			t.Errorf("%s: peer: %v", network, err)
		}
		if b := <-got; !bytes.Equal(b, data) {
			t.Errorf("%s: peer got %d bytes (prefix ok %v), want %d", network, len(b), bytes.Equal(b, data[:min(len(b), total)]), total)
		}
	}
}

// TestPolledAbortWithPendingWrites: writes pending to a peer that does not
// read; Abort (or Close, then Abort) makes WaitClosed return at once.
func TestPolledAbortWithPendingWrites(t *testing.T) {
	defer streamLeakCheck(t)()
	for _, network := range polledNetworks {
		for _, how := range []string{"abort", "close-then-abort", "close-then-peer-closes"} {
			release := make(chan struct{})
			released := false
			dial, wait := outsidePeer(t, network, func(c net.Conn) error {
				<-release
				return c.Close()
			})
			streamRun(t, func(a *asyncio.A) error {
				_, w, err := dial(a)
				if err != nil {
					return err
				}
				w.Write(make([]byte, 16<<20))
				if err := asyncio.Sleep(a, 10*time.Millisecond); err != nil {
					return err
				}
				start := time.Now()
				switch how {
				case "abort":
					w.Abort()
				case "close-then-abort":
					w.Close()
					asyncio.Sleep(a, 5*time.Millisecond)
					w.Abort()
				case "close-then-peer-closes":
					w.Close()
					close(release)
					released = true
				}
				if _, err := asyncio.WaitFor(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
					return struct{}{}, w.WaitClosed(a)
				}), 5*time.Second); errors.Is(err, asyncio.ErrTimeout) {
					return fmt.Errorf("%s %s: WaitClosed did not return", network, how)
				}
				if d := time.Since(start); d > time.Second {
					t.Errorf("%s %s: WaitClosed took %v", network, how, d)
				}
				return nil
			})
			if !released {
				close(release)
			}
			wait()
		}
	}
}

// TestPolledCancelEveryAwait cancels a task at each await of a polled
// connection, then checks the connection still works.
func TestPolledCancelEveryAwait(t *testing.T) {
	defer streamLeakCheck(t)()
	for _, network := range polledNetworks {
		step := make(chan string)
		dial, wait := outsidePeer(t, network, func(c net.Conn) error {
			defer c.Close()
			for s := range step {
				switch s {
				case "echo":
					buf := make([]byte, 5)
					if _, err := io.ReadFull(c, buf); err != nil {
						return err
					}
					if _, err := c.Write(buf); err != nil {
						return err
					}
				case "drain":
					// Read everything, until the loop closes.
					_, err := io.Copy(io.Discard, c)
					return err
				}
			}
			return nil
		})
		streamRun(t, func(a *asyncio.A) error {
			r, w, err := dial(a)
			if err != nil {
				return err
			}
			defer w.Close()
			cancelIn := func(what string, fn func(a *asyncio.A) error) error {
				task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
					return struct{}{}, fn(a)
				}))
				if err := asyncio.Sleep(a, 10*time.Millisecond); err != nil {
					return err
				}
				if task.Done() {
					_, err := task.Result()
					return fmt.Errorf("%s: done before the cancel: %v", what, err)
				}
				task.Cancel()
				if _, err := task.Await(a); !errors.Is(err, asyncio.ErrCanceled) {
					return fmt.Errorf("%s: after cancel: %v, want cancelled", what, err)
				}
				return nil
			}
			echo := func() error {
				step <- "echo"
				w.Write([]byte("hello"))
				got, err := r.ReadExactly(a, 5)
				if err != nil || string(got) != "hello" {
					return fmt.Errorf("echo after cancel: %q, %v", got, err)
				}
				return nil
			}
			for _, c := range []struct {
				what string
				fn   func(a *asyncio.A) error
			}{
				{"Read", func(a *asyncio.A) error { _, err := r.Read(a, 10); return err }},
				{"ReadExactly", func(a *asyncio.A) error { _, err := r.ReadExactly(a, 10); return err }},
				{"ReadUntil", func(a *asyncio.A) error { _, err := r.ReadUntil(a, []byte("x")); return err }},
				{"ReadLine", func(a *asyncio.A) error { _, err := r.ReadLine(a); return err }},
			} {
				if err := cancelIn(c.what, c.fn); err != nil {
					return err
				}
				if err := echo(); err != nil {
					return fmt.Errorf("%s: %w", c.what, err)
				}
			}
			// Drain with a peer that does not read.
			w.Write(make([]byte, 32<<20))
			if err := cancelIn("Drain", w.Drain); err != nil {
				return err
			}
			step <- "drain"
			if err := w.Drain(a); err != nil {
				return err
			}
			close(step)
			w.Close()
			return w.WaitClosed(a)
		})
		wait()
	}
}

// TestPolledCancelWaitClosed: WaitClosed waiting for pending writes to a
// peer that does not read is cancelled; then Abort ends it.
func TestPolledCancelWaitClosed(t *testing.T) {
	defer streamLeakCheck(t)()
	for _, network := range polledNetworks {
		release := make(chan struct{})
		dial, wait := outsidePeer(t, network, func(c net.Conn) error {
			<-release
			return c.Close()
		})
		streamRun(t, func(a *asyncio.A) error {
			_, w, err := dial(a)
			if err != nil {
				return err
			}
			w.Write(make([]byte, 16<<20))
			w.Close()
			_, err = asyncio.WaitFor(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
				return struct{}{}, w.WaitClosed(a)
			}), 20*time.Millisecond)
			if !errors.Is(err, asyncio.ErrTimeout) {
				return fmt.Errorf("WaitClosed = %v, want a timeout", err)
			}
			w.Abort()
			return w.WaitClosed(a)
		})
		close(release)
		wait()
	}
}

// TestPolledStartTLSOutsidePeer: plaintext then StartTLS with a peer outside
// the loop, the loop as client and as server; the peer sends its first TLS
// bytes in the same write as the last plaintext (so the loop has them read
// before StartTLS).
func TestPolledStartTLSOutsidePeer(t *testing.T) {
	p := testCerts(t)
	defer streamLeakCheck(t)()
	for _, network := range polledNetworks {
		// The loop is the TLS client: the peer answers "go\n" and starts
		// TLS as server.
		dial, wait := outsidePeer(t, network, func(c net.Conn) error {
			defer c.Close()
			buf := make([]byte, 9)
			if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "STARTTLS\n" {
				return fmt.Errorf("peer got %q, %v", buf, err)
			}
			if _, err := c.Write([]byte("go\n")); err != nil {
				return err
			}
			tc := tls.Server(c, p.serverConfig())
			line := make([]byte, 6)
			if _, err := io.ReadFull(tc, line); err != nil {
				return fmt.Errorf("peer TLS read: %w", err)
			}
			if _, err := tc.Write(bytes.ToUpper(line)); err != nil {
				return err
			}
			tc.Close() // the loop may have closed first
			return nil
		})
		streamRun(t, func(a *asyncio.A) error {
			r, w, err := dial(a)
			if err != nil {
				return err
			}
			defer w.Close()
			w.WriteString("STARTTLS\n")
			if line, err := r.ReadLine(a); err != nil || string(line) != "go\n" {
				return fmt.Errorf("got %q, %v", line, err)
			}
			if err := w.StartTLS(a, p.clientConfig(), asyncio.WithServerHostname("localhost")); err != nil {
				return err
			}
			w.WriteString("hello\n")
			if got, err := r.ReadExactly(a, 6); err != nil || string(got) != "HELLO\n" {
				return fmt.Errorf("over TLS got %q, %v", got, err)
			}
			return nil
		})
		if err := wait(); err != nil {
			t.Errorf("%s client: %v", network, err)
		}

		// The loop is the TLS server (StartServer): an outside client
		// sends "STARTTLS\n", then, once told to go, its ClientHello.
		srvDone := make(chan error, 1)
		streamRun(t, func(a *asyncio.A) error {
			handler := func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
				if line, err := r.ReadLine(a); err != nil || string(line) != "STARTTLS\n" {
					return fmt.Errorf("server got %q, %v", line, err)
				}
				w.WriteString("go\n")
				if err := w.StartTLS(a, p.serverConfig()); err != nil {
					return fmt.Errorf("server StartTLS: %w", err)
				}
				got, err := r.ReadExactly(a, 6)
				if err != nil {
					return err
				}
				w.Write(bytes.ToUpper(got))
				return w.Drain(a)
			}
			var srv *asyncio.Server
			var addr string
			var err error
			if network == "unix" {
				addr = filepath.Join(t.TempDir(), "s")
				srv, err = asyncio.StartUnixServer(a, handler, addr)
			} else {
				srv, err = asyncio.StartServer(a, handler, "127.0.0.1", 0)
				addr = fmt.Sprintf("127.0.0.1:%d", srv.Addr().Port)
			}
			if err != nil {
				return err
			}
			if _, err := asyncio.ToThread(a, func(ctx context.Context) (struct{}, error) {
				c, err := net.Dial(network, addr)
				if err != nil {
					return struct{}{}, err
				}
				defer c.Close()
				if _, err := c.Write([]byte("STARTTLS\n")); err != nil {
					return struct{}{}, err
				}
				buf := make([]byte, 3)
				if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "go\n" {
					return struct{}{}, fmt.Errorf("client got %q, %v", buf, err)
				}
				cfg := p.clientConfig()
				cfg.ServerName = "localhost"
				tc := tls.Client(c, cfg)
				if _, err := tc.Write([]byte("abcdef")); err != nil {
					return struct{}{}, fmt.Errorf("client TLS write: %w", err)
				}
				line := make([]byte, 6)
				if _, err := io.ReadFull(tc, line); err != nil || string(line) != "ABCDEF" {
					return struct{}{}, fmt.Errorf("client TLS read %q: %w", line, err)
				}
				return struct{}{}, nil
			}); err != nil {
				srvDone <- err
			}
			return closeServer(a, srv)
		})
		select {
		case err := <-srvDone:
			t.Errorf("%s server: %v", network, err)
		default:
		}
	}
}

// TestPolledStartTLSFailure: the peer answers the ClientHello with
// garbage, or closes: StartTLS fails, the connection closes, nothing
// leaks; and a cancelled StartTLS.
func TestPolledStartTLSFailure(t *testing.T) {
	p := testCerts(t)
	defer streamLeakCheck(t)()
	for _, network := range polledNetworks {
		for _, how := range []string{"garbage", "close", "silent-cancel"} {
			done := make(chan struct{})
			dial, wait := outsidePeer(t, network, func(c net.Conn) error {
				defer c.Close()
				buf := make([]byte, 1)
				if _, err := c.Read(buf); err != nil {
					return err
				}
				switch how {
				case "garbage":
					c.Write(bytes.Repeat([]byte("garbage\n"), 100))
				case "close":
				case "silent-cancel":
					<-done
				}
				return nil
			})
			streamRun(t, func(a *asyncio.A) error {
				defer close(done)
				_, w, err := dial(a)
				if err != nil {
					return err
				}
				defer w.Close()
				var err2 error
				if how == "silent-cancel" {
					_, err2 = asyncio.WaitFor(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
						return struct{}{}, w.StartTLS(a, p.clientConfig(), asyncio.WithServerHostname("localhost"))
					}), 50*time.Millisecond)
				} else {
					err2 = w.StartTLS(a, p.clientConfig(), asyncio.WithServerHostname("localhost"))
				}
				if err2 == nil {
					return fmt.Errorf("%s %s: StartTLS succeeded", network, how)
				}
				if _, err := asyncio.WaitFor(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
					return struct{}{}, w.WaitClosed(a)
				}), 5*time.Second); errors.Is(err, asyncio.ErrTimeout) {
					return fmt.Errorf("%s %s: WaitClosed hangs after a failed StartTLS", network, how)
				}
				return nil
			})
			wait()
		}
	}
}

// TestPolledThreadsafeWakeups: a loop with an idle polled connection sleeps
// in epoll; CallSoonThreadsafe, ToThread and a registered sender wake it,
// many times, under GOMAXPROCS 1 and 2.
func TestPolledThreadsafeWakeups(t *testing.T) {
	defer streamLeakCheck(t)()
	for _, procs := range []int{1, 2} {
		prev := runtime.GOMAXPROCS(procs)
		for _, network := range polledNetworks {
			release := make(chan struct{})
			dial, wait := outsidePeer(t, network, func(c net.Conn) error {
				<-release
				return c.Close()
			})
			streamRun(t, func(a *asyncio.A) error {
				_, w, err := dial(a)
				if err != nil {
					return err
				}
				defer w.Close()
				l := asyncio.GetRunningLoop(a)
				const n = 2000
				// CallSoonThreadsafe from a registered goroutine.
				done := asyncio.NewFuture[int](l)
				unreg := l.RegisterExternal()
				var count atomic.Int64
				go func() {
					defer unreg()
					for i := range n {
						if i%100 == 0 {
							time.Sleep(time.Millisecond)
						}
						l.CallSoonThreadsafe(func() {
							if count.Add(1) == n {
								done.SetResult(n)
							}
						})
					}
				}()
				start := time.Now()
				if _, err := asyncio.WaitFor(a, done, 10*time.Second); err != nil {
					return fmt.Errorf("GOMAXPROCS=%d %s: after %d calls: %v", procs, network, count.Load(), err)
				}
				// Ping-pong: one call at a time, each waits for the loop.
				for i := range 300 {
					f := asyncio.NewFuture[int](l)
					unreg := l.RegisterExternal()
					go func() {
						defer unreg()
						time.Sleep(time.Duration(i%3) * 100 * time.Microsecond)
						l.CallSoonThreadsafe(func() { f.SetResult(i) })
					}()
					if _, err := asyncio.WaitFor(a, f, 5*time.Second); err != nil {
						return fmt.Errorf("GOMAXPROCS=%d %s: ping %d: %v", procs, network, i, err)
					}
				}
				for i := range 300 {
					v, err := asyncio.ToThread(a, func(ctx context.Context) (int, error) {
						if i%2 == 0 {
							time.Sleep(50 * time.Microsecond)
						}
						return i, nil
					})
					if err != nil || v != i {
						return fmt.Errorf("ToThread %d = %d, %v", i, v, err)
					}
				}
				if d := time.Since(start); d > 10*time.Second {
					t.Errorf("GOMAXPROCS=%d %s: wake-ups took %v", procs, network, d)
				}
				return nil
			})
			close(release)
			wait()
		}
		runtime.GOMAXPROCS(prev)
	}
}

// TestPolledTimersOnTime: with an open idle polled connection, sleeps are
// never early and not much late.
func TestPolledTimersOnTime(t *testing.T) {
	defer streamLeakCheck(t)()
	for _, network := range polledNetworks {
		release := make(chan struct{})
		dial, wait := outsidePeer(t, network, func(c net.Conn) error {
			<-release
			return c.Close()
		})
		streamRun(t, func(a *asyncio.A) error {
			_, w, err := dial(a)
			if err != nil {
				return err
			}
			defer w.Close()
			l := asyncio.GetRunningLoop(a)
			for _, d := range []time.Duration{0, 100 * time.Microsecond, 999 * time.Microsecond, time.Millisecond, 1500 * time.Microsecond, 5 * time.Millisecond, 20 * time.Millisecond} {
				for range 5 {
					start, lstart := time.Now(), l.Time()
					if err := asyncio.Sleep(a, d); err != nil {
						return err
					}
					if el := time.Since(start); el < d {
						t.Errorf("%s: Sleep(%v) took %v: early", network, d, el)
					} else if el > d+200*time.Millisecond {
						t.Errorf("%s: Sleep(%v) took %v: late", network, d, el)
					}
					if el := l.Time().Sub(lstart); el < d {
						t.Errorf("%s: Sleep(%v) took %v of loop time: early", network, d, el)
					}
				}
			}
			return nil
		})
		close(release)
		wait()
	}
}

// TestPolledVirtualTime: virtual time with polled sockets to a peer
// outside the loop that answers after a real delay: no false
// DeadlockError, no hang.
func TestPolledVirtualTime(t *testing.T) {
	defer streamLeakCheck(t)()
	for _, network := range polledNetworks {
		for _, threshold := range []time.Duration{time.Nanosecond, asyncio.DefaultIdleThreshold} {
			dial, wait := outsidePeer(t, network, func(c net.Conn) error {
				defer c.Close()
				buf := make([]byte, 4)
				for {
					if _, err := io.ReadFull(c, buf); err != nil {
						if err == io.EOF {
							return nil
						}
						return err
					}
					time.Sleep(30 * time.Millisecond)
					if _, err := c.Write(buf); err != nil {
						return err
					}
				}
			})
			streamRun(t, func(a *asyncio.A) error {
				r, w, err := dial(a)
				if err != nil {
					return err
				}
				for i := range 5 {
					fmt.Fprintf(w, "%04d", i)
					got, err := r.ReadExactly(a, 4)
					if err != nil || string(got) != fmt.Sprintf("%04d", i) {
						return fmt.Errorf("%s %v: round %d: %q, %v", network, threshold, i, got, err)
					}
					if err := asyncio.Sleep(a, time.Hour); err != nil {
						return err
					}
				}
				w.Close()
				return w.WaitClosed(a)
			}, asyncio.WithVirtualTime(), asyncio.WithIdleThreshold(threshold))
			if err := wait(); err != nil {
				t.Error(err)
			}
		}
	}
}

// TestPolledShutdownWithOpenConnections: Run returns while connections to
// outside peers are open, idle, mid-write and mid-read: no goroutine or
// descriptor left.
func TestPolledShutdownWithOpenConnections(t *testing.T) {
	check := streamLeakCheck(t)
	var wg sync.WaitGroup
	var waits []func() error
	var dials []func(a *asyncio.A, opts ...asyncio.StreamOption) (*asyncio.StreamReader, *asyncio.StreamWriter, error)
	for i := range 6 {
		network := polledNetworks[i%2]
		dial, wait := outsidePeer(t, network, func(c net.Conn) error {
			defer c.Close()
			if i%3 == 1 {
				c.Write(make([]byte, 1<<20))
			}
			io.Copy(io.Discard, c)
			return nil
		})
		dials = append(dials, dial)
		waits = append(waits, wait)
	}
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		for i, dial := range dials {
			_, w, err := dial(a)
			if err != nil {
				return struct{}{}, err
			}
			if i%3 == 2 {
				w.Write(make([]byte, 8<<20))
			}
		}
		return struct{}{}, asyncio.Sleep(a, 20*time.Millisecond)
	}))
	if err != nil {
		t.Logf("Run = %v", err)
	}
	for _, w := range waits {
		wg.Add(1)
		go func() { defer wg.Done(); w() }()
	}
	wg.Wait()
	check()
}

// TestPolledWriteAfterPeerHalfClose: the peer shuts down its writing (FIN)
// at once, then reads slowly; the loop reads EOF, then writes MBs: Drain
// returns, every byte arrives, and WaitClosed returns.
func TestPolledWriteAfterPeerHalfClose(t *testing.T) {
	defer streamLeakCheck(t)()
	for _, network := range polledNetworks {
		for _, order := range []string{"eof-first", "write-first"} {
			const total = 16 << 20
			data := pattern(total)
			got := make(chan []byte, 1)
			dial, wait := outsidePeer(t, network, func(c net.Conn) error {
				defer c.Close()
				c.Write([]byte("request"))
				if err := c.(interface{ CloseWrite() error }).CloseWrite(); err != nil {
					return err
				}
				var all []byte
				buf := make([]byte, 64<<10)
				for i := 0; ; i++ {
					if i%8 == 0 {
						time.Sleep(time.Millisecond)
					}
					n, err := c.Read(buf)
					all = append(all, buf[:n]...)
					if err != nil {
						got <- all
						if err == io.EOF {
							return nil
						}
						return err
					}
				}
			})
			streamRun(t, func(a *asyncio.A) error {
				r, w, err := dial(a)
				if err != nil {
					return err
				}
				if order == "write-first" {
					w.Write(data[:1<<20])
				}
				req, err := r.Read(a, -1)
				if err != nil || string(req) != "request" {
					return fmt.Errorf("request %q, %v", req, err)
				}
				if order == "write-first" {
					w.Write(data[1<<20:])
				} else {
					w.Write(data)
				}
				if _, err := asyncio.WaitFor(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
					return struct{}{}, w.Drain(a)
				}), 10*time.Second); err != nil {
					return fmt.Errorf("%s %s: Drain after the peer's EOF: %w", network, order, err)
				}
				w.Close()
				if _, err := asyncio.WaitFor(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
					return struct{}{}, w.WaitClosed(a)
				}), 10*time.Second); err != nil {
					return fmt.Errorf("%s %s: WaitClosed after the peer's EOF: %w", network, order, err)
				}
				return nil
			})
			if err := wait(); err != nil {
				t.Errorf("%s %s: peer: %v", network, order, err)
			}
			if b := <-got; !bytes.Equal(b, data) {
				t.Errorf("%s %s: peer got %d bytes, want %d", network, order, len(b), total)
			}
		}
	}
}

// TestPolledWriteEOFWithPendingWrites: the loop writes MBs, then WriteEOF
// at once; the peer reads all, then answers and closes: every byte each
// way, then EOF.
func TestPolledWriteEOFWithPendingWrites(t *testing.T) {
	defer streamLeakCheck(t)()
	for _, network := range polledNetworks {
		const total = 8 << 20
		data := pattern(total)
		answer := pattern(3<<20 + 5)
		dial, wait := outsidePeer(t, network, func(c net.Conn) error {
			defer c.Close()
			all, err := io.ReadAll(c)
			if err != nil {
				return err
			}
			if !bytes.Equal(all, data) {
				return fmt.Errorf("peer got %d bytes, want %d", len(all), total)
			}
			_, err = c.Write(answer)
			return err
		})
		streamRun(t, func(a *asyncio.A) error {
			r, w, err := dial(a, asyncio.WithStreamLimit(4<<10))
			if err != nil {
				return err
			}
			w.Write(data)
			if err := w.WriteEOF(); err != nil {
				return err
			}
			got, err := r.Read(a, -1)
			if err != nil || !bytes.Equal(got, answer) {
				return fmt.Errorf("%s: answer %d bytes, %v, want %d", network, len(got), err, len(answer))
			}
			w.Close()
			return w.WaitClosed(a)
		})
		if err := wait(); err != nil {
			t.Errorf("%s: peer: %v", network, err)
		}
	}
}

// TestPolledVirtualTimeSameLoop: both ends in the loop, virtual time, a
// large transfer to a reader that sleeps between reads: no false
// DeadlockError, no hang, and the virtual time is the sleeps'.
func TestPolledVirtualTimeSameLoop(t *testing.T) {
	defer streamLeakCheck(t)()
	for _, opts := range [][]asyncio.Option{{asyncio.WithVirtualTime()}, {asyncio.WithVirtualTime(), asyncio.WithIdleThreshold(time.Nanosecond)}, {asyncio.WithStrictDeadlocks()}} {
		const total = 4 << 20
		data := pattern(total)
		streamRun(t, func(a *asyncio.A) error {
			srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
				w.Write(data)
				if err := w.Drain(a); err != nil {
					return err
				}
				return w.Close()
			}, "127.0.0.1", 0)
			if err != nil {
				return err
			}
			r, w, err := asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port, asyncio.WithStreamLimit(16<<10))
			if err != nil {
				return err
			}
			var got []byte
			for i := 0; ; i++ {
				if i%64 == 0 {
					if err := asyncio.Sleep(a, time.Millisecond); err != nil {
						return err
					}
				}
				b, err := r.Read(a, 8<<10)
				got = append(got, b...)
				if err == io.EOF {
					break
				}
				if err != nil {
					return err
				}
			}
			if !bytes.Equal(got, data) {
				return fmt.Errorf("got %d bytes, want %d", len(got), total)
			}
			w.Close()
			if err := w.WaitClosed(a); err != nil {
				return err
			}
			return closeServer(a, srv)
		}, opts...)
	}
}

// TestPolledPingPongGOMAXPROCS: round trips with a peer outside the loop
// (a goroutine of the same process) under GOMAXPROCS 1 and 2: the loop
// asleep in epoll_wait holds its thread, and must not hold the peer back.
func TestPolledPingPongGOMAXPROCS(t *testing.T) {
	defer streamLeakCheck(t)()
	for _, procs := range []int{1, 2} {
		prev := runtime.GOMAXPROCS(procs)
		for _, network := range polledNetworks {
			const rounds = 2000
			dial, wait := outsidePeer(t, network, func(c net.Conn) error {
				defer c.Close()
				buf := make([]byte, 8)
				for {
					if _, err := io.ReadFull(c, buf); err != nil {
						if err == io.EOF {
							return nil
						}
						return err
					}
					if _, err := c.Write(buf); err != nil {
						return err
					}
				}
			})
			start := time.Now()
			streamRun(t, func(a *asyncio.A) error {
				r, w, err := dial(a)
				if err != nil {
					return err
				}
				for i := range rounds {
					fmt.Fprintf(w, "%08d", i)
					got, err := r.ReadExactly(a, 8)
					if err != nil || string(got) != fmt.Sprintf("%08d", i) {
						return fmt.Errorf("round %d: %q, %v", i, got, err)
					}
				}
				w.Close()
				return w.WaitClosed(a)
			})
			d := time.Since(start)
			t.Logf("GOMAXPROCS=%d %s: %d round trips in %v (%v each)", procs, network, rounds, d, d/rounds)
			if d > 5*time.Second {
				t.Errorf("GOMAXPROCS=%d %s: %d round trips took %v", procs, network, rounds, d)
			}
			if err := wait(); err != nil {
				t.Error(err)
			}
		}
		runtime.GOMAXPROCS(prev)
	}
}

// TestPolledWriteToClosedPeer: the peer closes at once (RST when it has
// unread data); the loop keeps writing and draining: an error, not a
// hang, and WaitClosed returns.
func TestPolledWriteToClosedPeer(t *testing.T) {
	defer streamLeakCheck(t)()
	for _, network := range polledNetworks {
		for _, paused := range []bool{false, true} {
			dial, wait := outsidePeer(t, network, func(c net.Conn) error {
				c.Write(make([]byte, 64<<10))
				buf := make([]byte, 1)
				c.Read(buf)
				abortConn(c)
				return nil
			})
			streamRun(t, func(a *asyncio.A) error {
				_, w, err := dial(a, asyncio.WithStreamLimit(1<<10))
				if err != nil {
					return err
				}
				_ = paused // the reader never reads: it is paused
				chunk := make([]byte, 1<<20)
				var werr error
				for i := 0; i < 200 && werr == nil; i++ {
					if _, werr = w.Write(chunk); werr != nil {
						break
					}
					_, werr = asyncio.WaitFor(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
						return struct{}{}, w.Drain(a)
					}), 5*time.Second)
				}
				if werr == nil || errors.Is(werr, asyncio.ErrTimeout) {
					return fmt.Errorf("%s: writing to a reset peer: %v, want a connection error", network, werr)
				}
				if _, err := asyncio.WaitFor(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
					return struct{}{}, w.WaitClosed(a)
				}), 5*time.Second); errors.Is(err, asyncio.ErrTimeout) {
					return fmt.Errorf("%s: WaitClosed hangs", network)
				}
				return nil
			})
			wait()
		}
	}
}

// TestPolledLoopSleepsParkedOnOneP: under GOMAXPROCS=1, a loop asleep in
// its poller (an idle polled connection open) is parked in Go's scheduler,
// not in a blocking epoll_wait: that would hold the only P, and a
// goroutine that must call in (ToThread's, a sender of
// CallSoonThreadsafe, a peer in the same process) would wait for sysmon to
// take it back, hundreds of microseconds a wake-up. The goroutine here
// reads the loop goroutine's state once it is asleep.
func TestPolledLoopSleepsParkedOnOneP(t *testing.T) {
	defer streamLeakCheck(t)()
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	release := make(chan struct{})
	dial, wait := outsidePeer(t, "tcp", func(c net.Conn) error {
		<-release
		return c.Close()
	})
	streamRun(t, func(a *asyncio.A) error {
		_, w, err := dial(a)
		if err != nil {
			return err
		}
		defer w.Close()
		l := asyncio.GetRunningLoop(a)
		for range 3 { // the first sleep, and the next ones
			f := asyncio.NewFuture[string](l)
			release := l.RegisterExternal()
			go func() {
				defer release()
				state := ""
				for state == "" {
					runtime.Gosched()
					state = sleepingLoopState()
				}
				l.CallSoonThreadsafe(func() { f.SetResult(state) })
			}()
			state, err := f.Await(a)
			if err != nil {
				return err
			}
			if state != "IO wait" {
				t.Errorf("GOMAXPROCS=1: the loop sleeps in its poller as a goroutine in [%s], want [IO wait]: parked, its P free", state)
			}
		}
		return nil
	})
	close(release)
	if err := wait(); err != nil {
		t.Error(err)
	}
}

// sleepingLoopState returns the state of a loop's goroutine asleep in its
// poller, as runtime.Stack prints it ("IO wait", "syscall"), or "" if no
// loop is asleep there.
func sleepingLoopState() string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	for _, g := range strings.Split(string(buf), "\n\n") {
		if !strings.Contains(g, "asyncio.(*Loop).waitWake") {
			continue
		}
		header, _, _ := strings.Cut(g, "\n")
		_, state, _ := strings.Cut(header, "[")
		state, _, _ = strings.Cut(state, "]")
		state, _, _ = strings.Cut(state, ",")
		return state
	}
	return ""
}

// TestPolledManyPeers: hundreds of outside clients at once (more events
// than one epoll_wait takes), each sends data and shuts down its writing
// at once; the loop's server reads all to EOF and answers with a digest.
func TestPolledManyPeers(t *testing.T) {
	defer streamLeakCheck(t)()
	for _, network := range polledNetworks {
		const clients = 300
		streamRun(t, func(a *asyncio.A) error {
			handler := func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
				all, err := r.Read(a, -1)
				if err != nil {
					return err
				}
				var sum uint32
				for _, b := range all {
					sum = sum*31 + uint32(b)
				}
				fmt.Fprintf(w, "%d %d\n", len(all), sum)
				return w.Close()
			}
			var srv *asyncio.Server
			var addr string
			var err error
			if network == "unix" {
				addr = filepath.Join(t.TempDir(), "s")
				srv, err = asyncio.StartUnixServer(a, handler, addr, asyncio.WithStreamLimit(4<<10))
			} else {
				srv, err = asyncio.StartServer(a, handler, "127.0.0.1", 0, asyncio.WithStreamLimit(4<<10))
				addr = fmt.Sprintf("127.0.0.1:%d", srv.Addr().Port)
			}
			if err != nil {
				return err
			}
			_, err = asyncio.ToThread(a, func(ctx context.Context) (struct{}, error) {
				var wg sync.WaitGroup
				errs := make(chan error, clients)
				for i := range clients {
					wg.Add(1)
					go func() {
						defer wg.Done()
						c, err := net.Dial(network, addr)
						if err != nil {
							errs <- err
							return
						}
						defer c.Close()
						data := pattern(1 + i*997%(96<<10))
						go func() {
							c.Write(data)
							c.(interface{ CloseWrite() error }).CloseWrite()
						}()
						var sum uint32
						for _, b := range data {
							sum = sum*31 + uint32(b)
						}
						got, err := io.ReadAll(c)
						if want := fmt.Sprintf("%d %d\n", len(data), sum); err != nil || string(got) != want {
							errs <- fmt.Errorf("client %d: %q, %v, want %q", i, got, err, want)
						}
					}()
				}
				wg.Wait()
				close(errs)
				return struct{}{}, <-errs
			})
			if err != nil {
				return fmt.Errorf("%s: %w", network, err)
			}
			return closeServer(a, srv)
		})
	}
}

// TestPolledStartTLSWithPendingWrites: the loop writes MBs in the clear to
// a slow peer and calls StartTLS at once: the plaintext is written first,
// then the handshake, and TLS data flows both ways.
func TestPolledStartTLSWithPendingWrites(t *testing.T) {
	p := testCerts(t)
	defer streamLeakCheck(t)()
	for _, network := range polledNetworks {
		const total = 4 << 20
		data := pattern(total)
		dial, wait := outsidePeer(t, network, func(c net.Conn) error {
			defer c.Close()
			buf := make([]byte, total)
			for off := 0; off < total; {
				time.Sleep(100 * time.Microsecond)
				n, err := c.Read(buf[off:min(total, off+64<<10)])
				if err != nil {
					return fmt.Errorf("peer plaintext read at %d: %w", off, err)
				}
				off += n
			}
			if !bytes.Equal(buf, data) {
				return errors.New("peer: plaintext differs")
			}
			tc := tls.Server(c, p.serverConfig())
			line := make([]byte, 6)
			if _, err := io.ReadFull(tc, line); err != nil {
				return fmt.Errorf("peer TLS read: %w", err)
			}
			if _, err := tc.Write(bytes.ToUpper(line)); err != nil {
				return err
			}
			io.Copy(io.Discard, tc)
			return nil
		})
		streamRun(t, func(a *asyncio.A) error {
			r, w, err := dial(a)
			if err != nil {
				return err
			}
			w.Write(data)
			if err := w.StartTLS(a, p.clientConfig(), asyncio.WithServerHostname("localhost")); err != nil {
				return fmt.Errorf("%s: StartTLS: %w", network, err)
			}
			w.WriteString("hello\n")
			if got, err := r.ReadExactly(a, 6); err != nil || string(got) != "HELLO\n" {
				return fmt.Errorf("%s: over TLS got %q, %v", network, got, err)
			}
			w.Close()
			return w.WaitClosed(a)
		})
		if err := wait(); err != nil {
			t.Errorf("%s: %v", network, err)
		}
	}
}

// TestPolledRunnerAcrossRuns: a connection made in one RunWith of a
// Runner is used in the next ones; between them the peer sends data, then
// its FIN, and a goroutine calls CallSoonThreadsafe.
func TestPolledRunnerAcrossRuns(t *testing.T) {
	defer streamLeakCheck(t)()
	for _, network := range polledNetworks {
		for _, procs := range []int{1, 2} {
			prev := runtime.GOMAXPROCS(procs)
			step := make(chan string)
			dial, wait := outsidePeer(t, network, func(c net.Conn) error {
				defer c.Close()
				for s := range step {
					c.Write([]byte(s))
				}
				return c.(interface{ CloseWrite() error }).CloseWrite()
			})
			r := asyncio.NewRunner(asyncio.WithStrictLeaks())
			var rd *asyncio.StreamReader
			var wr *asyncio.StreamWriter
			if _, err := asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
				var err error
				rd, wr, err = dial(a)
				return struct{}{}, err
			})); err != nil {
				t.Fatal(err)
			}
			var called atomic.Bool
			for i := range 3 {
				step <- fmt.Sprintf("msg%d\n", i)
				time.Sleep(5 * time.Millisecond)
				r.Loop().CallSoonThreadsafe(func() { called.Store(true) })
				if i == 2 {
					close(step)
					time.Sleep(5 * time.Millisecond)
				}
				if _, err := asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
					line, err := rd.ReadLine(a)
					if err != nil || string(line) != fmt.Sprintf("msg%d\n", i) {
						return struct{}{}, fmt.Errorf("run %d: %q, %v", i, line, err)
					}
					return struct{}{}, nil
				})); err != nil {
					t.Fatalf("%s GOMAXPROCS=%d: %v", network, procs, err)
				}
			}
			if _, err := asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
				rest, err := rd.Read(a, -1)
				if err != nil || len(rest) != 0 {
					return struct{}{}, fmt.Errorf("at the end: %q, %v", rest, err)
				}
				wr.Close()
				return struct{}{}, wr.WaitClosed(a)
			})); err != nil {
				t.Fatalf("%s GOMAXPROCS=%d: %v", network, procs, err)
			}
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
			if !called.Load() {
				t.Errorf("%s: the CallSoonThreadsafe made between runs did not run", network)
			}
			runtime.GOMAXPROCS(prev)
			if err := wait(); err != nil {
				t.Error(err)
			}
		}
	}
}

// TestPolledRunContextCancelled: Run's context is cancelled while its main
// task waits in Read on an idle polled connection (the loop asleep in
// epoll): Run returns promptly, with no goroutine or socket left.
func TestPolledRunContextCancelled(t *testing.T) {
	defer streamLeakCheck(t)()
	for _, procs := range []int{1, 2} {
		prev := runtime.GOMAXPROCS(procs)
		for _, network := range polledNetworks {
			for _, opts := range [][]asyncio.Option{{asyncio.WithStallThreshold(2 * time.Second)}, {asyncio.WithVirtualTime()}} {
				release := make(chan struct{})
				dial, wait := outsidePeer(t, network, func(c net.Conn) error {
					<-release
					return c.Close()
				})
				ctx, cancel := context.WithCancel(context.Background())
				time.AfterFunc(30*time.Millisecond, cancel)
				start := time.Now()
				_, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
					r, w, err := dial(a)
					if err != nil {
						return struct{}{}, err
					}
					defer w.Close()
					_, err = r.Read(a, 10)
					return struct{}{}, err
				}), opts...)
				if d := time.Since(start); !errors.Is(err, context.Canceled) || d > 2*time.Second {
					t.Errorf("GOMAXPROCS=%d %s %v: Run = %v after %v, want cancelled at once", procs, network, opts, err, d)
				}
				close(release)
				wait()
			}
		}
		runtime.GOMAXPROCS(prev)
	}
}

// TestPolledAbortDuringStartTLS: StartTLS waits for pending plaintext
// writes to a peer that does not read; another task aborts the connection
// meanwhile and opens a file at once (which takes the lowest free
// descriptor, the socket's): StartTLS fails, and must not touch the
// descriptor it no longer owns (close it, or hand it to package net).
func TestPolledAbortDuringStartTLS(t *testing.T) {
	p := testCerts(t)
	defer streamLeakCheck(t)()
	for _, network := range polledNetworks {
		release := make(chan struct{})
		dial, wait := outsidePeer(t, network, func(c net.Conn) error {
			<-release
			return c.Close()
		})
		streamRun(t, func(a *asyncio.A) error {
			_, w, err := dial(a)
			if err != nil {
				return err
			}
			w.Write(make([]byte, 16<<20))
			upgraded := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
				return struct{}{}, w.StartTLS(a, p.clientConfig(), asyncio.WithServerHostname("localhost"))
			}))
			if err := asyncio.Sleep(a, 10*time.Millisecond); err != nil {
				return err
			}
			w.Abort()
			f, err := os.Open("/dev/null")
			if err != nil {
				return err
			}
			defer f.Close()
			_, uerr := upgraded.Await(a)
			if uerr == nil {
				return fmt.Errorf("%s: StartTLS succeeded on an aborted connection", network)
			}
			t.Logf("%s: StartTLS = %v", network, uerr)
			if _, err := f.Stat(); err != nil {
				return fmt.Errorf("%s: a file opened after the abort: %v", network, err)
			}
			var st syscall.Stat_t
			if err := syscall.Fstat(int(f.Fd()), &st); err != nil {
				return fmt.Errorf("%s: the descriptor of a file opened after the abort was closed by StartTLS (%v): fstat: %v", network, uerr, err)
			}
			return w.WaitClosed(a)
		})
		close(release)
		wait()
	}
}

// TestPolledStartTLSVirtualTimeSlowPeer: both ends in the loop, real and
// virtual time; the client writes more than the socket holds, waits for
// the server's go-ahead and calls StartTLS, while the server's handler
// sleeps before reading: no hang, no false deadlock.
func TestPolledStartTLSVirtualTimeSlowPeer(t *testing.T) {
	p := testCerts(t)
	defer streamLeakCheck(t)()
	const total = 16 << 20
	for _, opts := range [][]asyncio.Option{{asyncio.WithStallThreshold(2 * time.Second)}, {asyncio.WithVirtualTime()}} {
		done := make(chan error, 1)
		go func() {
			done <- streamRunErr(func(a *asyncio.A) error {
				srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
					if err := asyncio.Sleep(a, time.Second); err != nil {
						return err
					}
					for got := 0; got < total; {
						b, err := r.Read(a, total-got)
						if err != nil {
							return err
						}
						got += len(b)
					}
					w.WriteString("go\n")
					if err := w.StartTLS(a, p.serverConfig()); err != nil {
						return err
					}
					line, err := r.ReadLine(a)
					if err != nil {
						return err
					}
					w.Write(bytes.ToUpper(line))
					return w.Drain(a)
				}, "127.0.0.1", 0)
				if err != nil {
					return err
				}
				r, w, err := dial(a, srv)
				if err != nil {
					return err
				}
				w.Write(make([]byte, total))
				if line, err := r.ReadLine(a); err != nil || string(line) != "go\n" {
					return fmt.Errorf("got %q, %v, want go", line, err)
				}
				if err := w.StartTLS(a, p.clientConfig(), asyncio.WithServerHostname("localhost")); err != nil {
					return err
				}
				w.WriteString("hello\n")
				if line, err := r.ReadLine(a); err != nil || string(line) != "HELLO\n" {
					return fmt.Errorf("got %q, %v", line, err)
				}
				w.Close()
				if err := w.WaitClosed(a); err != nil {
					return err
				}
				return closeServer(a, srv)
			}, opts...)
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%v: hangs (Run still running after 10s)", opts)
		}
	}
}
