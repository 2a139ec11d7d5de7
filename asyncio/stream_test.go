package asyncio_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/coro"
	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

// streamRun runs body as the main task of a loop, strict about tasks left
// pending, within a minute (a hang fails the test instead of blocking it),
// and fails the test if Run returns an error.
func streamRun(t *testing.T, body func(a *asyncio.A) error, opts ...asyncio.Option) {
	t.Helper()
	if err := streamRunErr(body, opts...); err != nil {
		t.Fatalf("asyncio.Run() = %v, want nil", err)
	}
}

// streamRunErr is streamRun that returns Run's error.
func streamRunErr(body func(a *asyncio.A) error, opts ...asyncio.Option) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		return struct{}{}, body(a)
	}), append([]asyncio.Option{asyncio.WithStrictLeaks()}, opts...)...)
	return err
}

// streamLeakCheck records how many goroutines and file descriptors the
// process has, and returns a function that fails the test unless they are
// back to at most that many within a few seconds: when Run has returned, no
// goroutine or socket of its streams may be left. The sockets are waited for
// first: the goroutines that served them end as they close.
func streamLeakCheck(t *testing.T) func() {
	t.Helper()
	goroutines, fds := leaktest.Count(), openFDs()
	return func() {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for f := openFDs(); f > fds; f = openFDs() {
			if time.Now().After(deadline) {
				t.Fatalf("after Run: %d open files, want at most %d", f, fds)
			}
			time.Sleep(5 * time.Millisecond)
		}
		checkGoroutines(t, goroutines)
	}
}

// tcpPeer listens on 127.0.0.1 and serves the first connection made to it
// with serve, on a goroutine of its own, closing the listener once it has
// accepted (or when the test ends, if no one connected). It returns the
// port, and wait, which waits for serve to return and returns its error, or
// Accept's.
func tcpPeer(t *testing.T, serve func(c net.Conn) error) (port int, wait func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln.Addr().(*net.TCPAddr).Port, serveOnce(t, ln, serve)
}

// serveOnce serves the first connection made to ln with serve, on a
// goroutine of its own, closing ln once it has accepted (or when the test
// ends, if no one connected). wait waits for serve to return and returns
// its error, or Accept's.
func serveOnce(t *testing.T, ln net.Listener, serve func(c net.Conn) error) (wait func() error) {
	t.Cleanup(func() { ln.Close() })
	done := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		ln.Close()
		if err != nil {
			done <- err
			return
		}
		done <- serve(c)
	}()
	return func() error { return <-done }
}

// openFDs returns the number of open file descriptors of the process, or 0
// where /proc/self/fd cannot tell.
func openFDs() int {
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return 0
	}
	return len(fds)
}

// echoHandler is the handler of an echo server: it writes back every line
// it reads until EOF.
func echoHandler(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
	for {
		line, err := r.ReadLine(a)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := w.Write(line); err != nil {
			return err
		}
		if err := w.Drain(a); err != nil {
			return err
		}
	}
}

// chunkEchoHandler writes back whatever it reads, as it comes.
func chunkEchoHandler(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
	for {
		data, err := r.Read(a, 1<<20)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
		if err := w.Drain(a); err != nil {
			return err
		}
	}
}

// closeServer closes srv and waits until its connections have ended.
// dial opens a connection to srv on the loopback address.
func dial(a *asyncio.A, srv *asyncio.Server) (*asyncio.StreamReader, *asyncio.StreamWriter, error) {
	return asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port)
}

func closeServer(a *asyncio.A, srv *asyncio.Server) error {
	srv.Close()
	return srv.WaitClosed(a)
}

// A readStep is one read of TestStreamReaderReads and what it must return.
type readStep struct {
	read    func(a *asyncio.A, r *asyncio.StreamReader) ([]byte, error)
	want    string
	wantErr error // matched with errors.Is; nil: no error
}

func read(n int) func(*asyncio.A, *asyncio.StreamReader) ([]byte, error) {
	return func(a *asyncio.A, r *asyncio.StreamReader) ([]byte, error) { return r.Read(a, n) }
}

func readLine(a *asyncio.A, r *asyncio.StreamReader) ([]byte, error) { return r.ReadLine(a) }

func readExactly(n int) func(*asyncio.A, *asyncio.StreamReader) ([]byte, error) {
	return func(a *asyncio.A, r *asyncio.StreamReader) ([]byte, error) { return r.ReadExactly(a, n) }
}

