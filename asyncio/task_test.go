package asyncio_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/coro"
)

func TestCreateTaskRunsWhenCreatorYields(t *testing.T) {
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		child := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			log.add("child runs")
			return 0, nil
		}))
		log.add("created")
		log.add("still main")
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		log.add("after yield")
		if !child.Done() {
			return errors.New("child not done after one Sleep(0)")
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	if want := (evLog{"created", "still main", "child runs", "after yield"}); !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}

func TestCancelAtInnermostAwait(t *testing.T) {
	// outer awaits middle awaits inner awaits Sleep(1h): Cancel("why")
	// reaches the Sleep, and each level sees it on the way up.
	var log evLog
	level := func(name string, next func(a *asyncio.A) error) func(a *asyncio.A) (int, error) {
		return func(a *asyncio.A) (int, error) {
			err := next(a)
			var ce *asyncio.CanceledError
			if errors.As(err, &ce) {
				log.add("%s saw %q", name, ce.Message)
			}
			return 0, err
		}
	}
	inner := func(a *asyncio.A) error { return asyncio.Sleep(a, time.Hour) }
	middle := func(a *asyncio.A) error {
		_, err := asyncio.Async(level("inner", inner)).Await(a)
		return err
	}
	outer := func(a *asyncio.A) error {
		_, err := asyncio.Async(level("middle", middle)).Await(a)
		return err
	}
	var at time.Duration
	err := vrun0(func(a *asyncio.A) error {
		now := clockOf(a)
		task := asyncio.CreateTask(a, asyncio.Async(level("outer", outer)))
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		if !task.Cancel("why") {
			return errors.New("Cancel = false, want true")
		}
		_, err := task.Await(a)
		at = now()
		if !errors.Is(err, asyncio.ErrCanceled) || !task.Cancelled() {
			return fmt.Errorf("await task = %v (Cancelled %v), want ErrCanceled (true)", err, task.Cancelled())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (evLog{`inner saw "why"`, `middle saw "why"`, `outer saw "why"`}); !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
	if at != time.Second {
		t.Errorf("task ended at %v, want 1s (the hour-long sleep was cut short)", at)
	}
}

func TestTaskHandlesCancellation(t *testing.T) {
	// Python: a task that catches CancelledError and returns 7 ends with 7,
	// not cancelled; cancelling() still counts the request.
	err := vrun0(func(a *asyncio.A) error {
		task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			if err := asyncio.Sleep(a, 10*time.Second); errors.Is(err, asyncio.ErrCanceled) {
				return 7, nil
			}
			return 0, errors.New("not cancelled")
		}))
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		task.Cancel()
		v, err := task.Await(a)
		if v != 7 || err != nil || task.Cancelled() {
			return fmt.Errorf("await = %v, %v (Cancelled %v); want 7, nil (false)", v, err, task.Cancelled())
		}
		if n := task.Cancelling(); n != 1 {
			return fmt.Errorf("Cancelling() = %d, want 1", n)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestTaskCancelAgainAfterHandling(t *testing.T) {
	// A task may swallow one cancellation and go on awaiting; the next
	// Cancel reaches its next await.
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			for i := 0; ; i++ {
				if err := asyncio.Sleep(a, time.Hour); err != nil {
					log.add("cancel %d", i)
					if i == 1 {
						return 0, err
					}
				}
			}
		}))
		for range 2 {
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return err
			}
			task.Cancel()
		}
		_, err := task.Await(a)
		if !errors.Is(err, asyncio.ErrCanceled) || task.Cancelling() != 2 {
			return fmt.Errorf("await = %v, Cancelling() = %d; want ErrCanceled, 2", err, task.Cancelling())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (evLog{"cancel 0", "cancel 1"}); !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}

func TestTaskCancellingCounts(t *testing.T) {
	// Python 3.12: every cancel() of a pending task counts and returns True
	// (there is no "already cancelling" rule); uncancel() withdraws one;
	// cancel() of a done task returns False and counts nothing.
	err := vrun0(func(a *asyncio.A) error {
		task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			return 0, asyncio.Sleep(a, 10*time.Second)
		}))
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		steps := []struct {
			op   string
			do   func() any
			want any
		}{
			{"Cancelling()", func() any { return task.Cancelling() }, 0},
			{"Cancel()", func() any { return task.Cancel() }, true},
			{"Cancel()", func() any { return task.Cancel() }, true},
			{"Cancelling()", func() any { return task.Cancelling() }, 2},
			{"Uncancel()", func() any { return task.Uncancel() }, 1},
			{"Cancelling()", func() any { return task.Cancelling() }, 1},
		}
		for _, s := range steps {
			if got := s.do(); got != s.want {
				return fmt.Errorf("%s = %v, want %v", s.op, got, s.want)
			}
		}
		if _, err := task.Await(a); !errors.Is(err, asyncio.ErrCanceled) {
			return fmt.Errorf("await = %v, want ErrCanceled", err)
		}
		if task.Cancel() {
			return errors.New("Cancel() of a done task = true, want false")
		}
		if n := task.Cancelling(); n != 1 {
			return fmt.Errorf("Cancelling() after end = %d, want 1", n)
		}
		if n := task.Uncancel(); n != 0 {
			return fmt.Errorf("Uncancel() = %d, want 0", n)
		}
		if n := task.Uncancel(); n != 0 {
			return fmt.Errorf("Uncancel() at zero = %d, want 0", n)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestCancelAwaitingTaskCancelsAwaited(t *testing.T) {
	// Python: cancelling a task blocked in `await inner_task` cancels
	// inner_task too (only Shield prevents it).
	err := vrun0(func(a *asyncio.A) error {
		inner := asyncio.CreateTask(a, after(10*time.Second, 1))
		awaiter := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			return inner.Await(a)
		}))
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		awaiter.Cancel()
		_, err := awaiter.Await(a)
		if !errors.Is(err, asyncio.ErrCanceled) || !awaiter.Cancelled() || !inner.Cancelled() {
			return fmt.Errorf("await = %v, awaiter cancelled %v, inner cancelled %v; want ErrCanceled, true, true",
				err, awaiter.Cancelled(), inner.Cancelled())
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestTaskSelfCancelBeforeReturn(t *testing.T) {
	// Python: a task that calls current_task().cancel() and returns
	// without awaiting again ends cancelled ("Task is cancelled right
	// before coro stops"), its return value discarded.
	err := vrun0(func(a *asyncio.A) error {
		task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			asyncio.CurrentTask(a).Cancel("myself")
			return 1, nil
		}))
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		v, err := task.Result()
		if !task.Cancelled() || !canceledWith(err, "myself") {
			return fmt.Errorf("Result() = %v, %v (Cancelled %v); want *CanceledError \"myself\" (true)", v, err, task.Cancelled())
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestCancelBeforeFirstStep(t *testing.T) {
	// Python: a task cancelled before it first runs never starts its
	// coroutine.
	started := false
	err := vrun0(func(a *asyncio.A) error {
		task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			started = true
			return 1, nil
		}))
		task.Cancel()
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		if !task.Cancelled() {
			return fmt.Errorf("task: %v, want cancelled", task)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if started {
		t.Errorf("the coroutine of a task cancelled before its first step ran")
	}
}

func TestTaskNames(t *testing.T) {
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		log.add("main %s", asyncio.CurrentTask(a).Name())
		child := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (string, error) {
			return asyncio.CurrentTask(a).Name(), nil
		}))
		other := asyncio.CreateTask(a, after(0, ""))
		log.add("child %s, other %s", child.Name(), other.Name())
		child.SetName("renamed")
		name, err := child.Await(a)
		log.add("child calls itself %s", name)
		if got, want := child.String(), "<Task renamed finished>"; got != want {
			return fmt.Errorf("String() = %q, want %q", got, want)
		}
		_, err2 := other.Await(a)
		return errors.Join(err, err2)
	})
	if err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	want := evLog{"main Task-1", "child Task-2, other Task-3", "child calls itself renamed"}
	if !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}

