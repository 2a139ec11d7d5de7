package asyncio

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultDatagramQueue is how many received datagrams an endpoint holds for
// RecvFrom, and how many it holds for sending, unless WithDatagramQueue
// says otherwise.
const DefaultDatagramQueue = 256

// maxDatagramSize is the largest UDP payload there is: the size of the
// buffer datagrams are received into.
const maxDatagramSize = 64 << 10

// ErrEndpointClosed is the error of RecvFrom and SendTo on a closed
// DatagramEndpoint, and of a RecvFrom waiting when it is closed. It wraps
// net.ErrClosed.
var ErrEndpointClosed = fmt.Errorf("asyncio: datagram endpoint is closed: %w", net.ErrClosed)

// ErrSendQueueFull is the error of a SendTo that the endpoint cannot queue:
// the socket did not take the datagram at once and the send queue is full.
// The datagram is dropped, as an OS drops a datagram it has no buffer for
// (ENOBUFS).
var ErrSendQueueFull = errors.New("asyncio: datagram send queue is full")

// A DatagramOption configures CreateDatagramEndpoint. Only this package
// makes them; see also SocketOption.
type DatagramOption interface {
	applyDatagram(*datagramConfig)
}

type datagramConfig struct {
	queue int
	sock  socketConfig
}

type datagramOptionFunc func(*datagramConfig)

func (f datagramOptionFunc) applyDatagram(c *datagramConfig) { f(c) }

// WithRemoteAddr connects a datagram endpoint to host:port: Python's
// remote_addr=(host, port). The endpoint then sends there by default and
// receives only what comes from there.
func WithRemoteAddr(host string, port int) DatagramOption {
	address := net.JoinHostPort(host, strconv.Itoa(port))
	return datagramOptionFunc(func(c *datagramConfig) { c.sock.remoteAddr = address })
}

// WithAllowBroadcast lets a datagram endpoint send to broadcast addresses
// (SO_BROADCAST): Python's allow_broadcast=True. Without it, on Unix, an
// endpoint cannot, as in Python (Go's own UDP sockets can); elsewhere than
// on Unix Go's default stands, and every endpoint can.
func WithAllowBroadcast() DatagramOption {
	return datagramOptionFunc(func(c *datagramConfig) { c.sock.broadcast = true })
}

// WithDatagramQueue sets how many datagrams an endpoint holds: n received
// and not yet taken by RecvFrom, and n waiting to be sent. A datagram that
// arrives while n are held is dropped and counted (see Dropped). It panics
// if n < 1.
func WithDatagramQueue(n int) DatagramOption {
	if n < 1 {
		panic("asyncio.WithDatagramQueue: queue must hold at least 1 datagram, got " + strconv.Itoa(n))
	}
	return datagramOptionFunc(func(c *datagramConfig) { c.queue = n })
}