func readUntil(sep string) func(*asyncio.A, *asyncio.StreamReader) ([]byte, error) {
	return func(a *asyncio.A, r *asyncio.StreamReader) ([]byte, error) { return r.ReadUntil(a, []byte(sep)) }
}

var errBoom = errors.New("boom")

// TestStreamReaderReads drives a StreamReader by hand (FeedData, FeedEOF,
// SetException), as Python's test_streams does, and checks what each read
// returns.
func TestStreamReaderReads(t *testing.T) {
	tests := []struct {
		name  string
		limit int
		feed  []string
		eof   bool
		exc   error
		steps []readStep
	}{
		{"Read takes what is buffered, up to n", 0, []string{"hello ", "world"}, false, nil, []readStep{
			{read(5), "hello", nil},
			{read(100), " world", nil},
		}},
		{"Read at EOF", 0, []string{"ab"}, true, nil, []readStep{
			{read(10), "ab", nil},
			{read(10), "", io.EOF},
			{read(10), "", io.EOF},
		}},
		{"Read(0)", 0, []string{"ab"}, false, nil, []readStep{
			{read(0), "", nil},
			{read(1), "a", nil},
		}},
		{"Read(-1) reads to EOF", 0, []string{"a", "b\n", "c"}, true, nil, []readStep{
			{read(-1), "ab\nc", nil},
			{read(-1), "", nil},
			{read(1), "", io.EOF},
		}},
		{"ReadLine", 0, []string{"one\ntw", "o\nthree"}, true, nil, []readStep{
			{readLine, "one\n", nil},
			{readLine, "two\n", nil},
			{readLine, "three", nil},
			{readLine, "", io.EOF},
		}},
		{"ReadExactly", 0, []string{"abc", "def"}, true, nil, []readStep{
			{readExactly(4), "abcd", nil},
			{readExactly(0), "", nil},
			{readExactly(2), "ef", nil},
			{readExactly(1), "", io.EOF},
		}},
		{"ReadExactly past EOF", 0, []string{"abc"}, true, nil, []readStep{
			{readExactly(10), "", &asyncio.IncompleteReadError{Partial: []byte("abc"), Expected: 10}},
			{read(1), "", io.EOF},
		}},
		{"ReadUntil", 0, []string{"a--b", "-", "-c"}, true, nil, []readStep{
			{readUntil("--"), "a--", nil},
			{readUntil("--"), "b--", nil},
			{readUntil("--"), "", &asyncio.IncompleteReadError{Partial: []byte("c"), Expected: -1}},
		}},
		{"ReadUntil without separator within the limit", 4, []string{"abcdefgh"}, false, nil, []readStep{
			{readUntil("\n"), "", &asyncio.LimitOverrunError{Message: "separator is not found, and chunk exceeds the limit", Consumed: 8}},
			{read(3), "abc", nil}, // the data stays buffered
		}},
		{"ReadUntil with separator beyond the limit", 4, []string{"abcdefg\nhi"}, false, nil, []readStep{
			{readUntil("\n"), "", &asyncio.LimitOverrunError{Message: "separator is found, but chunk is longer than limit", Consumed: 7}},
			{read(20), "abcdefg\nhi", nil},
		}},
		{"ReadLine discards a line over the limit", 4, []string{"abcdefg\nok\n"}, false, nil, []readStep{
			{readLine, "", &asyncio.LimitOverrunError{Message: "separator is found, but chunk is longer than limit", Consumed: 7}},
			{readLine, "ok\n", nil},
		}},
		{"data before the exception", 0, []string{"ab\ncd"}, false, errBoom, []readStep{
			{readLine, "ab\n", nil},
			{read(10), "cd", nil},
			{read(10), "", errBoom},
			{readLine, "", errBoom},
		}},
		// What is buffered when the connection fails is handed out, as at
		// EOF, and the error comes after it, or with it in the
		// IncompleteReadError that carries it.
		{"ReadLine: a partial line before the exception", 0, []string{"ab"}, false, errBoom, []readStep{
			{readLine, "ab", nil},
			{readLine, "", errBoom},
			{readUntil("\n"), "", errBoom},
			{readExactly(1), "", errBoom},
		}},
		{"ReadUntil: partial data before the exception", 0, []string{"ab"}, false, errBoom, []readStep{
			{readUntil("\n"), "", &asyncio.IncompleteReadError{Partial: []byte("ab"), Expected: -1, Err: errBoom}},
			{readUntil("\n"), "", errBoom},
		}},
		{"ReadExactly: partial data before the exception", 0, []string{"ab"}, false, errBoom, []readStep{
			{readExactly(5), "", &asyncio.IncompleteReadError{Partial: []byte("ab"), Expected: 5, Err: errBoom}},
			{readExactly(5), "", errBoom},
		}},
		{"Read(-1): the data with the exception", 0, []string{"ab"}, false, errBoom, []readStep{
			{read(-1), "ab", errBoom},
			{read(-1), "", errBoom},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			streamRun(t, func(a *asyncio.A) error {
				r := asyncio.NewStreamReader(asyncio.GetRunningLoop(a), tt.limit)
				for _, s := range tt.feed {
					r.FeedData([]byte(s))
				}
				if tt.eof {
					r.FeedEOF()
				}
				if tt.exc != nil {
					r.SetException(tt.exc)
				}
				for i, s := range tt.steps {
					got, err := s.read(a, r)
					if string(got) != s.want || !matchErr(err, s.wantErr) {
						t.Errorf("step %d: read = %q, %v, want %q, %v", i, got, err, s.want, s.wantErr)
					}
				}
				return nil
			}, asyncio.WithVirtualTime())
		})
	}
}

