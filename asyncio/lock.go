package asyncio

import (
	"errors"
	"fmt"
)

var (
	// ErrNotLocked is the error of releasing a Lock (or a Condition) that is
	// not locked, and of waiting on or notifying a Condition whose lock is
	// not held: Python's RuntimeError("Lock is not acquired.").
	ErrNotLocked = errors.New("asyncio: lock is not acquired")

	// ErrDifferentLoop is the error of using a Lock, Event, Condition,
	// Semaphore, Barrier or queue from a loop other than the one it is bound
	// to: Python's RuntimeError("... is bound to a different event loop");
	// and of awaiting a future or task of another loop, or handing one to
	// Gather, Shield, Wait, AsCompleted or WaitFor: Python's
	// ValueError("The future belongs to a different loop than the one
	// specified as the loop argument").
	ErrDifferentLoop = errors.New("asyncio: bound to a different event loop")
)

// A Lock is a mutual exclusion lock for tasks: Python's asyncio.Lock. It is
// not owned: any task (or callback) may release it, not only the one that
// acquired it. It is not reentrant: a task that acquires a lock it already
// holds waits for itself; if nothing else can release it, the loop reports
// a deadlock where it can prove one (on the virtual clock, or under
// WithStrictDeadlocks) and a stall report on the real clock (see Run).
//
//	async with lock:                 if err := lock.Acquire(a); err != nil {
//	    ...                              return err
//	                                 }
//	                                 defer lock.Release()
//	                                 ...
//
// Waiting tasks acquire the lock in the order they started waiting, and a
// task that calls Acquire while others wait queues behind them even if the
// lock is free at that moment (a woken waiter has not run yet), as in
// Python 3.12. Release wakes the first waiter only: if that one was
// cancelled and has not run yet, it wakes nobody, and the cancelled task
// passes the lock on to the next waiter when it runs, as in Python.
//
// The zero value is an unlocked lock. A Lock binds to the loop of the first
// task that calls Acquire; using it from another loop afterwards is an error
// wrapping ErrDifferentLoop. Its methods must be called on its loop's
// goroutine. A Lock must not be copied after first use.
type Lock struct {
	_ noCopy
	loopBound
	locked  bool
	waiters waitQueue
	holder  *taskCore // the task that acquired it, for deadlock reports
}

// Acquire waits until the lock is free and locks it: Python's await
// lock.acquire(). If the lock is free and no task is waiting for it (a
// cancelled waiter that has not run yet does not count), Acquire locks it
// without suspending.
//
// If the task is cancelled while it waits, Acquire returns the
// cancellation error (wrapping ErrCanceled) without the lock. This holds
// even when the lock had already been handed to the task but the task had
// not run yet: the lock then passes to the next waiter, so a cancellation
// never swallows a Release.
func (l *Lock) Acquire(a *A) error {
	loop, err := l.bind(a, "Lock", "Acquire")
	if err != nil {
		return err
	}
	if !l.locked && l.waiters.live() == 0 {
		l.locked, l.holder = true, loop.current
		return nil
	}
	w := l.waiters.add(loop, "Lock", "Acquire")
	w.reason = lockHolder{l}
	err = w.await(a)
	w.retire()
	if err != nil {
		// Release woke us, and we will not take the lock: without this the
		// next waiter would wait forever beside a free lock.
		if !l.locked {
			l.waiters.wakeHead()
		}
		return err
	}
	// Only the head waiter is ever woken, and while it is in line nobody
	// else may take the lock, so the lock is free.
	l.locked, l.holder = true, loop.current
	return nil
}

// Release unlocks the lock and wakes the first task waiting for it, if
// any: Python's lock.release(). Releasing a lock that is not locked changes
// nothing and returns an error wrapping ErrNotLocked.
func (l *Lock) Release() error {
	if !l.locked {
		return fmt.Errorf("asyncio.Lock.Release: %w", ErrNotLocked)
	}
	l.locked, l.holder = false, nil
	l.waiters.wakeHead()
	return nil
}

// Locked reports whether the lock is held: Python's lock.locked(). Between
// a Release and the moment the woken waiter runs, it reports false, though
// a new Acquire still queues behind that waiter.
func (l *Lock) Locked() bool { return l.locked }

// heldBy returns the task that acquired the lock, if it is locked.
func (l *Lock) heldBy() *taskCore {
	if !l.locked {
		return nil
	}
	return l.holder
}

// A lockHolder is what a task waiting in Lock.Acquire waits for: the task
// that holds the lock, an edge of the wait-for graph of deadlock reports.
type lockHolder struct{ l *Lock }

func (h lockHolder) heldBy() *taskCore { return h.l.heldBy() }

func (h lockHolder) String() string {
	if t := h.l.heldBy(); t != nil {
		return "the lock held by " + t.Name()
	}
	return "the lock"
}
