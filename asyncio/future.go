package asyncio

import (
	"fmt"
	"slices"

	"github.com/yieldfrom/asyncgo/coro"
)

type futureState uint8

const (
	pending futureState = iota
	finished
	cancelled
)

// futureCore is what every future-like object of the loop shares: Future,
// Task, and the internal futures of Sleep, Gather and Shield. A task that
// awaits one suspends with it as its request and is woken by its done
// callbacks.
type futureCore struct {
	loop  *Loop
	state futureState
	err   error

	// reason is what a task awaiting this future really waits for (a lock,
	// a queue, an event), for deadlock reports and Snapshot; nil for plain
	// futures.
	reason any

	// Done callbacks, in registration order. The first is kept apart because
	// most futures have exactly one: the task awaiting them.
	first runnable
	rest  *[]runnable // behind a pointer: most futures never need it
}

// A waitable is what a task can suspend on. cancel is Python's
// Future.cancel, which Task, Gather's future and Shield override.
type waitable interface {
	base() *futureCore
	cancel(msg string) bool
}

func (f *futureCore) base() *futureCore { return f }

func (f *futureCore) done() bool { return f.state != pending }

func (f *futureCore) cancel(msg string) bool { return f.cancelCore(msg) }

func (f *futureCore) cancelCore(msg string) bool {
	if f.state != pending {
		return false
	}
	f.state = cancelled
	f.err = newCanceledError(msg)
	f.scheduleCallbacks()
	return true
}

// addCallback arranges for r to join the ready queue when the future is
// done, or at once if it is done already: Python schedules done callbacks
// with call_soon rather than calling them, and so do we.
func (f *futureCore) addCallback(r runnable) {
	switch {
	case f.state != pending:
		f.loop.ready.push(r)
	case f.first == nil:
		f.first = r
	default:
		if f.rest == nil {
			f.rest = new([]runnable)
		}
		*f.rest = append(*f.rest, r)
	}
}

// removeCallbacks unregisters every done callback that match selects, and
// reports how many it removed: Python's remove_done_callback, with a
// predicate so that callers can match their own entries by content.
func (f *futureCore) removeCallbacks(match func(runnable) bool) int {
	n := 0
	if f.first != nil && match(f.first) {
		f.first = nil
		n++
	}
	if f.rest == nil {
		return n
	}
	kept := (*f.rest)[:0]
	for _, c := range *f.rest {
		if match(c) {
			n++
			continue
		}
		kept = append(kept, c)
	}
	clear((*f.rest)[len(kept):])
	*f.rest = kept
	if f.first == nil && len(kept) > 0 {
		// The first slot runs first: a callback added later must not take
		// it ahead of those already waiting.
		f.first = kept[0]
		*f.rest = slices.Delete(kept, 0, 1)
	}
	return n
}

func (f *futureCore) scheduleCallbacks() {
	if f.first != nil {
		f.loop.ready.push(f.first)
		f.first = nil
	}
	if f.rest == nil {
		return
	}
	for _, r := range *f.rest {
		f.loop.ready.push(r)
	}
	f.rest = nil
}

func (f *futureCore) finish(err error) {
	f.state = finished
	f.err = err
	f.scheduleCallbacks()
}

// awaitFuture waits until w is done, on behalf of the task running a: the
// await of Future and Task. It refuses a future of another loop before it
// reads anything of it (its loop may be running on another goroutine), and
// a task's await of itself, which could never end.
func awaitFuture(a *A, w waitable) error {
	f := w.base()
	t, err := currentTask(a)
	if err == nil && t.loop != f.loop {
		return sameLoop(t.loop, f, "asyncio.Await")
	}
	switch {
	case f.done():
		return nil
	case err == nil && f == &t.futureCore:
		return ErrAwaitSelf
	}
	return suspendOn(a, w)
}

// suspendOn suspends the task running a until w is done: the yield inside
// Python's Future.__await__, through which every await of a future of the
// loop goes. It returns the error thrown in at the suspension (a
// cancellation, the close of the coroutine), or, if the coroutine was
// resumed while w is still pending, an error wrapping ErrStrayResume, as
// Python's "await wasn't used with future"; w then no longer wakes the task,
// so one stray resume does not make another later.
func suspendOn(a *A, w waitable) error {
	if _, err := a.Suspend(w); err != nil {
		return err
	}
	f := w.base()
	if f.done() {
		return nil
	}
	if t, err := currentTask(a); err == nil {
		f.removeCallbacks(func(r runnable) bool { return any(r) == any(t.self) })
	}
	return fmt.Errorf("asyncio: await of %v: %w", w, ErrStrayResume)
}

// sameLoop returns nil if f belongs to loop l, and otherwise an error
// wrapping ErrDifferentLoop, which call (the function refusing f) begins:
// Python's ValueError("The future belongs to a different loop than the one
// specified as the loop argument"). A function that waits for futures
// checks each one before it touches any, since adding a callback to
// another loop's future would run it on that loop's goroutine.
func sameLoop(l *Loop, f *futureCore, call string) error {
	if f.loop == l {
		return nil
	}
	return fmt.Errorf("%s: future %w", call, ErrDifferentLoop)
}

// outcome is Python's Future.result(): the value, or why there is none.
func outcome[T any](f *futureCore, v T) (T, error) {
	if f.state == pending {
		var zero T
		return zero, fmt.Errorf("%w: result is not set", ErrInvalidState)
	}
	return v, f.err
}

