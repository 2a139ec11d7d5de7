package asyncio_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/yieldfrom/asyncgo/asyncio"
)

// TestEchoServerConcurrentClients is the walkthrough's echo server: five
// clients connect one after another and send three lines each, interleaved,
// and each line comes back to its own client. On the virtual clock the
// clock moves only when no byte is in flight between the two ends of any
// connection, so every exchange completes at the instant it starts and the
// transcript is the same on every run.
func TestEchoServerConcurrentClients(t *testing.T) {
	// Every dial, listen and byte here stays on this host, between ends of
	// the loop: known to arrive, they hold the virtual clock however short
	// the idle threshold, and the transcript is exact.
	for _, threshold := range []time.Duration{asyncio.DefaultIdleThreshold, time.Nanosecond} {
		t.Run(fmt.Sprintf("idle threshold %v", threshold), func(t *testing.T) {
			echoServerConcurrentClients(t, threshold)
		})
	}
}

func echoServerConcurrentClients(t *testing.T, threshold time.Duration) {
	defer streamLeakCheck(t)()
	var transcript []string
	streamRun(t, func(a *asyncio.A) error {
		l := asyncio.GetRunningLoop(a)
		start := l.Time()
		logf := func(format string, args ...any) {
			ms := l.Time().Sub(start).Milliseconds()
			transcript = append(transcript, fmt.Sprintf("%4dms ", ms)+fmt.Sprintf(format, args...))
		}
		srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			for {
				line, err := r.ReadLine(a)
				if err == io.EOF {
					return nil
				}
				if err != nil {
					return err
				}
				logf("server: %s", bytes.TrimSpace(line))
				w.Write(line)
				if err := w.Drain(a); err != nil {
					return err
				}
			}
		}, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		client := func(i int) *asyncio.Coro[int] {
			return asyncio.Async(func(a *asyncio.A) (int, error) {
				if err := asyncio.Sleep(a, time.Duration(i)*10*time.Millisecond); err != nil {
					return 0, err
				}
				r, w, err := dial(a, srv)
				if err != nil {
					return 0, err
				}
				defer w.Close()
				logf("client %d: connected", i)
				for j := 1; j <= 3; j++ {
					if err := asyncio.Sleep(a, 100*time.Millisecond); err != nil {
						return 0, err
					}
					fmt.Fprintf(w, "client %d line %d\n", i, j)
					if err := w.Drain(a); err != nil {
						return 0, err
					}
					echo, err := r.ReadLine(a)
					if err != nil {
						return 0, err
					}
					logf("client %d: echo %q", i, echo)
				}
				return i, nil
			})
		}
		if _, err := asyncio.Gather(a, client(1), client(2), client(3), client(4), client(5)); err != nil {
			return err
		}
		return closeServer(a, srv)
	}, asyncio.WithVirtualTime(), asyncio.WithIdleThreshold(threshold))
	var want []string
	for i := 1; i <= 5; i++ {
		want = append(want, fmt.Sprintf("%4dms client %d: connected", i*10, i))
	}
	for j := 1; j <= 3; j++ {
		for i := 1; i <= 5; i++ {
			ms := i*10 + j*100
			want = append(want,
				fmt.Sprintf("%4dms server: client %d line %d", ms, i, j),
				fmt.Sprintf("%4dms client %d: echo \"client %d line %d\\n\"", ms, i, i, j))
		}
	}
	if diff := cmp.Diff(want, transcript); diff != "" {
		t.Errorf("transcript (-want +got):\n%s", diff)
	}
}

// TestStartServer checks a server's life: a free port, serving, closing,
// refusing connections once closed.
func TestStartServer(t *testing.T) {
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		srv, err := asyncio.StartServer(a, echoHandler, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		if srv.Addr().Port == 0 || !srv.Addr().IP.IsLoopback() {
			t.Errorf("Addr() = %v, want a loopback address with the port picked", srv.Addr())
		}
		if !srv.IsServing() {
			t.Errorf("IsServing() = false, want true")
		}
		if _, err := asyncio.StartServer(a, echoHandler, "127.0.0.1", srv.Addr().Port); !errors.Is(err, syscall.EADDRINUSE) {
			t.Errorf("a second server on port %d: %v, want EADDRINUSE", srv.Addr().Port, err)
		}
		srv.Close()
		srv.Close() // does nothing
		if srv.IsServing() {
			t.Errorf("IsServing() = true after Close, want false")
		}
		if err := srv.WaitClosed(a); err != nil {
			return err
		}
		if _, _, err := dial(a, srv); !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("OpenConnection to a closed server: %v, want ECONNREFUSED", err)
		}
		if err := srv.ServeForever(a); !errors.Is(err, asyncio.ErrInvalidState) {
			t.Errorf("ServeForever on a closed server = %v, want ErrInvalidState", err)
		}
		return nil
	})
}

