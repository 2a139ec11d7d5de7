package asyncio

import (
	"errors"
	"fmt"
)

// ErrTooManyReleases is the error of releasing a BoundedSemaphore more
// times than it was acquired: Python's ValueError("BoundedSemaphore
// released too many times").
var ErrTooManyReleases = errors.New("asyncio: BoundedSemaphore released too many times")

// A Semaphore holds a number of permits that tasks take and give back:
// Python's asyncio.Semaphore. Acquire takes one, waiting while there are
// none; Release gives one back. It bounds how many tasks do something at
// once:
//
//	sem = asyncio.Semaphore(3)       sem := asyncio.NewSemaphore(3)
//	async with sem:                  if err := sem.Acquire(a); err != nil {
//	    await fetch()                    return err
//	                                 }
//	                                 defer sem.Release()
//	                                 fetch(a)
//
// Waiting tasks get permits in the order they started waiting: Release
// hands its permit to the first waiter at once, and a task that calls
// Acquire while others wait queues behind them, as in Python 3.12.
//
// The zero value is a semaphore with no permits, Python's Semaphore(0):
// every Acquire waits for a Release. A Semaphore binds to the loop of the
// first task that calls Acquire; using it from another loop afterwards is
// an error wrapping ErrDifferentLoop. Its methods must be called on its
// loop's goroutine. A Semaphore must not be copied after first use.
type Semaphore struct {
	_ noCopy
	loopBound

	// value counts the permits that are free and promised to nobody: a
	// woken waiter's permit is taken off when it is woken, not when it runs.
	value   int
	waiters waitQueue
}

// NewSemaphore returns a semaphore holding value permits: Python's
// asyncio.Semaphore(value). It panics if value is negative.
func NewSemaphore(value int) *Semaphore {
	if value < 0 {
		panic("asyncio.NewSemaphore: negative value")
	}
	return &Semaphore{value: value}
}

// Acquire takes a permit, waiting until one is free: Python's await
// sem.acquire(). If a permit is free and no task is waiting, it takes it
// without suspending.
//
// If the task is cancelled while it waits, Acquire returns the
// cancellation error (wrapping ErrCanceled) and holds no permit. This holds
// even when a permit had already been handed to the task but the task had
// not run yet: the permit then goes to the next waiter, or back to the
// semaphore, so a cancellation never leaks a permit.
func (s *Semaphore) Acquire(a *A) error { return s.acquire(a, "Semaphore") }

func (s *Semaphore) acquire(a *A, kind string) error {
	loop, err := s.bind(a, kind, "Acquire")
	if err != nil {
		return err
	}
	if !s.Locked() {
		s.value--
		return nil
	}
	w := s.waiters.add(loop, kind, "Acquire")
	err = w.await(a)
	woken := w.woken()
	w.retire()
	if err != nil && woken {
		s.value++ // the permit handed to us, which we will not use
	}
	// A permit given back above, or released while we were woken but had
	// not run (a new Acquire queued behind us then), belongs to the next
	// in line.
	for s.value > 0 {
		if !s.wakeNext() {
			break
		}
	}
	return err
}

// Release gives a permit back and hands it to the first waiting task, if
// any: Python's sem.release(). A Semaphore may be released more often than
// it was acquired, which adds permits; BoundedSemaphore forbids that.
func (s *Semaphore) Release() {
	s.value++
	s.wakeNext()
}

// wakeNext hands a permit to the first waiter still pending, if there is
// one: Python's Semaphore._wake_up_next.
func (s *Semaphore) wakeNext() bool {
	if !s.waiters.wakeNext() {
		return false
	}
	s.value--
	return true
}

// Locked reports whether Acquire would wait: Python's sem.locked(). That is
// so when no permit is free, and also while tasks are in line for one, even
// tasks already handed a permit that have not run yet, but not tasks
// cancelled while in line.
func (s *Semaphore) Locked() bool { return s.value == 0 || s.waiters.live() > 0 }

// A BoundedSemaphore is a Semaphore that refuses to be released more often
// than it was acquired: Python's asyncio.BoundedSemaphore. Create it with
// NewBoundedSemaphore; its zero value is bounded at zero permits, so it can
// be neither acquired nor released. Everything else is as for Semaphore.
type BoundedSemaphore struct {
	sem   Semaphore
	bound int
}

// NewBoundedSemaphore returns a bounded semaphore holding value permits,
// which is also the most it may ever hold: Python's
// asyncio.BoundedSemaphore(value). It panics if value is negative.
func NewBoundedSemaphore(value int) *BoundedSemaphore {
	if value < 0 {
		panic("asyncio.NewBoundedSemaphore: negative value")
	}
	return &BoundedSemaphore{sem: Semaphore{value: value}, bound: value}
}

// Acquire takes a permit, waiting until one is free; see Semaphore.Acquire.
func (s *BoundedSemaphore) Acquire(a *A) error { return s.sem.acquire(a, "BoundedSemaphore") }

// Release gives a permit back, as Semaphore.Release does: Python's
// sem.release(). If that would make the free permits more than the initial
// value, it changes nothing and returns an error wrapping
// ErrTooManyReleases.
func (s *BoundedSemaphore) Release() error {
	if s.sem.value >= s.bound {
		return fmt.Errorf("asyncio.BoundedSemaphore.Release: %w", ErrTooManyReleases)
	}
	s.sem.Release()
	return nil
}

// Locked reports whether Acquire would wait; see Semaphore.Locked.
func (s *BoundedSemaphore) Locked() bool { return s.sem.Locked() }
