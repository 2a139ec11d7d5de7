package asyncio

import (
	"fmt"
)

// A Condition is a condition variable for tasks: Python's
// asyncio.Condition. It pairs a Lock with a line of tasks waiting to be
// notified. A task holding the lock calls Wait, which releases the lock,
// waits for Notify or NotifyAll, and takes the lock again before it
// returns.
//
//	async with cond:                 if err := cond.Acquire(a); err != nil {
//	    await cond.wait_for(ready)       return err
//	    consume()                    }
//	                                 defer cond.Release()
//	                                 if err := cond.WaitFor(a, ready); err != nil {
//	                                     return err
//	                                 }
//	                                 consume()
//
// The zero value is a condition with a lock of its own; NewCondition shares
// an existing lock. A Condition binds to the loop of the first task that
// calls Wait or WaitFor (its lock, to the first that acquires it); using it
// from another loop afterwards is an error wrapping ErrDifferentLoop. Its
// methods must be called on its loop's goroutine. A Condition must not be
// copied after first use.
type Condition struct {
	_ noCopy
	loopBound
	lock    *Lock
	waiters waitQueue
}

// NewCondition returns a condition variable that uses lock, or a new Lock
// of its own if lock is nil: Python's asyncio.Condition(lock).
func NewCondition(lock *Lock) *Condition {
	if lock == nil {
		lock = new(Lock)
	}
	return &Condition{lock: lock}
}

func (c *Condition) mu() *Lock {
	if c.lock == nil {
		c.lock = new(Lock)
	}
	return c.lock
}

// Acquire acquires the condition's lock; see Lock.Acquire.
func (c *Condition) Acquire(a *A) error { return c.mu().Acquire(a) }

// Release releases the condition's lock; see Lock.Release.
func (c *Condition) Release() error { return c.mu().Release() }

// Locked reports whether the condition's lock is held; see Lock.Locked.
func (c *Condition) Locked() bool { return c.mu().Locked() }

// Wait releases the lock, waits until another task notifies the condition,
// then acquires the lock again and returns nil: Python's await
// cond.wait(). The caller must hold the lock; otherwise Wait returns an
// error wrapping ErrNotLocked at once.
//
// Wait holds the lock again whenever it returns, even with an error, as
// Python's does, so the caller's Release stays right: if the task is
// cancelled while it waits, or while it takes the lock back, Wait still
// takes the lock back first and then returns the cancellation error
// (wrapping ErrCanceled). A notification that reached a task which then
// returns an error is passed on to the next waiting task, so that a
// cancellation never swallows a Notify. The one exception is the close of
// the task's coroutine, which may not wait again: then Wait returns
// without the lock.
//
// A task woken by Notify re-checks nothing: use WaitFor to wait until a
// predicate holds.
func (c *Condition) Wait(a *A) error {
	loop, err := c.bind(a, "Condition", "Wait")
	if err != nil {
		return err
	}
	lock := c.mu()
	if !lock.locked {
		return fmt.Errorf("asyncio.Condition.Wait: %w", ErrNotLocked)
	}
	_ = lock.Release()
	w := c.waiters.add(loop, "Condition", "Wait")
	err = w.await(a)
	notified := w.woken()
	w.retire()
	if !isGeneratorExit(err) {
		for {
			aerr := lock.Acquire(a)
			if aerr == nil {
				break
			}
			err = aerr // the most recent cancellation is the one reported
			if !isCancellation(aerr) || isGeneratorExit(aerr) {
				break
			}
		}
	}
	if err != nil && notified {
		// Python notifies another task on any error, allowing a spurious
		// wakeup; only a waiter that was notified has something to pass on.
		c.waiters.wakeNext()
	}
	return err
}

// WaitFor waits until predicate reports true, calling Wait until it does,
// and returns nil: Python's await cond.wait_for(predicate). It calls
// predicate first, and again each time it is woken, always holding the
// lock. If predicate reports true at once, WaitFor returns without waiting
// (and without checking the lock). A Wait that fails ends WaitFor with its
// error; see Wait for when the lock is held then.
func (c *Condition) WaitFor(a *A, predicate func() bool) error {
	for !predicate() {
		if err := c.Wait(a); err != nil {
			return err
		}
	}
	return nil
}

// Notify wakes up to n of the tasks waiting on the condition, those that
// have waited longest first: Python's cond.notify(n). A woken task returns
// from Wait only once it has acquired the lock, so the caller should
// release it. The caller must hold the lock; otherwise Notify wakes nobody
// and returns an error wrapping ErrNotLocked. A count n ≤ 0 wakes nobody.
func (c *Condition) Notify(n int) error {
	if !c.Locked() {
		return fmt.Errorf("asyncio.Condition.Notify: %w", ErrNotLocked)
	}
	if n > 0 {
		c.waiters.wake(n)
	}
	return nil
}

// NotifyAll wakes every task waiting on the condition: Python's
// cond.notify_all(). The caller must hold the lock; otherwise NotifyAll
// wakes nobody and returns an error wrapping ErrNotLocked.
func (c *Condition) NotifyAll() error {
	if !c.Locked() {
		return fmt.Errorf("asyncio.Condition.NotifyAll: %w", ErrNotLocked)
	}
	c.waiters.wakeAll()
	return nil
}