// TestServerCloseKeepsConnections closes a server while a client is
// connected: as in Python, the connection goes on, and WaitClosed waits for
// it to end.
func TestServerCloseKeepsConnections(t *testing.T) {
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
		echo := func(s string) {
			fmt.Fprintln(w, s)
			if got, err := r.ReadLine(a); string(got) != s+"\n" || err != nil {
				t.Errorf("echo of %q = %q, %v", s, got, err)
			}
		}
		echo("before")
		srv.Close()
		waiter := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			return struct{}{}, srv.WaitClosed(a)
		}))
		echo("after")
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		if waiter.Done() {
			t.Errorf("WaitClosed returned while a connection was open")
		}
		w.Close()
		_, err = waiter.Await(a)
		return err
	}, asyncio.WithVirtualTime())
}

// TestServerCloseClients ends the connections of a closed server, cleanly
// (CloseClients) or at once (AbortClients): the clients read EOF.
func TestServerCloseClients(t *testing.T) {
	for _, abort := range []bool{false, true} {
		t.Run(fmt.Sprintf("abort=%v", abort), func(t *testing.T) {
			defer streamLeakCheck(t)()
			streamRun(t, func(a *asyncio.A) error {
				srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
					fmt.Fprintln(w, "hello")
					_, err := r.Read(a, -1)
					return err
				}, "127.0.0.1", 0)
				if err != nil {
					return err
				}
				var readers []*asyncio.StreamReader
				for range 3 {
					r, w, err := dial(a, srv)
					if err != nil {
						return err
					}
					defer w.Close()
					if line, err := r.ReadLine(a); string(line) != "hello\n" || err != nil {
						t.Errorf("greeting = %q, %v, want %q, nil", line, err, "hello\n")
					}
					readers = append(readers, r)
				}
				srv.Close()
				if abort {
					srv.AbortClients()
				} else {
					srv.CloseClients()
				}
				for i, r := range readers {
					if rest, err := r.Read(a, -1); len(rest) != 0 || err != nil {
						t.Errorf("client %d: Read(-1) = %q, %v, want EOF", i, rest, err)
					}
				}
				return srv.WaitClosed(a)
			}, asyncio.WithVirtualTime())
		})
	}
}

// TestServeForever checks that ServeForever returns when another task
// closes the server, and that a cancelled ServeForever closes it and
// returns, leaving the connections open.
func TestServeForever(t *testing.T) {
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		srv, err := asyncio.StartServer(a, echoHandler, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		serve := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			return struct{}{}, srv.ServeForever(a)
		}))
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		if err := srv.ServeForever(a); !errors.Is(err, asyncio.ErrInvalidState) {
			t.Errorf("a second ServeForever = %v, want ErrInvalidState", err)
		}
		srv.Close()
		if _, err := serve.Await(a); err != nil {
			t.Errorf("ServeForever after Close = %v, want nil", err)
		}

		srv, err = asyncio.StartServer(a, echoHandler, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		r, w, err := dial(a, srv)
		if err != nil {
			return err
		}
		serve = asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			return struct{}{}, srv.ServeForever(a)
		}))
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		serve.Cancel("")
		if _, err := serve.Await(a); !errors.Is(err, asyncio.ErrCanceled) || srv.IsServing() {
			t.Errorf("cancelled ServeForever = %v, serving=%v, want a cancellation, the server closed", err, srv.IsServing())
		}
		fmt.Fprintln(w, "still there")
		if line, err := r.ReadLine(a); string(line) != "still there\n" || err != nil {
			t.Errorf("echo after the cancel = %q, %v", line, err)
		}
		w.Close()
		return srv.WaitClosed(a)
	}, asyncio.WithVirtualTime())
}

