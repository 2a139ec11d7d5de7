package asyncio

import (
	"net"
	"net/netip"
)

// Same-loop pairing: a loop that holds both ends of a TCP connection (a
// client of its own server, say) knows what can arrive on it. The two
// transports find each other by their addresses (pair), and the reader of
// each counts as outside work only while the other end has sent what it
// has not yet received, or has closed (readerBusy): nothing else can arrive
// until the loop itself writes or closes, so an idle read neither holds
// the virtual clock nor hides a deadlock between tasks that wait for each
// other over a socket. What such a peer has sent is known to arrive: it
// holds the virtual clock without the idle threshold. A connection to the
// loop's own server is expected by the server from the client's dial until
// it is accepted (Server.expects).

// endpoints names one end of a TCP connection: its own address and its
// peer's.
type endpoints struct{ local, remote netip.AddrPort }

// addrPort returns a TCP address as a comparable value, with IPv4-mapped
// IPv6 addresses unmapped, so that both ends of a connection spell each
// other's addresses alike.
func addrPort(a net.Addr) (netip.AddrPort, bool) {
	ta, ok := a.(*net.TCPAddr)
	if !ok {
		return netip.AddrPort{}, false
	}
	ap := ta.AddrPort()
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()), true
}

// loopback reports whether host names this host's loopback interface, so
// that a dial to it is answered at once, without the network.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// listensLocally reports whether a listen on host is answered at once: it
// takes no network, and only a host name (other than localhost) would need
// resolving.
func listensLocally(host string) bool {
	_, err := netip.ParseAddr(host)
	return host == "" || err == nil || loopback(host)
}

// pair registers the connection by its addresses and, if its other end
// belongs to the same loop, links the two. A client whose server end has not
// been accepted yet makes the server expect it (see Server.expects): the
// connection is on its way, which is outside work. A stream without TCP
// addresses is not paired: its reader always counts as outside work.
func (t *transport) pair() {
	local, remote := streamAddrs(t.conn)
	lap, ok1 := addrPort(local)
	rap, ok2 := addrPort(remote)
	if !ok1 || !ok2 {
		return
	}
	t.ends = endpoints{lap, rap}
	t.reg.ends[t.ends] = t
	if p := t.reg.ends[endpoints{rap, lap}]; p != nil {
		t.peer, p.peer = p, t
		p.recount()
	}
	if t.server != nil {
		t.server.arrived(t.ends)
		return
	}
	if t.peer == nil {
		for s := range t.reg.servers {
			if s.expects(lap, rap) {
				break
			}
		}
	}
}

// unpair forgets a connection that has ended; a server's connection whose
// client end never showed up in the loop is remembered as unclaimed.
func (t *transport) unpair() {
	if t.ends == (endpoints{}) {
		return
	}
	if t.reg.ends[t.ends] == t {
		delete(t.reg.ends, t.ends)
	}
	if t.server != nil && t.peer == nil {
		t.server.unclaim(t.ends)
	}
}

// readerBusy reports how the read side (its goroutine, or the poller's
// watch, see polled.go) counts. What the other end of
// the loop's own connection has sent, or its EOF, and the end of a read
// that our own Close or StartTLS cut short, arrive soon; from a peer
// outside the loop anything may come, or nothing.
func (t *transport) readerBusy() workKind {
	switch {
	case t.rstate != reading:
		return noWork
	case t.closed, t.upgrading:
		return arrivingWork // our close, or StartTLS's read deadline, ends the read
	case t.peer == nil:
		return outsideWork
	case t.received < t.peer.sent || t.peer.finSent:
		return arrivingWork
	}
	return noWork
}

// writerBusy reports how the write side counts. A writer goroutine, while
// it holds data, is outside work. A polled socket's writes that wait for
// room are too, unless the other end is the loop's own and has paused
// reading: then only the loop can make room, by reading, and until it
// does nothing will come.
func (t *transport) writerBusy() workKind {
	switch {
	case !t.writing:
		return noWork
	case t.sock != nil && t.peer != nil && t.peer.rstate == parked:
		return noWork
	}
	return outsideWork
}

