package bench_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// The benchmarks of this file measure many connections at once: N clients,
// each with its own connection to an echo server, all doing 64-byte round
// trips at the same time; one op is one round trip, of any client, and the
// b.N round trips are shared out evenly. Connecting and closing are not
// timed.
//
//   - EchoThroughput/clients=N: the server and the clients are tasks of
//     one loop.
//   - EchoThroughputGoroutines/clients=N: its baseline, a goroutine per
//     connection on each side, with package net.
//   - EchoThroughputLoops/loops=L: the same 1,000 clients with L loops, each
//     on its own goroutine (one per core) with a server on the same port
//     (WithReusePort) and its share of the clients; the kernel spreads the
//     connections over the servers. Its ratio to EchoThroughput/clients=1000
//     is what the second core buys.
//
// Medians of three interleaved runs (40,000 round trips each) on a shared
// two-vCPU virtual machine, Go 1.26, noisy (±20%), 2026-12-07:
//
//	                                        -cpu 2    -cpu 1
//	EchoThroughput/clients=1000              8.7 µs   10.0 µs
//	EchoThroughputGoroutines/clients=1000    7.0 µs    7.3 µs
//	ratio                                    1.24      1.36
//
// (bench/README.md has the figures of compare's run: 1.38× there.) On
// Linux the loop polls its sockets itself (epoll) and reads and writes them
// on its own goroutine, with no hand-over per message; before that, a
// goroutine read each socket and handed what it read to the loop through
// the inbox, and the ratio was 1.9×. What is left of the gap is the second
// core: the loop is one goroutine, busy all the time (1.0 CPU in perf
// stat), where the goroutines use 1.4 CPUs, for about the same CPU time
// per round trip (12 µs either way, in that run). Two thirds of the loop's
// time is the kernel: its two write(2)s per round trip, which deliver the
// segment to the peer socket through the loopback stack, are 42% of a CPU
// profile, the two read(2)s 17%, epoll_wait 4%, and the two task steps and
// the streams the rest. A second loop on the same port (EchoThroughputLoops)
// brings the second core, and the goroutines' figure.

// throughputClients is the number of connections of EchoThroughput.
const throughputClients = 1000

func BenchmarkEchoThroughput(b *testing.B) {
	b.Run("clients="+strconv.Itoa(throughputClients), func(b *testing.B) {
		echoThroughputLoops(b, 1, throughputClients)
	})
}

func BenchmarkEchoThroughputLoops(b *testing.B) {
	b.Run("loops=2", func(b *testing.B) {
		echoThroughputLoops(b, 2, throughputClients)
	})
}

// rounds returns how many of n round trips client i of clients does.
func rounds(n, clients, i int) int {
	r := n / clients
	if i < n%clients {
		r++
	}
	return r
}

// echoUntilEOF echoes what it reads until EOF.
func echoUntilEOF(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
	for {
		data, err := r.Read(a, 64<<10)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		w.Write(data)
		if err := w.Drain(a); err != nil {
			return err
		}
	}
}

// roundTrips runs a task per connection that does n(i) round trips on
// connection i, and waits for them all.
func roundTrips(a *asyncio.A, rs []*asyncio.StreamReader, ws []*asyncio.StreamWriter, msg []byte, n func(i int) int) error {
	var tasks []*asyncio.Task[struct{}]
	for i := range rs {
		r, w, n := rs[i], ws[i], n(i)
		if n == 0 {
			continue
		}
		tasks = append(tasks, asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			for range n {
				if err := roundTrip(a, r, w, msg); err != nil {
					return struct{}{}, err
				}
			}
			return struct{}{}, nil
		})))
	}
	for _, t := range tasks {
		if _, err := t.Await(a); err != nil {
			return err
		}
	}
	return nil
}

