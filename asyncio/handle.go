package asyncio

import "time"

// A Handle is a callback scheduled with Loop.CallSoon: Python's
// asyncio.Handle. Cancel it to keep it from running.
type Handle struct {
	fn        func()
	cancelled bool
}

func (h *Handle) run() {
	if !h.cancelled {
		h.fn()
	}
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
	loop  *Loop
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
