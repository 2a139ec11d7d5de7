package asyncio

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"net"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
)

// A byteStream is what a transport carries bytes over: a net.Conn (TCP, a
// Unix socket, TLS over either), or a pair of pipes (see pipeStream). Close
// must make a Read blocked on another goroutine return. A stream may also
// have CloseWrite (WriteEOF, see StreamWriter.CanWriteEOF), LocalAddr and
// RemoteAddr (see streamAddrs), and SyscallConn, for a descriptor the loop
// may write to itself without blocking (see tryWrite).
type byteStream interface {
	io.Reader
	io.Writer
	io.Closer
}

// socketNetwork returns "tcp" or "unix" for a TCP or Unix connection of
// package net, "" for any other stream.
func socketNetwork(c byteStream) string {
	switch c.(type) {
	case *net.TCPConn:
		return "tcp"
	case *net.UnixConn:
		return "unix"
	}
	return ""
}

// closeWriter is a byteStream whose write half closes alone.
type closeWriter interface{ CloseWrite() error }

// streamAddrs returns a stream's own address and its peer's, or nils for a
// stream without addresses.
func streamAddrs(s byteStream) (local, remote net.Addr) {
	if c, ok := s.(interface {
		LocalAddr() net.Addr
		RemoteAddr() net.Addr
	}); ok {
		return c.LocalAddr(), c.RemoteAddr()
	}
	return nil, nil
}

// A pipeStream is a byteStream over two pipes, one read and one written:
// a child process's stdout and stdin, say. CloseWrite closes w alone (the
// other end reads EOF); Close closes both, r if it is an io.Closer. r, or w,
// may be nil: then the stream reads EOF at once, or writes nothing. If w
// has a descriptor (an *os.File), the loop writes to it directly, as to a
// socket.
type pipeStream struct {
	r     io.Reader
	w     io.WriteCloser
	wOnce sync.Once
	wErr  error
}

func newPipeStream(r io.Reader, w io.WriteCloser) *pipeStream { return &pipeStream{r: r, w: w} }

// SyscallConn returns the written pipe's RawConn, so that the loop may write
// to it directly (see tryWrite), as to a socket; it fails for a pipe that
// has none.
func (p *pipeStream) SyscallConn() (syscall.RawConn, error) {
	if sc, ok := p.w.(syscall.Conn); ok {
		return sc.SyscallConn()
	}
	return nil, errors.New("asyncio: the stream has no descriptor to write")
}

// isReadPipe reports whether s is a pipe that is only read: a child
// process's stdout, say.
func isReadPipe(s byteStream) bool {
	p, ok := s.(*pipeStream)
	return ok && p.w == nil
}

func (p *pipeStream) Read(b []byte) (int, error) {
	if p.r == nil {
		return 0, io.EOF
	}
	return p.r.Read(b)
}

func (p *pipeStream) Write(b []byte) (int, error) {
	if p.w == nil {
		return 0, errors.New("asyncio: the stream has no write pipe")
	}
	return p.w.Write(b)
}

func (p *pipeStream) CloseWrite() error {
	p.wOnce.Do(func() {
		if p.w != nil {
			p.wErr = p.w.Close()
		}
	})
	return p.wErr
}

func (p *pipeStream) Close() error {
	err := p.CloseWrite()
	if c, ok := p.r.(io.Closer); ok {
		if rerr := c.Close(); err == nil {
			err = rerr
		}
	}
	return err
}

// How much a reader goroutine reads at a time: it starts small, because a
// loop may hold thousands of idle connections, and doubles whenever a read
// fills its buffer.
const (
	minReadSize = 4 << 10
	maxReadSize = 256 << 10
)

// readBuffers hold the buffers of reads made through a RawConn (see
// rawReader), one pool per size: minReadSize<<i for pool i, up to
// maxReadSize.
var readBuffers [7]sync.Pool

