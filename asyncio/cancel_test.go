package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/coro"
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
	if !canceledWith(seen, "late") {
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
		if !canceledWith(err, "m") {
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
		task.Cancel()
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
		task.Cancel()
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
		task.Cancel()
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

// groupOfCancellation returns a coroutine that sleeps for an hour and, once
// cancelled, returns the cancellation inside an *ExceptionGroup, as a
// Python coroutine that raises ExceptionGroup([CancelledError()]).
func groupOfCancellation() *asyncio.Coro[int] {
	return asyncio.Async(func(a *asyncio.A) (int, error) {
		err := asyncio.Sleep(a, time.Hour)
		return 0, asyncio.NewExceptionGroup("g", err)
	})
}

// canceledWith reports whether err is, or wraps, a *CanceledError whose
// message is msg.
func canceledWith(err error, msg string) bool {
	var ce *asyncio.CanceledError
	return errors.As(err, &ce) && ce.Message == msg
}

// isGroup reports whether err is an *ExceptionGroup itself, not an error
// that wraps one.
func isGroup(err error) bool {
	_, ok := err.(*asyncio.ExceptionGroup)
	return ok
}

func TestCancellationInGroupIsAFailure(t *testing.T) {
	// Python: a CancelledError inside an ExceptionGroup is no cancellation;
	// the group is a failure like any other. Go: an error that wraps a
	// cancellation with %w still is one.
	tests := []struct {
		name string
		run  func(a *asyncio.A) error
	}{
		{"a task that returns the group fails", func(a *asyncio.A) error {
			task := asyncio.CreateTask(a, groupOfCancellation())
			if err := asyncio.Sleep(a, 0); err != nil {
				return err
			}
			task.Cancel()
			if _, err := task.Await(a); task.Cancelled() || !isGroup(err) || !isGroup(task.Exception()) {
				return fmt.Errorf("await = %v (Cancelled %v), want the group (false)", err, task.Cancelled())
			}
			return nil
		}},
		{"a task that returns a wrapped cancellation is cancelled", func(a *asyncio.A) error {
			task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				if err := asyncio.Sleep(a, time.Hour); err != nil {
					return 0, fmt.Errorf("sleeping: %w", err)
				}
				return 0, nil
			}))
			if err := asyncio.Sleep(a, 0); err != nil {
				return err
			}
			task.Cancel()
			if _, err := task.Await(a); !task.Cancelled() || !errors.Is(err, asyncio.ErrCanceled) {
				return fmt.Errorf("await = %v (Cancelled %v), want ErrCanceled (true)", err, task.Cancelled())
			}
			return nil
		}},
		{"a TaskGroup collects the body's group", func(a *asyncio.A) error {
			bodyErr := asyncio.NewExceptionGroup("g", &asyncio.CanceledError{})
			err := asyncio.WithTaskGroup(a, func(*asyncio.TaskGroup) error { return bodyErr })
			var eg *asyncio.ExceptionGroup
			if !errors.As(err, &eg) || len(eg.Exceptions) != 1 || eg.Exceptions[0] != bodyErr {
				return fmt.Errorf("WithTaskGroup = %v, want a group of the body's group", err)
			}
			return nil
		}},
		{"a TaskGroup collects a task's group", func(a *asyncio.A) error {
			err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
				asyncio.CreateTask(tg, asyncio.Async(func(a *asyncio.A) (int, error) {
					return 0, asyncio.NewExceptionGroup("g", &asyncio.CanceledError{})
				}))
				return nil
			})
			var eg *asyncio.ExceptionGroup
			if !errors.As(err, &eg) || len(eg.Exceptions) != 1 || !isGroup(eg.Exceptions[0]) {
				return fmt.Errorf("WithTaskGroup = %v, want a group of the task's group", err)
			}
			return nil
		}},
		{"Timeout returns the body's group, not ErrTimeout", func(a *asyncio.A) error {
			err := asyncio.Timeout(a, time.Second, func(*asyncio.TimeoutScope) error {
				return asyncio.NewExceptionGroup("g", asyncio.Sleep(a, time.Hour))
			})
			if !isGroup(err) || errors.Is(err, asyncio.ErrTimeout) {
				return fmt.Errorf("Timeout = %v, want the body's group", err)
			}
			if n := asyncio.CurrentTask(a).Cancelling(); n != 0 {
				return fmt.Errorf("Cancelling() after Timeout = %d, want 0", n)
			}
			return nil
		}},
		{"WaitFor with no time returns the task's group", func(a *asyncio.A) error {
			task := asyncio.CreateTask(a, groupOfCancellation())
			if err := asyncio.Sleep(a, 0); err != nil {
				return err
			}
			if _, err := asyncio.WaitFor(a, task, 0); !isGroup(err) || errors.Is(err, asyncio.ErrTimeout) {
				return fmt.Errorf("WaitFor = %v, want the task's group", err)
			}
			return nil
		}},
		{"GatherReturnExceptions cancelled returns a cancellation", func(a *asyncio.A) error {
			var gerr error
			waiter := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				_, _, gerr = asyncio.GatherReturnExceptions(a, groupOfCancellation())
				return 0, gerr
			}))
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return err
			}
			waiter.Cancel()
			_, _ = waiter.Await(a)
			var ce *asyncio.CanceledError
			if !errors.As(gerr, &ce) || isGroup(gerr) || !waiter.Cancelled() {
				return fmt.Errorf("GatherReturnExceptions = %v (waiter Cancelled %v), want a *CanceledError (true)", gerr, waiter.Cancelled())
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := vrun0(tt.run); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestRunReturnsGroupOfCancellationAsIs(t *testing.T) {
	// Run adds its context's cause to a cancellation of the main task, not
	// to a failure that holds one.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
		cancel()
		return 0, asyncio.NewExceptionGroup("g", asyncio.Sleep(a, time.Hour))
	}), asyncio.WithVirtualTime())
	if !isGroup(err) {
		t.Errorf("Run = %v, want the main task's group as is", err)
	}
}

