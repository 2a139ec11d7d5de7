package asyncio

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"runtime"
	"strconv"
	"sync/atomic"
	"syscall"
)

// OpenConnection connects to host:port over TCP and returns the
// connection's two halves: Python's
//
//	reader, writer = await asyncio.open_connection(host, port)
//
// The dial (name resolution included) runs on its own goroutine, so the loop
// goes on meanwhile; the calling task is suspended until it succeeds or
// fails. If the task is cancelled while it waits, the dial is abandoned, a
// connection made anyway is closed, and OpenConnection returns the
// *CanceledError.
//
// From then on the connection belongs to the loop: a goroutine reads from
// the socket into the StreamReader's buffer, and what the socket does not
// take at once from the StreamWriter another goroutine writes; both hand
// their results back through the loop's inbox, so the tasks using the
// streams never block the loop. Close the writer when done; whatever is
// still open when Run returns is closed then. Options: WithStreamLimit,
// WithLocalAddr, WithHappyEyeballsDelay.
func OpenConnection(a *A, host string, port int, opts ...StreamOption) (*StreamReader, *StreamWriter, error) {
	t, err := currentTask(a)
	if err != nil {
		return nil, nil, err
	}
	cfg := newStreamConfig(opts)
	if err := cfg.sock.check(); err != nil {
		return nil, nil, fmt.Errorf("asyncio.OpenConnection: %w", err)
	}
	address := net.JoinHostPort(host, strconv.Itoa(port))
	c, err := awaitOutside(a, t.loop, loopback(host), func(ctx context.Context) (net.Conn, error) {
		d, err := cfg.sock.dialer(ctx, "tcp")
		if err != nil {
			return nil, err
		}
		return d.DialContext(ctx, "tcp", address)
	})
	if err != nil {
		return nil, nil, err
	}
	tr := newTransport(t.loop, c, cfg.limit, nil)
	return tr.reader, tr.writer, nil
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

// A StreamOption configures OpenConnection and StartServer. Only this
// package makes them.
type StreamOption interface {
	applyStream(*streamConfig)
}

type streamConfig struct {
	limit int
	sock  socketConfig // sockopt.go
}

type streamOptionFunc func(*streamConfig)

func (f streamOptionFunc) applyStream(c *streamConfig) { f(c) }

func newStreamConfig(opts []StreamOption) *streamConfig {
	c := &streamConfig{limit: DefaultStreamLimit}
	for _, o := range opts {
		o.applyStream(c)
	}
	return c
}

// WithStreamLimit sets the buffer limit of the connection's StreamReader:
// Python's limit= argument of open_connection and start_server. It bounds
// the line that ReadLine and ReadUntil accept, and it is the flow-control
// mark: once more than twice the limit is buffered and no task waits for
// data, the socket is not read until the buffer is down to the limit. A
// limit ≤ 0 means DefaultStreamLimit.
func WithStreamLimit(n int) StreamOption {
	return streamOptionFunc(func(c *streamConfig) {
		if n <= 0 {
			n = DefaultStreamLimit
		}
		c.limit = n
	})
}

// awaitOutside runs open (a dial or a listen) on its own goroutine, counted
// as outside work (as work known to arrive soon if local: it stays on this
// host), and suspends the task running a until it is done. A result that
// nobody wants any more (the task was cancelled, or the loop is shutting
// down) is closed on arrival, so it cannot leak.
func awaitOutside[C io.Closer](a *A, l *Loop, local bool, open func(ctx context.Context) (C, error)) (C, error) {
	f := NewFuture[C](l)
	ctx, cancel := context.WithCancel(l.ctx)
	f.addCallback(callback(cancel))
	reg := l.streamRegistry()
	begin, end := l.beginOutside, l.endOutside
	if local {
		begin, end = l.beginArriving, l.endArriving
	}
	begin()
	go func() {
		c, err := open(ctx)
		deliver := func() {
			end()
			if err == nil && (f.done() || reg.shut) {
				c.Close()
				return
			}
			if f.done() {
				return
			}
			if err != nil {
				f.SetException(err)
			} else {
				f.SetResult(c)
			}
		}
		if l.CallSoonThreadsafe(deliver) != nil && err == nil {
			c.Close() // the loop is gone (cannot happen while counted)
		}
	}()
	return f.Await(a)
}

// streamRegistry is what a loop knows about its sockets: the servers and
// connections to close at shutdown, and every connection by its pair of
// addresses, so that the two ends of a connection made inside one loop can
// find each other (see transport.readerBusy).
type streamRegistry struct {
	shut    bool // shutdown has closed everything; new sockets are closed at once
	servers map[*Server]struct{}
	conns   map[*transport]struct{}
	ends    map[endpoints]*transport
}

// endpoints names one end of a TCP connection: its own address and its
// peer's.
type endpoints struct{ local, remote netip.AddrPort }

func (l *Loop) streamRegistry() *streamRegistry {
	if l.streams == nil {
		l.streams = &streamRegistry{
			servers: map[*Server]struct{}{},
			conns:   map[*transport]struct{}{},
			ends:    map[endpoints]*transport{},
		}
	}
	return l.streams
}

// closeServers stops every server of the loop from accepting connections;
// shutdown calls it before it cancels the tasks.
func (l *Loop) closeServers() {
	if l.streams == nil {
		return
	}
	for s := range l.streams.servers {
		s.Close()
	}
}

// closeStreams closes every server and aborts every connection of the loop,
// so that their goroutines come back; shutdown calls it once the tasks have
// ended, before it waits for outside work.
func (l *Loop) closeStreams() {
	if l.streams == nil {
		return
	}
	l.streams.shut = true
	l.closeServers()
	for t := range l.streams.conns {
		t.abort(nil)
	}
}

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

// How much a reader goroutine reads at a time: it starts small, because a
// loop may hold thousands of idle connections, and doubles whenever a read
// fills its buffer.
const (
	minReadSize = 4 << 10
	maxReadSize = 256 << 10
)

// readState says where a connection's reader goroutine is.
type readState uint8

const (
	reading  readState = iota // in conn.Read, or handing its result to the loop
	parked                    // paused by flow control, waiting for the loop
	readDone                  // exited after handing over EOF or an error
)

// A transport is one TCP connection of a loop: Python's
// _SelectorSocketTransport and StreamReaderProtocol in one. Goroutines do
// its socket I/O and hand their results to the loop through the inbox:
// readLoop, always, and writeBatch, while there is data that the socket did
// not take at once (see tryWrite). Every other field belongs to the loop's
// goroutine.
//
// Outside work: the writer goroutine counts while it holds data. The reader
// goroutine counts while it is reading and something could arrive: always,
// unless the other end of the connection belongs to the same loop (peer),
// has written nothing that this end has not yet received, and has not
// closed. Then nothing can arrive until the loop itself writes or closes, so
// the read is not outside work: it neither holds the virtual clock nor hides
// a deadlock between tasks that wait for each other over a socket. What such
// a peer has sent is known to arrive (Loop.arriving): it holds the virtual
// clock without the idle threshold.
type transport struct {
	loop   *Loop
	reg    *streamRegistry
	nc     net.Conn
	reader *StreamReader
	writer *StreamWriter
	server *Server // the server that accepted it, or nil

	// The read side.
	rstate   readState
	pauseReq atomic.Bool   // the loop asks the reader goroutine to park
	queued   atomic.Int64  // bytes handed to the inbox, not yet to the reader
	resume   chan struct{} // the loop wakes a parked reader with one token
	received int64         // bytes handed over by the reader goroutine
	rCounted readerWork    // how the reader goroutine counts as outside work

	// The write side (streamwriter.go).
	pending      []byte // written, not yet handed to a writer goroutine
	spare        []byte // a drained batch, for reuse
	inflight     int    // handed to the writer goroutine, not yet written
	writing      bool   // a writer goroutine holds a batch
	sent         int64  // bytes the socket has accepted
	writePaused  bool   // over the high-water mark: Drain waits
	drainers     waitQueue
	eofRequested bool // WriteEOF called
	closing      bool // Close called: close once everything is written

	// Direct writes (tryWrite): the socket's RawConn, nil if the loop may
	// not write itself, and the state of the write in progress.
	raw    syscall.RawConn
	rawBuf []byte
	rawN   int
	rawErr error

	// Ending.
	finSent  bool  // the peer will see EOF: we shut down writing or closed
	closed   bool  // nc.Close called
	lostErr  error // why the connection was lost, nil if closed cleanly
	finished bool  // closed and both goroutines have come back

	// closeWaiters are the tasks in WaitClosed, woken once finished is set.
	closeWaiters waitQueue

	// Pairing.
	ends endpoints
	peer *transport // the other end, if the same loop holds it
}

// newTransport adopts c as a connection of loop l and starts its reader
// goroutine. It must be called on the loop.
func newTransport(l *Loop, c net.Conn, limit int, srv *Server) *transport {
	reg := l.streamRegistry()
	t := &transport{loop: l, reg: reg, nc: c, server: srv, resume: make(chan struct{}, 1)}
	t.reader = &StreamReader{loop: l, limit: limit, t: t}
	t.writer = &StreamWriter{t: t}
	if sc, ok := c.(syscall.Conn); ok && directWrites {
		if raw, err := sc.SyscallConn(); err == nil {
			t.raw = raw
		}
	}
	reg.conns[t] = struct{}{}
	t.pair()
	t.recount()
	go t.readLoop()
	return t
}

// pair registers the connection by its addresses and, if its other end
// belongs to the same loop, links the two. A client whose server end has not
// been accepted yet makes the server expect it (see Server.expect): the
// connection is on its way, which is outside work.
func (t *transport) pair() {
	local, ok1 := addrPort(t.nc.LocalAddr())
	remote, ok2 := addrPort(t.nc.RemoteAddr())
	if !ok1 || !ok2 {
		return
	}
	t.ends = endpoints{local, remote}
	t.reg.ends[t.ends] = t
	if p := t.reg.ends[endpoints{remote, local}]; p != nil {
		t.peer, p.peer = p, t
		p.recount()
	}
	if t.server != nil {
		t.server.arrived(t.ends)
		return
	}
	if t.peer == nil {
		for s := range t.reg.servers {
			if s.expects(local, remote) {
				break
			}
		}
	}
}

// readerWork is what the reader goroutine counts as: nothing, outside work,
// or outside work known to arrive soon (Loop.arriving).
type readerWork uint8

const (
	noWork readerWork = iota
	outsideWork
	arrivingWork
)

// readerBusy reports how the reader goroutine counts. What the other end of
// the loop's own connection has sent, or its EOF, and the end of a read
// that our own Close cut short, arrive soon; from a peer outside the loop
// anything may come, or nothing.
func (t *transport) readerBusy() readerWork {
	switch {
	case t.rstate != reading:
		return noWork
	case t.closed:
		return arrivingWork
	case t.peer == nil:
		return outsideWork
	case t.received < t.peer.sent || t.peer.finSent:
		return arrivingWork
	}
	return noWork
}

// recount brings the loop's count of outside work up to date with
// readerBusy; it is called after anything readerBusy depends on changes.
func (t *transport) recount() {
	busy := t.readerBusy()
	if busy == t.rCounted {
		return
	}
	switch t.rCounted {
	case outsideWork:
		t.loop.endOutside()
	case arrivingWork:
		t.loop.endArriving()
	}
	t.rCounted = busy
	switch busy {
	case outsideWork:
		t.loop.beginOutside()
	case arrivingWork:
		t.loop.beginArriving()
	}
}

// recountPeer is recount for the other end, whose reader depends on what
// this end has sent.
func (t *transport) recountPeer() {
	if t.peer != nil {
		t.peer.recount()
	}
}

// readLoop is the reader goroutine: it reads and hands each result to the
// loop, until an error or EOF, which it hands over last. It parks when the
// loop has paused reading, and also, on its own, when more than twice the
// reader's limit waits in the inbox: a busy loop learns of the data late,
// and would pause reading too late. Whether to park is decided before
// handing over, and travels with the data, so that the loop always knows
// whether the goroutine is parked; if it does not want it to be, it wakes
// it at once.
func (t *transport) readLoop() {
	buf := make([]byte, minReadSize)
	inboxLimit := int64(2 * t.reader.limit)
	for {
		n, err := t.nc.Read(buf)
		var data []byte
		if n > 0 {
			data = make([]byte, n)
			copy(data, buf[:n])
			if n == len(buf) && len(buf) < maxReadSize {
				buf = make([]byte, 2*len(buf))
			}
		}
		park := err == nil && (t.queued.Add(int64(n)) > inboxLimit || t.pauseReq.Load())
		if t.loop.CallSoonThreadsafe(func() { t.onRead(data, err, park) }) != nil {
			t.nc.Close() // the loop is gone (cannot happen while counted)
			return
		}
		if err != nil {
			return
		}
		if park {
			<-t.resume
		} else {
			// The hand-over has just made the loop runnable on this P, if
			// it was waiting: let it take the data now, before this
			// goroutine's next read, which usually finds nothing and parks,
			// and need not be on the way of the answer.
			runtime.Gosched()
		}
	}
}

// onRead takes what the reader goroutine read, on the loop.
func (t *transport) onRead(data []byte, err error, park bool) {
	t.queued.Add(-int64(len(data)))
	if len(data) > 0 {
		t.received += int64(len(data))
		t.reader.feed(data)
	}
	switch {
	case err != nil:
		t.rstate = readDone
		switch {
		case err == io.EOF:
			t.reader.FeedEOF()
		case t.closed:
			// Our own Close (or a write error) ended the read.
			if t.lostErr != nil {
				t.reader.SetException(t.lostErr)
			} else {
				t.reader.FeedEOF()
			}
		default:
			t.reader.SetException(err)
			t.lose(err)
		}
		t.recount()
		t.maybeFinish()
		return
	case park:
		if t.pauseReq.Load() && !t.closed {
			t.rstate = parked
		} else {
			t.resume <- struct{}{}
		}
	}
	t.recount()
}

// pauseReading asks the reader goroutine to stop reading after its current
// read: Python's transport.pause_reading.
func (t *transport) pauseReading() { t.pauseReq.Store(true) }

// resumeReading lets the reader goroutine read again: Python's
// transport.resume_reading.
func (t *transport) resumeReading() {
	t.pauseReq.Store(false)
	t.unpark()
}

func (t *transport) unpark() {
	if t.rstate == parked {
		t.rstate = reading
		t.resume <- struct{}{}
		t.recount()
	}
}

// closeNow closes the socket: the reader goroutine's read fails, and comes
// back as EOF (or as lostErr, if set). It is Python's
// _call_connection_lost, for Close after the last write, and for abort.
func (t *transport) closeNow() {
	if t.closed {
		return
	}
	t.closed, t.finSent = true, true
	t.nc.Close()
	t.unpark()
	t.recount()
	t.recountPeer()
	t.wakeDrainers()
	t.maybeFinish()
}

// abort closes the connection at once, dropping what is not yet written:
// Python's transport.abort(). err, if not nil, is why.
func (t *transport) abort(err error) {
	if t.closed {
		return
	}
	t.closing = true
	if t.lostErr == nil {
		t.lostErr = err
	}
	t.pending = nil
	t.closeNow()
}

// lose ends the connection after an I/O error: Python's _force_close(exc).
func (t *transport) lose(err error) {
	if t.lostErr == nil && !t.closed {
		t.lostErr = err
	}
	t.abort(err)
}

// maybeFinish ends the connection once it is closed and both goroutines
// have come back: WaitClosed returns, the server forgets it.
func (t *transport) maybeFinish() {
	if t.finished || !t.closed || t.rstate != readDone || t.writing {
		return
	}
	t.finished = true
	delete(t.reg.conns, t)
	if t.reg.ends[t.ends] == t {
		delete(t.reg.ends, t.ends)
	}
	if t.server != nil && t.peer == nil {
		t.server.unclaim(t.ends)
	}
	t.closeWaiters.finishAll(t.lostErr)
	if t.server != nil {
		t.server.detach(t)
	}
}

// String describes the connection for diagnostics.
func (t *transport) String() string {
	state := "open"
	switch {
	case t.finished:
		state = "closed"
	case t.closed || t.closing:
		state = "closing"
	}
	return fmt.Sprintf("<connection %v->%v %s>", t.nc.LocalAddr(), t.nc.RemoteAddr(), state)
}

// errConnectionLost is what writing to, or draining, a connection that is
// closed reports when no I/O error closed it: Python's
// ConnectionResetError('Connection lost').
var errConnectionLost = fmt.Errorf("asyncio: connection lost: %w", net.ErrClosed)

// connError is the error of an operation on a closed connection.
func (t *transport) connError() error {
	if t.lostErr != nil {
		return t.lostErr
	}
	return errConnectionLost
}
