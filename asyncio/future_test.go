package asyncio_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

func TestFutureSetOnce(t *testing.T) {
	errBad := errors.New("bad")
	tests := []struct {
		name      string
		first     func(f *asyncio.Future[int]) error
		second    func(f *asyncio.Future[int]) error
		wantValue int
		wantErr   error
	}{
		{
			name:      "result then result",
			first:     func(f *asyncio.Future[int]) error { return f.SetResult(1) },
			second:    func(f *asyncio.Future[int]) error { return f.SetResult(2) },
			wantValue: 1,
		},
		{
			name:      "result then exception",
			first:     func(f *asyncio.Future[int]) error { return f.SetResult(1) },
			second:    func(f *asyncio.Future[int]) error { return f.SetException(errBad) },
			wantValue: 1,
		},
		{
			name:    "exception then result",
			first:   func(f *asyncio.Future[int]) error { return f.SetException(errBad) },
			second:  func(f *asyncio.Future[int]) error { return f.SetResult(2) },
			wantErr: errBad,
		},
		{
			name:    "exception then exception",
			first:   func(f *asyncio.Future[int]) error { return f.SetException(errBad) },
			second:  func(f *asyncio.Future[int]) error { return f.SetException(errors.New("other")) },
			wantErr: errBad,
		},
		{
			name:    "cancel then result",
			first:   func(f *asyncio.Future[int]) error { f.Cancel(); return nil },
			second:  func(f *asyncio.Future[int]) error { return f.SetResult(2) },
			wantErr: asyncio.ErrCanceled,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := vrun0(func(a *asyncio.A) error {
				f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
				if err := tt.first(f); err != nil {
					return fmt.Errorf("first call = %v, want nil", err)
				}
				if err := tt.second(f); !errors.Is(err, asyncio.ErrInvalidState) {
					return fmt.Errorf("second call = %v, want ErrInvalidState", err)
				}
				if f.Cancel("late") {
					return errors.New("Cancel of a done future = true, want false")
				}
				v, err := f.Result()
				if v != tt.wantValue || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
					return fmt.Errorf("Result() = %v, %v; want %v, %v", v, err, tt.wantValue, tt.wantErr)
				}
				if got := f.Exception(); got != err {
					return fmt.Errorf("Exception() = %v, want %v", got, err)
				}
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
}

func TestFuturePending(t *testing.T) {
	err := vrun0(func(a *asyncio.A) error {
		f := asyncio.NewFuture[string](asyncio.GetRunningLoop(a))
		if f.Done() || f.Cancelled() {
			return fmt.Errorf("new future: Done %v, Cancelled %v; want false, false", f.Done(), f.Cancelled())
		}
		if v, err := f.Result(); v != "" || !errors.Is(err, asyncio.ErrInvalidState) {
			return fmt.Errorf("Result() of pending = %q, %v; want \"\", ErrInvalidState", v, err)
		}
		if err := f.Exception(); !errors.Is(err, asyncio.ErrInvalidState) {
			return fmt.Errorf("Exception() of pending = %v, want ErrInvalidState", err)
		}
		if got, want := f.String(), "<Future pending>"; got != want {
			return fmt.Errorf("String() = %q, want %q", got, want)
		}
		f.SetResult("ok")
		if got, want := f.String(), "<Future finished>"; got != want {
			return fmt.Errorf("String() = %q, want %q", got, want)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestFutureSetExceptionNilPanics(t *testing.T) {
	err := vrun0(func(a *asyncio.A) (err error) {
		f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
		defer func() {
			const want = "asyncio.Future.SetException: nil error"
			if p := recover(); p != want {
				err = fmt.Errorf("SetException(nil) panicked with %v, want %q", p, want)
			}
		}()
		f.SetException(nil)
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestFutureDoneCallbacks(t *testing.T) {
	// Python: callbacks run in registration order, through call_soon: never
	// inline, not even when added to a future that is already done.
	var log evLog
	var atSet, atLateAdd evLog
	err := vrun0(func(a *asyncio.A) error {
		f := asyncio.NewFuture[string](asyncio.GetRunningLoop(a))
		for i := range 3 {
			f.AddDoneCallback(func(f *asyncio.Future[string]) {
				v, _ := f.Result()
				log.add("%d:%s", i, v)
			})
		}
		f.SetResult("x")
		atSet = slices.Clone(log)
		f.AddDoneCallback(func(*asyncio.Future[string]) { log.add("late") })
		atLateAdd = slices.Clone(log)
		return asyncio.Sleep(a, 0)
	})
	if err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	if len(atSet) != 0 || len(atLateAdd) != 0 {
		t.Errorf("callbacks ran inline: at SetResult %v, at AddDoneCallback %v; want none", atSet, atLateAdd)
	}
	if want := (evLog{"0:x", "1:x", "2:x", "late"}); !slices.Equal(log, want) {
		t.Errorf("callbacks ran %v, want %v", log, want)
	}
}

func TestFutureCancelMessage(t *testing.T) {
	// Python: await f in a task; f.cancel("stop") → the task sees
	// CancelledError('stop') and, re-raising it, ends cancelled.
	var seen error
	err := vrun0(func(a *asyncio.A) error {
		f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
		waiter := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			v, err := f.Await(a)
			seen = err
			return v, err
		}))
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		if !f.Cancel("stop") {
			return errors.New("Cancel = false, want true")
		}
		if f.Cancel("again") {
			return errors.New("second Cancel = true, want false")
		}
		if _, err := waiter.Await(a); !errors.Is(err, asyncio.ErrCanceled) {
			return fmt.Errorf("await waiter = %v, want ErrCanceled", err)
		}
		if !waiter.Cancelled() || !f.Cancelled() {
			return fmt.Errorf("Cancelled: waiter %v, future %v; want true, true", waiter.Cancelled(), f.Cancelled())
		}
		if got, want := f.String(), "<Future cancelled>"; got != want {
			return fmt.Errorf("String() = %q, want %q", got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !canceledWith(seen, "stop") {
		t.Errorf("awaiting task saw %#v, want *CanceledError{Message: \"stop\"}", seen)
	}
	if got, want := seen.Error(), "canceled: stop"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestFutureWakesEveryWaiterInOrder(t *testing.T) {
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
		var ts []*asyncio.Task[int]
		for i := range 3 {
			ts = append(ts, asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				v, err := f.Await(a)
				log.add("%d got %d", i, v)
				return v, err
			})))
		}
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		f.SetResult(7)
		for _, t := range ts {
			if _, err := t.Await(a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	if want := (evLog{"0 got 7", "1 got 7", "2 got 7"}); !slices.Equal(log, want) {
		t.Errorf("woke %v, want %v", log, want)
	}
}

func TestFutureAwaitDoneDoesNotSuspend(t *testing.T) {
	// Python: awaiting a done future returns at once; a task created just
	// before has not had a chance to run.
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
		f.SetResult(5)
		other := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			log.add("other ran")
			return 0, nil
		}))
		v, err := asyncio.Await(a, f)
		log.add("await = %d, %v", v, err)
		_, err = other.Await(a)
		return err
	})
	if err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	if want := (evLog{"await = 5, <nil>", "other ran"}); !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}

func TestFutureException(t *testing.T) {
	errBad := errors.New("bad")
	err := vrun0(func(a *asyncio.A) error {
		f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
		asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			return 0, f.SetException(errBad)
		}))
		if _, err := f.Await(a); err != errBad {
			return fmt.Errorf("await = %v, want %v", err, errBad)
		}
		if err := f.Exception(); err != errBad {
			return fmt.Errorf("Exception() = %v, want %v", err, errBad)
		}
		if got, want := f.String(), "<Future finished exception=bad>"; got != want {
			return fmt.Errorf("String() = %q, want %q", got, want)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// TestRemoveDoneCallback checks Python's remove_done_callback on futures
// and tasks: the registration AddDoneCallback returned unregisters its
// callback once, the others still run in the order they were added (a
// callback added after a removal among them too), and a registration of
// another future, or a done future's, is not removed.
func TestRemoveDoneCallback(t *testing.T) {
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		l := asyncio.GetRunningLoop(a)
		f, other := asyncio.NewFuture[int](l), asyncio.NewFuture[int](l)
		add := func(name string) *asyncio.DoneCallback {
			return f.AddDoneCallback(func(*asyncio.Future[int]) { log.add("%s", name) })
		}
		first := add("first")
		add("second")
		third := add("third")
		foreign := other.AddDoneCallback(func(*asyncio.Future[int]) {})
		for _, c := range []struct {
			name string
			cb   *asyncio.DoneCallback
			want bool
		}{
			{"first", first, true},
			{"first again", first, false},
			{"another future's", foreign, false},
			{"nil", nil, false},
		} {
			if got := f.RemoveDoneCallback(c.cb); got != c.want {
				t.Errorf("RemoveDoneCallback(%s) = %v, want %v", c.name, got, c.want)
			}
		}
		add("fourth")
		f.SetResult(1)
		if f.RemoveDoneCallback(third) {
			t.Errorf("RemoveDoneCallback of a done future's callback = true, want false")
		}
		task := asyncio.CreateTask(a, after(time.Second, 1))
		tcb := task.AddDoneCallback(func(*asyncio.Task[int]) { log.add("task callback") })
		task.AddDoneCallback(func(*asyncio.Task[int]) { log.add("task callback kept") })
		if !task.RemoveDoneCallback(tcb) {
			t.Errorf("Task.RemoveDoneCallback = false, want true")
		}
		_, err := task.Await(a)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (evLog{"second", "third", "fourth", "task callback kept"}); !slices.Equal(log, want) {
		t.Errorf("callbacks ran %v, want %v", log, want)
	}
}
