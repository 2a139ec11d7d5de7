package asyncio

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// A ResolveOption configures GetAddrInfo and GetNameInfo. Only this package
// makes them.
type ResolveOption interface {
	applyResolve(*resolveConfig)
}

type resolveConfig struct {
	resolver *net.Resolver
}

type resolveOptionFunc func(*resolveConfig)

func (f resolveOptionFunc) applyResolve(c *resolveConfig) { f(c) }

// WithResolver makes GetAddrInfo and GetNameInfo ask r instead of
// net.DefaultResolver: a resolver with its own Dial, say, to query a given
// DNS server.
func WithResolver(r *net.Resolver) ResolveOption {
	return resolveOptionFunc(func(c *resolveConfig) { c.resolver = r })
}

func newResolveConfig(opts []ResolveOption) *resolveConfig {
	c := &resolveConfig{resolver: net.DefaultResolver}
	for _, o := range opts {
		o.applyResolve(c)
	}
	c.resolver = cancellable(c.resolver)
	return c
}

// cancellable returns a resolver that asks what r asks, and whose DNS
// queries end when their context is cancelled. Go's resolver gives up a
// cancelled lookup at once but lets its query run on, in the background,
// until the query's own timeout (5s by default): the connections that the
// returned resolver dials are closed when their context ends, so the query
// ends with it. (Where Go hands lookups to the system's resolver, as cgo
// builds may, Dial is not used, and the query runs to its end.)
func cancellable(r *net.Resolver) *net.Resolver {
	dial := r.Dial
	if dial == nil {
		var d net.Dialer
		dial = d.DialContext
	}
	return &net.Resolver{
		PreferGo:     r.PreferGo,
		StrictErrors: r.StrictErrors,
		Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
			c, err := dial(ctx, network, address)
			if err != nil {
				return nil, err
			}
			closeOnDone := context.AfterFunc(ctx, func() { c.Close() })
			// The resolver reads a PacketConn datagram by datagram and
			// anything else as a stream: keep c's kind.
			if pc, ok := c.(packetConn); ok {
				return &ctxPacketConn{pc, closeOnDone}, nil
			}
			return &ctxConn{c, closeOnDone}, nil
		},
	}
}

// A packetConn is a connected datagram socket, as net.UDPConn.
type packetConn interface {
	net.Conn
	ReadFrom(p []byte) (int, net.Addr, error)
	WriteTo(p []byte, addr net.Addr) (int, error)
}

// ctxConn and ctxPacketConn are connections of a cancellable resolver:
// closed when their context ends, or by the resolver, whichever is first.
type ctxConn struct {
	net.Conn
	stop func() bool
}

func (c *ctxConn) Close() error { c.stop(); return c.Conn.Close() }

type ctxPacketConn struct {
	packetConn
	stop func() bool
}

func (c *ctxPacketConn) Close() error { c.stop(); return c.packetConn.Close() }

// GetAddrInfo resolves host and port into the addresses a socket of
// network can connect to or bind: Python's
//
//	infos = await loop.getaddrinfo(host, port, family=..., type=...)
//
// network is "tcp", "tcp4", "tcp6", "udp", "udp4" or "udp6": its suffix
// picks the address family (Python's family=), and "tcp" or "udp" the
// service table a named port is looked up in (Python's type=). port is a
// number or a service name ("http"); "" means 0. Host "" gives the
// unspecified addresses, for binding (Python's flags=AI_PASSIVE). IPv4
// addresses come back as such, never mapped into IPv6.
//
// The lookup runs on its own goroutine, through net.DefaultResolver (or the
// resolver of WithResolver), as Python runs getaddrinfo in its default
// executor: the loop goes on meanwhile. Unlike Python's, whose thread
// cannot be stopped, the lookup is given the task's context: cancelling the
// task ends the lookup and its DNS queries, and GetAddrInfo returns the
// *CanceledError. A
// name that does not resolve returns the resolver's *net.DNSError. It
// panics if network is not one of the above.
func GetAddrInfo(a *A, network, host, port string, opts ...ResolveOption) ([]netip.AddrPort, error) {
	ipNet := ipNetwork(network, "asyncio.GetAddrInfo")
	cfg := newResolveConfig(opts)
	return ToThread(a, func(ctx context.Context) ([]netip.AddrPort, error) {
		return lookup(ctx, cfg.resolver, network, ipNet, host, port)
	})
}

