package asyncio_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// TestWaitAllTasksBlocked checks that WaitAllTasksBlocked returns only once
// every other task is blocked, however many steps they take to get there,
// and before the virtual clock jumps to the next timer.
func TestWaitAllTasksBlocked(t *testing.T) {
	const steps = 5
	var log []string
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		loop := asyncio.GetRunningLoop(a)
		start := loop.Time()
		now := func() time.Duration { return loop.Time().Sub(start) }
		busy := make([]int, 3)
		never := asyncio.NewFuture[int](loop)
		var q asyncio.Queue[int]
		var tasks []*asyncio.Task[int]
		for i, block := range []func(a *asyncio.A) error{
			func(a *asyncio.A) error { _, err := never.Await(a); return err },
			func(a *asyncio.A) error { _, err := q.Get(a); return err },
			func(a *asyncio.A) error {
				err := asyncio.Sleep(a, time.Second)
				log = append(log, "sleeper woke at "+now().String())
				return err
			},
		} {
			tasks = append(tasks, asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				for range steps {
					busy[i]++
					if err := asyncio.Sleep(a, 0); err != nil {
						return 0, err
					}
				}
				return 0, block(a)
			})))
		}
		if err := asyncio.WaitAllTasksBlocked(a); err != nil {
			return 0, err
		}
		if want := []int{steps, steps, steps}; !cmp.Equal(busy, want) {
			t.Errorf("when WaitAllTasksBlocked returned, the tasks had taken %v steps, want %v", busy, want)
		}
		log = append(log, "settled at "+now().String())
		if err := asyncio.Sleep(a, 2*time.Second); err != nil {
			return 0, err
		}
		never.SetResult(1)
		if err := q.PutNowait(1); err != nil {
			return 0, err
		}
		for _, task := range tasks {
			if _, err := task.Await(a); err != nil {
				return 0, err
			}
		}
		return 0, nil
	}), asyncio.WithVirtualTime(), asyncio.WithStrictLeaks())
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	if diff := cmp.Diff([]string{"settled at 0s", "sleeper woke at 1s"}, log); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// TestWaitAllTasksBlockedOutsideWork checks that outside work in flight
// does not keep WaitAllTasksBlocked from returning: a task awaiting
// ToThread is blocked.
func TestWaitAllTasksBlockedOutsideWork(t *testing.T) {
	var log []string
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		release := make(chan struct{})
		worker := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (string, error) {
			return asyncio.ToThread(a, func(context.Context) (string, error) {
				select {
				case <-release:
					return "released", nil
				case <-time.After(time.Second):
					return "gave up waiting", nil
				}
			})
		}))
		if err := asyncio.WaitAllTasksBlocked(a); err != nil {
			return 0, err
		}
		log = append(log, "settled")
		close(release)
		got, err := worker.Await(a)
		log = append(log, got)
		return 0, err
	}), asyncio.WithVirtualTime())
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	if diff := cmp.Diff([]string{"settled", "released"}, log); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// TestWaitAllTasksBlockedTogether checks that several tasks waiting for
// quiescence wake together, and that none of them counts as busy for the
// others.
func TestWaitAllTasksBlockedTogether(t *testing.T) {
	var log []string
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) ([]int, error) {
		waiter := func(name string) *asyncio.Coro[int] {
			return asyncio.Async(func(a *asyncio.A) (int, error) {
				err := asyncio.WaitAllTasksBlocked(a)
				log = append(log, name)
				return 0, err
			})
		}
		busy := asyncio.Async(func(a *asyncio.A) (int, error) {
			for range 3 {
				if err := asyncio.Sleep(a, 0); err != nil {
					return 0, err
				}
			}
			log = append(log, "busy done")
			return 0, nil
		})
		return asyncio.Gather(a, waiter("first"), waiter("second"), busy)
	}), asyncio.WithVirtualTime())
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	if diff := cmp.Diff([]string{"busy done", "first", "second"}, log); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// TestRegisterExternalHoldsClock checks that while an outside sender is
// registered the virtual clock does not jump before the idle threshold,
// even with a timer pending: the sender's message, which comes within it,
// arrives first, at the time it was sent.
func TestRegisterExternalHoldsClock(t *testing.T) {
	var log []string
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		loop := asyncio.GetRunningLoop(a)
		start := loop.Time()
		sleeper := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			err := asyncio.Sleep(a, time.Hour)
			log = append(log, "timer fired at "+loop.Time().Sub(start).String())
			return 0, err
		}))
		release := loop.RegisterExternal()
		msg := asyncio.NewFuture[string](loop)
		go func() {
			time.Sleep(5 * time.Millisecond)
			_ = loop.CallSoonThreadsafe(func() { msg.SetResult("hello") })
		}()
		got, err := msg.Await(a)
		if err != nil {
			return 0, err
		}
		log = append(log, got+" arrived at "+loop.Time().Sub(start).String())
		release()
		release() // a second call does nothing
		return sleeper.Await(a)
	}), asyncio.WithVirtualTime(), asyncio.WithIdleThreshold(time.Minute))
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	if diff := cmp.Diff([]string{"hello arrived at 0s", "timer fired at 1h0m0s"}, log); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}
