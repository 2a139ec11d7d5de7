package asyncio

import (
	"errors"
	"fmt"
	"net"
)

// The write buffer's flow-control marks, Python's defaults: once more than
// writeHighWater bytes wait to be written, Drain suspends its caller until
// no more than writeLowWater do.
const (
	writeHighWater = 64 << 10
	writeLowWater  = writeHighWater / 4
)

// writeChunk is the most a writer goroutine hands to one conn.Write: after
// each, it reports its progress, so that a large buffer drains (and wakes
// Drain) piece by piece rather than all at once at the end.
const writeChunk = 64 << 10

// A StreamWriter is the writing half of a connection: Python's
// asyncio.StreamWriter. Write returns at once: it hands the data to the
// socket if the socket takes it without waiting, as Python's transport
// does, and buffers the rest, which is written in the background. Drain is
// the flow control that keeps the buffer from growing without bound. Close
// closes the connection, after writing what is buffered.
//
// On Linux the loop does a TCP or Unix connection's I/O itself, TLS
// included (its handshake excepted), as Python's selector loop does: its
// poller (epoll) says when the socket has data, or room for the buffer, and
// the loop reads or writes on its own goroutine, so that an idle connection
// costs no goroutine. A child process's pipes, and every connection on
// other systems, have a goroutine that reads, and one that writes a buffer
// the stream did not take at once; each hands its results to the loop.
//
// It is made by OpenConnection or StartServer. Its methods must be called
// on its loop's goroutine, that is, from tasks and callbacks.
type StreamWriter struct {
	_ noCopy
	t *transport
}

// Write writes p to the socket, or buffers a copy of what the socket does
// not take at once, and returns len(p): Python's writer.write(data), which
// is not a coroutine and does not wait. Call Drain after writing to wait
// for the buffer to go down. p may be reused as soon as Write returns.
//
// Writing to a connection that is closing or lost returns 0 and an error:
// the I/O error that ended the connection, or one wrapping net.ErrClosed
// (Python ignores such writes). So does writing after WriteEOF. A write
// that fails returns what was written and the error, and loses the
// connection. A StreamWriter is an io.Writer, so fmt.Fprintf works on it.
func (w *StreamWriter) Write(p []byte) (int, error) { return write(w.t, p) }

// WriteString is Write for a string: it makes StreamWriter an
// io.StringWriter.
func (w *StreamWriter) WriteString(s string) (int, error) { return write(w.t, []byte(s)) }

func write(t *transport, p []byte) (int, error) {
	total := len(p)
	switch {
	case t.closing || t.closed:
		return 0, t.connError()
	case t.eofRequested:
		return 0, errWriteAfterEOF
	case len(p) == 0:
		return 0, nil
	case t.upgrading:
		t.held = append(t.held, p...)
		if t.bufferSize() > writeHighWater {
			t.writePaused = true
		}
		return total, nil
	}
	return t.transmit(p)
}

// transmit sends p on its way: through TLS over the loop's socket, whose
// records go through send, or straight to send.
func (t *transport) transmit(p []byte) (int, error) {
	if t.tlsc == nil {
		return t.send(p)
	}
	if _, err := t.tlsc.Write(p); err != nil {
		t.lose(err)
		return 0, err
	}
	t.sent += int64(len(p))
	t.recountPeer()
	return len(p), nil
}

// send writes p to the stream, as far as it takes p at once, and queues the
// rest for the writer goroutine, or for flush; it returns len(p), or what
// was written and the error that lost the connection.
func (t *transport) send(p []byte) (int, error) {
	total := len(p)
	if !t.writing && (t.raw != nil || t.sock != nil) {
		// Nothing is queued: try the socket first, as Python's transport
		// does, and queue only what it does not take.
		n, err := t.tryWrite(p)
		if err != nil {
			t.lose(err)
			return n, err
		}
		if n == len(p) {
			return n, nil
		}
		p = p[n:]
	}
	t.pending = append(t.pending, p...)
	if !t.writing {
		t.startWrite()
	}
	if t.bufferSize() > writeHighWater {
		t.writePaused = true
	}
	return total, nil
}

var errWriteAfterEOF = errors.New("asyncio.StreamWriter.Write: write after WriteEOF")

