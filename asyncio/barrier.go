package asyncio

import "errors"

// ErrBrokenBarrier is the error of waiting on a Barrier that is aborted,
// or that is reset or aborted while the task waits: Python's
// asyncio.BrokenBarrierError.
var ErrBrokenBarrier = errors.New("asyncio: barrier is broken")

type barrierState uint8

const (
	barrierFilling   barrierState = iota // tasks arrive
	barrierDraining                      // all arrived; they are leaving
	barrierResetting                     // Reset while tasks waited; they are leaving
	barrierBroken                        // Abort
)

// A Barrier makes a fixed number of tasks wait for each other: Python's
// asyncio.Barrier. Each task calls Wait; the first parties−1 wait, and the
// arrival of the last releases them all at once. The barrier can then be
// used again: tasks that arrive while the released ones are still leaving
// wait until they have left, and form the next round.
//
// Reset and Abort break the current round: the tasks waiting in it get
// ErrBrokenBarrier. After Abort every Wait fails until Reset.
//
// A Barrier must be created with NewBarrier; calling Wait on the zero value
// panics. It binds to the loop of the first task that calls Wait; using it
// from another loop afterwards is an error wrapping ErrDifferentLoop. Its
// methods must be called on its loop's goroutine. A Barrier must not be
// copied after first use.
type Barrier struct {
	_ noCopy
	loopBound
	parties int
	state   barrierState
	count   int // tasks inside Wait past the entry check
	waiters waitQueue
}

// NewBarrier returns a barrier for parties tasks: Python's
// asyncio.Barrier(parties). It panics if parties is less than 1.
func NewBarrier(parties int) *Barrier {
	if parties < 1 {
		panic("asyncio.NewBarrier: parties must be at least 1")
	}
	return &Barrier{parties: parties}
}

// Wait waits until parties tasks have called it, and returns this task's
// arrival index, from 0 for the first to parties−1 for the last: Python's
// await barrier.wait(). The last task to arrive does not suspend.
//
// Wait returns ErrBrokenBarrier if the barrier is broken (aborted) when the
// task arrives, or if it is reset or aborted while the task waits. If the
// task is cancelled while it waits, Wait returns the cancellation error
// (wrapping ErrCanceled) and the task no longer counts as arrived: the
// round then needs another task to fill it, as in Python (unlike
// threading.Barrier, a cancelled waiter does not break the barrier).
func (b *Barrier) Wait(a *A) (index int, err error) {
	if b.parties == 0 {
		panic("asyncio.Barrier.Wait: Barrier not created with NewBarrier")
	}
	loop, err := b.bind(a, "Barrier", "Wait")
	if err != nil {
		return 0, err
	}
	// Block while the previous round leaves.
	for b.state == barrierDraining || b.state == barrierResetting {
		if err := b.wait(a, loop); err != nil {
			return 0, err
		}
	}
	if b.state == barrierBroken {
		return 0, ErrBrokenBarrier
	}
	index = b.count
	b.count++
	defer b.leave()
	if index+1 == b.parties {
		b.state = barrierDraining
		b.waiters.wakeAll()
		return index, nil
	}
	for b.state == barrierFilling {
		if err := b.wait(a, loop); err != nil {
			return 0, err
		}
	}
	if b.state == barrierBroken || b.state == barrierResetting {
		return 0, ErrBrokenBarrier
	}
	return index, nil
}

// wait waits for the next change of state; every change wakes every
// waiter, which checks again what it waits for, as the tasks waiting on
// the Condition inside Python's Barrier do.
func (b *Barrier) wait(a *A, loop *Loop) error {
	w := b.waiters.add(loop, "Barrier", "Wait")
	err := w.await(a)
	w.retire()
	return err
}

// leave is Python's Barrier._exit: the last task to leave a drained or
// reset round opens the barrier for the next one.
func (b *Barrier) leave() {
	b.count--
	if b.count == 0 {
		if b.state == barrierResetting || b.state == barrierDraining {
			b.state = barrierFilling
		}
		b.waiters.wakeAll()
	}
}

// Reset returns the barrier to its initial, empty state: Python's await
// barrier.reset(). Tasks waiting in the current round get
// ErrBrokenBarrier, and tasks that arrive meanwhile wait until they have
// left. Reset also repairs an aborted barrier; on a barrier that nobody
// waits at it changes nothing. Python's reset is a coroutine only to take
// the lock of the barrier's condition, which is never held across an
// await, so this one does not suspend and needs no handle.
func (b *Barrier) Reset() {
	if b.count > 0 {
		b.state = barrierResetting
	} else {
		b.state = barrierFilling
	}
	b.waiters.wakeAll()
}

// Abort breaks the barrier: Python's await barrier.abort(). Waiting tasks
// get ErrBrokenBarrier, and so does every later Wait until Reset; aborting
// a broken barrier changes nothing. Like Reset it does not suspend.
func (b *Barrier) Abort() {
	b.state = barrierBroken
	b.waiters.wakeAll()
}

// Parties returns the number of tasks needed to pass the barrier: Python's
// barrier.parties.
func (b *Barrier) Parties() int { return b.parties }

// NWaiting returns the number of tasks waiting in the current round, while
// it fills: Python's barrier.n_waiting.
func (b *Barrier) NWaiting() int {
	if b.state == barrierFilling {
		return b.count
	}
	return 0
}

// Broken reports whether the barrier is broken (aborted and not reset since):
// Python's barrier.broken.
func (b *Barrier) Broken() bool { return b.state == barrierBroken }