// readBuffer borrows a buffer of size bytes, a power of two times
// minReadSize; putReadBuffer gives it back.
func readBuffer(size int) *[]byte {
	if b, ok := readBuffers[bits.Len(uint(size/minReadSize))-1].Get().(*[]byte); ok {
		return b
	}
	b := make([]byte, size)
	return &b
}

func putReadBuffer(b *[]byte) { readBuffers[bits.Len(uint(len(*b)/minReadSize))-1].Put(b) }

// A rawReader reads a socket through its RawConn, so that its reader
// goroutine holds no buffer while it waits: it waits for the socket to be
// readable, then reads into a buffer borrowed for that read alone and
// copies out what came. An idle connection costs no read buffer, and busy
// ones share the few that are in use at a time. Its errors are those of
// the connection's Read.
type rawReader struct {
	rc   syscall.RawConn
	conn net.Conn
	net  string                // "tcp" or "unix", for errors
	read func(fd uintptr) bool // readOnce, as a method value made once

	// The read in progress: its size, and what readOnce got.
	size int
	data []byte
	err  error
}

// newRawReader returns a rawReader for c, or nil if c is not a socket whose
// descriptor is non-blocking (see directWrites).
func newRawReader(c byteStream) *rawReader {
	network := socketNetwork(c)
	if network == "" || !directWrites {
		return nil
	}
	rc, err := c.(syscall.Conn).SyscallConn()
	if err != nil {
		return nil
	}
	r := &rawReader{rc: rc, conn: c.(net.Conn), net: network}
	r.read = r.readOnce
	return r
}

// Read reads at most size bytes, and returns them in a new slice: io.EOF
// once the peer has closed, or the error the connection's Read would.
func (r *rawReader) Read(size int) ([]byte, error) {
	r.size = size
	err := r.rc.Read(r.read)
	data, rerr := r.data, r.err
	r.data, r.err = nil, nil
	if err != nil {
		// Closed, or past the read deadline: said as the connection's
		// Read says it, not as a "raw-read".
		var op *net.OpError
		if errors.As(err, &op) {
			err = op.Err
		}
		return nil, r.opError(err)
	}
	return data, rerr
}

// readOnce is Read's callback to syscall.RawConn.Read: one read(2), and
// done unless the socket has nothing yet.
func (r *rawReader) readOnce(fd uintptr) bool {
	buf := readBuffer(r.size)
	defer putReadBuffer(buf)
	var n int
	var err error
	for {
		n, err = sysIO(syscall.Read, fd, *buf)
		if err != syscall.EINTR {
			break
		}
	}
	switch {
	case err == syscall.EAGAIN:
		return false
	case err != nil:
		r.err = r.opError(os.NewSyscallError("read", err))
	case n == 0:
		r.err = io.EOF
	default:
		r.data = append([]byte(nil), (*buf)[:n]...)
	}
	return true
}

// opError wraps err as the connection's Read would.
func (r *rawReader) opError(err error) error {
	return &net.OpError{Op: "read", Net: r.net, Source: r.conn.LocalAddr(), Addr: r.conn.RemoteAddr(), Err: err}
}

// readState says where a connection's reader goroutine is.
type readState uint8

const (
	reading  readState = iota // in conn.Read, or handing its result to the loop
	parked                    // paused by flow control, waiting for the loop
	readDone                  // exited after handing over EOF or an error
)

