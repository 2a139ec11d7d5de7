package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// TestGetAddrInfo resolves names and numbers of hosts and ports, as
// Python's loop.getaddrinfo.
func TestGetAddrInfo(t *testing.T) {
	ap := netip.MustParseAddrPort
	tests := []struct {
		network, host, port string
		want                []netip.AddrPort // all of them, in order; or, with contains, one of them
		contains            bool
	}{
		{"tcp4", "localhost", "http", []netip.AddrPort{ap("127.0.0.1:80")}, true},
		{"udp", "127.0.0.1", "53", []netip.AddrPort{ap("127.0.0.1:53")}, false},
		{"tcp", "::ffff:127.0.0.1", "1", []netip.AddrPort{ap("127.0.0.1:1")}, false},
		{"udp6", "::1", "", []netip.AddrPort{ap("[::1]:0")}, false},
		{"tcp6", "", "8080", []netip.AddrPort{ap("[::]:8080")}, false},
		{"tcp4", "", "8080", []netip.AddrPort{ap("0.0.0.0:8080")}, false},
		{"tcp", "", "", []netip.AddrPort{ap("[::]:0"), ap("0.0.0.0:0")}, false},
	}
	streamRun(t, func(a *asyncio.A) error {
		for _, tc := range tests {
			got, err := asyncio.GetAddrInfo(a, tc.network, tc.host, tc.port)
			switch {
			case err != nil:
				t.Errorf("GetAddrInfo(%q, %q, %q) = %v", tc.network, tc.host, tc.port, err)
			case tc.contains && !slices.Contains(got, tc.want[0]):
				t.Errorf("GetAddrInfo(%q, %q, %q) = %v, want %v among them", tc.network, tc.host, tc.port, got, tc.want[0])
			case !tc.contains && !slices.Equal(got, tc.want):
				t.Errorf("GetAddrInfo(%q, %q, %q) = %v, want %v", tc.network, tc.host, tc.port, got, tc.want)
			}
		}
		if _, err := asyncio.GetAddrInfo(a, "tcp", "127.0.0.1", "no-such-service"); err == nil {
			t.Errorf("GetAddrInfo(an unknown service) = nil error, want one")
		}
		return nil
	})
}

// TestGetAddrInfoPanics checks the panic of an unknown network.
func TestGetAddrInfoPanics(t *testing.T) {
	streamRun(t, func(a *asyncio.A) error {
		defer func() {
			if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "asyncio.GetAddrInfo") {
				t.Errorf("GetAddrInfo(\"ip\", ...) panicked with %v, want a panic naming it", p)
			}
		}()
		_, err := asyncio.GetAddrInfo(a, "ip", "localhost", "")
		return err
	})
}

// TestGetNameInfo finds the name of the loopback address in the hosts
// file.
func TestGetNameInfo(t *testing.T) {
	streamRun(t, func(a *asyncio.A) error {
		got, err := asyncio.GetNameInfo(a, netip.MustParseAddr("127.0.0.1"))
		if err != nil {
			return err
		}
		if got != "localhost" {
			t.Errorf("GetNameInfo(127.0.0.1) = %q, want \"localhost\"", got)
		}
		return nil
	})
}

// TestResolveCancelled asks a DNS server that never answers, on the
// virtual clock: a timeout around GetAddrInfo or GetNameInfo cancels the
// lookup, which ends at once, its query too, and nothing is left running.
// The server's connection ignores deadlines: only the cancellation of the
// lookup's context can end the query (and Run, which waits for it).
func TestResolveCancelled(t *testing.T) {
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return newSilentConn(), nil
	}}
	lookups := map[string]func(a *asyncio.A) error{
		"GetAddrInfo": func(a *asyncio.A) error {
			_, err := asyncio.GetAddrInfo(a, "tcp", "unanswered.example", "80", asyncio.WithResolver(r))
			return err
		},
		"GetNameInfo": func(a *asyncio.A) error {
			_, err := asyncio.GetNameInfo(a, netip.MustParseAddr("192.0.2.1"), asyncio.WithResolver(r))
			return err
		},
	}
	for name, lookup := range lookups {
		t.Run(name, func(t *testing.T) {
			defer streamLeakCheck(t)()
			done := make(chan struct{})
			go func() {
				defer close(done)
				streamRun(t, func(a *asyncio.A) error {
					err := asyncio.Timeout(a, time.Minute, func(*asyncio.TimeoutScope) error { return lookup(a) })
					if !errors.Is(err, asyncio.ErrTimeout) {
						t.Errorf("%s timed out = %v, want a timeout", name, err)
					}
					return nil
				}, asyncio.WithVirtualTime())
			}()
			select {
			case <-done:
			case <-time.After(time.Minute):
				t.Fatalf("Run has not returned a minute after the timeout: the DNS query goes on")
			}
		})
	}
}

// A silentConn is the connection to a DNS server that never answers and
// ignores deadlines: its reads wait until it is closed.
type silentConn struct {
	closed chan struct{}
	once   sync.Once
}

func newSilentConn() *silentConn { return &silentConn{closed: make(chan struct{})} }

func (c *silentConn) Read([]byte) (int, error) {
	<-c.closed
	return 0, net.ErrClosed
}

func (c *silentConn) ReadFrom(p []byte) (int, net.Addr, error) {
	n, err := c.Read(p)
	return n, nil, err
}

func (c *silentConn) Write(p []byte) (int, error)               { return len(p), nil }
func (c *silentConn) WriteTo(p []byte, _ net.Addr) (int, error) { return len(p), nil }
func (c *silentConn) Close() error                              { c.once.Do(func() { close(c.closed) }); return nil }
func (c *silentConn) LocalAddr() net.Addr                       { return &net.UDPAddr{} }
func (c *silentConn) RemoteAddr() net.Addr                      { return &net.UDPAddr{} }
func (c *silentConn) SetDeadline(time.Time) error               { return nil }
func (c *silentConn) SetReadDeadline(time.Time) error           { return nil }
func (c *silentConn) SetWriteDeadline(time.Time) error          { return nil }