func TestCancelAwaitCycle(t *testing.T) {
	// t1 awaits t2 (directly, or through Gather), which awaits t1: the
	// cancellation passed to what a task awaits would go round the cycle for
	// ever (Python recurses until RecursionError). It reaches the task it
	// was for, once, and the cycle unwinds: the other task sees that task's
	// cancellation.
	awaits := []struct {
		name  string
		await func(a *asyncio.A, t2 *asyncio.Task[int]) error
	}{
		{"await", func(a *asyncio.A, t2 *asyncio.Task[int]) error {
			_, err := t2.Await(a)
			return err
		}},
		{"Gather", func(a *asyncio.A, t2 *asyncio.Task[int]) error {
			_, err := asyncio.Gather(a, coro.Awaitable[int](t2))
			return err
		}},
	}
	cancels := []struct {
		name   string
		cancel func(a *asyncio.A, t1 *asyncio.Task[int]) error
	}{
		{"Cancel", func(a *asyncio.A, t1 *asyncio.Task[int]) error {
			if !t1.Cancel("cycle") {
				return fmt.Errorf("Cancel = false, want true")
			}
			_, err := t1.Await(a)
			if !canceledWith(err, "cycle") {
				return fmt.Errorf("await t1 = %v, want *CanceledError \"cycle\"", err)
			}
			return nil
		}},
		{"WaitFor", func(a *asyncio.A, t1 *asyncio.Task[int]) error {
			if _, err := asyncio.WaitFor(a, t1, time.Second); !isTimeout(err) {
				return fmt.Errorf("WaitFor(t1) = %v, want ErrTimeout", err)
			}
			return nil
		}},
	}
	for _, aw := range awaits {
		for _, c := range cancels {
			t.Run(aw.name+"/"+c.name, func(t *testing.T) {
				var log evLog
				err := vrun0(func(a *asyncio.A) error {
					var t1, t2 *asyncio.Task[int]
					t1 = asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
						if err := asyncio.Sleep(a, 0); err != nil {
							return 0, err
						}
						err := aw.await(a, t2)
						log.add("t1: %v", err)
						return 0, err
					}))
					t2 = asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
						v, err := t1.Await(a)
						log.add("t2: %v", err)
						return v, err
					}))
					if err := asyncio.Sleep(a, time.Second); err != nil {
						return err
					}
					if err := c.cancel(a, t1); err != nil {
						return err
					}
					if _, err := t2.Await(a); !errors.Is(err, asyncio.ErrCanceled) || !t1.Cancelled() || !t2.Cancelled() {
						return fmt.Errorf("await t2 = %v (t1 Cancelled %v, t2 Cancelled %v), want ErrCanceled (true, true)",
							err, t1.Cancelled(), t2.Cancelled())
					}
					if n1, n2 := t1.Cancelling(), t2.Cancelling(); n1 != 1 || n2 != 1 {
						return fmt.Errorf("Cancelling() = %d, %d; want 1, 1: one request each", n1, n2)
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if len(log) != 2 || !strings.HasPrefix(log[0], "t1: canceled") || !strings.HasPrefix(log[1], "t2: canceled") {
					t.Errorf("log = %q, want t1 then t2 cancelled", log)
				}
			})
		}
	}
}

