//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"syscall"
	"testing"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// The tests of WithReusePort, on the systems with SO_REUSEPORT.

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

// TestDatagramReusePort binds two endpoints to one port with WithReusePort;
// without it, the second bind fails.
func TestDatagramReusePort(t *testing.T) {
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		first, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0), asyncio.WithReusePort())
		if err != nil {
			return err
		}
		defer first.Close()
		port := int(first.LocalAddr().Port())
		second, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", port), asyncio.WithReusePort())
		if err != nil {
			t.Errorf("second endpoint with WithReusePort: %v, want it bound", err)
		} else {
			second.Close()
		}
		if third, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", port)); !errors.Is(err, syscall.EADDRINUSE) {
			t.Errorf("endpoint without WithReusePort on a used port: %v, want EADDRINUSE", err)
			if err == nil {
				third.Close()
			}
		}
		return nil
	})
}
