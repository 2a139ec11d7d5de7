package asyncio

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// DefaultStreamLimit is a StreamReader's buffer limit unless
// WithStreamLimit says otherwise, 64 KiB: Python's _DEFAULT_LIMIT.
const DefaultStreamLimit = 64 << 10

// A StreamReader is the reading half of a connection: Python's
// asyncio.StreamReader. The loop reads from the socket into the reader's
// buffer as data comes (see StreamWriter for how); Read, ReadLine,
// ReadExactly and ReadUntil take
// data from the buffer, suspending the calling task while there is not
// enough. The buffer is bounded by flow control: once it holds more than
// twice the limit and no task is waiting for data, the socket is not read
// until a task has taken it down to the limit.
//
// The end of the stream is reported as io.EOF, where Python returns b"":
// Read and ReadLine return (nil, io.EOF) once the buffer is empty and EOF
// was received. ReadExactly and ReadUntil report a stream that ends too
// early with an *IncompleteReadError, which also matches io.EOF.
//
// Unlike Python, a reader whose connection failed (reset by the peer, say)
// first hands out the data it buffered, and then returns the error where
// it would have returned EOF: a partial line comes out of ReadLine as at
// EOF, and the partial data of ReadUntil and ReadExactly comes in their
// *IncompleteReadError, whose Err is then the connection's error.
//
// Cancelling a task suspended in a read takes nothing from the buffer: the
// data is there for the next read. Only one task may wait for data at a
// time: a second one panics, where Python raises RuntimeError. The methods
// must be called on the reader's loop's goroutine.
type StreamReader struct {
	_     noCopy
	loop  *Loop
	limit int
	t     *transport // nil for a reader fed by hand

	buf    []byte
	eof    bool
	exc    error
	paused bool      // the transport is paused by flow control
	all    bool      // a task reads to the end (Read(a, -1)): no pause
	waiter waitQueue // the waiting task's, until it resumes: one at most
}

// NewStreamReader returns a reader attached to no connection, on loop l,
// with buffer limit limit (≤ 0: DefaultStreamLimit): Python's
// StreamReader(limit). Its data comes from FeedData and FeedEOF, which is
// how protocols and tests drive it.
func NewStreamReader(l *Loop, limit int) *StreamReader {
	if limit <= 0 {
		limit = DefaultStreamLimit
	}
	return &StreamReader{loop: l, limit: limit}
}

// An IncompleteReadError is the error of ReadExactly, and of ReadUntil,
// when the stream ends before the read is complete: Python's
// asyncio.IncompleteReadError. The partial data is taken from the buffer.
// At the end of the stream it matches io.EOF (Python's IncompleteReadError
// is an EOFError) and io.ErrUnexpectedEOF (io.ReadFull's error in the same
// case) with errors.Is. When the connection failed instead, with data
// buffered, Err holds its error: the IncompleteReadError wraps it, and
// matches neither io.EOF nor io.ErrUnexpectedEOF.
type IncompleteReadError struct {
	// Partial is what was read before the end of the stream.
	Partial []byte
	// Expected is the number of bytes ReadExactly wanted, or -1 for a
	// ReadUntil (Python's None).
	Expected int
	// Err is the error the connection failed with, or nil if the stream
	// ended.
	Err error
}