// A DatagramEndpoint is a UDP socket of a loop: Python's
// DatagramTransport with its DatagramProtocol, as
// loop.create_datagram_endpoint returns them, turned into calls a task
// awaits. Create one with CreateDatagramEndpoint. Except Dropped, its
// methods must be called on its loop's goroutine.
//
// Datagrams are received into a queue of fixed size; RecvFrom takes them in
// the order they came. On Linux the loop receives them itself: its poller
// says when the socket has some, and the loop reads them on its own
// goroutine, as Python's selector loop does (see datagram_polled.go), so
// that an endpoint holds no goroutine. Elsewhere a goroutine receives,
// handing each datagram to the loop through its inbox.
// When datagrams arrive faster than tasks take them, memory stays bounded:
// once the queue (with what is on its way to it) holds WithDatagramQueue
// datagrams (DefaultDatagramQueue), those that arrive are dropped and
// counted, as the OS drops those its socket buffer has no room for. Python
// has no such bound: its protocol's datagram_received is called for every
// datagram, and a protocol that queues them queues without limit.
//
// SendTo never blocks the loop: it sends at once if the socket takes the
// datagram (on Unix the loop makes one non-blocking send itself), and
// otherwise queues it: on Linux the loop sends it when its poller says the
// socket has room, elsewhere a goroutine sends it.
//
// The endpoint is outside work while a task waits in RecvFrom (anything may
// come), while queued datagrams wait to be sent, and while its goroutines
// finish after Close; an endpoint nobody waits on keeps no idle loop from
// being reported as a deadlock or a stall (see Run). Whatever is open when
// Run returns is closed then, its socket too, and its goroutines have
// ended.
type DatagramEndpoint struct {
	_      noCopy
	loop   *Loop
	conn   *net.UDPConn
	local  netip.AddrPort
	remote netip.AddrPort // the zero AddrPort if not connected

	// The receive side: the receiver (the loop or the goroutine) drops
	// datagrams once held reaches limit; held counts the datagrams handed
	// to the inbox or queued, not yet taken.
	limit    int
	held     atomic.Int64
	dropped  atomic.Int64
	stopping atomic.Bool // Close asked the receive goroutine to stop
	queue    []received  // from qhead on: the datagrams RecvFrom takes next
	qhead    int
	waiters  waitQueue // the tasks in RecvFrom
	recvDone bool      // receiving has ended: the goroutine has come back, or, polled, Close was called
	recvWork *external // the receiver, while it counts (see readerBusy)
	sendWork *external // a send goroutine, or polled, sends queued: known to end soon

	// Where the loop polls the socket (see datagram_polled.go): conn is
	// nil, and fd the endpoint's own descriptor.
	polled     bool
	fd         int
	inet6      bool     // the socket is AF_INET6
	sa         sockaddr // the room of the address of a send
	readable   bool     // the poller said datagrams came, and recvfrom has not found none since
	recvQueued bool     // pollRecv is in the ready queue
	recvCB     callback // pollRecv

	// The send side: datagrams the socket did not take at once, and,
	// where a goroutine receives, the direct sends (datagram_unix.go).
	outq    []outgoing
	sending bool // a send goroutine holds a batch
	direct  directSender

	// The receive goroutine's hand-over: it appends to incoming and, if
	// incoming was empty, schedules takeIncoming through the inbox, so that
	// a datagram costs no closure, and those that come while the loop is
	// busy travel together.
	incoming struct {
		sync.Mutex
		items []received
		spare []received
	}
	takeIncoming func()

	closed   bool // Close called
	sockShut bool // the socket is closed
}

// A received datagram, or an error the socket reported instead (Python's
// error_received).
type received struct {
	data []byte
	from netip.AddrPort
	err  error
}

// An outgoing datagram: to is the zero AddrPort for the remote address.
type outgoing struct {
	data []byte
	to   netip.AddrPort
}

