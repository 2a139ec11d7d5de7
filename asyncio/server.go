package asyncio

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"
)

// A Server is a listening socket (TCP, or a Unix domain socket) whose
// connections are each handled by a task: Python's asyncio.Server, as
// start_server and start_unix_server return it. Create one with StartServer
// or StartUnixServer. Its methods must be called on its loop's goroutine.
//
// A server that is accepting connections is not a deadlock: the loop waits
// for a client however idle it is. It does not hold the virtual clock,
// though: no client is known to be on its way. (A client of the same loop
// is: from its dial until the server has accepted it, the loop waits for
// it.)
type Server struct {
	_       noCopy
	loop    *Loop
	ln      net.Listener
	addr    net.Addr
	handler func(a *A, r *StreamReader, w *StreamWriter) error
	limit   int
	tls     tlsOptions

	closed     bool
	acceptDone bool // the accept goroutine has come back
	conns      map[*transport]struct{}
	waiters    waitQueue         // the tasks in WaitClosed
	serving    *Future[struct{}] // ServeForever's, while it runs

	// handshakes are the TLS handshakes with clients accepted (tls.go).
	handshakes map[*handshake]struct{}

	// acceptWork is the accept goroutine's outside work: listening while
	// the server accepts, known to arrive once Close has closed the
	// listener, until the goroutine has come back.
	acceptWork external

	// expect holds the connections that clients of the same loop have made
	// to this server and that it has not accepted yet, by the ends the
	// server will see (loopback.go); while there is one, expectWork counts
	// as known to arrive.
	expect     map[endpoints]struct{}
	expectWork external
	// shaking holds the connections accepted and in their TLS handshake.
	shaking map[endpoints]struct{}

	// unclaimed remembers the last connections from this host that the
	// server accepted and that ended before a client end showed up in the
	// loop: a client of the same loop whose dial reaches the loop only after
	// that must not expect the connection again. It holds at most
	// maxUnclaimed, oldest out first (the window it covers is a few loop
	// iterations wide).
	unclaimed     map[endpoints]struct{}
	unclaimedList []endpoints
}

const maxUnclaimed = 1024

// StartServer starts a TCP server on host:port and returns it once it is
// listening: Python's
//
//	server = await asyncio.start_server(handler, host, port)
//
// Port 0 picks a free port (see Addr); host "" listens on every interface.
// The server accepts connections at once, each in a new task that runs
// handler with the connection's reader and writer. When handler returns,
// the connection is closed, after what it wrote is written (Python leaves
// that to the handler, or the garbage collector). An error from handler
// other than a cancellation is reported to the loop's diagnostics writer
// (see WithDiagnostics), as Python's loop logs an "Unhandled exception in
// client_connected_cb".
//
// Listening (name resolution included) happens on its own goroutine, as
// OpenConnection's dial does; a cancelled StartServer leaves no socket
// open. Options: WithStreamLimit, for every connection's reader;
// WithReuseAddress, WithReusePort and WithBacklog, for the listening socket;
// and WithTLS (with WithTLSHandshakeTimeout) for a TLS server, which makes
// each client's handshake before its handler starts.
//
// One loop per core: a loop runs on one goroutine, so a server uses one
// core. To use them all, run one loop per core, each on its own goroutine
// with its own Run, and in each a StartServer on the same host and port
// with WithReusePort: the kernel spreads the incoming connections over the
// listening sockets (on Linux by a hash of the client's address and port).
// The loops share nothing; what they must share goes through thread-safe
// calls (CallSoonThreadsafe, channels, mutexes). See the example of
// WithReusePort.
func StartServer(a *A, handler func(a *A, r *StreamReader, w *StreamWriter) error, host string, port int, opts ...StreamOption) (*Server, error) {
	t, err := currentTask(a)
	if err != nil {
		return nil, err
	}
	if handler == nil {
		panic("asyncio.StartServer: nil handler")
	}
	cfg := newStreamConfig(opts)
	cfg.tls.check("asyncio.StartServer", true)
	if err := cfg.sock.check(); err != nil {
		return nil, fmt.Errorf("asyncio.StartServer: %w", err)
	}
	address := net.JoinHostPort(host, strconv.Itoa(port))
	ln, err := awaitOutside(a, t.loop, listensLocally(host), func(ctx context.Context) (net.Listener, error) {
		return cfg.sock.listen(ctx, address)
	})
	if err != nil {
		return nil, err
	}
	return newServer(t.loop, ln, handler, cfg), nil
}