// matchErr reports whether err is want: by errors.Is, or, for the
// stream errors, by value.
func matchErr(err, want error) bool {
	switch w := want.(type) {
	case nil:
		return err == nil
	case *asyncio.IncompleteReadError:
		var e *asyncio.IncompleteReadError
		return errors.As(err, &e) && bytes.Equal(e.Partial, w.Partial) && e.Expected == w.Expected &&
			(w.Err == nil && e.Err == nil || w.Err != nil && errors.Is(e.Err, w.Err))
	case *asyncio.LimitOverrunError:
		var e *asyncio.LimitOverrunError
		return errors.As(err, &e) && *e == *w
	}
	return errors.Is(err, want)
}

func TestIncompleteReadErrorMatchesEOF(t *testing.T) {
	err := error(&asyncio.IncompleteReadError{Partial: []byte("ab"), Expected: 5})
	if !errors.Is(err, io.EOF) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("errors.Is(%v, io.EOF), errors.Is(_, io.ErrUnexpectedEOF) = %v, %v, want true, true", err, errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF))
	}
	if got, want := err.Error(), "asyncio: 2 bytes read on a total of 5 expected bytes"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	err = &asyncio.IncompleteReadError{Expected: -1}
	if got, want := err.Error(), "asyncio: 0 bytes read on a total of undefined expected bytes"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	// A connection that failed did not end: the error is its failure.
	err = &asyncio.IncompleteReadError{Partial: []byte("ab"), Expected: 5, Err: errBoom}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || !errors.Is(err, errBoom) {
		t.Errorf("errors.Is(%v, io.EOF), errors.Is(_, io.ErrUnexpectedEOF), errors.Is(_, errBoom) = %v, %v, %v, want false, false, true", err, errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, errBoom))
	}
	if got, want := err.Error(), "asyncio: 2 bytes read on a total of 5 expected bytes: boom"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// TestStreamReaderWaits checks that a read suspends its task until enough
// data is fed, while other tasks run, and that a second task reading at the
// same time is refused.
func TestStreamReaderWaits(t *testing.T) {
	var got []string
	streamRun(t, func(a *asyncio.A) error {
		l := asyncio.GetRunningLoop(a)
		r := asyncio.NewStreamReader(l, 0)
		reader := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) ([]byte, error) {
			return r.ReadUntil(a, []byte("\r\n"))
		}))
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		second := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) ([]byte, error) {
			return r.Read(a, 1)
		}))
		if _, err := second.Await(a); !errors.As(err, new(*coro.PanicError)) || !strings.Contains(err.Error(), "another task is already waiting") {
			t.Errorf("a second reader got %v, want a panic saying another task is already waiting", err)
		}
		for _, s := range []string{"hel", "lo\r", "\n!"} {
			got = append(got, fmt.Sprintf("%v %q", reader.Done(), s))
			r.FeedData([]byte(s))
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return err
			}
		}
		line, err := reader.Result()
		got = append(got, fmt.Sprintf("%q %v", line, err))
		rest, err := r.Read(a, 10)
		got = append(got, fmt.Sprintf("%q %v", rest, err))
		return nil
	}, asyncio.WithVirtualTime())
	want := []string{`false "hel"`, `false "lo\r"`, `false "\n!"`, `"hello\r\n" <nil>`, `"!" <nil>`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reads (-want +got):\n%s", diff)
	}
}

