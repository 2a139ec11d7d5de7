package asyncio_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/coro"
	"github.com/yieldfrom/asyncgo/gen"
)

// Issue 13, item 2: every await of a future checks, when it is resumed,
// that the future is done; a resume that comes before (a coroutine driven
// by hand, here) is an error wrapping ErrStrayResume, as Python's
// RuntimeError("await wasn't used with future"), not a completion.
func TestStrayResumeIsAnError(t *testing.T) {
	type op func(h *asyncio.A) error
	cases := []struct {
		name string
		// setup prepares, on the main task a, something that op will wait
		// for; after checks what the stray resume left behind.
		setup func(a *asyncio.A) (op, func() error)
	}{
		{"Sleep", func(a *asyncio.A) (op, func() error) {
			return func(h *asyncio.A) error { return asyncio.Sleep(h, time.Hour) }, nil
		}},
		{"Future.Await", func(a *asyncio.A) (op, func() error) {
			f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
			return func(h *asyncio.A) error { _, err := f.Await(h); return err }, nil
		}},
		{"Task.Await", func(a *asyncio.A) (op, func() error) {
			task := asyncio.CreateTask(a, after(time.Hour, 1))
			return func(h *asyncio.A) error { _, err := task.Await(h); return err },
				func() error { task.Cancel(); return nil }
		}},
		{"Gather", func(a *asyncio.A) (op, func() error) {
			f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
			return func(h *asyncio.A) error { _, err := asyncio.Gather[int](h, f); return err }, nil
		}},
		{"Shield", func(a *asyncio.A) (op, func() error) {
			f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
			return func(h *asyncio.A) error { _, err := asyncio.Shield[int](h, f); return err }, nil
		}},
		{"Wait", func(a *asyncio.A) (op, func() error) {
			fs := []*asyncio.Future[int]{asyncio.NewFuture[int](asyncio.GetRunningLoop(a))}
			return func(h *asyncio.A) error {
				_, _, err := asyncio.Wait(h, fs, asyncio.AllCompleted, asyncio.NoTimeout)
				return err
			}, nil
		}},
		{"AsCompleted", func(a *asyncio.A) (op, func() error) {
			fs := []*asyncio.Future[int]{asyncio.NewFuture[int](asyncio.GetRunningLoop(a))}
			return func(h *asyncio.A) error {
				for _, err := range asyncio.AsCompleted(h, fs, asyncio.NoTimeout) {
					return err
				}
				return nil
			}, nil
		}},
		{"Lock.Acquire", func(a *asyncio.A) (op, func() error) {
			lock := new(asyncio.Lock)
			if err := lock.Acquire(a); err != nil {
				panic(err)
			}
			return lock.Acquire, func() error {
				lock.Release()
				if lock.Locked() {
					return errors.New("lock still held after its holder released it")
				}
				return nil
			}
		}},
		{"Semaphore.Acquire", func(a *asyncio.A) (op, func() error) {
			s := asyncio.NewSemaphore(0)
			return s.Acquire, func() error {
				s.Release()
				if s.Locked() {
					return errors.New("semaphore locked after a Release")
				}
				return nil
			}
		}},
		{"Event.Wait", func(a *asyncio.A) (op, func() error) {
			return new(asyncio.Event).Wait, nil
		}},
		{"Condition.Wait", func(a *asyncio.A) (op, func() error) {
			lock := new(asyncio.Lock)
			cond := asyncio.NewCondition(lock)
			return func(h *asyncio.A) error {
					if err := lock.Acquire(h); err != nil {
						return err
					}
					defer lock.Release()
					return cond.Wait(h)
				}, func() error {
					if lock.Locked() {
						return errors.New("condition's lock still held")
					}
					return nil
				}
		}},
		{"Barrier.Wait", func(a *asyncio.A) (op, func() error) {
			b := asyncio.NewBarrier(2)
			return func(h *asyncio.A) error { _, err := b.Wait(h); return err }, nil
		}},
		{"Queue.Get", func(a *asyncio.A) (op, func() error) {
			q := asyncio.NewQueue[int](0)
			return func(h *asyncio.A) error { _, err := q.Get(h); return err }, nil
		}},
		{"Queue.Put", func(a *asyncio.A) (op, func() error) {
			q := asyncio.NewQueue[int](1)
			if err := q.PutNowait(1); err != nil {
				panic(err)
			}
			return func(h *asyncio.A) error { return q.Put(h, 2) }, func() error {
				if q.Qsize() != 1 {
					return fmt.Errorf("queue holds %d items, want 1", q.Qsize())
				}
				return nil
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := vrun0(func(a *asyncio.A) error {
				op, after := tc.setup(a)
				sub := coro.New(func(h *coro.Handle) (struct{}, error) { return struct{}{}, op(h) })
				sub.SetOwner(a.Owner()) // it runs on behalf of the main task
				if _, ok := sub.Send(nil); !ok {
					r, err := sub.Result()
					return fmt.Errorf("op did not suspend: %v, %v", r, err)
				}
				if _, ok := sub.Send(nil); ok {
					sub.Close()
					return errors.New("stray resume: op suspended again, want an error")
				}
				if _, err := sub.Result(); !errors.Is(err, asyncio.ErrStrayResume) {
					return fmt.Errorf("stray resume: op = %v, want ErrStrayResume", err)
				}
				if sub.State() != gen.Closed {
					return fmt.Errorf("op's coroutine is %v, want closed", sub.State())
				}
				if after != nil {
					return after()
				}
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
}
