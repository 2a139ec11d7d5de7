package asyncio

import (
	"errors"
	"fmt"
	"iter"
	"time"
)

// An AnyFuture is a Future or Task of any result type, as Wait and
// AsCompleted take them.
type AnyFuture interface {
	// Done reports whether the future is done.
	Done() bool
	// Cancelled reports whether the future was cancelled.
	Cancelled() bool
	// Exception returns the error the future ended with.
	Exception() error
	// Cancel cancels the future, with an optional message.
	Cancel(msg ...string) bool

	base() *futureCore
}

// ReturnWhen says when Wait returns.
type ReturnWhen uint8

const (
	// AllCompleted: when every future is done (Python's ALL_COMPLETED).
	AllCompleted ReturnWhen = iota
	// FirstCompleted: when any future is done (FIRST_COMPLETED).
	FirstCompleted
	// FirstException: when any future fails, or all are done
	// (FIRST_EXCEPTION). A cancelled future does not count as failed.
	FirstException
)

// ErrNoFutures is the error of Wait called with no futures, as Python's
// ValueError("Set of Tasks/Futures is empty.").
var ErrNoFutures = errors.New("asyncio: Wait was given no futures to wait for")

// ErrInvalidReturnWhen is the error of Wait called with a ReturnWhen that is
// none of AllCompleted, FirstCompleted and FirstException: Python's
// ValueError("Invalid return_when value: ...").
var ErrInvalidReturnWhen = errors.New("asyncio: invalid ReturnWhen value")

// Wait waits until the futures (tasks, or futures) reach the condition
// returnWhen, or until timeout passes, and returns them split into done and
// pending, each in argument order: Python's asyncio.wait. A future given
// more than once counts once, where it first comes, as Python's wait takes
// a set. A timeout of
// NoTimeout means none (Python's None); a timeout ≤ 0 has passed already, so
// Wait returns at the loop's next iteration with what is done by then, as
// Python's does for a timeout ≤ 0. A timeout is not an error: the futures
// not yet done come back as pending. Wait cancels nothing. If the waiting
// task is cancelled, Wait returns the cancellation. Wait with no futures
// returns ErrNoFutures, and with a returnWhen that is none of the three
// constants an error wrapping ErrInvalidReturnWhen, before waiting. A future
// of another loop is refused with an error wrapping ErrDifferentLoop.
func Wait[F AnyFuture](a *A, fs []F, returnWhen ReturnWhen, timeout time.Duration) (done, pending []F, err error) {
	t, err := currentTask(a)
	if err != nil {
		return nil, nil, err
	}
	if len(fs) == 0 {
		return nil, nil, ErrNoFutures
	}
	if returnWhen > FirstException {
		return nil, nil, fmt.Errorf("asyncio.Wait: %w %d", ErrInvalidReturnWhen, returnWhen)
	}
	if err := sameLoopAll(t.loop, fs, "asyncio.Wait"); err != nil {
		return nil, nil, err
	}
	fs = distinct(fs)
	w := &waitState{wake: NewFuture[struct{}](t.loop), left: len(fs), returnWhen: returnWhen}
	if timeout != NoTimeout {
		w.timeout = t.loop.CallLater(timeout, w.release)
	}
	for _, f := range fs {
		f.base().addCallback(&waitEntry{w: w, f: f})
	}
	_, err = w.wake.Await(a)
	if w.timeout != nil {
		w.timeout.Cancel()
	}
	for _, f := range fs {
		if !f.Done() {
			f.base().removeCallbacks(func(r runnable) bool {
				e, ok := r.(*waitEntry)
				return ok && e.w == w
			})
		}
	}
	if err != nil {
		return nil, nil, err
	}
	for _, f := range fs {
		if f.Done() {
			done = append(done, f)
		} else {
			pending = append(pending, f)
		}
	}
	return done, pending, nil
}

// distinct returns fs without the futures given again, in the order they
// first come: Python's wait and as_completed take a set. It returns fs
// itself, unless some future comes twice.
func distinct[F AnyFuture](fs []F) []F {
	seen := make(map[*futureCore]struct{}, len(fs))
	var out []F
	for i, f := range fs {
		if _, dup := seen[f.base()]; dup {
			if out == nil {
				out = append(make([]F, 0, len(fs)-1), fs[:i]...)
			}
			continue
		}
		seen[f.base()] = struct{}{}
		if out != nil {
			out = append(out, f)
		}
	}
	if out == nil {
		return fs
	}
	return out
}