// TestStreamReaderCancelKeepsData cancels a task waiting in ReadExactly
// with part of the data buffered; a later read gets all of it.
func TestStreamReaderCancelKeepsData(t *testing.T) {
	streamRun(t, func(a *asyncio.A) error {
		r := asyncio.NewStreamReader(asyncio.GetRunningLoop(a), 0)
		r.FeedData([]byte("abc"))
		task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) ([]byte, error) {
			return r.ReadExactly(a, 5)
		}))
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		task.Cancel("")
		if _, err := task.Await(a); !errors.Is(err, asyncio.ErrCanceled) {
			t.Errorf("cancelled ReadExactly returned %v, want a cancellation", err)
		}
		r.FeedData([]byte("de"))
		got, err := r.ReadExactly(a, 5)
		if string(got) != "abcde" || err != nil {
			t.Errorf("ReadExactly after the cancel = %q, %v, want %q, nil", got, err, "abcde")
		}
		return nil
	}, asyncio.WithVirtualTime())
}

// TestEchoRoundTrip sends messages of many sizes, small to larger than
// every buffer, through an echo server and reads each back.
func TestEchoRoundTrip(t *testing.T) {
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		srv, err := asyncio.StartServer(a, chunkEchoHandler, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		r, w, err := dial(a, srv)
		if err != nil {
			return err
		}
		for _, size := range []int{1, 100, 4 << 10, 64 << 10, 1 << 20, 3<<20 + 7} {
			msg := make([]byte, size)
			for i := range msg {
				msg[i] = byte(i*7 + size)
			}
			if _, err := w.Write(msg); err != nil {
				return err
			}
			if err := w.Drain(a); err != nil {
				return err
			}
			got, err := r.ReadExactly(a, size)
			if err != nil {
				return fmt.Errorf("ReadExactly(%d): %w", size, err)
			}
			if !bytes.Equal(got, msg) {
				t.Errorf("echo of %d bytes differs", size)
			}
		}
		w.Close()
		if err := w.WaitClosed(a); err != nil {
			t.Errorf("WaitClosed() = %v, want nil", err)
		}
		if !w.IsClosing() {
			t.Errorf("IsClosing() = false after Close, want true")
		}
		return closeServer(a, srv)
	})
}

// TestStreamReadsOverSocket checks the reads against what a server writes
// and the EOF of its closing.
func TestStreamReadsOverSocket(t *testing.T) {
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			fmt.Fprint(w, "line one\nline two\r\nrecord;partial")
			return nil // the connection closes when the handler returns
		}, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		r, w, err := asyncio.OpenConnection(a, "localhost", srv.Addr().Port)
		if err != nil {
			return err
		}
		defer w.Close()
		steps := []readStep{
			{readLine, "line one\n", nil},
			{readUntil("\r\n"), "line two\r\n", nil},
			{readUntil(";"), "record;", nil},
			{readExactly(100), "", &asyncio.IncompleteReadError{Partial: []byte("partial"), Expected: 100}},
			{readLine, "", io.EOF},
		}
		for i, s := range steps {
			got, err := s.read(a, r)
			if string(got) != s.want || !matchErr(err, s.wantErr) {
				t.Errorf("step %d: read = %q, %v, want %q, %v", i, got, err, s.want, s.wantErr)
			}
		}
		if !r.AtEOF() {
			t.Errorf("AtEOF() = false at the end, want true")
		}
		return closeServer(a, srv)
	})
}