// newServer serves ln on loop l: its accept goroutine starts at once.
func newServer(l *Loop, ln net.Listener, handler func(a *A, r *StreamReader, w *StreamWriter) error, cfg *streamConfig) *Server {
	s := &Server{
		loop:       l,
		ln:         ln,
		addr:       ln.Addr(),
		handler:    handler,
		limit:      cfg.limit,
		tls:        cfg.tls,
		conns:      map[*transport]struct{}{},
		handshakes: map[*handshake]struct{}{},
		expect:     map[endpoints]struct{}{},
		shaking:    map[endpoints]struct{}{},
		unclaimed:  map[endpoints]struct{}{},
	}
	s.acceptWork.loop, s.expectWork.loop = l, l
	l.streamRegistry().servers[s] = struct{}{}
	s.acceptWork.set(listeningWork)
	go s.acceptLoop()
	return s
}

// Addr returns the TCP address the server listens on: Python's
// server.sockets[0].getsockname(). With port 0, Addr().Port is the port
// picked. It is nil for a Unix socket server (see ListenAddr).
func (s *Server) Addr() *net.TCPAddr {
	a, _ := s.addr.(*net.TCPAddr)
	return a
}

// ListenAddr returns the address the server listens on, whatever its
// network: a *net.TCPAddr, or a *net.UnixAddr whose Name is the socket's
// path.
func (s *Server) ListenAddr() net.Addr { return s.addr }

// IsServing reports whether the server accepts connections: Python's
// server.is_serving().
func (s *Server) IsServing() bool { return !s.closed }

// Close stops the server from accepting connections: Python's
// server.close(). The connections already accepted stay open, and their
// handlers go on (see CloseClients). A ServeForever in progress returns.
// Calling Close again does nothing.
//
// To shut a server down before main returns, call Close and then
// WaitClosed, as Python's async with server does: handlers still running
// when main returns are cancelled and reported as pending tasks.
func (s *Server) Close() {
	if s.closed {
		return
	}
	s.closed = true
	s.ln.Close()
	s.acceptWork.set(arrivingWork) // until the accept goroutine has come back
	clear(s.expect)
	s.expectWork.set(noWork)
	if s.serving != nil && !s.serving.done() {
		s.serving.SetResult(struct{}{})
	}
	s.maybeWake()
}

// CloseClients closes every connection the server has accepted, after what
// their handlers wrote is written: Python 3.13's server.close_clients().
// TLS handshakes in progress with clients are aborted.
func (s *Server) CloseClients() {
	s.abortHandshakes()
	for t := range s.conns {
		t.writer.Close()
	}
}

// AbortClients closes every connection the server has accepted at once,
// dropping what is not yet written: Python 3.13's server.abort_clients().
// TLS handshakes in progress with clients are aborted too.
func (s *Server) AbortClients() {
	s.abortHandshakes()
	for t := range s.conns {
		t.abort(nil)
	}
}

func (s *Server) abortHandshakes() {
	for h := range s.handshakes {
		h.cancel()
	}
}

// WaitClosed suspends the task running a until the server is closed and
// every connection it accepted has ended: Python's await
// server.wait_closed().
func (s *Server) WaitClosed(a *A) error {
	if s.isDone() {
		return nil
	}
	w := s.waiters.add(s.loop, "Server", "WaitClosed")
	w.reason = s
	err := w.await(a)
	w.retire()
	return err
}

