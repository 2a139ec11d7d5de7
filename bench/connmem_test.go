//go:build unix

package bench_test

import (
	"context"
	"io"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"testing"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// The benchmarks of this file measure what an idle server-side connection
// costs in memory (B/conn): connMemCount clients connect to one server,
// each sends one byte, the server reads it and waits for more. The growth
// of HeapInuse+StackInuse from before the first connection to the moment
// every connection is idle, measured after a garbage collection, is divided
// by the number of connections. One op is one batch; its time (connecting
// thousands of sockets, three collections) is not a figure to compare.
//
// The clients are bare descriptors (socket(2) and connect(2), no package
// net and no goroutine), so that the growth is the server side's alone: the
// accepted socket, and what serves it.
//
//   - ConnMemory: an asyncio server (StartServer) whose handler task waits
//     in StreamReader.Read: the connection's transport, its reader and
//     writer, its reader goroutine blocked in the socket's read, and the
//     handler's task.
//   - ConnMemoryGoroutines: its baseline, a net.Listener and a goroutine per
//     connection blocked in Read with a 4 KiB buffer (bufio.Reader's
//     default size).

// connMemWant is how many connections ConnMemory holds at once, if the
// limit of open files allows (see connMemCount).
const connMemWant = 10_000

// connMemCount returns how many connections a ConnMemory benchmark may
// hold, at most connMemWant: each takes two descriptors (the client's and
// the server's), and the soft limit of open files is raised as far as the
// hard limit allows. With a hard limit of 20,000 (a common default) that is
// a little under 10,000; the count is reported as the conns metric.
func connMemCount(b *testing.B) int {
	b.Helper()
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		b.Fatalf("Getrlimit: %v", err)
	}
	const spare = 100 // the test binary's own files, the listener, the poller
	need := uint64(2*connMemWant + spare)
	if lim.Cur < need && lim.Cur < lim.Max {
		lim.Cur = min(need, lim.Max)
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			b.Logf("Setrlimit(%d): %v", lim.Cur, err)
		}
		if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			b.Fatalf("Getrlimit: %v", err)
		}
	}
	n := min(connMemWant, (int(lim.Cur)-spare)/2)
	if n < 100 {
		b.Fatalf("open files limited to %d: too few for %d connections", lim.Cur, connMemWant)
	}
	return n
}

// dialRaw connects n bare sockets to 127.0.0.1:port and writes one byte on
// each; fds must have room for n descriptors. It returns the first error,
// with the sockets it opened in fds.
func dialRaw(port, n int, fds *[]int) error {
	sa := &syscall.SockaddrInet4{Port: port, Addr: netip.MustParseAddr("127.0.0.1").As4()}
	for range n {
		fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
		if err != nil {
			return err
		}
		syscall.CloseOnExec(fd)
		*fds = append(*fds, fd)
		if err := syscall.Connect(fd, sa); err != nil {
			return err
		}
		if _, err := syscall.Write(fd, []byte{1}); err != nil {
			return err
		}
	}
	return nil
}

// closeRaw closes the sockets of dialRaw.
func closeRaw(fds []int) {
	for _, fd := range fds {
		syscall.Close(fd)
	}
}

// BenchmarkConnMemory measures an idle connection of an asyncio server.
func BenchmarkConnMemory(b *testing.B) {
	b.ReportAllocs()
	n := connMemCount(b)
	var heap, stack float64
	for range b.N {
		fds := make([]int, 0, n)
		_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			l := asyncio.GetRunningLoop(a)
			allIdle := asyncio.NewFuture[struct{}](l)
			idle := 0
			// One handler for every connection: nothing is held per
			// connection but what the server itself holds.
			handler := func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
				if _, err := r.ReadExactly(a, 1); err != nil {
					return err
				}
				if idle++; idle == n {
					_ = allIdle.SetResult(struct{}{})
				}
				_, err := r.Read(a, 1) // EOF, once the client closes
				return err
			}
			srv, err := asyncio.StartServer(a, handler, "127.0.0.1", 0)
			if err != nil {
				return struct{}{}, err
			}
			defer func() {
				srv.Close()
				srv.WaitClosed(a)
			}()
			before := inUse()
			// Dialled off the loop, which accepts meanwhile.
			if _, err := asyncio.ToThread(a, func(context.Context) (struct{}, error) {
				return struct{}{}, dialRaw(srv.Addr().Port, n, &fds)
			}); err != nil {
				return struct{}{}, err
			}
			if _, err := allIdle.Await(a); err != nil {
				return struct{}{}, err
			}
			h, s := perUnit(before, inUse(), n)
			heap, stack = heap+h, stack+s
			closeRaw(fds)
			fds = nil
			return struct{}{}, nil
		}))
		closeRaw(fds)
		if err != nil {
			b.Fatal(err)
		}
	}
	reportMemory(b, heap, stack, "conn")
	b.ReportMetric(float64(n), "conns")
}

// BenchmarkConnMemoryGoroutines is ConnMemory's baseline: a goroutine per
// connection blocked in Read, with package net.
func BenchmarkConnMemoryGoroutines(b *testing.B) {
	b.ReportAllocs()
	n := connMemCount(b)
	var heap, stack float64
	for range b.N {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		var served, idle sync.WaitGroup
		idle.Add(n)
		served.Go(func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				served.Go(func() {
					defer c.Close()
					buf := make([]byte, 4<<10)
					if _, err := io.ReadFull(c, buf[:1]); err != nil {
						b.Error(err)
						idle.Done()
						return
					}
					idle.Done()
					for {
						if _, err := c.Read(buf); err != nil {
							return // EOF, once the client closes
						}
					}
				})
			}
		})
		fds := make([]int, 0, n)
		before := inUse()
		err = dialRaw(ln.Addr().(*net.TCPAddr).Port, n, &fds)
		if err == nil {
			idle.Wait()
			h, s := perUnit(before, inUse(), n)
			heap, stack = heap+h, stack+s
		}
		closeRaw(fds)
		ln.Close()
		served.Wait()
		if err != nil {
			b.Fatal(err)
		}
	}
	reportMemory(b, heap, stack, "conn")
	b.ReportMetric(float64(n), "conns")
}