// TestStreamReadsAfterReset has a peer outside the loop write a partial
// line and then reset the connection (or close it): every read hands out
// the partial line, ReadLine as a line, ReadUntil and ReadExactly in their
// IncompleteReadError, and the connection's error (or EOF) comes after it.
func TestStreamReadsAfterReset(t *testing.T) {
	defer streamLeakCheck(t)()
	tests := []struct {
		name  string
		reset bool // reset the connection; otherwise close it
		steps []readStep
	}{
		{"ReadLine, reset", true, []readStep{
			{readLine, "partial", nil},
			{readLine, "", syscall.ECONNRESET},
		}},
		{"ReadUntil, reset", true, []readStep{
			{readUntil("\n"), "", &asyncio.IncompleteReadError{Partial: []byte("partial"), Expected: -1, Err: syscall.ECONNRESET}},
			{readUntil("\n"), "", syscall.ECONNRESET},
		}},
		{"ReadExactly, reset", true, []readStep{
			{readExactly(100), "", &asyncio.IncompleteReadError{Partial: []byte("partial"), Expected: 100, Err: syscall.ECONNRESET}},
			{readExactly(100), "", syscall.ECONNRESET},
		}},
		{"ReadLine, close", false, []readStep{
			{readLine, "partial", nil},
			{readLine, "", io.EOF},
		}},
		{"ReadExactly, close", false, []readStep{
			{readExactly(100), "", &asyncio.IncompleteReadError{Partial: []byte("partial"), Expected: 100}},
			{readExactly(100), "", &asyncio.IncompleteReadError{Expected: 100}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			connected := make(chan struct{})
			port, peerWait := tcpPeer(t, func(c net.Conn) error {
				// A reset before the client's connect has completed would
				// fail the connect itself.
				<-connected
				if _, err := c.Write([]byte("partial")); err != nil {
					c.Close()
					return err
				}
				if tt.reset {
					// Closing with a zero linger time sends a reset, not a FIN.
					c.(*net.TCPConn).SetLinger(0)
				}
				return c.Close()
			})
			streamRun(t, func(a *asyncio.A) error {
				r, w, err := asyncio.OpenConnection(a, "127.0.0.1", port)
				close(connected)
				if err != nil {
					return err
				}
				defer w.Close()
				for i, s := range tt.steps {
					got, err := s.read(a, r)
					if string(got) != s.want || !matchErr(err, s.wantErr) {
						t.Errorf("step %d: read = %q, %v, want %q, %v", i, got, err, s.want, s.wantErr)
					}
				}
				return nil
			}, asyncio.WithVirtualTime())
			if err := peerWait(); err != nil {
				t.Fatalf("peer: %v", err)
			}
		})
	}
}

// TestCancelledStreamWaitsLeaveNoWaiter cancels many waits of each kind a
// connection or a server has: Drain on a peer that does not read, a read
// that nothing answers, the WaitClosed of a connection and of a server.
// None may leave its waiter behind (100,000 abandoned drains once held
// megabytes), and the connection and the server are as they were: the
// WaitClosed after Close returns nil, not one of the cancellations.
func TestCancelledStreamWaitsLeaveNoWaiter(t *testing.T) {
	defer streamLeakCheck(t)()
	const n = 100
	// The stalled peer: it accepts and reads nothing until told to go.
	peerGo := make(chan struct{})
	port, peerWait := tcpPeer(t, func(c net.Conn) error {
		<-peerGo
		return c.Close()
	})
	streamRun(t, func(a *asyncio.A) error {
		// cancelWaits starts n tasks one after the other, each blocking in
		// wait, and cancels each.
		cancelWaits := func(name string, wait func(a *asyncio.A) error) error {
			for i := range n {
				task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
					return struct{}{}, wait(a)
				}))
				if err := asyncio.Sleep(a, 0); err != nil {
					return err
				}
				task.Cancel("")
				if _, err := task.Await(a); !errors.Is(err, asyncio.ErrCanceled) {
					return fmt.Errorf("%s %d ended with %v, want a cancellation", name, i, err)
				}
			}
			return nil
		}
		check := func(name string, x any) {
			if got := asyncio.Waiters(x); got != 0 {
				t.Errorf("after %d cancelled %s: %d waiters left, want 0", n, name, got)
			}
		}

		// Drain, on a peer that reads nothing: far more than the socket
		// buffers can take keeps the writer over its high-water mark.
		_, stalled, err := asyncio.OpenConnection(a, "127.0.0.1", port)
		if err != nil {
			return err
		}
		if _, err := stalled.Write(make([]byte, 64<<20)); err != nil {
			return err
		}
		if err := cancelWaits("Drain", stalled.Drain); err != nil {
			return err
		}
		check("Drain", stalled)
		close(peerGo)
		if err := stalled.WaitClosed(a); err == nil {
			t.Errorf("WaitClosed of the connection the peer closed = nil, want its error")
		}

		// A read, and the WaitClosed of a connection and of a server.
		srv, err := asyncio.StartServer(a, echoHandler, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		r, w, err := dial(a, srv)
		if err != nil {
			return err
		}
		if err := cancelWaits("Read", func(a *asyncio.A) error {
			_, err := r.Read(a, 10)
			return err
		}); err != nil {
			return err
		}
		check("Read", r)
		if err := cancelWaits("StreamWriter.WaitClosed", w.WaitClosed); err != nil {
			return err
		}
		check("StreamWriter.WaitClosed", w)
		if err := cancelWaits("Server.WaitClosed", srv.WaitClosed); err != nil {
			return err
		}
		check("Server.WaitClosed", srv)
		w.Close()
		if err := w.WaitClosed(a); err != nil {
			t.Errorf("WaitClosed after Close = %v, want nil", err)
		}
		if err := closeServer(a, srv); err != nil {
			t.Errorf("Server.WaitClosed after Close = %v, want nil", err)
		}
		return nil
	}, asyncio.WithVirtualTime())
	if err := peerWait(); err != nil {
		t.Fatalf("peer: %v", err)
	}
}