// Error says how many bytes were read out of how many, and why no more
// came if the connection failed.
func (e *IncompleteReadError) Error() string {
	expected := "undefined"
	if e.Expected >= 0 {
		expected = fmt.Sprint(e.Expected)
	}
	msg := fmt.Sprintf("asyncio: %d bytes read on a total of %s expected bytes", len(e.Partial), expected)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Is reports whether target is io.EOF or io.ErrUnexpectedEOF, for a stream
// that ended (Err is nil).
func (e *IncompleteReadError) Is(target error) bool {
	return e.Err == nil && (target == io.EOF || target == io.ErrUnexpectedEOF)
}

// Unwrap returns Err.
func (e *IncompleteReadError) Unwrap() error { return e.Err }

// A LimitOverrunError is the error of ReadUntil and ReadLine when the
// separator is not within the reader's limit: Python's
// asyncio.LimitOverrunError. ReadUntil leaves the data in the buffer;
// ReadLine discards it, up to and including the newline if it has arrived.
type LimitOverrunError struct {
	// Message says whether the separator was found.
	Message string
	// Consumed is the number of bytes to take from the buffer to get past
	// the overrun.
	Consumed int
}

// Error returns the message.
func (e *LimitOverrunError) Error() string { return "asyncio: " + e.Message }

// Read reads up to n bytes: Python's await reader.read(n). If the buffer is
// empty it waits for data first; then it returns what is buffered, up to n
// bytes, without waiting for more. At the end of the stream it returns
// (nil, io.EOF). Read(a, 0) returns at once with nothing.
//
// With n < 0 it reads until the end of the stream and returns all of it,
// with a nil error, as io.ReadAll does (or with the connection's error, after
// the data).
func (r *StreamReader) Read(a *A, n int) ([]byte, error) {
	if n == 0 {
		return nil, nil
	}
	if n < 0 {
		return r.readAll(a)
	}
	for len(r.buf) == 0 {
		if r.ended() {
			return nil, r.endError()
		}
		if err := r.waitForData(a, "Read"); err != nil {
			return nil, err
		}
	}
	return r.take(min(n, len(r.buf))), nil
}

// readAll is Read(a, -1). It takes the data block by block as it comes, as
// Python's read(-1) does, and joins the blocks once at the end, rather than
// growing the buffer by copying; and since all of it will be held anyway,
// it does not pause the connection on the way. If the task is cancelled
// the blocks go back to the buffer, as if nothing had been read.
func (r *StreamReader) readAll(a *A) ([]byte, error) {
	r.all = true
	defer func() { r.all = false }()
	var blocks [][]byte
	for {
		if len(r.buf) > 0 {
			blocks = append(blocks, r.take(len(r.buf)))
		}
		if r.ended() {
			break
		}
		if err := r.waitForData(a, "Read"); err != nil {
			if len(blocks) > 0 {
				r.buf = bytes.Join(append(blocks, r.buf), nil)
			}
			return nil, err
		}
	}
	switch len(blocks) {
	case 0:
		return nil, r.exc
	case 1:
		return blocks[0], r.exc
	}
	return bytes.Join(blocks, nil), r.exc
}

// ReadLine reads one line, up to and including "\n": Python's await
// reader.readline(). If the stream ends first, it returns the partial line
// with a nil error, and once nothing is left, (nil, io.EOF) (or the
// connection's error, if it failed), so that
//
//	for {
//		line, err := r.ReadLine(a)  // while line := await reader.readline():
//		if err != nil { break }
//		...
//	}
//
// reads every line. A line longer than the limit is discarded, and a
// *LimitOverrunError returned (Python raises ValueError).
func (r *StreamReader) ReadLine(a *A) ([]byte, error) {
	line, err := r.ReadUntil(a, newline)
	switch e := err.(type) {
	case nil:
		return line, nil
	case *IncompleteReadError:
		if len(e.Partial) == 0 {
			return nil, io.EOF
		}
		return e.Partial, nil
	case *LimitOverrunError:
		if bytes.HasPrefix(r.buf[e.Consumed:], newline) {
			r.take(e.Consumed + len(newline))
		} else {
			r.take(len(r.buf))
		}
	}
	return nil, err
}

var newline = []byte{'\n'}

// ReadExactly reads exactly n bytes: Python's await reader.readexactly(n).
// It waits until n bytes are buffered. If the stream ends first, it takes
// what is there and returns an *IncompleteReadError holding it (and the
// connection's error, if it failed; with nothing buffered, that error is
// returned as it is). It panics if n is negative.
func (r *StreamReader) ReadExactly(a *A, n int) ([]byte, error) {
	if n < 0 {
		panic("asyncio.StreamReader.ReadExactly: negative count")
	}
	for len(r.buf) < n {
		if r.ended() {
			return nil, r.incomplete(n)
		}
		if err := r.waitForData(a, "ReadExactly"); err != nil {
			return nil, err
		}
	}
	return r.take(n), nil
}

// ReadUntil reads up to and including the separator sep: Python's await
// reader.readuntil(sep). It waits until sep is buffered. If the stream ends
// first, it takes what is there and returns an *IncompleteReadError holding
// it, as ReadExactly does. If sep is not found within the reader's limit,
// it returns a *LimitOverrunError and leaves the data in the buffer. It
// panics if sep is empty.
func (r *StreamReader) ReadUntil(a *A, sep []byte) ([]byte, error) {
	if len(sep) == 0 {
		panic("asyncio.StreamReader.ReadUntil: empty separator")
	}
	// offset is where the separator may start, given what was searched.
	offset := 0
	for {
		if i := bytes.Index(r.buf[offset:], sep); i >= 0 {
			offset += i
			break
		}
		offset = max(0, len(r.buf)+1-len(sep))
		if offset > r.limit {
			return nil, &LimitOverrunError{"separator is not found, and chunk exceeds the limit", offset}
		}
		if r.ended() {
			return nil, r.incomplete(-1)
		}
		if err := r.waitForData(a, "ReadUntil"); err != nil {
			return nil, err
		}
	}
	if offset > r.limit {
		return nil, &LimitOverrunError{"separator is found, but chunk is longer than limit", offset}
	}
	return r.take(offset + len(sep)), nil
}

// AtEOF reports whether the buffer is empty and no more data will come:
// Python's reader.at_eof(), also true after the connection failed.
func (r *StreamReader) AtEOF() bool { return r.ended() && len(r.buf) == 0 }

// Exception returns the error the connection failed with, or nil: Python's
// reader.exception().
func (r *StreamReader) Exception() error { return r.exc }

// SetException records that the stream failed with err: no more data will
// come, and once the buffered data is read, reads return err. A task
// waiting for data is woken. Python's reader.set_exception(err).
func (r *StreamReader) SetException(err error) {
	r.exc = err
	r.wakeWaiter()
}

// FeedData adds a copy of p to the buffer and wakes a task waiting for
// data: Python's reader.feed_data(p). It panics after FeedEOF.
func (r *StreamReader) FeedData(p []byte) {
	if r.eof {
		panic("asyncio.StreamReader.FeedData: data after FeedEOF")
	}
	if len(p) > 0 {
		r.feed(bytes.Clone(p))
	}
}

// FeedEOF records the end of the stream and wakes a task waiting for data:
// Python's reader.feed_eof(). Calling it again does nothing.
func (r *StreamReader) FeedEOF() {
	r.eof = true
	r.wakeWaiter()
}

// ended reports whether no more data will come.
func (r *StreamReader) ended() bool { return r.eof || r.exc != nil }

// incomplete is the error of a ReadExactly (expected bytes) or ReadUntil
// (expected -1) that the end of the stream cut short: an
// *IncompleteReadError that takes what is buffered, with the connection's
// error if it failed. A failed connection with nothing buffered has nothing
// to hand out: its error is returned as it is, as Read returns it.
func (r *StreamReader) incomplete(expected int) error {
	if r.exc != nil && len(r.buf) == 0 {
		return r.exc
	}
	return &IncompleteReadError{Partial: r.take(len(r.buf)), Expected: expected, Err: r.exc}
}

// endError is what a read returns at the end of the stream.
func (r *StreamReader) endError() error {
	if r.exc != nil {
		return r.exc
	}
	return io.EOF
}

// feed appends p to the buffer, which takes p over, and pauses the
// connection if the buffer is over twice the limit and no task is about to
// read it.
func (r *StreamReader) feed(p []byte) {
	if len(r.buf) == 0 {
		r.buf = p
	} else {
		r.buf = append(r.buf, p...)
	}
	r.wakeWaiter()
	if r.t != nil && !r.paused && !r.all && len(r.buf) > 2*r.limit && (r.waiter.len() == 0 || r.waiter.head.done()) {
		r.paused = true
		r.t.pauseReading()
	}
}

// take removes the first n bytes of the buffer and returns them. The
// caller gets the buffer's own memory, capped so that appending to it
// cannot reach what is still buffered; the reader never writes behind its
// read position, so the two never share a byte.
func (r *StreamReader) take(n int) []byte {
	if n == 0 {
		return nil
	}
	p := r.buf[:n:n]
	r.buf = r.buf[n:]
	if len(r.buf) == 0 {
		r.buf = nil
	}
	if r.paused && len(r.buf) <= r.limit {
		r.paused = false
		r.t.resumeReading()
	}
	return p
}

// waitForData suspends the task running a until data arrives, the stream
// ends, or the task is cancelled: Python's _wait_for_data.
func (r *StreamReader) waitForData(a *A, method string) error {
	if r.waiter.len() > 0 {
		panic("asyncio.StreamReader." + method + ": another task is already waiting for data")
	}
	if r.paused {
		r.paused = false
		r.t.resumeReading()
	}
	w := r.waiter.add(r.loop, "StreamReader", method)
	w.reason = r
	defer w.retire() // also when the coroutine is closed here
	return w.await(a)
}

// String describes the reader for diagnostics, as Python's repr does: what
// it holds, and its connection.
func (r *StreamReader) String() string {
	info := []string{"StreamReader"}
	if len(r.buf) > 0 {
		info = append(info, fmt.Sprintf("%d bytes", len(r.buf)))
	}
	if r.eof {
		info = append(info, "eof")
	}
	if r.limit != DefaultStreamLimit {
		info = append(info, fmt.Sprintf("limit=%d", r.limit))
	}
	if r.exc != nil {
		info = append(info, fmt.Sprintf("exception=%q", r.exc))
	}
	if r.t != nil {
		info = append(info, "transport="+r.t.String())
	}
	if r.paused {
		info = append(info, "paused")
	}
	return "<" + strings.Join(info, " ") + ">"
}

func (r *StreamReader) wakeWaiter() {
	r.waiter.wakeAll()
}
