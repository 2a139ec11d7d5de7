package asyncio

import (
	"fmt"
	"time"

	"github.com/yieldfrom/asyncgo/coro"
)

// A Handle is a callback scheduled with Loop.CallSoon: Python's
// asyncio.Handle. Cancel it to keep it from running.
//
// A callback that panics does not stop the loop: the panic is reported,
// with its stack, to the loop's diagnostics writer (see WithDiagnostics),
// as Python's loop reports "Exception in callback" to its exception handler.
type Handle struct {
	fn        func()
	loop      *Loop
	cancelled bool
}

func (h *Handle) run() {
	if h.cancelled {
		return
	}
	defer h.loop.recoverCallback()
	h.fn()
}

// Cancel keeps the callback from running, if it has not run yet. Calling it
// again does nothing. It must be called on the loop's goroutine (from a task
// or a callback).
func (h *Handle) Cancel() { h.cancelled = true }

// Cancelled reports whether Cancel was called.
func (h *Handle) Cancelled() bool { return h.cancelled }

// A TimerHandle is a callback scheduled for a time with Loop.CallLater or
// Loop.CallAt: Python's asyncio.TimerHandle.
type TimerHandle struct {
	Handle
	timer timer
}

func (h *TimerHandle) run() { h.Handle.run() }

// Cancel keeps the callback from running, if it has not run yet, and
// removes its timer from the loop at once. Calling it again does nothing.
// It must be called on the loop's goroutine.
func (h *TimerHandle) Cancel() {
	h.cancelled = true
	h.loop.timers.remove(&h.timer)
}

// When returns the time the callback is scheduled for, on the loop's clock.
func (h *TimerHandle) When() time.Time { return h.loop.timeAt(h.timer.when) }

// recoverCallback reports a panic of a user callback instead of letting it
// unwind the loop; it must be deferred directly.
func (l *Loop) recoverCallback() {
	if p := recover(); p != nil {
		fmt.Fprintf(l.cfg.diagnostics, "asyncio: exception in callback: %v\n", coro.NewPanicError(p))
	}
}
