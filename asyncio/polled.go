package asyncio

import (
	"net"
	"syscall"
)

// Polled sockets: where the loop has a poller (Linux), it owns its TCP and
// Unix connections' sockets outright (a loopSocket) and does their I/O
// itself, as Python's selector loop does, instead of handing reads to a
// reader goroutine and a full socket's writes to a writer goroutine. The
// poller reports that a socket has something to read, or room to write
// again; the loop reads or writes at once, on its own goroutine. A message
// costs one read(2) and no hand-over between goroutines, and an idle
// connection no goroutine at all. A TLS stream is polled too once its
// handshake, made on a goroutine, is over: tls.Conn reads and writes on the
// loop over the socket (see tlsConn). Pipes keep their goroutines
// (readLoop, writeBatch), and so does every stream where there is no
// poller.
//
// The states and the outside work are the goroutines': rstate is reading
// while the poller watches for data, parked while flow control has paused
// reading, readDone once EOF or an error has been delivered; writing is set
// while written data waits for room in the socket, and counts as outside
// work, as a writer goroutine does.

// A pollable is what the poller hands its events to.
type pollable interface {
	// pollReady says what came: something to read (in), room to write
	// (out), and whether the peer has shut down or the connection failed
	// (hup).
	pollReady(in, out, hup bool)
}

// startPolling hands the transport's socket to the loop's poller and
// reports whether it could; if not, goroutines do its I/O.
func (t *transport) startPolling() bool {
	raw, shim := t.conn, (*tlsConn)(nil)
	if ts, ok := t.conn.(*tlsStream); ok {
		if shim, ok = ts.conn.NetConn().(*tlsConn); !ok {
			return false
		}
		raw = shim.Conn
	}
	s := newLoopSocket(raw)
	if s == nil {
		return false
	}
	if p := t.loop.poll(); p == nil || p.add(s.fd, t) != nil {
		s.Close()
		return false
	}
	raw.Close() // s has its own descriptor
	if shim != nil {
		shim.Conn, shim.t = nil, t
		t.tlsc = t.conn.(*tlsStream).conn
	} else {
		t.conn = s
	}
	t.sock, t.watched = s, true
	t.readSize = minReadSize
	t.readCB = callback(t.pollRead)
	if shim != nil {
		// The handshake may have read records already, which no event
		// will announce.
		t.pollReady(true, false, false)
	}
	// What came to the socket before it was watched makes an event too,
	// which the next poll brings: after the callbacks ready now, such as
	// the first step of a server's handler, which may StartTLS first.
	return true
}

// stopPolling stops watching the socket: before it is closed, and when
// it moves to TLS.
func (t *transport) stopPolling() {
	if t.watched {
		t.watched = false
		t.loop.poller.remove(t.sock.fd)
	}
}

func (t *transport) pollReady(in, out, hup bool) {
	if in {
		t.readable = true
		t.hup = t.hup || hup
		t.scheduleRead()
	}
	if out && t.writing && !t.closed {
		t.flush()
	}
}

// scheduleRead queues pollRead, once, if it has something to do.
func (t *transport) scheduleRead() {
	if t.readQueued || t.rstate != reading || !t.readable && !t.closed {
		return
	}
	t.readQueued = true
	t.loop.ready.push(t.readCB)
}

// pollRead makes one read of the socket and delivers what it got, as a
// reader goroutine's hand-over does. A read that does not fill its buffer
// has emptied the socket: the next event says when more comes. Only after
// a hang-up does the loop read on until EOF, since a hang-up that came
// with the data brings no event of its own. A read that fills its buffer
// doubles it, and the next read waits for the next iteration, after the
// other ready callbacks.
func (t *transport) pollRead() {
	t.readQueued = false
	if t.sock == nil || t.rstate != reading {
		return
	}
	if t.closed {
		// Our own Close (or an abort) ended the read.
		t.deliver(nil, net.ErrClosed, false)
		return
	}
	buf := readBuffer(t.readSize)
	var n int
	var err error
	if t.tlsc != nil {
		n, err = t.tlsc.Read(*buf)
	} else {
		n, err = t.sock.Read(*buf)
	}
	var data []byte
	if n > 0 {
		data = append([]byte(nil), (*buf)[:n]...)
	}
	putReadBuffer(buf)
	switch {
	case err == syscall.EAGAIN || err == errWouldBlock:
		t.readable = false
		return
	case err != nil:
		// The read side is done, but the socket stays watched: writes may
		// still wait for room in it (a peer that shut down its writing
		// still reads), and only the poller says when there is. closeNow
		// stops watching it.
	case n == t.readSize:
		t.readSize = min(2*t.readSize, maxReadSize)
	case !t.hup && t.tlsc == nil:
		// TLS may hold whole records it has read already: only a read
		// that finds nothing says it has none.
		t.readable = false
	}
	t.deliver(data, err, false)
	t.scheduleRead()
}

// flush writes what is pending, as far as the socket takes it, once the
// poller says it has room: the loop's writeBatch.
func (t *transport) flush() {
	for len(t.pending) > 0 {
		n, err := t.tryWrite(t.pending)
		t.pending = t.pending[n:]
		if err != nil {
			t.lose(err)
			return
		}
		if n == 0 {
			break // full again: the next event says when there is room
		}
	}
	idle := len(t.pending) == 0
	if idle {
		t.writing, t.pending = false, nil
		t.wWork.set(noWork)
		t.upgradeWaiters.wakeAll()
	}
	t.afterWrite(idle)
}
