package asyncio_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

func TestCanceledError(t *testing.T) {
	tests := []struct {
		msg, want string
	}{
		{"", "canceled"},
		{"stop", "canceled: stop"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			err := error(&asyncio.CanceledError{Message: tt.msg})
			if got := err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
			if !errors.Is(err, asyncio.ErrCanceled) {
				t.Errorf("errors.Is(%v, ErrCanceled) = false, want true", err)
			}
			if errors.Is(err, asyncio.ErrTimeout) || errors.Is(asyncio.ErrCanceled, asyncio.ErrTimeout) {
				t.Errorf("a cancellation matches ErrTimeout")
			}
		})
	}
}

func TestCancelWhileReady(t *testing.T) {
	// Python: the future the task awaits already has its result and the
	// task is about to resume when it is cancelled: the cancellation wins,
	// the future keeps its result.
	var seen error
	err := vrun0(func(a *asyncio.A) error {
		f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
		task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			v, err := f.Await(a)
			seen = err
			return v, err
		}))
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		f.SetResult(1)
		task.Cancel("late")
		if _, err := task.Await(a); !errors.Is(err, asyncio.ErrCanceled) {
			return fmt.Errorf("await = %v, want ErrCanceled", err)
		}
		if v, err := f.Result(); f.Cancelled() || v != 1 || err != nil {
			return fmt.Errorf("future: %v, %v (Cancelled %v); want 1, nil (false)", v, err, f.Cancelled())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var ce *asyncio.CanceledError
	if !errors.As(seen, &ce) || ce.Message != "late" {
		t.Errorf("task saw %v, want *CanceledError \"late\"", seen)
	}
}

func TestCancelTaskCancelsAwaitedFuture(t *testing.T) {
	err := vrun0(func(a *asyncio.A) error {
		f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
		task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			return f.Await(a)
		}))
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		task.Cancel("m")
		_, err := task.Await(a)
		var ce *asyncio.CanceledError
		if !errors.As(err, &ce) || ce.Message != "m" {
			return fmt.Errorf("await = %v, want *CanceledError \"m\"", err)
		}
		if !f.Cancelled() {
			return errors.New("the awaited future was not cancelled")
		}
		var te *asyncio.CanceledError
		if !errors.As(task.Exception(), &te) || te.Message != "m" {
			return fmt.Errorf("Exception() = %v, want *CanceledError \"m\"", task.Exception())
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestCancelRunsDeferredCalls(t *testing.T) {
	// Python's finally: clauses run when the cancellation unwinds the
	// task, innermost first.
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			defer log.add("outer deferred")
			return asyncio.Await(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				defer log.add("inner deferred")
				return 0, asyncio.Sleep(a, 10*time.Second)
			}))
		}))
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		task.Cancel("")
		_, err := task.Await(a)
		if !errors.Is(err, asyncio.ErrCanceled) {
			return fmt.Errorf("await = %v, want ErrCanceled", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (evLog{"inner deferred", "outer deferred"}); !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}

func TestCancelSwallowedMidChain(t *testing.T) {
	// Python: a coroutine in the middle of the chain catches the
	// CancelledError and carries on; the task is not cancelled.
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (string, error) {
			_, err := asyncio.Await(a, after(10*time.Second, 0))
			if errors.Is(err, asyncio.ErrCanceled) {
				log.add("middle swallowed")
			}
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return "", err
			}
			log.add("middle continued")
			return "m", nil
		}))
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		task.Cancel("")
		v, err := task.Await(a)
		if v != "m" || err != nil || task.Cancelled() {
			return fmt.Errorf("await = %q, %v (Cancelled %v); want m, nil (false)", v, err, task.Cancelled())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (evLog{"middle swallowed", "middle continued"}); !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}

func TestCancelTaskWaitingOnSleepZero(t *testing.T) {
	// A task suspended by Sleep(0) waits on nothing: the cancellation is
	// thrown in at its next step.
	err := vrun0(func(a *asyncio.A) error {
		steps := 0
		task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			for {
				steps++
				if err := asyncio.Sleep(a, 0); err != nil {
					return steps, err
				}
			}
		}))
		for range 3 {
			if err := asyncio.Sleep(a, 0); err != nil {
				return err
			}
		}
		task.Cancel("")
		_, err := task.Await(a)
		if !errors.Is(err, asyncio.ErrCanceled) || steps != 3 {
			return fmt.Errorf("await = %v after %d steps, want ErrCanceled after 3", err, steps)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestCancelledErrorEndsTaskCancelled(t *testing.T) {
	// A task whose coroutine returns a cancellation it got from elsewhere
	// (here a future cancelled by a third party) ends cancelled, as a
	// CancelledError raised out of a Python coroutine does.
	err := vrun0(func(a *asyncio.A) error {
		f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
		task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			return f.Await(a)
		}))
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		f.Cancel("third party")
		if _, err := task.Await(a); !errors.Is(err, asyncio.ErrCanceled) || !task.Cancelled() {
			return fmt.Errorf("await = %v (Cancelled %v), want ErrCanceled (true)", err, task.Cancelled())
		}
		if n := task.Cancelling(); n != 0 {
			return fmt.Errorf("Cancelling() = %d, want 0: nobody cancelled the task itself", n)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}
