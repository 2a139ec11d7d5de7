package asyncio

import (
	"net"
	"net/netip"
	"os"
	"syscall"
)

// Polled datagram endpoints: where the loop has a poller (Linux), it owns
// an endpoint's socket outright, as a loopSocket's (the descriptor
// duplicated, the net.UDPConn closed, so that Go's netpoller no longer
// watches it), and receives and sends on its own goroutine, as Python's
// selector loop does. A datagram costs a recvfrom(2) and no hand-over
// between goroutines, and an idle endpoint no goroutine at all.
//
// The receive side keeps the receive goroutine's contract: the queue's
// bound, the datagrams dropped beyond it, errors as datagrams, and its
// outside work (readerBusy: receiving ends with Close). The send side
// queues what the socket did not take at once and sends it when the poller
// reports room, counted as a send goroutine is: work that ends soon,
// whatever the loop does.

// maxRecvBatch is how many datagrams pollRecv reads in one callback before
// it lets the other ready callbacks run.
const maxRecvBatch = 32

// startPolling hands the endpoint's socket to the loop's poller and
// reports whether it could; if not, goroutines receive and send.
func (e *DatagramEndpoint) startPolling() bool {
	p := e.loop.poll()
	if p == nil {
		return false
	}
	fd, err := dupDescriptor(e.conn)
	if err != nil {
		return false
	}
	inet6, err := sockInet6(fd)
	if err == nil {
		err = p.add(fd, e)
	}
	if err != nil {
		_ = sockClose(fd)
		return false
	}
	e.conn.Close() // fd is the endpoint's own
	e.conn, e.polled, e.fd, e.inet6 = nil, true, fd, inet6
	e.recvCB = callback(e.pollRecv)
	// What came before the socket was watched makes an event too.
	return true
}

func (e *DatagramEndpoint) pollReady(in, out, _ bool) {
	if in {
		e.readable = true
		e.scheduleRecv()
	}
	if out && len(e.outq) > 0 {
		e.flush()
	}
}

// scheduleRecv queues pollRecv, once, if the socket may hold datagrams.
func (e *DatagramEndpoint) scheduleRecv() {
	if e.recvQueued || !e.readable || e.closed {
		return
	}
	e.recvQueued = true
	e.loop.ready.push(e.recvCB)
}

// pollRecv receives what the socket holds, as the receive goroutine does:
// until it finds the socket empty, which the next event ends, or, after
// maxRecvBatch datagrams, until the other ready callbacks have run.
func (e *DatagramEndpoint) pollRecv() {
	e.recvQueued = false
	if e.closed {
		return
	}
	buf := readBuffer(maxDatagramSize)
	defer putReadBuffer(buf)
	for range maxRecvBatch {
		n, from, err := sockRecvfrom(e.fd, *buf)
		if err == syscall.EAGAIN {
			e.readable = false
			return
		}
		if e.held.Load() >= int64(e.limit) {
			e.dropped.Add(1)
			continue
		}
		e.held.Add(1)
		d := received{from: from}
		if err != nil {
			d.err = e.opError("read", "recvfrom", netip.AddrPort{}, err)
		} else {
			d.data = append(make([]byte, 0, n), (*buf)[:n]...)
		}
		e.arrived(d)
	}
	e.scheduleRecv()
}

// sendPolled makes one non-blocking send of p to to (the connected address
// if connected) and reports whether the socket took it; false and a nil
// error mean that it must be queued.
func (e *DatagramEndpoint) sendPolled(p []byte, to netip.AddrPort) (bool, error) {
	if e.remote.IsValid() {
		to = netip.AddrPort{}
	}
	err := sockSendto(e.fd, p, to, e.inet6, &e.sa)
	switch {
	case err == syscall.EAGAIN:
		return false, nil
	case err != nil:
		return false, e.opError("write", "sendto", to, err)
	}
	return true, nil
}

// flush sends what is queued, as far as the socket takes it, once the
// poller says it has room: the loop's send goroutine. A closed endpoint's
// socket is closed once all is sent.
func (e *DatagramEndpoint) flush() {
	for len(e.outq) > 0 {
		sent, err := e.sendPolled(e.outq[0].data, e.outq[0].to)
		if !sent && err == nil {
			return // full again: the next event says when there is room
		}
		e.outq[0] = outgoing{}
		e.outq = e.outq[1:]
		if err != nil {
			e.sendFailed(err)
		}
	}
	e.outq = nil
	e.sendWork.set(noWork)
	if e.closed {
		e.shut()
	}
}

// opError is the error of a polled endpoint's system call, as package net
// spells it; to is the zero AddrPort for the remote address.
func (e *DatagramEndpoint) opError(op, call string, to netip.AddrPort, err error) error {
	oe := &net.OpError{Op: op, Net: "udp", Source: net.UDPAddrFromAddrPort(e.local), Err: os.NewSyscallError(call, err)}
	if !to.IsValid() {
		to = e.remote
	}
	if to.IsValid() {
		oe.Addr = net.UDPAddrFromAddrPort(to)
	}
	return oe
}