// TestHandlerErrors checks what becomes of a handler that fails or panics:
// its connection is closed, the error is reported to the loop's
// diagnostics writer (never to the global log), and the other connections
// go on.
func TestHandlerErrors(t *testing.T) {
	defer streamLeakCheck(t)()
	var logged, diagnostics bytes.Buffer
	defer log.SetOutput(log.Writer())
	log.SetOutput(&logged)
	streamRun(t, func(a *asyncio.A) error {
		srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			line, err := r.ReadLine(a)
			if err != nil {
				return err
			}
			switch string(line) {
			case "fail\n":
				return errBoom
			case "panic\n":
				panic("handler panicked")
			}
			fmt.Fprintf(w, "ok %s", line)
			return nil
		}, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		for _, s := range []string{"fail", "panic", "fine"} {
			r, w, err := dial(a, srv)
			if err != nil {
				return err
			}
			fmt.Fprintln(w, s)
			got, err := r.Read(a, -1)
			want := ""
			if s == "fine" {
				want = "ok fine\n"
			}
			if string(got) != want || err != nil {
				t.Errorf("%s: the client read %q, %v, want %q, nil", s, got, err, want)
			}
			w.Close()
		}
		return closeServer(a, srv)
	}, asyncio.WithVirtualTime(), asyncio.WithDiagnostics(&diagnostics))
	out := diagnostics.String()
	if strings.Count(out, "unhandled error in the StartServer handler") != 2 || !strings.Contains(out, "boom") || !strings.Contains(out, "handler panicked") {
		t.Errorf("diagnostics = %q, want the error and the panic", out)
	}
	if logged.Len() > 0 {
		t.Errorf("the global log got %q, want nothing: reports go to WithDiagnostics", logged.String())
	}
}

// TestRunClosesStreams returns from main with a server, its connections and
// their handlers still running, the handlers stuck in Drain because the
// clients do not read: Run cancels the handlers, closes every socket and
// returns, leaving nothing behind.
func TestRunClosesStreams(t *testing.T) {
	defer streamLeakCheck(t)()
	var diagnostics bytes.Buffer
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		srv, err := asyncio.StartServer(a, chunkEchoHandler, "127.0.0.1", 0)
		if err != nil {
			return struct{}{}, err
		}
		for range 5 {
			r, w, err := dial(a, srv)
			if err != nil {
				return struct{}{}, err
			}
			fmt.Fprintln(w, "ping")
			if _, err := r.ReadLine(a); err != nil {
				return struct{}{}, err
			}
			w.Write(bytes.Repeat([]byte("unread"), 2_000_000)) // its echo is never read
		}
		return struct{}{}, nil
	}), asyncio.WithDiagnostics(&diagnostics))
	if err != nil {
		t.Fatalf("Run() = %v, want nil", err)
	}
	if n := strings.Count(diagnostics.String(), "still pending"); n != 5 {
		t.Errorf("Run reported %d tasks left pending, want the 5 handlers:\n%s", n, &diagnostics)
	}
}

// TestRunCancelledWhileServing cancels Run's context while its server has
// clients outside the loop, connected and idle.
func TestRunCancelledWhileServing(t *testing.T) {
	defer streamLeakCheck(t)()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		_, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			srv, err := asyncio.StartServer(a, echoHandler, "127.0.0.1", 0)
			if err != nil {
				return struct{}{}, err
			}
			addr <- srv.Addr().String()
			return struct{}{}, srv.ServeForever(a)
		}), asyncio.WithStrictLeaks())
		done <- err
	}()
	var address string
	select {
	case address = <-addr:
	case err := <-done:
		t.Fatalf("Run() = %v before serving", err)
	case <-time.After(10 * time.Second):
		t.Fatal("no server after 10s")
	}
	var conns []net.Conn
	for range 5 {
		c, err := net.Dial("tcp", address)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintln(c, "hi")
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, err := io.ReadFull(c, make([]byte, 3)); err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, asyncio.ErrCanceled) || !errors.Is(err, context.Canceled) {
			t.Errorf("Run() = %v, want a cancellation", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10s of the cancel")
	}
	for _, c := range conns {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if n, err := c.Read(make([]byte, 1)); n != 0 || err == nil {
			t.Errorf("client read %d, %v after Run returned, want the connection closed", n, err)
		}
		c.Close()
	}
}