// GetNameInfo returns the host name of addr: Python's
//
//	host, _ = await loop.getnameinfo((addr, port))
//
// It asks the resolver (the hosts file, then DNS) for addr's names and
// returns the first, without the final dot; an address without a name
// comes back as its numeric text, as Python's does without NI_NAMEREQD.
// Python's also returns the port's service name; Go has no lookup of a
// service by port, and the port is the caller's already. The lookup runs
// off the loop with the task's context, as GetAddrInfo's. Options:
// WithResolver.
func GetNameInfo(a *A, addr netip.Addr, opts ...ResolveOption) (string, error) {
	cfg := newResolveConfig(opts)
	return ToThread(a, func(ctx context.Context) (string, error) {
		names, err := cfg.resolver.LookupAddr(ctx, addr.Unmap().String())
		var dnsErr *net.DNSError
		switch {
		case err == nil && len(names) > 0:
			return strings.TrimSuffix(names[0], "."), nil
		case err == nil, errors.As(err, &dnsErr) && dnsErr.IsNotFound:
			return addr.Unmap().String(), nil
		}
		return "", err
	})
}

// ipNetwork returns the IP network ("ip", "ip4" or "ip6") of a socket
// network; op names the call that panics if network is not one.
func ipNetwork(network, op string) string {
	switch network {
	case "tcp", "udp":
		return "ip"
	case "tcp4", "udp4":
		return "ip4"
	case "tcp6", "udp6":
		return "ip6"
	}
	panic(fmt.Sprintf("%s: unknown network %q (want tcp, tcp4, tcp6, udp, udp4 or udp6)", op, network))
}

// lookup resolves host and port as GetAddrInfo does, on the calling
// goroutine.
func lookup(ctx context.Context, r *net.Resolver, network, ipNet, host, port string) ([]netip.AddrPort, error) {
	p, err := lookupPort(ctx, r, network, port)
	if err != nil {
		return nil, err
	}
	var ips []netip.Addr
	switch {
	case host != "":
		if ips, err = r.LookupNetIP(ctx, ipNet, host); err != nil {
			return nil, err
		}
	case ipNet == "ip4":
		ips = []netip.Addr{netip.IPv4Unspecified()}
	case ipNet == "ip6":
		ips = []netip.Addr{netip.IPv6Unspecified()}
	default:
		ips = []netip.Addr{netip.IPv6Unspecified(), netip.IPv4Unspecified()}
	}
	aps := make([]netip.AddrPort, len(ips))
	for i, ip := range ips {
		aps[i] = netip.AddrPortFrom(ip.Unmap(), p)
	}
	return aps, nil
}

// lookupPort returns port as a number: itself, or the service it names.
func lookupPort(ctx context.Context, r *net.Resolver, network, port string) (uint16, error) {
	if port == "" {
		return 0, nil
	}
	if n, err := strconv.ParseUint(port, 10, 16); err == nil {
		return uint16(n), nil
	}
	n, err := r.LookupPort(ctx, network, port)
	return uint16(n), err
}

// resolveAddrPort resolves a host:port for a socket of network ("tcp" or
// "udp") to one address: the first the resolver gives (the unspecified
// address for host ""). It runs on the calling goroutine.
func resolveAddrPort(ctx context.Context, network, address string) (netip.AddrPort, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return netip.AddrPort{}, err
	}
	if host == "" {
		p, err := lookupPort(ctx, net.DefaultResolver, network, port)
		return netip.AddrPortFrom(netip.Addr{}, p), err
	}
	aps, err := lookup(ctx, cancellable(net.DefaultResolver), network, "ip", host, port)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return aps[0], nil
}
