package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// TestStartServerBacklog checks that WithBacklog reaches the listening
// socket, as ss(8) reports it (Send-Q of a listening socket is its
// backlog).
func TestStartServerBacklog(t *testing.T) {
	ss, err := exec.LookPath("ss")
	if err != nil || runtime.GOOS != "linux" {
		t.Skip("no ss(8) on this system to read a socket's backlog with")
	}
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		for _, backlog := range []int{1, 7} {
			srv, err := asyncio.StartServer(a, chunkEchoHandler, "127.0.0.1", 0, asyncio.WithBacklog(backlog))
			if err != nil {
				return err
			}
			out, err := asyncio.ToThread(a, func(ctx context.Context) ([]byte, error) {
				return exec.CommandContext(ctx, ss, "-ltnH", "sport = :"+strconv.Itoa(srv.Addr().Port)).Output()
			})
			if err != nil {
				return err
			}
			if f := strings.Fields(string(out)); len(f) < 3 || f[2] != strconv.Itoa(backlog) {
				t.Errorf("ss for WithBacklog(%d): %q, want a backlog (Send-Q) of %d", backlog, out, backlog)
			}
			if err := closeServer(a, srv); err != nil {
				return err
			}
		}
		return nil
	})
}

// TestWithBacklogPanics checks the panic of a backlog below 1.
func TestWithBacklogPanics(t *testing.T) {
	defer func() {
		if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "asyncio.WithBacklog") {
			t.Errorf("WithBacklog(0) panicked with %v, want a panic naming it", p)
		}
	}()
	asyncio.WithBacklog(0)
}

// TestStartServerReusePort checks that a second server on a port needs
// WithReusePort on both.
func TestStartServerReusePort(t *testing.T) {
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		first, err := asyncio.StartServer(a, chunkEchoHandler, "127.0.0.1", 0, asyncio.WithReusePort())
		if err != nil {
			return err
		}
		port := first.Addr().Port
		second, err := asyncio.StartServer(a, chunkEchoHandler, "127.0.0.1", port, asyncio.WithReusePort())
		if err != nil {
			t.Errorf("second server with WithReusePort: %v, want it listening", err)
		} else if err := closeServer(a, second); err != nil {
			return err
		}
		if third, err := asyncio.StartServer(a, chunkEchoHandler, "127.0.0.1", port); err == nil {
			t.Errorf("server without WithReusePort on a used port: listening, want an error")
			if err := closeServer(a, third); err != nil {
				return err
			}
		}
		return closeServer(a, first)
	})
}

// TestServerPerCore runs one loop per core the way StartServer documents
// it: several Runs, each on its own goroutine, each with a server on the
// same port with WithReusePort; clients spread over them, and every client
// is served.
func TestServerPerCore(t *testing.T) {
	defer streamLeakCheck(t)()
	const loops, clients = 3, 60
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	served := make([]int, loops)
	ports := make(chan int, loops)
	errs := make(chan error, loops)
	var wg sync.WaitGroup
	port := 0
	for i := range loops {
		// The first loop picks the port; the others listen on it too.
		wg.Add(1)
		listenOn := port
		go func() {
			defer wg.Done()
			_, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
				srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
					served[i]++ // this loop's own counter: no lock needed
					_, err := w.Write([]byte(strconv.Itoa(i)))
					return err
				}, "127.0.0.1", listenOn, asyncio.WithReusePort())
				if err != nil {
					return struct{}{}, err
				}
				ports <- srv.Addr().Port
				return struct{}{}, srv.ServeForever(a)
			}))
			if !errors.Is(err, asyncio.ErrCanceled) {
				errs <- fmt.Errorf("loop %d: Run() = %v, want its cancellation", i, err)
			}
		}()
		if i == 0 {
			port = <-ports
		} else {
			<-ports
		}
	}
	answers := map[string]int{}
	for range clients {
		c, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(c)
		c.Close()
		if err != nil {
			t.Fatal(err)
		}
		answers[string(b)]++
	}
	stop()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	total := 0
	for i, n := range served {
		total += n
		if got := answers[strconv.Itoa(i)]; got != n {
			t.Errorf("loop %d served %d clients, and %d clients were answered by it", i, n, got)
		}
	}
	if total != clients {
		t.Errorf("%d clients served, want %d", total, clients)
	}
	if len(answers) < 2 {
		t.Errorf("clients served by loops %v, want them spread over more than one of %d", answers, loops)
	}
}

// TestOpenConnectionLocalAddr checks that WithLocalAddr binds the client's
// end: the server sees the client at that address.
func TestOpenConnectionLocalAddr(t *testing.T) {
	defer streamLeakCheck(t)()
	// A free port for the client's end.
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	local := probe.Addr().(*net.TCPAddr).Port
	probe.Close()
	streamRun(t, func(a *asyncio.A) error {
		seen := make(chan string, 1)
		srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			seen <- w.RemoteAddr().String()
			return nil
		}, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		r, w, err := asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port,
			asyncio.WithLocalAddr("127.0.0.1", local), asyncio.WithHappyEyeballsDelay(250*time.Millisecond))
		if err != nil {
			return err
		}
		if got, want := w.LocalAddr().String(), "127.0.0.1:"+strconv.Itoa(local); got != want {
			t.Errorf("LocalAddr() = %s, want %s", got, want)
		}
		if _, err := r.Read(a, -1); err != nil {
			return err
		}
		if got, want := <-seen, "127.0.0.1:"+strconv.Itoa(local); got != want {
			t.Errorf("the server saw the client at %s, want %s", got, want)
		}
		w.Close()
		if err := w.WaitClosed(a); err != nil {
			return err
		}
		return closeServer(a, srv)
	})
}
