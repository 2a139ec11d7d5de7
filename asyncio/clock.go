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
	// or until something comes in, which wake waits for, in real time, for
	// at most its argument (< 0: as long as it takes), and reports. settle
	// is how long, in real time, the loop must have been idle before a
	// virtual clock jumps: zero when no outside work is in flight, so that
	// nothing but the passage of time can wake the loop.
	wait(deadline time.Time, hasDeadline bool, settle time.Duration, wake func(time.Duration) bool)

	// closedWorld reports whether the clock is a test's closed world, where
	// the goroutines that will call in are known (see Loop.RegisterExternal)
	// and a loop with nothing pending is a deadlock once nothing has
	// arrived for the idle threshold.
	closedWorld() bool
}

// RealClock returns the clock of the real world: time.Now, and waits that
// really wait. It is the default clock of Run.
func RealClock() Clock { return realClock{} }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) wait(deadline time.Time, hasDeadline bool, _ time.Duration, wake func(time.Duration) bool) {
	if !hasDeadline {
		wake(-1)
		return
	}
	wake(max(time.Until(deadline), 0))
}

func (realClock) closedWorld() bool { return false }

// waitWake waits for wake for at most d, in real time, and reports whether
// it came.
func waitWake(wake <-chan struct{}, d time.Duration) bool {
	if d <= 0 {
		select {
		case <-wake:
			return true
		default:
			return false
		}
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return false
	case <-wake:
		return true
	}
}

// A VirtualClock is a clock that moves only when the event loop has nothing
// to do: then it jumps straight to the next timer. A program that sleeps for
// three seconds finishes at once, with the same output, in the same order,
// every time; this is what tests and the walkthrough run on.
//
// While outside work is in flight (a ToThread call, a socket, a sender
// registered with Loop.RegisterExternal), the clock jumps only once the
// loop has been idle for the idle threshold, in real time
// (DefaultIdleThreshold unless WithIdleThreshold says otherwise): Trio's
// MockClock autojump. Outside work that answers within the threshold is
// waited for, and its answer arrives before any timer; outside work that
// stays silent longer (a worker waiting for its context, an idle
// connection) does not freeze time, so a timeout around it fires. Outside
// work takes no virtual time.
//
// A virtual clock is a closed world: a loop on it with nothing ready, no
// timer pending and no outside work in flight reports a *DeadlockError once
// nothing has arrived for the idle threshold. A goroutine that will call
// CallSoonThreadsafe later than that must be registered with
// Loop.RegisterExternal, as testing/synctest bubbles goroutines.
//
// The clock moves only when nothing is ready: a task that polls with
// Sleep(a, 0) in a loop keeps it from ever advancing (as Trio's does), and
// with it every timer; wait for an event, or sleep for a positive duration.
//
// A VirtualClock may be read from any goroutine; it should drive one loop
// at a time.
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

func (c *VirtualClock) wait(deadline time.Time, hasDeadline bool, settle time.Duration, wake func(time.Duration) bool) {
	if !hasDeadline {
		wake(-1)
		return
	}
	if settle > 0 && wake(settle) {
		return
	}
	// Only the loop moves the clock, so load and store need no CAS.
	if d := deadline.Sub(c.start); d > time.Duration(c.offset.Load()) {
		c.offset.Store(int64(d))
	}
}

func (*VirtualClock) closedWorld() bool { return true }