func TestCurrentTaskAndAllTasks(t *testing.T) {
	err := vrun0(func(a *asyncio.A) error {
		main := asyncio.CurrentTask(a)
		var seenByChild asyncio.AnyTask
		child := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			// CurrentTask inside a coroutine awaited inline is still the task.
			return asyncio.Await(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				seenByChild = asyncio.CurrentTask(a)
				return 0, asyncio.Sleep(a, time.Second)
			}))
		}))
		child.SetName("idle-1")
		names := func() []string {
			var ns []string
			for _, t := range asyncio.AllTasks(a) {
				ns = append(ns, t.Name())
			}
			return ns
		}
		if got, want := names(), []string{"Task-1", "idle-1"}; !slices.Equal(got, want) {
			return fmt.Errorf("AllTasks = %v, want %v", got, want)
		}
		if _, err := child.Await(a); err != nil {
			return err
		}
		if seenByChild != asyncio.AnyTask(child) {
			return fmt.Errorf("CurrentTask in child = %v, want %v", seenByChild, child)
		}
		if asyncio.CurrentTask(a) != main || main.Name() != "Task-1" {
			return fmt.Errorf("CurrentTask in main = %v, want Task-1", asyncio.CurrentTask(a))
		}
		if got, want := names(), []string{"Task-1"}; !slices.Equal(got, want) {
			return fmt.Errorf("AllTasks after child ended = %v, want %v", got, want)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestCurrentTaskOutsideLoop(t *testing.T) {
	// A coroutine driven by hand has no task: CurrentTask is nil,
	// AllTasks empty, and loop-only calls report ErrNoRunningLoop.
	c := coro.New(func(a *asyncio.A) (string, error) {
		if asyncio.CurrentTask(a) != nil || asyncio.AllTasks(a) != nil {
			return "", errors.New("CurrentTask/AllTasks outside a loop: want nil")
		}
		if err := asyncio.Sleep(a, time.Second); !errors.Is(err, asyncio.ErrNoRunningLoop) {
			return "", fmt.Errorf("Sleep outside a loop = %v, want ErrNoRunningLoop", err)
		}
		if _, err := asyncio.Gather[int](a); !errors.Is(err, asyncio.ErrNoRunningLoop) {
			return "", fmt.Errorf("Gather outside a loop = %v, want ErrNoRunningLoop", err)
		}
		if ctx := asyncio.Context(a); ctx.Err() == nil {
			return "", errors.New("Context outside a loop is live, want cancelled")
		}
		return "ok", nil
	})
	if _, ok := c.Send(nil); ok {
		t.Fatal("coroutine suspended, want it to return")
	}
	if v, err := c.Result(); v != "ok" || err != nil {
		t.Errorf("Result() = %q, %v; want ok, nil", v, err)
	}
}

func TestUnreferencedTaskRunsToItsEnd(t *testing.T) {
	done := false
	err := vrun0(func(a *asyncio.A) error {
		asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return 0, err
			}
			done = true
			return 0, nil
		}))
		runtime.GC()
		runtime.GC()
		return asyncio.Sleep(a, 2*time.Second)
	})
	if err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	if !done {
		t.Errorf("an unreferenced task did not run to its end")
	}
}