// TestWriteEOF half-closes a connection: the server reads to EOF, and its
// answer still comes back.
func TestWriteEOF(t *testing.T) {
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			all, err := r.Read(a, -1)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "got %d bytes", len(all))
			return nil
		}, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		r, w, err := dial(a, srv)
		if err != nil {
			return err
		}
		defer w.Close()
		if !w.CanWriteEOF() {
			t.Errorf("CanWriteEOF() = false, want true")
		}
		w.Write(bytes.Repeat([]byte("z"), 200_000))
		if err := w.WriteEOF(); err != nil {
			return err
		}
		if _, err := w.Write([]byte("late")); err == nil {
			t.Errorf("Write after WriteEOF succeeded, want an error")
		}
		answer, err := r.Read(a, -1)
		if string(answer) != "got 200000 bytes" || err != nil {
			t.Errorf("answer = %q, %v, want %q, nil", answer, err, "got 200000 bytes")
		}
		return closeServer(a, srv)
	})
}

// TestWriteAfterClose checks the errors of a closed writer.
func TestWriteAfterClose(t *testing.T) {
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
		w.Write([]byte("last words\n"))
		w.Close()
		w.Close() // does nothing
		if n, err := w.Write([]byte("more")); n != 0 || !errors.Is(err, net.ErrClosed) {
			t.Errorf("Write after Close = %d, %v, want 0, an error wrapping net.ErrClosed", n, err)
		}
		if err := w.WaitClosed(a); err != nil {
			t.Errorf("WaitClosed() = %v, want nil", err)
		}
		if err := w.Drain(a); !errors.Is(err, net.ErrClosed) {
			t.Errorf("Drain after close = %v, want an error wrapping net.ErrClosed", err)
		}
		// Closing stops reading: the reader sees EOF after what it had
		// buffered, if anything.
		for {
			got, err := r.Read(a, 100)
			if err == io.EOF {
				break
			}
			if err != nil || string(got) != "last words\n" {
				t.Errorf("Read after Close = %q, %v, want the echo or EOF", got, err)
				break
			}
		}
		return closeServer(a, srv)
	})
}

// TestOpenConnectionRefused dials a port nobody listens on.
func TestOpenConnectionRefused(t *testing.T) {
	defer streamLeakCheck(t)()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	streamRun(t, func(a *asyncio.A) error {
		_, _, err := asyncio.OpenConnection(a, "127.0.0.1", port)
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("OpenConnection to a closed port = %v, want ECONNREFUSED", err)
		}
		return nil
	})
}

// TestOpenConnectionCancelled cancels a task while its dial is in flight:
// the connection, made anyway, is closed, and nothing is left behind.
func TestOpenConnectionCancelled(t *testing.T) {
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		srv, err := asyncio.StartServer(a, echoHandler, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		for range 20 {
			dial := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (*asyncio.StreamWriter, error) {
				_, w, err := dial(a, srv)
				return w, err
			}))
			if err := asyncio.Sleep(a, 0); err != nil { // the dial starts
				return err
			}
			dial.Cancel("")
			if w, err := dial.Await(a); !errors.Is(err, asyncio.ErrCanceled) {
				t.Errorf("cancelled OpenConnection = %v, %v, want a cancellation", w, err)
			}
		}
		return closeServer(a, srv)
	})
}