// A transport is one connection of a loop over a byteStream: Python's
// _SelectorSocketTransport and StreamReaderProtocol in one, for every kind
// of stream (TCP, Unix sockets, TLS, pipes). Where the loop has a poller,
// a TCP or Unix socket's I/O is the loop's own (polled.go). Otherwise
// goroutines do its I/O and hand their results to the loop through the
// inbox: readLoop, always, and writeBatch, while there is data that the
// stream did not take at once (see tryWrite). Every other field belongs to
// the loop's goroutine.
//
// A new kind of stream plugs in with newTransport(loop, stream, limit, nil):
// the transport reads, writes, flow-controls, closes, counts its outside
// work and is closed at shutdown, whatever the stream is.
//
// Outside work: the writer goroutine, or a polled socket's writes waiting
// for room, count (wWork) as writerBusy says. The reader goroutine, or the
// poller's watch, counts (rWork) as readerBusy says: while it is reading
// and something could arrive (see loopback.go for a connection whose other
// end the same loop holds).
type transport struct {
	loop   *Loop
	reg    *streamRegistry
	conn   byteStream
	reader *StreamReader
	writer *StreamWriter
	server *Server // the server that accepted it, or nil

	// The read side: a reader goroutine (readLoop), or the loop itself if
	// sock is set (polled.go).
	rstate   readState
	pauseReq atomic.Bool   // the loop asks the reader goroutine to park
	queued   atomic.Int64  // bytes handed to the inbox, not yet to the reader
	resume   chan struct{} // the loop wakes a parked reader with one token
	received int64         // bytes handed over by the reader goroutine
	rWork    external      // the reader goroutine's outside work

	// A polled socket (polled.go): the socket, which conn is too, whether
	// the poller watches it, whether it may have something to read
	// (readable), has hung up, or has a pollRead queued, the size of the
	// next read, and pollRead as a callback made once.
	sock       *loopSocket
	tlsc       *tls.Conn // over sock, for a TLS stream
	watched    bool
	readable   bool
	hup        bool
	readQueued bool
	readSize   int
	readCB     callback

	// The write side.
	pending      []byte   // written, not yet handed to a writer goroutine
	spare        []byte   // a drained batch, for reuse
	inflight     int      // handed to the writer goroutine, not yet written
	writing      bool     // a writer goroutine holds a batch
	wWork        external // the writer goroutine's outside work
	sent         int64    // bytes the stream has accepted
	writePaused  bool     // over the high-water mark: Drain waits
	drainers     waitQueue
	eofRequested bool // WriteEOF called
	closing      bool // Close called: close once everything is written

	// Direct writes (tryWrite): the stream's RawConn, nil if the loop may
	// not write itself, its writeOnce as a method value made once, and the
	// state of the write in progress.
	raw      syscall.RawConn
	rawWrite func(fd uintptr) bool
	rawBuf   []byte
	rawN     int
	rawErr   error

	// Ending.
	finSent  bool  // the peer will see EOF: we shut down writing or closed
	closed   bool  // conn.Close called
	lostErr  error // why the connection was lost, nil if closed cleanly
	finished bool  // closed and both goroutines have come back
	bgClose  bool  // a goroutine closes the stream (see closeNow)

	// closeWaiters are the tasks in WaitClosed, woken once finished is set.
	closeWaiters waitQueue

	// Upgrading to TLS (StreamWriter.StartTLS): what is written meanwhile
	// waits in held, what the reader goroutine read since the call starts
	// the TLS stream (leftover), and StartTLS waits for each step.
	upgrading      bool
	held           []byte
	leftover       []byte
	upgradeWaiters waitQueue

	// Pairing (loopback.go).
	ends endpoints
	peer *transport // the other end, if the same loop holds it
}

// newTransport adopts c as a connection of loop l: the loop's poller
// watches it, or a reader goroutine starts; limit is its StreamReader's (≤ 0: DefaultStreamLimit), srv the
// server that accepted it, or nil. It must be called on the loop.
func newTransport(l *Loop, c byteStream, limit int, srv *Server) *transport {
	if limit <= 0 {
		limit = DefaultStreamLimit
	}
	reg := l.streamRegistry()
	t := &transport{loop: l, reg: reg, conn: c, server: srv, resume: make(chan struct{}, 1)}
	t.rWork.loop, t.wWork.loop = l, l
	t.reader = &StreamReader{loop: l, limit: limit, t: t}
	t.writer = &StreamWriter{t: t}
	polled := t.startPolling()
	if sc, ok := c.(syscall.Conn); ok && directWrites && !polled {
		if raw, err := sc.SyscallConn(); err == nil {
			t.raw, t.rawWrite = raw, t.writeOnce
		}
	}
	reg.conns[t] = struct{}{}
	t.pair()
	t.recount()
	if !polled {
		go t.readLoop()
	}
	return t
}