// CreateDatagramEndpoint opens a UDP socket: Python's
//
//	transport, protocol = await loop.create_datagram_endpoint(
//	    factory, local_addr=(host, port), remote_addr=(host, port))
//
// WithLocalAddr binds it (port 0 picks a free port; see LocalAddr);
// WithRemoteAddr connects it, so that it sends there by default and
// receives only from there. At least one of the two must be given (it
// panics otherwise); with only a remote address, the system picks the local
// one. Other options: WithReusePort, WithAllowBroadcast, WithDatagramQueue.
// It panics on WithReuseAddress(true), which Python refuses too (since 3.8.1:
// on UDP, SO_REUSEADDR lets any other socket bind the port and take its
// datagrams).
//
// Name resolution and the bind run on their own goroutine, as
// OpenConnection's dial; a cancelled CreateDatagramEndpoint leaves no
// socket open. Close the endpoint when done.
func CreateDatagramEndpoint(a *A, opts ...DatagramOption) (*DatagramEndpoint, error) {
	t, err := currentTask(a)
	if err != nil {
		return nil, err
	}
	cfg := &datagramConfig{queue: DefaultDatagramQueue, sock: socketConfig{datagram: true}}
	for _, o := range opts {
		o.applyDatagram(cfg)
	}
	sc := &cfg.sock
	if sc.localAddr == "" && sc.remoteAddr == "" {
		panic("asyncio.CreateDatagramEndpoint: neither WithLocalAddr nor WithRemoteAddr given")
	}
	if sc.reuseAddress > 0 {
		panic("asyncio.CreateDatagramEndpoint: WithReuseAddress(true) would let another socket take this port's datagrams; use WithReusePort")
	}
	if err := sc.check(); err != nil {
		return nil, fmt.Errorf("asyncio.CreateDatagramEndpoint: %w", err)
	}
	local := hostLocal(sc.localAddr) && hostLocal(sc.remoteAddr)
	conn, err := awaitOutside(a, t.loop, local, func(ctx context.Context) (*net.UDPConn, error) {
		if sc.remoteAddr == "" {
			lc := sc.listenConfig()
			pc, err := lc.ListenPacket(ctx, "udp", sc.localAddr)
			if err != nil {
				return nil, err
			}
			return pc.(*net.UDPConn), nil
		}
		d, err := sc.dialer(ctx, "udp")
		if err != nil {
			return nil, err
		}
		c, err := d.DialContext(ctx, "udp", sc.remoteAddr)
		if err != nil {
			return nil, err
		}
		return c.(*net.UDPConn), nil
	})
	if err != nil {
		return nil, err
	}
	return newDatagramEndpoint(t.loop, conn, cfg.queue), nil
}

// hostLocal reports whether the host of a host:port ("" for none) needs no
// network to resolve.
func hostLocal(address string) bool {
	if address == "" {
		return true
	}
	host, _, err := net.SplitHostPort(address)
	return err == nil && listensLocally(host)
}

func newDatagramEndpoint(l *Loop, conn *net.UDPConn, limit int) *DatagramEndpoint {
	e := &DatagramEndpoint{loop: l, conn: conn, limit: limit, recvWork: newExternal(l, noWork), sendWork: newExternal(l, noWork)}
	e.local = udpAddrPort(conn.LocalAddr())
	if ra := conn.RemoteAddr(); ra != nil {
		e.remote = udpAddrPort(ra)
	}
	if l.datagrams == nil {
		l.datagrams = map[*DatagramEndpoint]struct{}{}
	}
	l.datagrams[e] = struct{}{}
	if e.startPolling() {
		return e
	}
	e.direct.init(conn)
	e.takeIncoming = e.takeIncomingOnLoop
	go e.receive()
	return e
}

// udpAddrPort returns a UDP address as a netip.AddrPort, IPv4 unmapped.
func udpAddrPort(a net.Addr) netip.AddrPort {
	ua, ok := a.(*net.UDPAddr)
	if !ok {
		return netip.AddrPort{}
	}
	ap := ua.AddrPort()
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}

// LocalAddr returns the address the endpoint is bound to: Python's
// transport.get_extra_info('sockname'). With port 0, its port is the one
// picked.
func (e *DatagramEndpoint) LocalAddr() netip.AddrPort { return e.local }

// RemoteAddr returns the address the endpoint is connected to (see
// WithRemoteAddr), or the zero AddrPort: Python's
// transport.get_extra_info('peername').
func (e *DatagramEndpoint) RemoteAddr() netip.AddrPort { return e.remote }

// Dropped returns how many received datagrams the endpoint has dropped
// because its queue was full (see DatagramEndpoint), with the errors of
// queued sends that found it full. It may be called from any goroutine.
// Datagrams the OS dropped before the endpoint saw them are not counted.
func (e *DatagramEndpoint) Dropped() int64 { return e.dropped.Load() }

