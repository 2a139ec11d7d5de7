package asyncio

import (
	"sync/atomic"
	"time"
)

// A Clock is where an event loop reads the time and how it waits for it.
// Two ship: RealClock, the monotonic wall clock, and a VirtualClock, which
// jumps straight to the next timer whenever the loop has nothing else to do.
// The interface is sealed: the loop's correctness depends on how a clock
// waits, so only these two exist.
type Clock interface {
	// Now returns the clock's current time.
	Now() time.Time

	// wait blocks until the clock reads at least deadline (when hasDeadline)
	// or until wake is signalled. idle reports that no outside work is in
	// flight, so nothing but the passage of time can wake the loop.
	wait(deadline time.Time, hasDeadline, idle bool, wake <-chan struct{})
}

// RealClock returns the clock of the real world: time.Now, and waits that
// really wait. It is the default clock of Run.
func RealClock() Clock { return realClock{} }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) wait(deadline time.Time, hasDeadline, _ bool, wake <-chan struct{}) {
	if !hasDeadline {
		<-wake
		return
	}
	d := time.Until(deadline)
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-wake:
	}
}

// A VirtualClock is a clock that moves only when the event loop has nothing
// to do: then it jumps straight to the next timer. A program that sleeps for
// three seconds finishes at once, with the same output, in the same order,
// every time; this is what tests and the walkthrough run on.
//
// The clock never jumps while outside work is in flight (a ToThread call, a
// socket, a registered external sender): it waits for that work as a real
// clock would, so that a timeout cannot fire early because a worker was
// slow. A VirtualClock may be read from any goroutine; it should drive one
// loop at a time.
type VirtualClock struct {
	start  time.Time
	offset atomic.Int64 // nanoseconds since start
}

// NewVirtualClock returns a virtual clock that reads start.
func NewVirtualClock(start time.Time) *VirtualClock {
	return &VirtualClock{start: start}
}

// Now returns the clock's current time.
func (c *VirtualClock) Now() time.Time {
	return c.start.Add(time.Duration(c.offset.Load()))
}

// Advance moves the clock forward by d, or as far as it goes if that is
// less (it saturates, as time.Time.Add does); a negative d does nothing.
// The loop advances the clock itself; Advance is for tests that drive time
// by hand between runs.
func (c *VirtualClock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	for {
		old := c.offset.Load()
		if c.offset.CompareAndSwap(old, addDuration(old, d)) {
			return
		}
	}
}

func (c *VirtualClock) wait(deadline time.Time, hasDeadline, idle bool, wake <-chan struct{}) {
	if hasDeadline && idle {
		// Only the loop moves the clock, so load and store need no CAS.
		if d := deadline.Sub(c.start); d > time.Duration(c.offset.Load()) {
			c.offset.Store(int64(d))
		}
		return
	}
	<-wake
}