// TestDrainBackpressure writes to a peer that does not read: Drain must
// suspend the writer once the buffers fill up, and let it go on once the
// peer reads.
func TestDrainBackpressure(t *testing.T) {
	defer streamLeakCheck(t)()
	const chunk, total = 64 << 10, 64 << 20
	// The slow peer: it accepts, waits until told to read, then reads it
	// all and counts how much it got.
	startReading := make(chan struct{})
	received := 0
	port, peerWait := tcpPeer(t, func(c net.Conn) error {
		defer c.Close()
		<-startReading
		n, _ := io.Copy(io.Discard, c)
		received = int(n)
		return nil
	})
	streamRun(t, func(a *asyncio.A) error {
		_, w, err := asyncio.OpenConnection(a, "127.0.0.1", port)
		if err != nil {
			return err
		}
		written, draining := 0, false
		writer := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			msg := make([]byte, chunk)
			for written < total {
				if _, err := w.Write(msg); err != nil {
					return struct{}{}, err
				}
				written += chunk
				draining = true
				err := w.Drain(a)
				draining = false
				if err != nil {
					return struct{}{}, err
				}
			}
			return struct{}{}, w.Close()
		}))
		// However big the socket buffers (the kernel grows them as the
		// writer goes), the writer must end up blocked in Drain before it
		// has written everything: written stops changing.
		last, still := -1, 0
		for i := 0; still < 10; i++ {
			if i == 500 || written >= total {
				return fmt.Errorf("after %d polls the writer has written %d bytes, draining=%v: Drain never blocked", i, written, draining)
			}
			if err := asyncio.Sleep(a, 10*time.Millisecond); err != nil {
				return err
			}
			if written == last && draining {
				still++
			} else {
				last, still = written, 0
			}
		}
		close(startReading)
		if _, err := writer.Await(a); err != nil {
			return err
		}
		if err := w.WaitClosed(a); err != nil {
			return err
		}
		if written != total {
			t.Errorf("written = %d, want %d", written, total)
		}
		return nil
	})
	if err := peerWait(); err != nil {
		t.Fatalf("peer: %v", err)
	}
	if received != total {
		t.Errorf("the peer received %d bytes, want %d", received, total)
	}
}

// TestReadCancelledOverSocket cancels a task blocked in ReadExactly on a
// connection, with part of the data buffered; that part and the data that
// arrives afterwards are there for the next read.
func TestReadCancelledOverSocket(t *testing.T) {
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		l := asyncio.GetRunningLoop(a)
		release := asyncio.NewFuture[struct{}](l)
		srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			fmt.Fprint(w, "first ")
			if _, err := release.Await(a); err != nil {
				return err
			}
			fmt.Fprint(w, "second\n")
			return nil
		}, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		r, w, err := dial(a, srv)
		if err != nil {
			return err
		}
		defer w.Close()
		var got []byte
		reader := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			for {
				data, err := r.ReadExactly(a, 20) // more than will ever come
				got = append(got, data...)
				if err != nil {
					return struct{}{}, err
				}
			}
		}))
		// On the virtual clock, a sleep ends only once the bytes in flight
		// between the two ends have arrived: "first " is in r's buffer.
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		reader.Cancel("")
		if _, err := reader.Await(a); !errors.Is(err, asyncio.ErrCanceled) || len(got) != 0 {
			t.Errorf("cancelled reader: got %q, %v, want nothing and a cancellation", got, err)
		}
		release.SetResult(struct{}{})
		line, err := r.ReadLine(a)
		if string(line) != "first second\n" || err != nil {
			t.Errorf("ReadLine after the cancel = %q, %v, want %q, nil", line, err, "first second\n")
		}
		return closeServer(a, srv)
	}, asyncio.WithVirtualTime())
}