// RecvFrom waits for a datagram and returns its payload and its sender:
// Python's DatagramProtocol.datagram_received, as an await. Datagrams come
// in the order they arrived; tasks waiting together are served in the order
// they started to wait (see WithSeed for a shuffled schedule). An error the
// socket reported instead of a datagram (an ICMP port unreachable after
// sending on a connected endpoint, say; Python's error_received) is
// returned once, in its place, with the endpoint still open. A cancelled
// RecvFrom takes nothing: the datagram stays for the next one. On a closed
// endpoint, and in a RecvFrom waiting when the endpoint is closed, it
// returns an error wrapping ErrEndpointClosed.
func (e *DatagramEndpoint) RecvFrom(a *A) ([]byte, netip.AddrPort, error) {
	t, err := currentTask(a)
	if err != nil {
		return nil, netip.AddrPort{}, fmt.Errorf("asyncio.DatagramEndpoint.RecvFrom: %w", err)
	}
	if t.loop != e.loop {
		return nil, netip.AddrPort{}, fmt.Errorf("asyncio.DatagramEndpoint.RecvFrom: %w", ErrDifferentLoop)
	}
	for e.queued() == 0 {
		if e.closed {
			return nil, netip.AddrPort{}, fmt.Errorf("asyncio.DatagramEndpoint.RecvFrom: %w", ErrEndpointClosed)
		}
		w := e.waiters.add(e.loop, "DatagramEndpoint", "RecvFrom")
		w.reason = e
		e.recount()
		err := w.await(a)
		woken := w.woken() && err != nil
		w.retire()
		e.recount()
		if err != nil {
			if woken && e.queued() > 0 {
				e.waiters.wakeNext() // pass on the datagram it was woken for
			}
			if errors.Is(err, ErrEndpointClosed) {
				err = fmt.Errorf("asyncio.DatagramEndpoint.RecvFrom: %w", err)
			}
			return nil, netip.AddrPort{}, err
		}
	}
	d := e.queue[e.qhead]
	e.queue[e.qhead] = received{}
	e.qhead++
	if e.qhead == len(e.queue) {
		e.queue, e.qhead = e.queue[:0], 0
	}
	e.held.Add(-1)
	return d.data, d.from, d.err
}

// queued returns how many datagrams (or errors) wait for RecvFrom.
func (e *DatagramEndpoint) queued() int { return len(e.queue) - e.qhead }

// SendTo sends data to addr, or to the remote address if addr is the zero
// AddrPort: Python's transport.sendto(data, addr). It never blocks the
// loop: the datagram is sent at once if the socket takes it, and queued
// otherwise (see DatagramEndpoint); SendTo keeps no reference to data. It
// returns an error wrapping ErrEndpointClosed once the endpoint is closed,
// ErrSendQueueFull if the datagram had to be queued and the queue is full,
// and the socket's error if a send made at once failed (a datagram too
// large, say), and one wrapping net.ErrWriteToConnected if the endpoint is
// connected and addr is another address (Python raises ValueError). Errors
// of queued sends come back through RecvFrom, as
// Python's error_received. It panics if addr is the zero AddrPort and the
// endpoint is not connected.
func (e *DatagramEndpoint) SendTo(data []byte, addr netip.AddrPort) error {
	if !addr.IsValid() && !e.remote.IsValid() {
		panic("asyncio.DatagramEndpoint.SendTo: no address, and the endpoint is not connected")
	}
	if e.closed {
		return fmt.Errorf("asyncio.DatagramEndpoint.SendTo: %w", ErrEndpointClosed)
	}
	if e.remote.IsValid() && addr.IsValid() && addr != e.remote {
		return fmt.Errorf("asyncio.DatagramEndpoint.SendTo: %w: %v is not %v", net.ErrWriteToConnected, addr, e.remote)
	}
	if len(e.outq) == 0 && !e.sending {
		var sent bool
		var err error
		if e.polled {
			sent, err = e.sendPolled(data, addr)
		} else {
			sent, err = e.direct.send(data, addr, e.remote.IsValid())
		}
		if sent || err != nil {
			return err
		}
	}
	if len(e.outq) >= e.limit {
		return fmt.Errorf("asyncio.DatagramEndpoint.SendTo: %w", ErrSendQueueFull)
	}
	e.outq = append(e.outq, outgoing{data: append([]byte(nil), data...), to: addr})
	switch {
	case e.polled:
		e.sendWork.set(arrivingWork) // room comes soon, whatever the loop does
	case !e.sending:
		e.startSend()
	}
	return nil
}