// echoThroughputLoops runs the echo of EchoThroughput on loops loops, each
// on its own goroutine with a server on one port (WithReusePort if more
// than one) and clients/loops of the clients.
func echoThroughputLoops(b *testing.B, loops, clients int) {
	b.ReportAllocs()
	msg := echoMessage()
	var opts []asyncio.StreamOption
	if loops > 1 {
		opts = append(opts, asyncio.WithReusePort())
	}
	// Each loop sends one value on ready (nil once its clients are
	// connected) and one on done (nil once their round trips are done),
	// or its error instead, and ends once end is closed.
	ready := make(chan error, loops)
	done := make(chan error, loops)
	start, end := make(chan struct{}), make(chan struct{})
	// Closed on every way out, so that no loop waits for ever.
	closeStart, closeEnd := sync.OnceFunc(func() { close(start) }), sync.OnceFunc(func() { close(end) })
	defer closeEnd()
	defer closeStart()
	port := make(chan int, 1)
	var finished sync.WaitGroup
	listenOn := 0
	for l := range loops {
		first := l * clients / loops
		mine := (l+1)*clients/loops - first
		finished.Go(func() {
			stage := ready
			_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
				srv, err := asyncio.StartServer(a, echoUntilEOF, "127.0.0.1", listenOn, opts...)
				if err != nil {
					return struct{}{}, err
				}
				defer func() {
					srv.Close()
					srv.WaitClosed(a)
				}()
				if listenOn == 0 {
					port <- srv.Addr().Port
				}
				rs := make([]*asyncio.StreamReader, mine)
				ws := make([]*asyncio.StreamWriter, mine)
				for i := range mine {
					if rs[i], ws[i], err = asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port); err != nil {
						return struct{}{}, err
					}
					defer ws[i].Close()
				}
				// One round trip each first, untimed, so that every
				// connection is accepted and its handler running.
				if err := roundTrips(a, rs, ws, msg, func(int) int { return 1 }); err != nil {
					return struct{}{}, err
				}
				stage <- nil
				stage = done
				if _, err := asyncio.ToThread(a, func(context.Context) (struct{}, error) {
					<-start
					return struct{}{}, nil
				}); err != nil {
					return struct{}{}, err
				}
				if err := roundTrips(a, rs, ws, msg, func(i int) int { return rounds(b.N, clients, first+i) }); err != nil {
					return struct{}{}, err
				}
				stage <- nil
				stage = nil
				// Close only once every loop is done: closing is not timed.
				_, err = asyncio.ToThread(a, func(context.Context) (struct{}, error) {
					<-end
					return struct{}{}, nil
				})
				return struct{}{}, err
			}))
			if stage != nil {
				stage <- err
			} else if err != nil {
				b.Error(err)
			}
		})
		if l == 0 {
			select {
			case listenOn = <-port:
			case err := <-ready:
				b.Fatal(err)
			}
		}
	}
	for range loops {
		if err := <-ready; err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	closeStart()
	for range loops {
		if err := <-done; err != nil {
			b.Error(err)
		}
	}
	b.StopTimer()
	closeEnd()
	finished.Wait()
}

// BenchmarkEchoThroughputGoroutines is EchoThroughput's baseline: the same
// clients and round trips with package net and a goroutine per connection
// on each side.
func BenchmarkEchoThroughputGoroutines(b *testing.B) {
	b.Run("clients="+strconv.Itoa(throughputClients), func(b *testing.B) {
		b.ReportAllocs()
		clients := throughputClients
		msg := echoMessage()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		var servers sync.WaitGroup
		servers.Go(func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				servers.Go(func() {
					defer c.Close()
					_ = echoConn(c) // the clients close when the benchmark ends
				})
			}
		})
		conns := make([]net.Conn, clients)
		for i := range conns {
			if conns[i], err = net.Dial("tcp", ln.Addr().String()); err != nil {
				b.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		b.ResetTimer()
		for i, c := range conns {
			n := rounds(b.N, clients, i)
			if n == 0 {
				continue
			}
			wg.Go(func() {
				got := make([]byte, len(msg))
				for range n {
					if _, err := c.Write(msg); err != nil {
						b.Error(err)
						return
					}
					if _, err := io.ReadFull(c, got); err != nil {
						b.Error(err)
						return
					}
					if !bytes.Equal(got, msg) {
						b.Errorf("echo = %q, want %q", got, msg)
						return
					}
				}
			})
		}
		wg.Wait()
		b.StopTimer()
		for _, c := range conns {
			c.Close()
		}
		ln.Close()
		servers.Wait()
	})
}