// TestStreamsOnVirtualTime runs a server that answers after a second and
// three clients gathered, on the virtual clock: the two ends of each
// connection belong to the loop, so the clock may jump while they wait for
// each other, and the gather takes one virtual second. Bytes on their way
// between the two ends hold the clock however short the idle threshold:
// they are known to arrive, unlike a stranger's.
func TestStreamsOnVirtualTime(t *testing.T) {
	defer streamLeakCheck(t)()
	for i := range 20 {
		threshold := asyncio.DefaultIdleThreshold
		if i%2 == 1 {
			threshold = time.Nanosecond
		}
		streamRun(t, func(a *asyncio.A) error {
			srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
				line, err := r.ReadLine(a)
				if err != nil {
					return err
				}
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return err
				}
				_, err = w.Write(bytes.ToUpper(line))
				return err
			}, "127.0.0.1", 0)
			if err != nil {
				return err
			}
			// The clients connect first: a dial is outside work that
			// may take any time, and the threshold lets the clock jump
			// past it.
			fetch := func(s string) (*asyncio.Coro[string], error) {
				r, w, err := dial(a, srv)
				return asyncio.Async(func(a *asyncio.A) (string, error) {
					defer w.Close()
					fmt.Fprintln(w, s)
					line, err := r.ReadLine(a)
					return string(line), err
				}), err
			}
			var fetches []coro.Awaitable[string]
			for _, s := range []string{"a", "b", "c"} {
				f, err := fetch(s)
				if err != nil {
					return err
				}
				fetches = append(fetches, f)
			}
			l := asyncio.GetRunningLoop(a)
			start := l.Time()
			got, err := asyncio.Gather(a, fetches...)
			if err != nil {
				return err
			}
			if want := []string{"A\n", "B\n", "C\n"}; !cmp.Equal(got, want) {
				t.Errorf("Gather = %q, want %q", got, want)
			}
			if d := l.Time().Sub(start); d != time.Second {
				t.Errorf("idle threshold %v: the gather took %v of virtual time, want 1s", threshold, d)
			}
			return closeServer(a, srv)
		}, asyncio.WithVirtualTime(), asyncio.WithIdleThreshold(threshold))
	}
}

// TestSocketDeadlock has two tasks wait for each other over a connection:
// a client waits for a greeting and the server's handler for a request. Once
// the server is closed, nothing outside the loop can happen (both ends are
// the loop's), and Run reports the deadlock instead of hanging, on the
// virtual clock and under strictness on the real one.
func TestSocketDeadlock(t *testing.T) {
	for _, opts := range [][]asyncio.Option{{asyncio.WithVirtualTime()}, {asyncio.WithStrictDeadlocks()}} {
		socketDeadlock(t, opts...)
	}
}

func socketDeadlock(t *testing.T, opts ...asyncio.Option) {
	defer streamLeakCheck(t)()
	err := streamRunErr(func(a *asyncio.A) error {
		accepted := asyncio.NewFuture[struct{}](asyncio.GetRunningLoop(a))
		srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			accepted.SetResult(struct{}{})
			_, err := r.ReadLine(a)
			return err
		}, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		r, _, err := dial(a, srv)
		if err != nil {
			return err
		}
		if _, err := accepted.Await(a); err != nil {
			return err
		}
		srv.Close()
		_, err = r.ReadLine(a)
		return err
	}, opts...)
	var de *asyncio.DeadlockError
	if !errors.As(err, &de) || len(de.Tasks) != 2 {
		t.Errorf("Run() = %v, want a DeadlockError naming 2 tasks", err)
	}
}

// TestReaderFlowControl has a server write far more than the client's
// reader may buffer while the client does not read: the reader must pause
// the socket with its buffer bounded (twice its limit, plus what was on its
// way: at most twice the limit and two reads more), and the whole stream
// must still arrive once the client reads.
func TestReaderFlowControl(t *testing.T) {
	defer streamLeakCheck(t)()
	const limit, total = 1 << 10, 8 << 20
	streamRun(t, func(a *asyncio.A) error {
		srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			chunk := make([]byte, 64<<10)
			for sent := 0; sent < total; sent += len(chunk) {
				for i := range chunk {
					chunk[i] = byte(sent + i)
				}
				w.Write(chunk)
				if err := w.Drain(a); err != nil {
					return err
				}
			}
			return nil
		}, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		r, w, err := asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port, asyncio.WithStreamLimit(limit))
		if err != nil {
			return err
		}
		defer w.Close()
		var buffered int
		for i := 0; ; i++ {
			if err := asyncio.Sleep(a, 10*time.Millisecond); err != nil {
				return err
			}
			desc := r.String()
			if strings.Contains(desc, "paused") {
				fmt.Sscanf(desc, "<StreamReader %d bytes", &buffered)
				break
			}
			if i == 500 {
				return fmt.Errorf("after 5s the reader is %v, want it paused", desc)
			}
		}
		if max := 4*limit + 2*256<<10; buffered <= 2*limit || buffered > max {
			t.Errorf("paused with %d bytes buffered, want more than %d, at most %d", buffered, 2*limit, max)
		}
		all, err := r.Read(a, -1)
		if err != nil || len(all) != total {
			return fmt.Errorf("Read(-1) = %d bytes, %v, want %d, nil", len(all), err, total)
		}
		for i, b := range all {
			if b != byte(i) {
				return fmt.Errorf("byte %d = %d, want %d", i, b, byte(i))
			}
		}
		return closeServer(a, srv)
	})
}
