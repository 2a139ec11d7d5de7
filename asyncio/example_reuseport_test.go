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
	"sync/atomic"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// One loop per core: a loop runs on one goroutine, so to use every core a
// program runs one loop per core, each on its own goroutine with its own
// Run, and in each a server on the same port with WithReusePort. The kernel
// spreads the connections over the servers. The loops share nothing but
// what goes through thread-safe calls: here an atomic counter, and a
// context that stops them all. (Python does the same with one process per
// core, each with start_server(..., reuse_port=True).)
func ExampleWithReusePort() {
	const loops = 2 // runtime.NumCPU() in a real server
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var served atomic.Int64
	ports := make(chan int, loops)
	var wg sync.WaitGroup
	serve := func(port int) {
		defer wg.Done()
		_, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
				served.Add(1)
				_, err := w.Write([]byte("hello\n"))
				return err
			}, "127.0.0.1", port, asyncio.WithReusePort())
			if err != nil {
				return struct{}{}, err
			}
			ports <- srv.Addr().Port
			return struct{}{}, srv.ServeForever(a) // until ctx is cancelled
		}))
		if !errors.Is(err, asyncio.ErrCanceled) {
			fmt.Println(err)
		}
	}
	wg.Add(loops)
	go serve(0) // the first loop picks a free port
	port := <-ports
	for range loops - 1 {
		go serve(port) // the others listen on it too
		<-ports
	}

	for range 10 {
		c, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			fmt.Println(err)
			break
		}
		if _, err := io.ReadAll(c); err != nil {
			fmt.Println(err)
		}
		c.Close()
	}
	stop()
	wg.Wait()
	fmt.Println("clients served:", served.Load())
	// Output:
	// clients served: 10
}