// Close closes the endpoint: Python's transport.close(). It stops receiving
// at once: the datagrams queued and not taken are dropped, and the tasks
// waiting in RecvFrom get an error wrapping ErrEndpointClosed. The
// datagrams queued for sending are still sent, and then the socket is
// closed. Calling Close again does nothing.
func (e *DatagramEndpoint) Close() {
	if e.closed {
		return
	}
	e.closed = true
	e.queue, e.qhead = nil, 0
	e.stopping.Store(true)
	e.waiters.finishAll(ErrEndpointClosed)
	switch {
	case e.polled:
		e.recvDone = true
		if len(e.outq) == 0 {
			e.shut()
		} // else flush closes the socket once it has sent the rest
	case e.sending:
		// The receive goroutine stops at its deadline; the send goroutine
		// closes the socket (see sent).
		_ = e.conn.SetReadDeadline(time.Unix(1, 0))
	default:
		e.shut()
	}
	e.recount()
}

// abort closes the endpoint at once, dropping what is not sent: shutdown
// calls it.
func (e *DatagramEndpoint) abort() {
	e.outq = nil
	e.Close()
	e.shut()
}

// shut closes the socket, if it is not closed yet, and forgets the
// endpoint if its goroutines have come back.
func (e *DatagramEndpoint) shut() {
	if !e.sockShut {
		e.sockShut = true
		if e.polled {
			e.loop.poller.remove(e.fd)
			_ = sockClose(e.fd)
			e.sendWork.set(noWork) // what was queued is dropped
		} else {
			e.conn.Close()
		}
	}
	e.maybeForget()
}

// maybeForget forgets the endpoint once its socket is closed and its
// goroutines have come back.
func (e *DatagramEndpoint) maybeForget() {
	if e.sockShut && e.recvDone && !e.sending {
		delete(e.loop.datagrams, e)
	}
}

// String describes the endpoint for diagnostics.
func (e *DatagramEndpoint) String() string {
	state := "open"
	if e.closed {
		state = "closed"
	}
	if e.remote.IsValid() {
		return fmt.Sprintf("<DatagramEndpoint %v->%v %s>", e.local, e.remote, state)
	}
	return fmt.Sprintf("<DatagramEndpoint %v %s>", e.local, state)
}

// receive is the receive goroutine: it hands every datagram (or error) to
// the loop, drops those beyond the limit, and once the endpoint is closed
// hands over its end.
func (e *DatagramEndpoint) receive() {
	buf := make([]byte, maxDatagramSize)
	for {
		n, from, err := e.conn.ReadFromUDPAddrPort(buf)
		if err != nil && (e.stopping.Load() || errors.Is(err, net.ErrClosed)) {
			_ = e.loop.CallSoonThreadsafe(e.receiveEnded)
			return
		}
		if e.held.Load() >= int64(e.limit) {
			e.dropped.Add(1)
			continue
		}
		e.held.Add(1)
		d := received{from: netip.AddrPortFrom(from.Addr().Unmap(), from.Port()), err: err}
		if err == nil {
			d.data = append(make([]byte, 0, n), buf[:n]...)
		}
		e.incoming.Lock()
		first := len(e.incoming.items) == 0
		e.incoming.items = append(e.incoming.items, d)
		e.incoming.Unlock()
		if first && e.loop.CallSoonThreadsafe(e.takeIncoming) != nil {
			e.conn.Close() // the loop is gone (cannot happen: Run closes the endpoint first)
			return
		}
		// As transport.readLoop: let the loop, made runnable on this P by
		// the hand-over, take the datagram before this goroutine's next
		// read, which usually finds nothing.
		runtime.Gosched()
	}
}

