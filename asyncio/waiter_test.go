package asyncio_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// abandonedWaits is how many waits TestAbandonedWaitsLeaveNoWaiter
// abandons on each primitive: a leak of one waiter each is plain to see.
const abandonedWaits = 100

// TestAbandonedWaitsLeaveNoWaiter abandons many waits on every primitive
// and queue, by cancelling the waiting task and by a timeout, and checks
// that none is left in line: a cancelled wait removes its waiter, or a
// program that times out waits in a loop grows without bound.
func TestAbandonedWaitsLeaveNoWaiter(t *testing.T) {
	type subject struct {
		x    any                      // what Waiters counts
		wait func(a *asyncio.A) error // a wait that blocks until abandoned
	}
	tests := []struct {
		name string
		// make makes the subject, already in the state where wait blocks.
		make func(a *asyncio.A) (subject, error)
	}{
		{"Lock.Acquire", func(a *asyncio.A) (subject, error) {
			l := new(asyncio.Lock)
			return subject{l, l.Acquire}, l.Acquire(a)
		}},
		{"Semaphore.Acquire", func(a *asyncio.A) (subject, error) {
			s := asyncio.NewSemaphore(0)
			return subject{s, s.Acquire}, nil
		}},
		{"BoundedSemaphore.Acquire", func(a *asyncio.A) (subject, error) {
			s := asyncio.NewBoundedSemaphore(0)
			return subject{s, s.Acquire}, nil
		}},
		{"Condition.Wait", func(a *asyncio.A) (subject, error) {
			c := asyncio.NewCondition(nil)
			return subject{c, func(a *asyncio.A) error {
				if err := c.Acquire(a); err != nil {
					return err
				}
				defer c.Release()
				return c.Wait(a)
			}}, nil
		}},
		{"Event.Wait", func(a *asyncio.A) (subject, error) {
			e := new(asyncio.Event)
			return subject{e, e.Wait}, nil
		}},
		{"Barrier.Wait", func(a *asyncio.A) (subject, error) {
			b := asyncio.NewBarrier(2)
			return subject{b, func(a *asyncio.A) error {
				_, err := b.Wait(a)
				return err
			}}, nil
		}},
		{"Queue.Put", func(a *asyncio.A) (subject, error) {
			q := asyncio.NewQueue[int](1)
			return subject{q, func(a *asyncio.A) error { return q.Put(a, 2) }}, q.PutNowait(1)
		}},
		{"Queue.Get", func(a *asyncio.A) (subject, error) {
			q := asyncio.NewQueue[int](0)
			return subject{q, func(a *asyncio.A) error {
				_, err := q.Get(a)
				return err
			}}, nil
		}},
		{"Queue.Join", func(a *asyncio.A) (subject, error) {
			q := asyncio.NewQueue[int](0)
			return subject{q, q.Join}, q.PutNowait(1)
		}},
	}
	abandon := []struct {
		name string
		// end abandons wait, which blocks, and returns its error.
		end func(a *asyncio.A, wait func(a *asyncio.A) error) error
	}{
		{"cancelled", func(a *asyncio.A, wait func(a *asyncio.A) error) error {
			task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
				return struct{}{}, wait(a)
			}))
			if err := asyncio.Sleep(a, 0); err != nil {
				return err
			}
			task.Cancel()
			_, err := task.Await(a)
			return err
		}},
		{"timed out", func(a *asyncio.A, wait func(a *asyncio.A) error) error {
			_, err := asyncio.WaitFor(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
				return struct{}{}, wait(a)
			}), time.Millisecond)
			return err
		}},
	}
	for _, tt := range tests {
		for _, ab := range abandon {
			t.Run(tt.name+"/"+ab.name, func(t *testing.T) {
				err := vrun0(func(a *asyncio.A) error {
					s, err := tt.make(a)
					if err != nil {
						return err
					}
					for i := range abandonedWaits {
						err := ab.end(a, s.wait)
						if !errors.Is(err, asyncio.ErrCanceled) && !errors.Is(err, asyncio.ErrTimeout) {
							return fmt.Errorf("wait %d ended with %v, want a cancellation or a timeout", i, err)
						}
					}
					if n := waiters(s.x); n != 0 {
						return fmt.Errorf("after %d abandoned waits: %d waiters in line, want 0", abandonedWaits, n)
					}
					return nil
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
	}
}

// waiters is asyncio.Waiters, with the queue's lines counted as well.
func waiters(x any) int {
	if q, ok := x.(*asyncio.Queue[int]); ok {
		return asyncio.QueueWaiters(q)
	}
	return asyncio.Waiters(x)
}

// TestCancelledWaitAllTasksBlockedLeavesNoWaiter cancels many tasks in
// WaitAllTasksBlocked while the loop never goes idle (the main task stays
// ready): none may be left in the loop's line of idle waiters. (A timeout
// cannot abandon this wait: a task waiting for a timer is blocked, so the
// wait would end first.)
func TestCancelledWaitAllTasksBlockedLeavesNoWaiter(t *testing.T) {
	err := vrun0(func(a *asyncio.A) error {
		l := asyncio.GetRunningLoop(a)
		for i := range abandonedWaits {
			task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
				return struct{}{}, asyncio.WaitAllTasksBlocked(a)
			}))
			if err := asyncio.Sleep(a, 0); err != nil {
				return err
			}
			task.Cancel()
			if _, err := task.Await(a); !errors.Is(err, asyncio.ErrCanceled) {
				return fmt.Errorf("wait %d ended with %v, want a cancellation", i, err)
			}
		}
		if n := asyncio.Waiters(l); n != 0 {
			return fmt.Errorf("after %d cancelled waits: %d idle waiters, want 0", abandonedWaits, n)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}