// Drain suspends the task running a while the write buffer is above its
// high-water mark (64 KiB), until it is down to the low-water mark (16 KiB):
// Python's await writer.drain(). It returns at once if the buffer is small
// enough. Other tasks run meanwhile; a slow peer makes a writer that drains
// after every write wait for it, instead of buffering without bound.
//
// Drain returns the connection's error: the read error the StreamReader
// holds, the I/O error that ended the connection, or, once the connection is
// closed, an error wrapping net.ErrClosed. If the task is cancelled while it
// waits, Drain returns the *CanceledError and nothing buffered is lost.
func (w *StreamWriter) Drain(a *A) error {
	t := w.t
	if err := t.reader.Exception(); err != nil {
		return err
	}
	if t.closing || t.closed {
		// As Python does: yield, so that a task that writes and drains in a
		// loop lets the connection's end be processed, and sees its error.
		if err := Sleep(a, 0); err != nil {
			return err
		}
	}
	if t.closed {
		return t.connError()
	}
	if !t.writePaused {
		return nil
	}
	dw := t.drainers.add(t.loop, "StreamWriter", "Drain")
	dw.reason = drainReason{t}
	err := dw.await(a)
	dw.retire()
	return err
}

// Close closes the connection once everything buffered is written: Python's
// writer.close(). It does not wait; WaitClosed does. Reading stops when the
// socket is closed: a task blocked in a Read of the same connection sees
// EOF. Calling Close again does nothing. It always returns nil (the outcome
// comes from WaitClosed); it returns an error so that a StreamWriter is an
// io.WriteCloser.
func (w *StreamWriter) Close() error {
	t := w.t
	if t.closing || t.closed {
		return nil
	}
	t.closing = true
	if !t.writing {
		t.closeNow(true)
	}
	return nil
}

// Abort closes the connection at once, dropping whatever is buffered and
// not yet written: Python's writer.transport.abort(). It is how a server
// drops one client that stopped reading, whose Close would wait for a
// flush that never comes; it works after Close too. It does not wait: a
// WaitClosed after it returns as soon as the connection's goroutines have
// seen the close, without waiting for the peer, and returns nil (an I/O
// error that ended the connection earlier stays its outcome). Reading stops
// as after Close: a task blocked in a Read sees EOF. Writes after it return
// an error wrapping net.ErrClosed. On a closed connection it does nothing.
func (w *StreamWriter) Abort() { w.t.abort(nil) }

// IsClosing reports whether the connection is closed or being closed:
// Python's writer.is_closing().
func (w *StreamWriter) IsClosing() bool { return w.t.closing || w.t.closed }

// WaitClosed suspends the task running a until the connection is closed
// (after Close, or after an I/O error) and its goroutines have ended:
// Python's await writer.wait_closed(). It returns the I/O error that closed
// the connection, if one did. A cancelled WaitClosed leaves the connection
// as it was (in Python it cancels the future that every wait_closed of the
// connection awaits).
func (w *StreamWriter) WaitClosed(a *A) error {
	t := w.t
	if t.finished {
		return t.lostErr
	}
	cw := t.closeWaiters.add(t.loop, "StreamWriter", "WaitClosed")
	cw.reason = t
	err := cw.await(a)
	cw.retire()
	return err
}

// WriteEOF closes the write half of the connection once everything buffered
// is written, so that the peer reads EOF, while reading goes on: Python's
// writer.write_eof(). Write after WriteEOF returns an error. Calling it
// again does nothing; on a closed connection it returns the connection's
// error. A connection that cannot close its write half alone (TLS, see
// CanWriteEOF) refuses at once with an error wrapping errors.ErrUnsupported,
// as Python's SSL transport refuses write_eof.
func (w *StreamWriter) WriteEOF() error {
	t := w.t
	if t.closing || t.closed {
		return t.connError()
	}
	if !w.CanWriteEOF() {
		return errNoWriteEOF
	}
	if t.eofRequested {
		return nil
	}
	t.eofRequested = true
	if !t.writing {
		return t.shutdownWrite()
	}
	return nil
}

// CanWriteEOF reports whether WriteEOF is supported: Python's
// writer.can_write_eof(). It is for TCP connections.
func (w *StreamWriter) CanWriteEOF() bool {
	_, ok := w.t.conn.(closeWriter)
	return ok
}

// LocalAddr returns the connection's own address: Python's
// writer.get_extra_info("sockname"). It is nil for a stream without
// addresses (a pair of pipes).
func (w *StreamWriter) LocalAddr() net.Addr {
	local, _ := streamAddrs(w.t.conn)
	return local
}

// RemoteAddr returns the address of the connection's other end: Python's
// writer.get_extra_info("peername"). It is nil for a stream without
// addresses (a pair of pipes).
func (w *StreamWriter) RemoteAddr() net.Addr {
	_, remote := streamAddrs(w.t.conn)
	return remote
}

// String describes the connection for diagnostics.
func (w *StreamWriter) String() string { return w.t.String() }

// drainReason is what a task in Drain waits for, for diagnostics.
type drainReason struct{ t *transport }

func (d drainReason) String() string {
	return fmt.Sprintf("the drain of %v (%d bytes buffered)", d.t, d.t.bufferSize())
}