//go:noinline
func panickingStep(m map[string]int) { m["boom"] = 1 }

func TestPanicBecomesTaskError(t *testing.T) {
	// Python: an exception in one task is that task's; the others carry on.
	var log evLog
	var boomErr error
	err := vrun0(func(a *asyncio.A) error {
		boom := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return 0, err
			}
			panickingStep(nil)
			return 0, nil
		}))
		steady := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			for i := range 3 {
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return 0, err
				}
				log.add("tick %d", i)
			}
			return 3, nil
		}))
		if v, err := steady.Await(a); v != 3 || err != nil {
			return fmt.Errorf("steady = %v, %v; want 3, nil", v, err)
		}
		_, boomErr = boom.Result()
		if boom.Exception() != boomErr || boom.Cancelled() {
			return fmt.Errorf("boom: Exception() = %v, Cancelled %v", boom.Exception(), boom.Cancelled())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (evLog{"tick 0", "tick 1", "tick 2"}); !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
	var pe *coro.PanicError
	if !errors.As(boomErr, &pe) {
		t.Fatalf("boom's error = %v, want *coro.PanicError", boomErr)
	}
	var re runtime.Error
	if !errors.As(boomErr, &re) {
		t.Errorf("errors.As(runtime.Error) = false for a nil-map panic: %v", pe.Value)
	}
	if !bytes.Contains(pe.Stack, []byte("panickingStep")) {
		t.Errorf("panic stack does not name panickingStep:\n%s", pe.Stack)
	}
}

func TestPanicInMainTask(t *testing.T) {
	_, err := vrun(func(a *asyncio.A) (int, error) {
		panic("main gives up")
	})
	var pe *coro.PanicError
	if !errors.As(err, &pe) || pe.Value != "main gives up" {
		t.Errorf("Run = %v, want *coro.PanicError(\"main gives up\")", err)
	}
}