// ServeForever suspends the task running a until the server is closed, and
// then returns nil: Python's await server.serve_forever(). (Python raises
// CancelledError when another task closes the server.) If the task is
// cancelled, ServeForever closes the server and returns the *CanceledError
// at once; the connections already accepted go on (see WaitClosed). Python
// 3.12 waits for them to end, which makes serve_forever impossible to
// cancel while a client stays connected (CPython issue 123720); here
// cancelling Run's context ends a main task that serves forever, and Run
// then cancels the handlers. ServeForever returns an error wrapping
// ErrInvalidState at once if the server is closed or another task is
// already serving it forever.
func (s *Server) ServeForever(a *A) error {
	if s.closed {
		return fmt.Errorf("asyncio.Server.ServeForever: %w: server %v is closed", ErrInvalidState, s.addr)
	}
	if s.serving != nil {
		return fmt.Errorf("asyncio.Server.ServeForever: %w: server %v is already being awaited on ServeForever", ErrInvalidState, s.addr)
	}
	s.serving = NewFuture[struct{}](s.loop)
	s.serving.reason = s
	_, err := s.serving.Await(a)
	s.serving = nil
	if err != nil {
		s.Close()
		return err
	}
	return nil
}

// String describes the server for diagnostics.
func (s *Server) String() string {
	state := "serving"
	if s.closed {
		state = "closed"
	}
	return fmt.Sprintf("<Server %v %s, %d connections>", s.addr, state, len(s.conns))
}

// acceptLoop is the accept goroutine: it hands every connection to the
// loop until the listener is closed, and then reports that it has ended.
// Other errors (too many open files, say) are retried after a pause that
// grows up to a second, as Python does.
func (s *Server) acceptLoop() {
	var delay time.Duration
	for {
		c, err := s.ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				time.Sleep(delay)
				continue
			}
			_ = s.loop.CallSoonThreadsafe(s.acceptEnded)
			return
		}
		delay = 0
		if s.loop.CallSoonThreadsafe(func() { s.accepted(c) }) != nil {
			c.Close() // the loop is gone (cannot happen while counted)
		}
	}
}

func (s *Server) acceptEnded() {
	s.acceptDone = true
	s.acceptWork.set(noWork)
	s.maybeWake()
}

// accepted takes a new connection, on the loop, and serves it, after its
// TLS handshake if the server speaks TLS.
func (s *Server) accepted(c net.Conn) {
	switch {
	case s.closed:
		c.Close()
	case s.tls.config != nil:
		s.handshake(c)
	default:
		s.serve(c)
	}
}

// serve adopts a connection the server accepted and starts its handler's
// task.
func (s *Server) serve(c byteStream) {
	t := newTransport(s.loop, c, s.limit, s)
	s.conns[t] = struct{}{}
	r, w := t.reader, t.writer
	task := newTask(s.loop, Async(func(a *A) (struct{}, error) {
		return struct{}{}, s.handler(a, r, w)
	}))
	task.AddDoneCallback(func(task *Task[struct{}]) {
		w.Close()
		if err := task.Exception(); err != nil && !isCancellation(err) {
			fmt.Fprintf(s.loop.cfg.diagnostics, "asyncio: unhandled error in the StartServer handler of %v: %v\n", w.RemoteAddr(), err)
		}
	})
}

// detach forgets a connection that has ended.
func (s *Server) detach(t *transport) {
	delete(s.conns, t)
	s.maybeWake()
}

func (s *Server) isDone() bool {
	return s.closed && s.acceptDone && len(s.conns) == 0 && len(s.handshakes) == 0
}

func (s *Server) maybeWake() {
	if !s.isDone() {
		return
	}
	delete(s.loop.streamRegistry().servers, s)
	s.waiters.wakeAll()
}