// expects reports whether a client's connection from local to remote goes
// to this server and, if so, makes the server expect it.
func (s *Server) expects(local, remote netip.AddrPort) bool {
	if !s.listensFor(local, remote) {
		return false
	}
	e := endpoints{remote, local}
	if _, ok := s.unclaimed[e]; ok {
		delete(s.unclaimed, e) // accepted, served and closed already
		return true
	}
	if _, ok := s.shaking[e]; ok {
		return true // accepted, in its TLS handshake
	}
	s.expect[e] = struct{}{}
	s.expectWork.set(arrivingWork)
	return true
}

// listensFor reports whether a client's connection from local to remote
// goes to this server, while it accepts.
func (s *Server) listensFor(local, remote netip.AddrPort) bool {
	if s.closed {
		return false
	}
	ln, ok := addrPort(s.addr)
	if !ok || ln.Port() != remote.Port() || !(ln.Addr().IsUnspecified() || ln.Addr() == remote.Addr()) {
		return false
	}
	// Not another host's server on the same port.
	return remote.Addr().IsLoopback() || remote.Addr() == local.Addr()
}

// unclaim remembers that the connection with ends e ended on the server's
// side before a client end of the same loop claimed it.
func (s *Server) unclaim(e endpoints) {
	if s.closed || !e.remote.Addr().IsLoopback() && e.remote.Addr() != e.local.Addr() {
		return // no client of this loop can show up any more
	}
	if len(s.unclaimedList) == maxUnclaimed {
		delete(s.unclaimed, s.unclaimedList[0])
		s.unclaimedList = s.unclaimedList[1:]
	}
	s.unclaimed[e] = struct{}{}
	s.unclaimedList = append(s.unclaimedList, e)
}

// arrived tells the server that it accepted the connection with ends e.
func (s *Server) arrived(e endpoints) {
	if _, ok := s.expect[e]; ok {
		delete(s.expect, e)
		if len(s.expect) == 0 {
			s.expectWork.set(noWork)
		}
	}
}

// connEnds returns the ends of a TCP connection, as its side sees them.
func connEnds(c net.Conn) (endpoints, bool) {
	local, ok1 := addrPort(c.LocalAddr())
	remote, ok2 := addrPort(c.RemoteAddr())
	return endpoints{local, remote}, ok1 && ok2
}

// handshaking tells the server that it accepted c and makes its TLS
// handshake: for a client of the same loop the connection has arrived (the
// handshake is outside work of its own), though no transport has it yet.
func (s *Server) handshaking(c net.Conn) {
	if e, ok := connEnds(c); ok {
		s.arrived(e)
		s.shaking[e] = struct{}{}
	}
}

// handshaken tells the server that the handshake on c is over; if it
// failed, the connection ended before a client end of the same loop
// claimed it.
func (s *Server) handshaken(c net.Conn, failed bool) {
	if e, ok := connEnds(c); ok {
		delete(s.shaking, e)
		if failed {
			s.unclaim(e)
		}
	}
}

// pairHandshake registers a TLS handshake by the ends of its connection and
// says how it counts: as known to arrive when the other end belongs to the
// same loop and speaks TLS (in its own handshake, on its way to a TLS
// server of the loop, or done with its handshake), whatever the machine's
// load; otherwise as outside work, so that the virtual clock reaches the
// handshake timeout of a peer that never answers.
func (h *handshake) pairHandshake(raw net.Conn) {
	e, ok := connEnds(raw)
	if !ok {
		h.work.set(outsideWork)
		return
	}
	h.ends, h.paired = e, true
	h.reg.handshakeEnds[e] = h
	rev := endpoints{e.remote, e.local}
	kind := outsideWork
	if p := h.reg.handshakeEnds[rev]; p != nil {
		h.peer, p.peer = p, h
		p.work.set(arrivingWork)
		kind = arrivingWork
	} else if t := h.reg.ends[rev]; t != nil {
		if _, ok := t.conn.(*tlsStream); ok {
			kind = arrivingWork
		}
	} else {
		for s := range h.reg.servers {
			if s.tls.config != nil && s.listensFor(e.local, e.remote) {
				kind = arrivingWork
				break
			}
		}
	}
	h.work.set(kind)
}

// unpairHandshake forgets a handshake that is over; its peer, if any, goes
// on counting as known to arrive: what it waits for is on its way, or the
// end of the connection is.
func (h *handshake) unpairHandshake() {
	if !h.paired {
		return
	}
	delete(h.reg.handshakeEnds, h.ends)
	if h.peer != nil {
		h.peer.peer = nil
	}
}
