//go:build linux

package asyncio_test

import (
	"net/netip"
	"runtime"
	"testing"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// On Linux the loop polls its datagram endpoints itself: an idle endpoint
// costs no goroutine (with a receive goroutine it cost one), and one that
// has sent and received still works as before.
func TestIdleDatagramEndpointsHoldNoGoroutine(t *testing.T) {
	defer streamLeakCheck(t)()
	const endpoints = 50
	streamRun(t, func(a *asyncio.A) error {
		before := runtime.NumGoroutine()
		var es []*asyncio.DatagramEndpoint
		for range endpoints {
			e, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
			if err != nil {
				return err
			}
			es = append(es, e)
		}
		for range 10 {
			if err := asyncio.Sleep(a, 0); err != nil {
				return err
			}
		}
		if grown := runtime.NumGoroutine() - before; grown > endpoints/10 {
			t.Errorf("%d idle datagram endpoints added %d goroutines, want none", endpoints, grown)
		}
		// Every endpoint still receives: each sends to the next.
		for i, e := range es {
			if err := e.SendTo([]byte{byte(i)}, es[(i+1)%endpoints].LocalAddr()); err != nil {
				return err
			}
		}
		for i, e := range es {
			data, from, err := e.RecvFrom(a)
			if err != nil {
				return err
			}
			prev := (i + endpoints - 1) % endpoints
			if len(data) != 1 || data[0] != byte(prev) || from != es[prev].LocalAddr() {
				t.Errorf("endpoint %d received %v from %v, want [%d] from %v", i, data, from, prev, es[prev].LocalAddr())
			}
		}
		for _, e := range es {
			e.Close()
		}
		return nil
	})
}

// An endpoint bound to IPv6 receives from an IPv4-mapped address as
// IPv4, and sends back to it.
func TestPolledDatagramAddresses(t *testing.T) {
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		srv, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("::", 0))
		if err != nil {
			t.Skipf("no IPv6: %v", err)
		}
		defer srv.Close()
		cli, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
		if err != nil {
			return err
		}
		defer cli.Close()
		to := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), srv.LocalAddr().Port())
		if err := cli.SendTo([]byte("ping"), to); err != nil {
			return err
		}
		data, from, err := srv.RecvFrom(a)
		if err != nil {
			return err
		}
		if string(data) != "ping" || from != cli.LocalAddr() {
			t.Errorf("server received %q from %v, want \"ping\" from %v", data, from, cli.LocalAddr())
		}
		if err := srv.SendTo([]byte("pong"), from); err != nil {
			return err
		}
		data, from, err = cli.RecvFrom(a)
		if err != nil {
			return err
		}
		if string(data) != "pong" || from != to {
			t.Errorf("client received %q from %v, want \"pong\" from %v", data, from, to)
		}
		return nil
	})
}
