package asyncio

import (
	"time"

	"github.com/yieldfrom/asyncgo/coro"
)

// Sleep suspends the task running a for d: Python's await asyncio.sleep(d).
// Sleep(a, 0), or any d ≤ 0, suspends it only until the other ready tasks
// have had their turn, as sleep(0) does; a d too long for the clock to
// reach sleeps until the latest time there is. If the task is cancelled
// while it sleeps, Sleep returns the *CanceledError. A coroutine resumed
// before d has passed (by something other than its task) gets an error
// wrapping ErrStrayResume.
func Sleep(a *A, d time.Duration) error {
	if d <= 0 {
		return coro.Yield(a)
	}
	t, err := currentTask(a)
	if err != nil {
		return err
	}
	l := t.loop
	s := &sleeper{futureCore: futureCore{loop: l}}
	s.timer = timer{when: addDuration(l.now(), d), action: s}
	l.timers.push(&s.timer)
	if err := suspendOn(a, s); err != nil {
		l.timers.remove(&s.timer)
		return err
	}
	return s.err
}

// SleepResult is Sleep that returns v once d has passed: Python's await
// asyncio.sleep(d, result). If the sleep is cancelled, it returns the zero
// value and the cancellation.
func SleepResult[T any](a *A, d time.Duration, v T) (T, error) {
	if err := Sleep(a, d); err != nil {
		var zero T
		return zero, err
	}
	return v, nil
}

// SleepCoro returns a coroutine that sleeps for d: Python's asyncio.sleep(d)
// as an awaitable of its own, for WaitFor, CreateTask, Gather or Shield
// (asyncio.WaitFor(a, asyncio.SleepCoro(d), timeout)). Awaiting it is
// Sleep(a, d).
func SleepCoro(d time.Duration) *Coro[struct{}] {
	return AsyncErr(func(a *A) error { return Sleep(a, d) })
}

// A sleeper is the future Sleep waits on, with its timer inside it, so that
// a sleep costs one allocation.
type sleeper struct {
	futureCore
	timer timer
}

// run fires when the timer is due.
func (s *sleeper) run() {
	if s.state == pending {
		s.finish(nil)
	}
}

func (s *sleeper) cancel(msg string) bool {
	if !s.cancelCore(msg) {
		return false
	}
	s.loop.timers.remove(&s.timer)
	return true
}

func (s *sleeper) String() string { return "<sleep>" }
