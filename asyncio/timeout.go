package asyncio

import (
	"fmt"
	"math"
	"time"

	"github.com/yieldfrom/asyncgo/coro"
)

type timeoutState uint8

const (
	timeoutEntered timeoutState = iota
	timeoutExpiring
	timeoutExpired
	timeoutExited
)

// A TimeoutScope limits how long the body of Timeout or TimeoutAt may run:
// Python's asyncio.Timeout, the object of async with asyncio.timeout(). It
// is valid only inside that body (and the deadline can be read afterwards).
type TimeoutScope struct {
	task       *taskCore
	state      timeoutState
	when       time.Time // zero: no deadline
	handle     interface{ Cancel() }
	cancelling int
}

// NoTimeout is the timeout that never passes: Python's timeout=None. Every
// call that takes a timeout (Timeout, WaitFor, Wait, AsCompleted) accepts
// it, and then sets no deadline at all; a timeout of 0 gives no time, as
// Python's 0 does. It is the longest time.Duration, so that anything else
// that takes it for a duration waits as long as the clock can.
const NoTimeout time.Duration = math.MaxInt64

// Timeout runs body, and cancels it if it is still running after d: Python's
//
//	async with asyncio.timeout(d) as scope:
//	    body
//
// A d ≤ 0 has passed already: the body is cancelled at its first await. A
// d of NoTimeout sets no deadline (Python's timeout(None)); Reschedule can
// set one later.
// When the deadline passes, the task running the body is cancelled at its
// current await; if the body lets that cancellation end it, Timeout returns
// an error wrapping ErrTimeout instead (which also matches
// context.DeadlineExceeded). A cancellation from elsewhere is returned as
// is. The scope may be rescheduled from inside the body. If body panics
// (or calls runtime.Goexit), the scope ends before the panic goes on: its
// deadline cancels nothing afterwards.
func Timeout(a *A, d time.Duration, body func(scope *TimeoutScope) error) error {
	t, err := currentTask(a)
	if err != nil {
		return err
	}
	var when time.Time
	if d != NoTimeout {
		when = t.loop.Time().Add(d)
	}
	return TimeoutAt(a, when, body)
}

// TimeoutAt is Timeout with an absolute deadline on the loop's clock
// (Python's asyncio.timeout_at); a zero when means no deadline, which
// Reschedule can set later.
func TimeoutAt(a *A, when time.Time, body func(scope *TimeoutScope) error) error {
	t, err := currentTask(a)
	if err != nil {
		return err
	}
	s := &TimeoutScope{task: t, cancelling: t.Cancelling()}
	s.Reschedule(when)
	defer s.abandon()
	return s.exit(body(s))
}

// When returns the scope's deadline, or the zero time if it has none.
func (s *TimeoutScope) When() time.Time { return s.when }

// Expired reports whether the deadline passed and the scope cancelled its
// body.
func (s *TimeoutScope) Expired() bool {
	return s.state == timeoutExpiring || s.state == timeoutExpired
}

// Reschedule moves the deadline to when (the zero time: none). A deadline
// already in the past expires the scope at the loop's next iteration. It
// panics if the scope has ended or already expired.
func (s *TimeoutScope) Reschedule(when time.Time) {
	if s.state != timeoutEntered {
		panic(fmt.Sprintf("asyncio.TimeoutScope.Reschedule: scope is not active (state %d)", s.state))
	}
	s.when = when
	if s.handle != nil {
		s.handle.Cancel()
		s.handle = nil
	}
	if when.IsZero() {
		return
	}
	if l := s.task.loop; !when.After(l.Time()) {
		// Python's reschedule uses call_soon for a deadline already due: the
		// expiry then runs before the body's next step, even one that only
		// yielded (sleep(0)), where a timer would fire after it.
		s.handle = l.CallSoon(s.expire)
		return
	}
	s.handle = s.task.loop.CallAt(when, s.expire)
}

func (s *TimeoutScope) expire() {
	s.task.Cancel()
	s.state = timeoutExpiring
	s.handle = nil
}

// abandon ends the scope if body did not return (it panicked, or called
// runtime.Goexit), as Python's __aexit__ ends it on any exception: its timer
// must not cancel the task later, nor its cancellation stay counted.
func (s *TimeoutScope) abandon() {
	if s.state == timeoutEntered || s.state == timeoutExpiring {
		s.exit(nil)
	}
}

// exit is Python's Timeout.__aexit__.
func (s *TimeoutScope) exit(err error) error {
	if s.handle != nil {
		s.handle.Cancel()
		s.handle = nil
	}
	switch s.state {
	case timeoutExpiring:
		s.state = timeoutExpired
		if s.task.Uncancel() <= s.cancelling && isCancellation(err) {
			// The cancellation is not wrapped: Python's TimeoutError is no
			// CancelledError, and a task or group that sees this error must
			// take it for a failure, not for a cancellation.
			return ErrTimeout
		}
	case timeoutEntered:
		s.state = timeoutExited
	}
	return err
}

// WaitFor waits for aw for at most d and returns its result: Python's
// asyncio.wait_for(aw, d). If d passes first, aw is cancelled (a coroutine
// awaited inline, or a task or future awaited through the cancellation
// of the waiting task) and WaitFor returns an error wrapping ErrTimeout once
// it has ended. A d ≤ 0 gives aw no time at all unless it is already done;
// a d of NoTimeout waits as long as aw takes (Python's wait_for(aw, None)).
func WaitFor[T any](a *A, aw coro.Awaitable[T], d time.Duration) (T, error) {
	var zero T
	if d <= 0 {
		t, err := currentTask(a)
		if err != nil {
			return zero, err
		}
		f, err := ensureFuture(t.loop, aw, "asyncio.WaitFor")
		if err != nil {
			return zero, err
		}
		if !f.base().done() {
			f.cancel("")
			// Python's _cancel_and_wait: wait for the cancellation to land.
			w := NewFuture[struct{}](t.loop)
			f.base().addCallback(callback(func() { w.SetResult(struct{}{}) }))
			if _, err := w.Await(a); err != nil {
				return zero, err
			}
		}
		v, err := f.Result()
		if isCancellation(err) {
			return zero, ErrTimeout // as in exit
		}
		return v, err
	}
	var v T
	err := Timeout(a, d, func(*TimeoutScope) error {
		var err error
		v, err = aw.Await(a)
		return err
	})
	return v, err
}