func TestCancelSelfThenAwaitCycle(t *testing.T) {
	// A task that cancels itself, then awaits a task that awaits it: its
	// step passes the pending request on to what it awaits, and the request
	// comes back round the cycle to the task, once, as one request.
	var seen error
	err := vrun0(func(a *asyncio.A) error {
		var t1, t2 *asyncio.Task[int]
		t1 = asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			if err := asyncio.Sleep(a, 0); err != nil {
				return 0, err
			}
			asyncio.CurrentTask(a).Cancel("self")
			v, err := t2.Await(a)
			seen = err
			return v, err
		}))
		t2 = asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) { return t1.Await(a) }))
		if _, err := t2.Await(a); !errors.Is(err, asyncio.ErrCanceled) || !t1.Cancelled() || !t2.Cancelled() {
			return fmt.Errorf("await t2 = %v (t1 Cancelled %v, t2 Cancelled %v), want ErrCanceled (true, true)",
				err, t1.Cancelled(), t2.Cancelled())
		}
		if n1, n2 := t1.Cancelling(), t2.Cancelling(); n1 != 1 || n2 != 1 {
			return fmt.Errorf("Cancelling() = %d, %d; want 1, 1: one request each", n1, n2)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !canceledWith(seen, "self") {
		t.Errorf("t1's await = %v, want *CanceledError \"self\"", seen)
	}
}

// TestCancelMessageOptional checks that Cancel takes its message or none,
// as Python's cancel() and cancel(msg), and that two messages are a misuse.
func TestCancelMessageOptional(t *testing.T) {
	err := vrun0(func(a *asyncio.A) error {
		l := asyncio.GetRunningLoop(a)
		f, g := asyncio.NewFuture[int](l), asyncio.NewFuture[int](l)
		f.Cancel()
		g.Cancel("why")
		task := asyncio.CreateTask(a, after(time.Second, 1))
		var at asyncio.AnyTask = task
		at.Cancel()
		_, terr := task.Await(a)
		for _, c := range []struct {
			name string
			err  error
			want string
		}{
			{"Future.Cancel()", f.Exception(), "canceled"},
			{`Future.Cancel("why")`, g.Exception(), "canceled: why"},
			{"AnyTask.Cancel()", terr, "canceled"},
		} {
			if c.err == nil || c.err.Error() != c.want {
				t.Errorf("%s: error = %v, want %q", c.name, c.err, c.want)
			}
		}
		for name, cancel := range map[string]func(){
			"asyncio.Future.Cancel": func() { asyncio.NewFuture[int](l).Cancel("a", "b") },
			"asyncio.Task.Cancel":   func() { asyncio.CreateTask(a, after(0, 1)).Cancel("a", "b") },
		} {
			func() {
				defer func() {
					if r := recover(); r == nil || !strings.HasPrefix(fmt.Sprint(r), name) {
						t.Errorf("%s with two messages panicked with %v, want a panic naming %s", name, r, name)
					}
				}()
				cancel()
			}()
		}
		return asyncio.Sleep(a, 0)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCancelTwiceBeforeTaskRuns(t *testing.T) {
	// Python's Task.__step keeps the CancelledError that the future the
	// task awaited raises: the first Cancel cancelled that future with its
	// message, the second only marks the task, and the task sees the first
	// message. With nothing cancelled under it, the task sees the last.
	tests := []struct {
		name string
		// awaited returns how the task awaits, and what happens to that
		// just before the Cancels.
		awaited func(a *asyncio.A) (await func(a *asyncio.A) error, before func())
		want    string
	}{
		{"future", func(a *asyncio.A) (func(a *asyncio.A) error, func()) {
			f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
			return func(a *asyncio.A) error { _, err := f.Await(a); return err }, func() {}
		}, "first"},
		{"task", func(a *asyncio.A) (func(a *asyncio.A) error, func()) {
			inner := asyncio.CreateTask(a, after(time.Hour, 0))
			return func(a *asyncio.A) error { _, err := inner.Await(a); return err }, func() {}
		}, "first"},
		{"failed future", func(a *asyncio.A) (func(a *asyncio.A) error, func()) {
			f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
			return func(a *asyncio.A) error { _, err := f.Await(a); return err },
				func() { f.SetException(errors.New("boom")) }
		}, "second"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen error
			err := vrun0(func(a *asyncio.A) error {
				await, before := tt.awaited(a)
				task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
					seen = await(a)
					return 0, seen
				}))
				if err := asyncio.Sleep(a, 0); err != nil {
					return err
				}
				before()
				task.Cancel("first")
				task.Cancel("second")
				if _, err := task.Await(a); !errors.Is(err, asyncio.ErrCanceled) {
					return fmt.Errorf("await = %v, want ErrCanceled", err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !canceledWith(seen, tt.want) {
				t.Errorf("task saw %v, want *CanceledError %q", seen, tt.want)
			}
		})
	}
}
