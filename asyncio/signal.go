package asyncio

import (
	"fmt"
	"os"
	"os/signal"
)

// A signalHandler is a handler of one signal: a goroutine that hands each
// signal os/signal delivers to the loop's inbox, where fn runs.
type signalHandler struct {
	fn func()
	// user is set for the program's handlers (AddSignalHandler), and clear
	// for the loop's own (WithInterrupt).
	user bool
	ch   chan os.Signal
	quit chan struct{}
	done chan struct{}
}

// AddSignalHandler makes fn run on the loop, as a callback (see Handle),
// each time the process receives sig: Python's loop.add_signal_handler. It
// replaces the loop's handler of sig if there is one. Signals that arrive
// together may run fn once. It is built on os/signal, and, as
// signal.Notify, it keeps sig from having its default effect (for a Go
// program, SIGHUP, SIGINT and SIGTERM end the process; see os/signal)
// until RemoveSignalHandler or the end of Run.
//
// A loop with a signal handler is waiting for the outside world, as one
// with a listening server is: when nothing else can happen, it waits for a
// signal, on the real clock without reporting a stall and on the virtual
// clock without reporting a deadlock (WithStrictDeadlocks included), since
// a signal may come from anywhere at any time. Remove the handler when
// nothing will wait for it any more, and a deadlock is reported again.
// While Run shuts down, the handlers still run for the cleanups of the
// tasks it cancels, as Python's do until loop.close, but no longer keep a
// task that refuses to end from being reported. On
// the virtual clock, a handler holds time as outside work in flight does
// (see WithIdleThreshold): the clock jumps to the next timer only once
// nothing has arrived for the idle threshold, so that a signal the program
// sends itself (a test's, or a `kill` it runs) is handled before time
// moves, as on the real clock, where it arrives at once.
//
// It returns an error for a sig that is not a syscall.Signal, for SIGKILL
// and SIGSTOP, which cannot be caught, after the loop is closed
// (ErrLoopClosed), and on systems without Unix signals (an error wrapping
// errors.ErrUnsupported, as Python's NotImplementedError on Windows; see
// WithInterrupt for Ctrl-C there). It panics if fn is nil. It must be
// called on the loop's goroutine, or between two RunWith calls by their
// caller (see Runner.Loop).
func (l *Loop) AddSignalHandler(sig os.Signal, fn func()) error {
	l.checkGoroutine("AddSignalHandler")
	if fn == nil {
		panic("asyncio.Loop.AddSignalHandler: nil function")
	}
	if err := catchable(sig); err != nil {
		return fmt.Errorf("asyncio.Loop.AddSignalHandler: %w", err)
	}
	if l.closed() {
		return fmt.Errorf("asyncio.Loop.AddSignalHandler: %w", ErrLoopClosed)
	}
	l.setSignalHandler(sig, fn, true)
	return nil
}

// RemoveSignalHandler removes the loop's handler of sig and reports whether
// there was one: Python's loop.remove_signal_handler. Once it returns, fn
// runs no more (a signal already handed to the loop is dropped), and sig
// has its default effect again, unless other code of the process is
// notified of it with os/signal. It must be called where AddSignalHandler
// may be.
func (l *Loop) RemoveSignalHandler(sig os.Signal) bool {
	l.checkGoroutine("RemoveSignalHandler")
	return l.removeSignalHandler(sig)
}

// removeSignalHandler is RemoveSignalHandler without the check of the
// goroutine, for shutdown, which may run while a panic or runtime.Goexit
// unwinds a task's step.
func (l *Loop) removeSignalHandler(sig os.Signal) bool {
	h := l.signals[sig]
	if h == nil {
		return false
	}
	delete(l.signals, sig)
	signal.Stop(h.ch)
	close(h.quit)
	<-h.done
	return true
}

// setSignalHandler makes fn the handler of sig, starting its goroutine if
// sig has none yet.
func (l *Loop) setSignalHandler(sig os.Signal, fn func(), user bool) {
	h := l.signals[sig]
	if h == nil {
		h = &signalHandler{ch: make(chan os.Signal, 1), quit: make(chan struct{}), done: make(chan struct{})}
		if l.signals == nil {
			l.signals = map[os.Signal]*signalHandler{}
		}
		l.signals[sig] = h
		signal.Notify(h.ch, sig)
		go h.forward(l, sig)
	}
	h.fn, h.user = fn, user
}

// forward hands each signal to the loop until the handler is removed.
func (h *signalHandler) forward(l *Loop, sig os.Signal) {
	defer close(h.done)
	for {
		select {
		case <-h.ch:
			_ = l.CallSoonThreadsafe(func() { l.handleSignal(sig) })
		case <-h.quit:
			return
		}
	}
}

// handleSignal runs the handler of sig, if it still has one.
func (l *Loop) handleSignal(sig os.Signal) {
	if h := l.signals[sig]; h != nil {
		h.fn()
	}
}

// removeSignalHandlers removes every signal handler of the loop: Python's
// loop.close does it.
func (l *Loop) removeSignalHandlers() {
	for sig := range l.signals {
		l.removeSignalHandler(sig)
	}
}

// closed reports whether the loop is closed: its Run has returned.
func (l *Loop) closed() bool {
	l.inbox.Lock()
	defer l.inbox.Unlock()
	return l.inbox.closed
}