// takeIncomingOnLoop takes what the receive goroutine has handed over
// since it last scheduled the call, on the loop.
func (e *DatagramEndpoint) takeIncomingOnLoop() {
	e.incoming.Lock()
	items := e.incoming.items
	e.incoming.items, e.incoming.spare = e.incoming.spare[:0], nil
	e.incoming.Unlock()
	for i, d := range items {
		e.arrived(d)
		items[i] = received{}
	}
	e.incoming.Lock()
	e.incoming.spare = items[:0]
	e.incoming.Unlock()
}

// arrived queues a datagram (or an error) for RecvFrom, on the loop.
func (e *DatagramEndpoint) arrived(d received) {
	if e.closed {
		return
	}
	if len(e.queue) == cap(e.queue) && e.qhead > 0 {
		// Reuse the room of the datagrams taken, rather than grow: a queue
		// that never empties would otherwise grow without end.
		n := copy(e.queue, e.queue[e.qhead:])
		clear(e.queue[n:])
		e.queue, e.qhead = e.queue[:n], 0
	}
	e.queue = append(e.queue, d)
	e.waiters.wakeNext()
}

// receiveEnded takes the end of the receive goroutine, on the loop.
func (e *DatagramEndpoint) receiveEnded() {
	e.recvDone = true
	e.recount()
	e.maybeForget()
}

// startSend hands the queued datagrams to a send goroutine, as one batch.
func (e *DatagramEndpoint) startSend() {
	batch := e.outq
	e.outq = nil
	e.sending = true
	e.sendWork.set(arrivingWork) // a send ends soon, whatever the loop does
	go func() {
		var errs []error
		for _, d := range batch {
			var err error
			if d.to.IsValid() && !e.remote.IsValid() {
				_, err = e.conn.WriteToUDPAddrPort(d.data, d.to)
			} else {
				_, err = e.conn.Write(d.data)
			}
			if err != nil {
				errs = append(errs, err)
			}
		}
		_ = e.loop.CallSoonThreadsafe(func() { e.sent(errs) })
	}()
}

// sent takes the end of a send goroutine's batch, on the loop.
func (e *DatagramEndpoint) sent(errs []error) {
	e.sendWork.set(noWork)
	e.sending = false
	for _, err := range errs {
		e.sendFailed(err)
	}
	switch {
	case len(e.outq) > 0:
		e.startSend()
	case e.closed:
		e.shut()
	}
}

// sendFailed hands the error of a queued send to RecvFrom, as Python's
// error_received, unless the endpoint is closed or its queue full.
func (e *DatagramEndpoint) sendFailed(err error) {
	if e.closed {
		return
	}
	if e.queued() >= e.limit {
		e.dropped.Add(1)
		return
	}
	e.held.Add(1)
	e.arrived(received{err: err})
}

// readerBusy reports how the receiver counts as outside work: while a task
// waits for a datagram, and, known to end soon, while a receive goroutine
// stops after Close (a polled endpoint stops receiving at once).
func (e *DatagramEndpoint) readerBusy() workKind {
	switch {
	case e.recvDone:
		return noWork
	case e.closed:
		return arrivingWork
	case e.waiters.len() > 0:
		return outsideWork
	}
	return noWork
}

// recount brings the receiver's count of outside work up to date
// with readerBusy.
func (e *DatagramEndpoint) recount() { e.recvWork.set(e.readerBusy()) }

// closeDatagrams closes every datagram endpoint of the loop at once, so
// that their sockets close and their goroutines come back; shutdown calls it before it waits for
// outside work.
func (l *Loop) closeDatagrams() {
	for e := range l.datagrams {
		e.abort()
	}
}