func TestAwaitCoroutineTwice(t *testing.T) {
	// Python: "cannot reuse already awaited coroutine", both for a second
	// await and for a task made from the spent coroutine.
	err := vrun0(func(a *asyncio.A) error {
		c := after(time.Second, 1)
		if v, err := c.Await(a); v != 1 || err != nil {
			return fmt.Errorf("first await = %v, %v; want 1, nil", v, err)
		}
		if _, err := c.Await(a); !errors.Is(err, coro.ErrReused) {
			return fmt.Errorf("second await = %v, want coro.ErrReused", err)
		}
		task := asyncio.CreateTask(a, c)
		if _, err := task.Await(a); !errors.Is(err, coro.ErrReused) || task.Cancelled() {
			return fmt.Errorf("task of an awaited coroutine = %v, want coro.ErrReused", err)
		}
		if task.Coro() != c {
			return errors.New("Task.Coro() is not the coroutine given to CreateTask")
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestTaskOfCoroutineBeingAwaited(t *testing.T) {
	err := vrun0(func(a *asyncio.A) error {
		c := after(time.Hour, 1)
		holder := asyncio.CreateTask(a, c) // c is now driven by holder
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		if _, err := c.Await(a); !errors.Is(err, coro.ErrAwaitedAlready) {
			return fmt.Errorf("await of a running coroutine = %v, want coro.ErrAwaitedAlready", err)
		}
		second := asyncio.CreateTask(a, c)
		if _, err := second.Await(a); !errors.Is(err, coro.ErrAwaitedAlready) {
			return fmt.Errorf("second task of one coroutine = %v, want coro.ErrAwaitedAlready", err)
		}
		holder.Cancel()
		_, err := holder.Await(a)
		if !errors.Is(err, asyncio.ErrCanceled) {
			return fmt.Errorf("holder = %v, want ErrCanceled", err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestTaskResultAndCallbacks(t *testing.T) {
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		task := asyncio.CreateTask(a, after(time.Second, "v"))
		if _, err := task.Result(); !errors.Is(err, asyncio.ErrInvalidState) {
			return fmt.Errorf("Result() of a running task = %v, want ErrInvalidState", err)
		}
		if err := task.Exception(); !errors.Is(err, asyncio.ErrInvalidState) {
			return fmt.Errorf("Exception() of a running task = %v, want ErrInvalidState", err)
		}
		task.AddDoneCallback(func(t *asyncio.Task[string]) {
			v, err := t.Result()
			log.add("callback %s %v", v, err)
		})
		v, err := asyncio.Await(a, task)
		log.add("await %s %v", v, err)
		return asyncio.Sleep(a, 0)
	})
	if err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	// Python: the callback was added before main awaited the task, so it
	// runs before main's wake-up, in the same iteration.
	if want := (evLog{"callback v <nil>", "await v <nil>"}); !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}

func TestCreateTaskOutsideLoopPanics(t *testing.T) {
	c := coro.New(func(a *asyncio.A) (int, error) {
		defer func() {
			if p := recover(); p == nil {
				t.Errorf("CreateTask outside a loop did not panic")
			}
		}()
		asyncio.CreateTask(a, after(0, 0))
		return 0, nil
	})
	c.Send(nil)
}

func TestTaskBadYield(t *testing.T) {
	// Python: a coroutine that yields something the task cannot wait for
	// gets RuntimeError("Task got bad yield: 42") thrown in; here the error
	// comes back from the Suspend.
	var seen error
	_, err := vrun(func(a *asyncio.A) (int, error) {
		_, err := a.Suspend(42)
		seen = err
		return 1, err
	})
	if seen == nil || !strings.Contains(seen.Error(), "bad yield: 42") {
		t.Errorf("Suspend(42) = %v, want a bad yield error", seen)
	}
	if err != seen {
		t.Errorf("Run = %v, want the bad yield error", err)
	}
}

func TestTaskAwaitsFutureOfAnotherLoop(t *testing.T) {
	stray := endedLoopFuture(t)
	_, err := vrun(func(a *asyncio.A) (int, error) { return stray.Await(a) })
	if !errors.Is(err, asyncio.ErrDifferentLoop) {
		t.Errorf("await of another loop's future = %v, want ErrDifferentLoop", err)
	}
}

// Tasks run on coroutines the loop keeps from task to task: a task that
// starts after another has ended runs on the same goroutine, and Run leaves
// none behind (see leaks_test.go).
func TestTasksReuseCoroutines(t *testing.T) {
	ids := map[uint64]int{}
	body := func(a *asyncio.A) (struct{}, error) {
		ids[asyncio.GoroutineID()]++
		return struct{}{}, asyncio.Sleep(a, 0)
	}
	err := vrun0(func(a *asyncio.A) error {
		const rounds, width = 20, 5
		for range rounds {
			batch := make([]coro.Awaitable[struct{}], width)
			for i := range batch {
				batch[i] = asyncio.CreateTask(a, asyncio.Async(body))
			}
			if _, err := asyncio.Gather(a, batch...); err != nil {
				return err
			}
		}
		if len(ids) != width {
			return fmt.Errorf("%d tasks, %d at a time, ran on %d goroutines, want %d", rounds*width, width, len(ids), width)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Issue 13, item 28: a task that handles the error of a bad await goes on
// running, as in Python, where the RuntimeError thrown in is an ordinary
// exception; it is not closed at its next await.
func TestTaskGoesOnAfterBadAwait(t *testing.T) {
	stray := endedLoopFuture(t)
	cases := []struct {
		name string
		bad  func(a *asyncio.A) error
	}{
		{"bad yield", func(a *asyncio.A) error { _, err := a.Suspend(42); return err }},
		{"another loop's future", func(a *asyncio.A) error { _, err := stray.Await(a); return err }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := vrun(func(a *asyncio.A) (int, error) {
				for i := range 2 {
					if err := tc.bad(a); err == nil {
						return 0, fmt.Errorf("bad await %d = nil, want an error", i)
					}
					if err := asyncio.Sleep(a, time.Second); err != nil {
						return 0, fmt.Errorf("Sleep after bad await %d = %v, want nil", i, err)
					}
				}
				return 7, nil
			})
			if v != 7 || err != nil {
				t.Errorf("Run = %v, %v; want 7, nil", v, err)
			}
		})
	}
}

// A task that suspends on itself could never be woken: as Python's
// Task.__step, the task throws ErrAwaitSelf in, and the task goes on.
func TestTaskSuspendsOnItself(t *testing.T) {
	v, err := vrun(func(a *asyncio.A) (int, error) {
		if _, err := a.Suspend(asyncio.CurrentTask(a)); !errors.Is(err, asyncio.ErrAwaitSelf) {
			return 0, fmt.Errorf("Suspend(own task) = %v, want ErrAwaitSelf", err)
		}
		return 1, asyncio.Sleep(a, time.Second)
	})
	if v != 1 || err != nil {
		t.Errorf("Run = %v, %v; want 1, nil", v, err)
	}
}

// A cancellation that arrives before the error of a bad await is thrown in
// replaces it, as in Python's Task.__step.
func TestTaskCancelledBeforeBadYieldThrown(t *testing.T) {
	err := vrun0(func(a *asyncio.A) error {
		var seen error
		bad := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			_, seen = a.Suspend(42)
			if err := asyncio.Sleep(a, 0); err != nil {
				return 0, fmt.Errorf("the await after the cancellation: %w", err)
			}
			return 0, seen
		}))
		asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			bad.Cancel() // between the bad yield and the step that throws
			return 0, nil
		}))
		if _, err := bad.Await(a); !errors.Is(err, asyncio.ErrCanceled) || !bad.Cancelled() {
			return fmt.Errorf("task = %v, want cancelled", err)
		}
		if !errors.Is(seen, asyncio.ErrCanceled) {
			return fmt.Errorf("Suspend(42) = %v, want the cancellation", seen)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// TestAsyncErr checks that a body returning only an error makes a coroutine
// that Run, CreateTask, a task group and Gather all take, and that an
// error-only await (a method value) becomes an awaitable with it.
func TestAsyncErr(t *testing.T) {
	errBoom := errors.New("boom")
	var log evLog
	step := func(name string, err error) *asyncio.Coro[struct{}] {
		return asyncio.AsyncErr(func(a *asyncio.A) error {
			log.add("%s", name)
			return err
		})
	}
	_, err := asyncio.Run(context.Background(), asyncio.AsyncErr(func(a *asyncio.A) error {
		if _, err := asyncio.CreateTask(a, step("task", nil)).Await(a); err != nil {
			return err
		}
		if err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			asyncio.CreateTask(tg, step("group", nil))
			return nil
		}); err != nil {
			return err
		}
		if _, err := asyncio.Gather(a, step("gather 1", nil), step("gather 2", nil)); err != nil {
			return err
		}
		var ev asyncio.Event
		waiter := asyncio.CreateTask(a, asyncio.AsyncErr(ev.Wait))
		asyncio.Sleep(a, 0)
		ev.Set()
		if _, err := waiter.Await(a); err != nil {
			return err
		}
		log.add("event")
		_, err := step("main", errBoom).Await(a)
		return err
	}), asyncio.WithVirtualTime())
	if err != errBoom {
		t.Errorf("Run(AsyncErr(...)) = %v, want %v", err, errBoom)
	}
	if want := (evLog{"task", "group", "gather 1", "gather 2", "event", "main"}); !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}
