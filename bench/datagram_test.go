package bench_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/netip"
	"sync"
	"testing"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// The benchmarks of this file measure a UDP ping-pong over loopback, one
// round trip per op: the client sends a datagram of echoSize bytes and
// receives it back. DatagramRoundTrip does it with asyncio datagram
// endpoints, both tasks of one loop on the real clock; its baseline
// DatagramRoundTripGoroutines does it with net.UDPConn and a goroutine on
// each side; bench/python/datagram.py with CPython's DatagramProtocol.

// BenchmarkDatagramRoundTrip measures one round trip of a datagram between
// two endpoints of one loop: the client's SendTo (a non-blocking send made
// on the loop) and RecvFrom, the server task's RecvFrom and SendTo, and for
// each datagram its receiving: on Linux a recvfrom made by the loop when its
// poller says the socket has some, elsewhere the hand-over from the
// receiving goroutine to the loop.
func BenchmarkDatagramRoundTrip(b *testing.B) {
	b.ReportAllocs()
	msg := echoMessage()
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		srv, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
		if err != nil {
			return struct{}{}, err
		}
		echo := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			for {
				data, from, err := srv.RecvFrom(a)
				if errors.Is(err, asyncio.ErrEndpointClosed) {
					return struct{}{}, nil
				}
				if err != nil {
					return struct{}{}, err
				}
				if err := srv.SendTo(data, from); err != nil {
					return struct{}{}, err
				}
			}
		}))
		cli, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithRemoteAddr("127.0.0.1", int(srv.LocalAddr().Port())))
		if err != nil {
			return struct{}{}, err
		}
		defer cli.Close()
		b.ResetTimer()
		for range b.N {
			if err := cli.SendTo(msg, netip.AddrPort{}); err != nil {
				return struct{}{}, err
			}
			got, _, err := cli.RecvFrom(a)
			if err != nil {
				return struct{}{}, err
			}
			if !bytes.Equal(got, msg) {
				b.Fatalf("echo = %q, want %q", got, msg)
			}
		}
		b.StopTimer()
		srv.Close()
		return echo.Await(a)
	}))
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkDatagramRoundTripGoroutines is DatagramRoundTrip's baseline: the
// same ping-pong with net.UDPConn, the server a goroutine that receives and
// sends back, the client the benchmark's goroutine.
func BenchmarkDatagramRoundTripGoroutines(b *testing.B) {
	b.ReportAllocs()
	msg := echoMessage()
	srv, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		buf := make([]byte, 64<<10)
		for {
			n, from, err := srv.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			if _, err := srv.WriteToUDPAddrPort(buf[:n], from); err != nil {
				b.Error(err)
				return
			}
		}
	})
	cli, err := net.DialUDP("udp", nil, srv.LocalAddr().(*net.UDPAddr))
	if err != nil {
		b.Fatal(err)
	}
	got := make([]byte, 64<<10)
	b.ResetTimer()
	for range b.N {
		if _, err := cli.Write(msg); err != nil {
			b.Fatal(err)
		}
		n, err := cli.Read(got)
		if err != nil {
			b.Fatal(err)
		}
		if !bytes.Equal(got[:n], msg) {
			b.Fatalf("echo = %q, want %q", got[:n], msg)
		}
	}
	b.StopTimer()
	cli.Close()
	srv.Close()
	wg.Wait()
}