// sameLoopAll checks that every future of fs belongs to l; see sameLoop.
func sameLoopAll[F AnyFuture](l *Loop, fs []F, call string) error {
	for _, f := range fs {
		if err := sameLoop(l, f.base(), call); err != nil {
			return err
		}
	}
	return nil
}

// waitState is the state shared by the done callbacks of one Wait.
type waitState struct {
	wake       *Future[struct{}]
	left       int
	returnWhen ReturnWhen
	timeout    *TimerHandle
}

func (w *waitState) release() {
	if !w.wake.done() {
		w.wake.SetResult(struct{}{})
	}
}

type waitEntry struct {
	w *waitState
	f AnyFuture
}

func (e *waitEntry) run() {
	w := e.w
	w.left--
	failed := e.f.base().state == finished && e.f.base().err != nil
	if w.left <= 0 || w.returnWhen == FirstCompleted || w.returnWhen == FirstException && failed {
		w.release()
	}
}

// AsCompleted iterates over the futures in the order they finish: Python's
// asyncio.as_completed, ranged over as in Python 3.13's async for.
//
//	for f, err := range asyncio.AsCompleted(a, tasks, asyncio.NoTimeout) {
//		if err != nil { ... } // the timeout passed, or the caller was cancelled
//		v, ferr := f.Result()
//	}
//
// Each step suspends the calling task until the next future is done; a
// future given more than once comes once, as Python's as_completed takes a
// set. If
// timeout passes first, the last pair carries ErrTimeout; a cancellation
// of the calling task arrives the same way. A timeout of NoTimeout means
// none; a timeout ≤ 0 has passed already, so that only the futures done by
// the loop's next iteration come before it, as with Python's timeout ≤ 0.
// Coroutines go in as tasks, as Python's as_completed wraps them:
// AsCompleted(a, CreateTasks(a, coros), timeout). An error wrapping
// ErrDifferentLoop arrives the same way as the timeout if one of the
// futures belongs to another loop. The futures themselves are never
// cancelled by AsCompleted.
func AsCompleted[F AnyFuture](a *A, fs []F, timeout time.Duration) iter.Seq2[F, error] {
	return func(yield func(F, error) bool) {
		var zero F
		t, err := currentTask(a)
		if err != nil {
			yield(zero, err)
			return
		}
		if err := sameLoopAll(t.loop, fs, "asyncio.AsCompleted"); err != nil {
			yield(zero, err)
			return
		}
		fs := distinct(fs)
		c := &completions[F]{loop: t.loop}
		for _, f := range fs {
			f.base().addCallback(&completion[F]{c: c, f: f})
		}
		defer func() {
			for _, f := range fs {
				if !f.Done() {
					f.base().removeCallbacks(func(r runnable) bool {
						e, ok := r.(*completion[F])
						return ok && e.c == c
					})
				}
			}
		}()
		var deadline *TimerHandle
		if timeout != NoTimeout {
			deadline = t.loop.CallLater(timeout, func() {
				c.expired = true
				c.signal()
			})
			defer deadline.Cancel()
		}
		for range fs {
			for len(c.done) == 0 && !c.expired {
				c.wake = NewFuture[struct{}](t.loop)
				if _, err := c.wake.Await(a); err != nil {
					yield(zero, err)
					return
				}
			}
			if len(c.done) == 0 {
				yield(zero, ErrTimeout)
				return
			}
			f := c.done[0]
			c.done = c.done[1:]
			if !yield(f, nil) {
				return
			}
		}
	}
}

type completions[F AnyFuture] struct {
	loop    *Loop
	done    []F
	wake    *Future[struct{}]
	expired bool
}

func (c *completions[F]) signal() {
	if c.wake != nil && !c.wake.done() {
		c.wake.SetResult(struct{}{})
	}
}

type completion[F AnyFuture] struct {
	c *completions[F]
	f F
}

func (e *completion[F]) run() {
	e.c.done = append(e.c.done, e.f)
	e.c.signal()
}