// recount brings the read side's outside work up to date with readerBusy,
// and the other end's writing with its writerBusy; it is called after
// anything they depend on changes.
func (t *transport) recount() {
	t.rWork.set(t.readerBusy())
	if t.peer != nil {
		t.peer.wWork.set(t.peer.writerBusy())
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
	raw := newRawReader(t.conn)
	var buf []byte // a stream without a rawReader is read into buf
	size := minReadSize
	inboxLimit := int64(2 * t.reader.limit)
	for {
		var data []byte
		var err error
		if raw != nil {
			data, err = raw.Read(size)
		} else {
			if len(buf) < size {
				buf = make([]byte, size)
			}
			var n int
			n, err = t.conn.Read(buf)
			if n > 0 {
				data = append([]byte(nil), buf[:n]...)
			}
		}
		n := len(data)
		if n == size && size < maxReadSize {
			size *= 2
		}
		park := err == nil && (t.queued.Add(int64(n)) > inboxLimit || t.pauseReq.Load())
		if t.loop.CallSoonThreadsafe(func() {
			t.queued.Add(-int64(len(data)))
			t.deliver(data, err, park)
		}) != nil {
			t.conn.Close() // the loop is gone (cannot happen while counted)
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

// deliver takes what the reader goroutine, or a polled read, read, on the
// loop; park says that the reader goroutine has parked.
func (t *transport) deliver(data []byte, err error, park bool) {
	if t.upgrading && t.rstate == reading {
		t.upgradeRead(data, err, park)
		return
	}
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
		if err == io.EOF && isReadPipe(t.conn) {
			// Nothing more can come, and nothing can be written: the pipe
			// closes, as Python's read pipe transport does at EOF.
			t.closeNow(true)
			return
		}
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

// upgradeRead is deliver while StartTLS stops the reader goroutine: what
// it read is the start of the TLS stream (and is not counted as received
// from a peer of the same loop, which counts what it sends in the clear).
// The goroutine does not park, so that it reaches its read deadline and
// ends, with that error or any other; StartTLS goes on from there.
func (t *transport) upgradeRead(data []byte, err error, park bool) {
	t.leftover = append(t.leftover, data...)
	switch {
	case err != nil:
		t.rstate = readDone
		t.upgradeWaiters.wakeAll()
	case park:
		t.resume <- struct{}{}
	}
	t.recount()
}

// pauseReading asks the reader goroutine to stop reading after its current
// read: Python's transport.pause_reading. A polled socket stops at once.
func (t *transport) pauseReading() {
	t.pauseReq.Store(true)
	if t.sock != nil && t.rstate == reading && !t.closed {
		t.rstate = parked
		t.recount()
	}
}

// resumeReading lets the reader goroutine read again: Python's
// transport.resume_reading.
func (t *transport) resumeReading() {
	t.pauseReq.Store(false)
	t.unpark()
}

func (t *transport) unpark() {
	if t.rstate == parked {
		t.rstate = reading
		if t.sock != nil {
			t.scheduleRead()
		} else {
			t.resume <- struct{}{}
		}
		t.recount()
	}
}

// bufferSize is what is written but not yet accepted by the stream:
// Python's transport.get_write_buffer_size().
func (t *transport) bufferSize() int { return len(t.pending) + t.inflight + len(t.held) }

// directWrites says whether a loop may write to a socket or a pipe itself,
// once, when nothing is queued (see tryWrite): on Unix, where a socket's
// descriptor is non-blocking, and so is the end of an os.Pipe that this
// process keeps, so that write(2) never waits. Elsewhere every write goes
// through a writer goroutine.
var directWrites = runtime.GOOS != "windows" && runtime.GOOS != "plan9" && runtime.GOOS != "js" && runtime.GOOS != "wasip1"

// tryWrite makes one non-blocking write of p to the socket, on the loop,
// and returns how much the socket took: all of p, unless the socket's
// buffer is full. It saves the writer goroutine, two hand-overs, for the
// common small write; Python's transport.write tries sock.send first in the
// same way.
func (t *transport) tryWrite(p []byte) (int, error) {
	if t.sock != nil {
		n, err := t.sock.Write(p)
		if err == syscall.EAGAIN {
			err = nil
		}
		if t.tlsc == nil { // TLS counts what it is given (see transmit)
			t.sent += int64(n)
			t.recountPeer()
		}
		return n, err
	}
	t.rawBuf = p
	err := t.raw.Write(t.rawWrite)
	n, werr := t.rawN, t.rawErr
	t.rawBuf, t.rawErr = nil, nil
	if err != nil {
		return 0, err
	}
	if werr == syscall.EAGAIN || werr == syscall.EINTR {
		werr = nil
	}
	if werr != nil {
		werr = os.NewSyscallError("write", werr)
		if local, remote := streamAddrs(t.conn); local != nil {
			werr = &net.OpError{Op: "write", Net: local.Network(), Source: local, Addr: remote, Err: werr}
		}
	}
	t.sent += int64(n)
	t.recountPeer()
	return n, werr
}

// writeOnce is tryWrite's callback to syscall.RawConn.Write: one write(2),
// and done, whatever it returned.
func (t *transport) writeOnce(fd uintptr) bool {
	n, err := sysIO(syscall.Write, fd, t.rawBuf)
	t.rawN, t.rawErr = max(n, 0), err
	return true
}

// sysIO calls syscall.Write or syscall.Read, whose descriptor is an int on
// Unix and a Handle on Windows, with the descriptor a RawConn hands out.
func sysIO[FD ~int | ~uintptr](call func(FD, []byte) (int, error), fd uintptr, p []byte) (int, error) {
	return call(FD(fd), p)
}

// startWrite hands everything pending to a new writer goroutine, as one
// batch, or, for a polled socket, leaves it for flush. Either counts as
// outside work until it is written.
func (t *transport) startWrite() {
	if t.sock != nil {
		t.writing = true
		t.wWork.set(t.writerBusy())
		return
	}
	batch := t.pending
	t.pending, t.spare = t.spare, nil
	t.inflight = len(batch)
	t.writing = true
	t.wWork.set(outsideWork)
	go t.writeBatch(batch)
}

// writeBatch is a writer goroutine: it writes batch to the stream, a chunk
// at a time, and reports each chunk to the loop; the last report hands the
// batch back and ends its outside work. A goroutine per batch, rather than
// one per connection waiting for work, costs about the same to wake and
// leaves nothing to stop when the connection closes.
func (t *transport) writeBatch(batch []byte) {
	for off := 0; ; {
		end := min(len(batch), off+writeChunk)
		n, err := t.conn.Write(batch[off:end])
		off += n
		last := err != nil || off == len(batch)
		var done []byte
		if last {
			done = batch
		}
		if t.loop.CallSoonThreadsafe(func() { t.onWritten(n, err, done, last) }) != nil {
			return // the loop is gone (cannot happen while counted)
		}
		if last {
			return
		}
	}
}

// onWritten takes a writer goroutine's report, on the loop.
func (t *transport) onWritten(n int, err error, batch []byte, last bool) {
	t.inflight -= n
	t.sent += int64(n)
	t.recountPeer()
	if last {
		t.writing = false
		t.inflight = 0
		t.wWork.set(noWork)
		if cap(batch) <= 2*writeHighWater {
			t.spare = batch[:0]
		}
		t.upgradeWaiters.wakeAll()
	}
	if err != nil && !t.closed {
		t.lose(err)
	}
	t.afterWrite(last)
}

// afterWrite goes on once the stream has taken more of what was written;
// idle says that nothing is on its way to it any more.
func (t *transport) afterWrite(idle bool) {
	switch {
	case !idle || t.closed:
	case len(t.pending) > 0:
		t.startWrite()
	case t.closing:
		t.closeNow(true)
	case t.eofRequested && !t.finSent:
		if err := t.shutdownWrite(); err != nil {
			t.lose(err)
		}
	}
	if t.writePaused && t.bufferSize() <= writeLowWater {
		t.writePaused = false
		t.wakeDrainers()
	}
	t.maybeFinish()
}

// errNoWriteEOF is WriteEOF's error on a connection that cannot close its
// write half alone.
var errNoWriteEOF = fmt.Errorf("asyncio.StreamWriter.WriteEOF: the connection cannot close its write half alone: %w", errors.ErrUnsupported)

// shutdownWrite shuts down the stream's write half: the peer reads EOF.
func (t *transport) shutdownWrite() error {
	cw, ok := t.conn.(closeWriter)
	if !ok {
		return errNoWriteEOF
	}
	t.finSent = true
	t.recountPeer()
	return cw.CloseWrite()
}

// wakeDrainers releases the tasks waiting in Drain: with nil once the
// buffer is down to the low-water mark or the connection is closed cleanly,
// with the connection's I/O error if one ended it.
func (t *transport) wakeDrainers() {
	var err error
	if t.closed {
		err = t.lostErr
	}
	t.drainers.finishAll(err)
}

// closeNow closes the stream: the reader goroutine's read fails, and comes
// back as EOF (or as lostErr, if set). It is Python's
// _call_connection_lost, for Close after the last write (graceful), and for
// abort. A stream whose graceful close writes (TLS's close_notify, which
// may wait for a peer that does not read) is closed on a goroutine,
// counted as the writer's, and an abort cuts that close short.
func (t *transport) closeNow(graceful bool) {
	ac, slow := t.conn.(abortCloser)
	if t.closed {
		if !graceful && t.bgClose {
			ac.abortClose()
		}
		return
	}
	if graceful && t.tlsc != nil {
		// close_notify, as far as the socket takes it now.
		_ = t.tlsc.CloseWrite()
	}
	t.closed, t.finSent = true, true
	switch {
	case t.sock != nil:
		// What was not written is dropped, and the read ends.
		t.stopPolling()
		t.writing = false
		t.wWork.set(noWork)
		t.scheduleRead()
		t.sock.Close()
	case !slow:
		t.conn.Close()
	case !graceful:
		ac.abortClose()
	default:
		t.bgClose, t.writing = true, true
		t.wWork.set(outsideWork)
		go func() {
			t.conn.Close()
			_ = t.loop.CallSoonThreadsafe(t.onClosed) // counted: the loop is there
		}()
	}
	t.unpark()
	t.recount()
	t.recountPeer()
	t.wakeDrainers()
	t.upgradeWaiters.wakeAll()
	t.maybeFinish()
}

// abortCloser is a stream whose abort closes it at once, where its Close
// may take time: a tlsStream.
type abortCloser interface{ abortClose() error }

// onClosed takes the end of a close made on a goroutine, on the loop.
func (t *transport) onClosed() {
	t.bgClose, t.writing = false, false
	t.wWork.set(noWork)
	t.maybeFinish()
}

// abort closes the connection at once, dropping what is not yet written:
// Python's transport.abort(). err, if not nil, is why.
func (t *transport) abort(err error) {
	if t.closed {
		t.closeNow(false)
		return
	}
	t.closing = true
	if t.lostErr == nil {
		t.lostErr = err
	}
	t.pending, t.held = nil, nil
	t.closeNow(false)
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
	if t.finished || !t.closed || t.rstate != readDone || t.writing || t.upgrading {
		return
	}
	t.finished = true
	delete(t.reg.conns, t)
	t.unpair()
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
	local, remote := streamAddrs(t.conn)
	if local == nil {
		return fmt.Sprintf("<connection pipe %s>", state)
	}
	return fmt.Sprintf("<connection %v->%v %s>", local, remote, state)
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