// A Future is a value that will be set later, by a callback or another task:
// Python's asyncio.Future. Awaiting it suspends the awaiting task until it
// is done. Its zero value is not usable; create it with NewFuture. Its
// methods must be called on its loop's goroutine.
type Future[T any] struct {
	futureCore
	result T
}

// NewFuture returns a pending future attached to loop l: Python's
// loop.create_future().
func NewFuture[T any](l *Loop) *Future[T] {
	return &Future[T]{futureCore: futureCore{loop: l}}
}

// Done reports whether the future has a result, an error, or was cancelled.
func (f *Future[T]) Done() bool { return f.done() }

// Cancelled reports whether the future was cancelled.
func (f *Future[T]) Cancelled() bool { return f.state == cancelled }

// Result returns the future's value and error once it is done. For a
// cancelled future the error is a *CanceledError; for a pending one it wraps
// ErrInvalidState. It is Python's Future.result(), with the exception
// returned rather than raised.
func (f *Future[T]) Result() (T, error) { return outcome(&f.futureCore, f.result) }

// Exception returns the error the future ended with, nil if it has a value,
// or an error wrapping ErrInvalidState if it is pending.
func (f *Future[T]) Exception() error {
	_, err := f.Result()
	return err
}

// SetResult marks the future done with value v and schedules its done
// callbacks. If the future is already done it changes nothing and returns
// an error wrapping ErrInvalidState.
func (f *Future[T]) SetResult(v T) error {
	if f.done() {
		return fmt.Errorf("%w: future is done", ErrInvalidState)
	}
	f.result = v
	f.finish(nil)
	return nil
}

// SetException marks the future done with err (which must not be nil) and
// schedules its done callbacks. If the future is already done it changes
// nothing and returns an error wrapping ErrInvalidState.
func (f *Future[T]) SetException(err error) error {
	if err == nil {
		panic("asyncio.Future.SetException: nil error")
	}
	if f.done() {
		return fmt.Errorf("%w: future is done", ErrInvalidState)
	}
	f.finish(err)
	return nil
}

// Cancel cancels the future, with an optional message, and schedules its
// done callbacks: Python's Future.cancel() and Future.cancel(msg). It
// reports false if the future was already done. A task awaiting it sees a
// *CanceledError carrying the message. More than one message is a misuse,
// and panics.
func (f *Future[T]) Cancel(msg ...string) bool {
	return f.cancel(oneMessage("asyncio.Future.Cancel", msg))
}

// oneMessage returns the optional message of a Cancel call, named call.
func oneMessage(call string, msg []string) string {
	switch len(msg) {
	case 0:
		return ""
	case 1:
		return msg[0]
	}
	panic(call + ": more than one message")
}

// AddDoneCallback arranges for fn to be called with the future, on the
// loop, once the future is done (soon, if it is done already): Python's
// add_done_callback. Callbacks run in the order they were added. It returns
// the registration, which RemoveDoneCallback takes.
func (f *Future[T]) AddDoneCallback(fn func(*Future[T])) *DoneCallback {
	return f.addDoneCallback(func() { fn(f) })
}

// A DoneCallback is a done callback's registration, returned by the
// AddDoneCallback of a Future, Task or GatheringFuture, which
// RemoveDoneCallback takes: Go functions cannot be compared, so the
// registration stands for the function that Python's remove_done_callback
// takes. A callback that panics is reported as a Handle's is.
type DoneCallback struct{ h Handle }

func (c *DoneCallback) run() { c.h.run() }

func (f *futureCore) addDoneCallback(fn func()) *DoneCallback {
	c := &DoneCallback{h: Handle{fn: fn, loop: f.loop}}
	f.addCallback(c)
	return c
}

// RemoveDoneCallback unregisters the done callback c, and reports whether
// it was still registered: Python's remove_done_callback (which counts the
// callbacks it removed). Once the future is done its callbacks are
// scheduled, and none can be removed. A registration of another future is
// not this one's: RemoveDoneCallback reports false for it.
func (f *futureCore) RemoveDoneCallback(c *DoneCallback) bool {
	return c != nil && f.removeCallbacks(func(r runnable) bool { return r == runnable(c) }) > 0
}

// Await suspends the task running a until the future is done and returns
// its result: Python's await fut. If the coroutine is resumed before the
// future is done (by something other than its task), Await returns an error
// wrapping ErrStrayResume; a future of another loop, an error wrapping
// ErrDifferentLoop.
func (f *Future[T]) Await(a *A) (T, error) {
	if err := awaitFuture(a, f); err != nil {
		var zero T
		return zero, err
	}
	return f.Result()
}

// String describes the future for diagnostics.
func (f *Future[T]) String() string { return describeFuture("Future", &f.futureCore) }

func describeFuture(kind string, f *futureCore) string {
	switch f.state {
	case pending:
		if f.reason != nil {
			return fmt.Sprintf("<%s pending: waiting for %v>", kind, f.reason)
		}
		return fmt.Sprintf("<%s pending>", kind)
	case cancelled:
		return fmt.Sprintf("<%s cancelled>", kind)
	}
	if f.err != nil {
		return fmt.Sprintf("<%s finished exception=%v>", kind, f.err)
	}
	return fmt.Sprintf("<%s finished>", kind)
}

var _ coro.Awaitable[int] = (*Future[int])(nil)
