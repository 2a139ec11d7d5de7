package asyncio

import (
	"errors"
	"fmt"

	"github.com/yieldfrom/asyncgo/gen"
)

// noCopy makes go vet's copylocks check report copies of the types that
// embed it: a copied primitive would split its waiters in two.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}

// loopBound is Python's mixins._LoopBoundMixin for the synchronization
// primitives and queues: their zero values belong to no loop, and the first
// task that uses one binds it to its own.
type loopBound struct {
	loop *Loop
}

// bind binds b to the loop running a, if it is not bound yet, and returns
// that loop. It fails if no task drives a, or if b belongs to another loop.
// The method named by owner and op is the one to blame in the error.
func (b *loopBound) bind(a *A, owner, op string) (*Loop, error) {
	t, err := currentTask(a)
	if err != nil {
		return nil, fmt.Errorf("asyncio.%s.%s: %w", owner, op, err)
	}
	switch b.loop {
	case t.loop:
	case nil:
		b.loop = t.loop
	default:
		return nil, fmt.Errorf("asyncio.%s.%s: %w", owner, op, ErrDifferentLoop)
	}
	return t.loop, nil
}

// A waiter is the future a task suspends on inside a primitive or queue:
// one entry of Python's deque of waiter futures. It joins its waitQueue when
// the task starts to wait and stays there, woken, cancelled or not, until
// the task runs again and leaves, as Python's futures stay in the deque
// until the waiting coroutine removes its own. A cancelled waiter is never
// woken, but it holds its place: Lock.Release wakes nobody while the
// cancelled head of the line has not run (Python's _wake_up_first), and the
// line counts it apart (live), as Python's checks of w.cancelled() do.
type waiter struct {
	futureCore
	owner, op  string // what is waited for, for deadlock reports
	queue      *waitQueue
	prev, next *waiter
}

// cancel is Future.cancel; the waiter keeps its place in line, counted as
// cancelled, until its task runs and leaves.
func (w *waiter) cancel(msg string) bool {
	if !w.cancelCore(msg) {
		return false
	}
	if w.queue != nil {
		w.queue.cancelled++
	}
	return true
}

// await suspends the task running a until w is woken or cancelled, and
// returns nil if it was woken. An error thrown into the task (a
// cancellation arriving after w was woken, or the close of the task's
// coroutine), or the error of a stray resume, is returned as it is.
func (w *waiter) await(a *A) error {
	if err := suspendOn(a, w); err != nil {
		return err
	}
	return w.err
}

// woken reports whether the waiter was woken, rather than cancelled or
// still waiting.
func (w *waiter) woken() bool { return w.state == finished }

// rearm makes a woken waiter that found the primitive taken again wait
// once more, at the back of its line: Python's get and put append a new
// future after each wake-up that finds the queue empty or full. The waiter
// is reused rather than replaced, which saves an allocation.
func (w *waiter) rearm() {
	w.state = pending
	w.err = nil
	q := w.queue
	q.remove(w)
	q.push(w)
}

// leave takes w out of its line, if it is in one; w may be nil.
func (w *waiter) leave() {
	if w != nil && w.queue != nil {
		w.queue.remove(w)
	}
}

// maxSpareWaiters bounds the loop's spare waiters: as many tasks as are
// likely to wait at once, and little memory (128 bytes each).
const maxSpareWaiters = 256

// retire takes w out of its line and keeps it on the loop for the next wait
// of any task, which saves an allocation per wait: the primitive that
// waited on w must be done with it. Nothing else refers to a waiter whose
// task has run again (the task forgot it when its step began). w may be nil.
func (w *waiter) retire() {
	if w == nil {
		return
	}
	w.leave()
	l := w.loop
	if len(l.spareWaiters) < maxSpareWaiters {
		*w = waiter{}
		l.spareWaiters = append(l.spareWaiters, w)
	}
}

// String describes the waiter, for deadlock reports: "<Lock.Acquire
// pending>".
func (w *waiter) String() string {
	return describeFuture(w.owner+"."+w.op, &w.futureCore)
}

// isGeneratorExit reports whether err says that the task's coroutine is being
// closed: it must then return without suspending again.
func isGeneratorExit(err error) bool { return errors.Is(err, gen.ErrGeneratorExit) }

// A waitQueue is the line of a primitive's waiters, oldest first, as an
// intrusive doubly linked list: joining, leaving from anywhere and waking
// the head cost O(1) and no allocation beyond the waiter itself.
type waitQueue struct {
	head, tail *waiter
	n          int
	cancelled  int // of the n, those cancelled whose tasks have not left yet
}

// len returns how many waiters are in line, cancelled ones included.
func (q *waitQueue) len() int { return q.n }

// live returns how many waiters in line are not cancelled: pending or
// woken.
func (q *waitQueue) live() int { return q.n - q.cancelled }

// add puts a waiter for loop l at the end of the line: a spare one, or a
// new one.
func (q *waitQueue) add(l *Loop, owner, op string) *waiter {
	var w *waiter
	if n := len(l.spareWaiters); n > 0 {
		w = l.spareWaiters[n-1]
		l.spareWaiters[n-1] = nil
		l.spareWaiters = l.spareWaiters[:n-1]
	} else {
		w = new(waiter)
	}
	w.owner, w.op = owner, op
	w.loop = l
	q.push(w)
	return w
}

// push puts w, which is in no line, at the end of the line.
func (q *waitQueue) push(w *waiter) {
	w.queue, w.prev = q, q.tail
	if q.tail != nil {
		q.tail.next = w
	} else {
		q.head = w
	}
	q.tail = w
	q.n++
}

func (q *waitQueue) remove(w *waiter) {
	if w.prev != nil {
		w.prev.next = w.next
	} else {
		q.head = w.next
	}
	if w.next != nil {
		w.next.prev = w.prev
	} else {
		q.tail = w.prev
	}
	w.prev, w.next, w.queue = nil, nil, nil
	q.n--
	if w.state == cancelled {
		q.cancelled--
	}
}

// wakeHead wakes the first waiter unless it is woken or cancelled already:
// Python's Lock._wake_up_first. Only the head may be woken, so that at most
// one waiter at a time believes the lock is free; a cancelled head passes
// the wake-up on when its task runs.
func (q *waitQueue) wakeHead() {
	if w := q.head; w != nil && !w.done() {
		w.finish(nil)
	}
}

// wakeNext wakes the first waiter that is still pending, passing over those
// woken already, and reports whether there was one.
func (q *waitQueue) wakeNext() bool { return q.wake(1) == 1 }

// wakeAll wakes every pending waiter, oldest first.
func (q *waitQueue) wakeAll() { q.finishAll(nil) }

// finishAll ends every pending waiter, oldest first: it wakes them if err is
// nil, and otherwise fails them with err, which their waits return.
func (q *waitQueue) finishAll(err error) {
	for w := q.head; w != nil; w = w.next {
		if !w.done() {
			w.finish(err)
		}
	}
}

// wake wakes up to n (≥ 1) pending waiters, oldest first, and returns how
// many it woke.
func (q *waitQueue) wake(n int) int {
	woke := 0
	for w := q.head; w != nil && woke != n; w = w.next {
		if !w.done() {
			w.finish(nil)
			woke++
		}
	}
	return woke
}
