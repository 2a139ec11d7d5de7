package bench_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// The benchmarks of this file measure a TCP echo over loopback, one round
// trip per op: the client writes a message of echoSize bytes and reads it
// back. EchoRoundTrip does it with asyncio streams, server and client as
// tasks of one loop on the real clock; EchoRoundTripGoroutines does the same
// with package net and a goroutine on each side, as a Go programmer would
// without an event loop. Connecting and closing are not timed.
//
// Medians of interleaved 500ms runs on a shared two-vCPU virtual machine,
// Go 1.26 (noisy: runs vary by ±20%):
//
//	                          -cpu 2     -cpu 1
//	EchoRoundTrip             26.6 µs    19.7 µs
//	EchoRoundTripGoroutines   16.3 µs    16.4 µs
//	ratio                     1.63       1.20
//
// Both are mostly the four syscalls. The streams add a hand-over per
// message and direction, from the reader goroutine to the loop's goroutine:
// on one P it is a cheap goroutine switch, but with an idle P the runtime
// wakes that P's thread (runtime.wakep, a futex call) on the way, while the
// goroutines' echo is one thread going from read to write through the
// netpoller.

// echoSize is the size of an echo message.
const echoSize = 64

// echoMessage returns the message of an echo benchmark.
func echoMessage() []byte { return bytes.Repeat([]byte("x"), echoSize) }

// BenchmarkEchoRoundTrip measures one round trip of a message through an
// asyncio echo server: the client task's Write, Drain and ReadExactly; the
// server task's Read, Write and Drain; and the four socket operations, each
// done on a goroutine of its connection and handed to the loop through its
// inbox.
func BenchmarkEchoRoundTrip(b *testing.B) {
	benchEchoStreams(b, func(a *asyncio.A, h echoHandler) (*asyncio.Server, error) {
		return asyncio.StartServer(a, h, "127.0.0.1", 0)
	}, func(a *asyncio.A, srv *asyncio.Server) (*asyncio.StreamReader, *asyncio.StreamWriter, error) {
		return asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port)
	})
}

// An echoHandler is the handler of an asyncio echo server.
type echoHandler = func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error

// benchEchoStreams measures round trips through an asyncio echo server that
// listen starts, over a connection that dial opens, both in one loop.
func benchEchoStreams(b *testing.B,
	listen func(a *asyncio.A, h echoHandler) (*asyncio.Server, error),
	dial func(a *asyncio.A, srv *asyncio.Server) (*asyncio.StreamReader, *asyncio.StreamWriter, error),
) {
	b.ReportAllocs()
	msg := echoMessage()
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		srv, err := listen(a, echoUntilEOF)
		if err != nil {
			return struct{}{}, err
		}
		defer func() { // the server's task ends when it reads the client's EOF
			srv.Close()
			srv.WaitClosed(a)
		}()
		r, w, err := dial(a, srv)
		if err != nil {
			return struct{}{}, err
		}
		defer w.Close()
		b.ResetTimer()
		for range b.N {
			if err := roundTrip(a, r, w, msg); err != nil {
				return struct{}{}, err
			}
		}
		b.StopTimer()
		return struct{}{}, nil
	}))
	if err != nil {
		b.Fatalf("asyncio.Run() = _, %v, want nil", err)
	}
}

// roundTrip writes msg on w and reads its echo from r; it fails if the
// echo is not msg.
func roundTrip(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter, msg []byte) error {
	w.Write(msg)
	if err := w.Drain(a); err != nil {
		return err
	}
	got, err := r.ReadExactly(a, len(msg))
	if err != nil {
		return err
	}
	if !bytes.Equal(got, msg) {
		return fmt.Errorf("echo = %q, want %q", got, msg)
	}
	return nil
}

// BenchmarkEchoRoundTripGoroutines is EchoRoundTrip's baseline: the same
// echo with net.Conn, the server a goroutine that reads and writes back, the
// client the benchmark's goroutine writing and reading with io.ReadFull.
func BenchmarkEchoRoundTripGoroutines(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	benchEchoGoroutines(b, ln, func() (net.Conn, error) { return net.Dial("tcp", ln.Addr().String()) })
}

// echoConn writes back what it reads from c until a read fails (the
// client's EOF); it returns the error of a write that fails.
func echoConn(c net.Conn) error {
	buf := make([]byte, 64<<10)
	for {
		n, err := c.Read(buf)
		if err != nil {
			return nil
		}
		if _, err := c.Write(buf[:n]); err != nil {
			return err
		}
	}
}

// benchEchoGoroutines measures round trips through an echo server that
// serves one connection of ln on a goroutine, over a connection that dial
// opens; it closes ln.
func benchEchoGoroutines(b *testing.B, ln net.Listener, dial func() (net.Conn, error)) {
	b.ReportAllocs()
	msg := echoMessage()
	var wg sync.WaitGroup
	wg.Go(func() {
		c, err := ln.Accept()
		if err != nil {
			b.Error(err)
			return
		}
		defer c.Close()
		if err := echoConn(c); err != nil {
			b.Error(err)
		}
	})
	c, err := dial()
	if err != nil {
		b.Fatal(err)
	}
	got := make([]byte, len(msg))
	b.ResetTimer()
	for range b.N {
		if _, err := c.Write(msg); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(c, got); err != nil {
			b.Fatal(err)
		}
		if !bytes.Equal(got, msg) {
			b.Fatalf("echo = %q, want %q", got, msg)
		}
	}
	b.StopTimer()
	c.Close()
	ln.Close()
	wg.Wait()
}
