package asyncio_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// groupErrors returns the messages of the members of err, which must be an
// *ExceptionGroup, in order.
func groupErrors(err error) []string {
	var eg *asyncio.ExceptionGroup
	if !errors.As(err, &eg) {
		return nil
	}
	var msgs []string
	for _, e := range eg.Exceptions {
		msgs = append(msgs, e.Error())
	}
	return msgs
}

// sleepLogged returns a coroutine that sleeps for d, logging how it ended.
func sleepLogged(log *evLog, name string, d time.Duration) *asyncio.Coro[string] {
	return asyncio.Async(func(a *asyncio.A) (string, error) {
		defer log.add("%s deferred", name)
		if err := asyncio.Sleep(a, d); err != nil {
			log.add("%s: %v", name, err)
			return "", err
		}
		log.add("%s done", name)
		return name, nil
	})
}

func TestTaskGroupLessonResults(t *testing.T) {
	// The lesson: res1..res3 created with slow(3), slow(1), slow(2); after
	// the block, print(res1.result(), res2.result(), res3.result()) = 3 1 2.
	var log evLog
	got, err := vrun(func(a *asyncio.A) ([]int, error) {
		now := clockOf(a)
		var tasks []*asyncio.Task[int]
		err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			for _, d := range []int{3, 1, 2} {
				tasks = append(tasks, asyncio.CreateTask(tg, asyncio.Async(func(a *asyncio.A) (int, error) {
					err := asyncio.Sleep(a, time.Duration(d)*time.Second)
					log.add("%d done at %v", d, now())
					return d, err
				})))
			}
			return nil
		})
		var res []int
		for _, t := range tasks {
			if !t.Done() {
				return nil, fmt.Errorf("%v not done after WithTaskGroup", t)
			}
			v, _ := t.Result()
			res = append(res, v)
		}
		return res, err
	})
	if want := []int{3, 1, 2}; err != nil || !slices.Equal(got, want) {
		t.Errorf("results = %v, %v; want %v, nil", got, err, want)
	}
	if want := (evLog{"1 done at 1s", "2 done at 2s", "3 done at 3s"}); !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}

func TestTaskGroupLessonErrors(t *testing.T) {
	// The lesson's busted("First error"), busted("Second error"): both fail
	// at their first step, in creation order.
	busted := func(s string) *asyncio.Coro[struct{}] {
		return asyncio.Async(func(a *asyncio.A) (struct{}, error) { return struct{}{}, errors.New(s) })
	}
	err := vrun0(func(a *asyncio.A) error {
		return asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			asyncio.CreateTask(tg, busted("First error"))
			asyncio.CreateTask(tg, busted("Second error"))
			return nil
		})
	})
	var eg *asyncio.ExceptionGroup
	if !errors.As(err, &eg) {
		t.Fatalf("WithTaskGroup = %v, want an *ExceptionGroup", err)
	}
	if got, want := groupErrors(err), []string{"First error", "Second error"}; !slices.Equal(got, want) {
		t.Errorf("group members = %q, want %q", got, want)
	}
	if got, want := eg.Message, "unhandled errors in a TaskGroup"; got != want {
		t.Errorf("Message = %q, want %q", got, want)
	}
}

func TestTaskGroupFailureCancelsSiblingsAndBody(t *testing.T) {
	errBoom := errors.New("boom")
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		now := clockOf(a)
		var sibling *asyncio.Task[string]
		err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			asyncio.CreateTask(tg, failAfter[string](time.Second, errBoom))
			sibling = asyncio.CreateTask(tg, sleepLogged(&log, "sibling", 10*time.Second))
			if err := asyncio.Sleep(a, 10*time.Second); err != nil {
				log.add("body: %v", err)
				return err
			}
			log.add("body not cancelled")
			return nil
		})
		log.add("group %q at %v", groupErrors(err), now())
		if !errors.Is(err, errBoom) || errors.Is(err, asyncio.ErrCanceled) {
			return fmt.Errorf("WithTaskGroup = %v, want a group of %v only", err, errBoom)
		}
		// The group withdrew its own cancellation of the parent: the
		// parent goes on awaiting normally.
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return fmt.Errorf("parent after the group: %v", err)
		}
		log.add("parent continues, Cancelling %d, sibling cancelled %v", asyncio.CurrentTask(a).Cancelling(), sibling.Cancelled())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := evLog{
		"sibling: canceled",
		"sibling deferred",
		"body: canceled",
		`group ["boom"] at 1s`,
		"parent continues, Cancelling 0, sibling cancelled true",
	}
	if !slices.Equal(log, want) {
		t.Errorf("log:\n%s\nwant:\n%s", strings.Join(log, "\n"), strings.Join(want, "\n"))
	}
}

func TestTaskGroupBodyError(t *testing.T) {
	// Python: an exception raised in the async with body cancels the tasks
	// and is reported in the group.
	errBody := errors.New("body")
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		var sibling *asyncio.Task[string]
		err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			sibling = asyncio.CreateTask(tg, sleepLogged(&log, "sibling", 10*time.Second))
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return err
			}
			return errBody
		})
		if got, want := groupErrors(err), []string{"body"}; !slices.Equal(got, want) {
			return fmt.Errorf("WithTaskGroup = %v, want a group of [body]", err)
		}
		if !sibling.Cancelled() {
			return fmt.Errorf("sibling = %v, want cancelled", sibling)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (evLog{"sibling: canceled", "sibling deferred"}); !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}

func TestTaskGroupFailureOrder(t *testing.T) {
	// Python: errors in the order the tasks failed; a task that fails
	// while handling the group's cancellation is reported too.
	errA, errB, errC := errors.New("a"), errors.New("b"), errors.New("c")
	stubborn := asyncio.Async(func(a *asyncio.A) (string, error) {
		if err := asyncio.Sleep(a, 10*time.Second); err == nil {
			return "", nil
		}
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return "", err
		}
		return "", errors.New("after cancel")
	})
	tests := []struct {
		name  string
		tasks []*asyncio.Coro[string]
		want  []string
	}{
		{"two at once, third cancelled", []*asyncio.Coro[string]{
			failAfter[string](time.Second, errA),
			failAfter[string](time.Second, errB),
			failAfter[string](2*time.Second, errC),
		}, []string{"a", "b"}},
		{"reverse creation order", []*asyncio.Coro[string]{
			failAfter[string](2*time.Second, errA),
			failAfter[string](time.Second, errB),
		}, []string{"b"}},
		{"failure during cancellation", []*asyncio.Coro[string]{
			failAfter[string](time.Second, errA),
			stubborn,
		}, []string{"a", "after cancel"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := vrun0(func(a *asyncio.A) error {
				return asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
					for _, c := range tt.tasks {
						asyncio.CreateTask(tg, c)
					}
					return nil
				})
			})
			if got := groupErrors(err); !slices.Equal(got, tt.want) {
				t.Errorf("WithTaskGroup = %v, want a group of %q", err, tt.want)
			}
		})
	}
}

func TestTaskGroupFailureWhileExiting(t *testing.T) {
	// The body is done and WithTaskGroup waits for the tasks when one
	// fails: the others are cancelled, and the parent is fine afterwards.
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			asyncio.CreateTask(tg, failAfter[string](time.Second, errors.New("late")))
			asyncio.CreateTask(tg, sleepLogged(&log, "other", 10*time.Second))
			return nil
		})
		if got, want := groupErrors(err), []string{"late"}; !slices.Equal(got, want) {
			return fmt.Errorf("WithTaskGroup = %v, want a group of [late]", err)
		}
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return fmt.Errorf("parent after the group: %v", err)
		}
		log.add("parent sleeps fine")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (evLog{"other: canceled", "other deferred", "parent sleeps fine"}); !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}

func TestTaskGroupChildTimeoutIsAnError(t *testing.T) {
	// Python: a child that fails with TimeoutError (its own wait_for
	// expired) is a failure like any other, not a cancellation: the group
	// reports it and cancels the rest.
	var sibling *asyncio.Task[string]
	err := vrun0(func(a *asyncio.A) error {
		return asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			asyncio.CreateTask(tg, asyncio.Async(func(a *asyncio.A) (string, error) {
				return asyncio.WaitFor(a, after(10*time.Second, "slow"), time.Second)
			}))
			sibling = asyncio.CreateTask(tg, after(5*time.Second, "sibling"))
			return nil
		})
	})
	var eg *asyncio.ExceptionGroup
	if !errors.As(err, &eg) || len(eg.Exceptions) != 1 || !errors.Is(eg.Exceptions[0], asyncio.ErrTimeout) {
		t.Fatalf("WithTaskGroup = %v, want a group of one timeout", err)
	}
	if !sibling.Cancelled() {
		t.Errorf("sibling = %v, want cancelled", sibling)
	}
}

func TestTaskGroupNested(t *testing.T) {
	errInner := errors.New("inner")
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		return asyncio.WithTaskGroup(a, func(outer *asyncio.TaskGroup) error {
			asyncio.CreateTask(outer, sleepLogged(&log, "outer sibling", 10*time.Second))
			return asyncio.WithTaskGroup(a, func(inner *asyncio.TaskGroup) error {
				asyncio.CreateTask(inner, failAfter[string](time.Second, errInner))
				asyncio.CreateTask(inner, sleepLogged(&log, "inner sibling", 5*time.Second))
				return nil
			})
		})
	})
	// Python: ExceptionGroup('unhandled errors in a TaskGroup',
	// [ExceptionGroup('unhandled errors in a TaskGroup', [ValueError('inner')])])
	var outer *asyncio.ExceptionGroup
	if !errors.As(err, &outer) || len(outer.Exceptions) != 1 {
		t.Fatalf("WithTaskGroup = %v, want a group of one group", err)
	}
	inner, ok := outer.Exceptions[0].(*asyncio.ExceptionGroup)
	if !ok || len(inner.Exceptions) != 1 || inner.Exceptions[0] != errInner {
		t.Errorf("outer group's member = %v, want a group of [inner]", outer.Exceptions[0])
	}
	if !errors.Is(err, errInner) {
		t.Errorf("errors.Is(nested group, errInner) = false")
	}
	want := evLog{"inner sibling: canceled", "inner sibling deferred", "outer sibling: canceled", "outer sibling deferred"}
	if !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}

func TestTaskGroupNestedSuccess(t *testing.T) {
	got, err := vrun(func(a *asyncio.A) ([]int, error) {
		var ts []*asyncio.Task[int]
		err := asyncio.WithTaskGroup(a, func(outer *asyncio.TaskGroup) error {
			ts = append(ts, asyncio.CreateTask(outer, after(2*time.Second, 1)))
			return asyncio.WithTaskGroup(a, func(inner *asyncio.TaskGroup) error {
				ts = append(ts, asyncio.CreateTask(inner, after(time.Second, 2)))
				// A task of the outer group created from inside the inner body.
				ts = append(ts, asyncio.CreateTask(outer, after(3*time.Second, 3)))
				return nil
			})
		})
		var res []int
		for _, t := range ts {
			v, _ := t.Result()
			res = append(res, v)
		}
		return res, err
	})
	if want := []int{1, 2, 3}; err != nil || !slices.Equal(got, want) {
		t.Errorf("results = %v, %v; want %v, nil", got, err, want)
	}
}

func TestTaskGroupCancel(t *testing.T) {
	// Python 3.15's TaskGroup.cancel: the tasks and the
	// body are cancelled, and the group exits without an error.
	tests := []struct {
		name string
		body func(a *asyncio.A, tg *asyncio.TaskGroup, log *evLog) error
		want evLog
	}{
		{
			name: "from the body, then an await",
			body: func(a *asyncio.A, tg *asyncio.TaskGroup, log *evLog) error {
				asyncio.CreateTask(tg, sleepLogged(log, "worker", 10*time.Second))
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return err
				}
				tg.Cancel()
				tg.Cancel() // idempotent
				if err := asyncio.Sleep(a, time.Second); err != nil {
					log.add("body: %v", err)
					return err
				}
				log.add("body not cancelled")
				return nil
			},
			want: evLog{"worker: canceled", "worker deferred", "body: canceled"},
		},
		{
			name: "from the body, returning at once",
			body: func(a *asyncio.A, tg *asyncio.TaskGroup, log *evLog) error {
				// The worker is cancelled before its first step: Python never
				// starts its coroutine, so nothing is logged.
				asyncio.CreateTask(tg, sleepLogged(log, "worker", 10*time.Second))
				tg.Cancel()
				return nil
			},
			want: nil,
		},
		{
			name: "from a task while the body awaits",
			body: func(a *asyncio.A, tg *asyncio.TaskGroup, log *evLog) error {
				asyncio.CreateTask(tg, sleepLogged(log, "worker", 10*time.Second))
				asyncio.CreateTask(tg, asyncio.Async(func(a *asyncio.A) (string, error) {
					err := asyncio.Sleep(a, time.Second)
					tg.Cancel()
					return "", err
				}))
				if err := asyncio.Sleep(a, 5*time.Second); err != nil {
					log.add("body: %v", err)
					return err
				}
				return nil
			},
			want: evLog{"worker: canceled", "worker deferred", "body: canceled"},
		},
		{
			name: "from a task while the group exits",
			body: func(a *asyncio.A, tg *asyncio.TaskGroup, log *evLog) error {
				asyncio.CreateTask(tg, sleepLogged(log, "worker", 10*time.Second))
				asyncio.CreateTask(tg, asyncio.Async(func(a *asyncio.A) (string, error) {
					err := asyncio.Sleep(a, time.Second)
					tg.Cancel()
					return "", err
				}))
				return nil
			},
			want: evLog{"worker: canceled", "worker deferred"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log evLog
			err := vrun0(func(a *asyncio.A) error {
				var group *asyncio.TaskGroup
				err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
					group = tg
					return tt.body(a, tg, &log)
				})
				if err != nil {
					return fmt.Errorf("WithTaskGroup = %v, want nil", err)
				}
				group.Cancel() // after the group has ended: nothing
				if n := asyncio.CurrentTask(a).Cancelling(); n != 0 {
					return fmt.Errorf("Cancelling() after the group = %d, want 0", n)
				}
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return fmt.Errorf("parent after the group: %v", err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(log, tt.want) {
				t.Errorf("log = %v, want %v", log, tt.want)
			}
		})
	}
}

func TestTaskGroupCancelWithFailure(t *testing.T) {
	// Python 3.15: Cancel does not hide a task's failure.
	err := vrun0(func(a *asyncio.A) error {
		return asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			asyncio.CreateTask(tg, asyncio.Async(func(a *asyncio.A) (string, error) {
				if err := asyncio.Sleep(a, 10*time.Second); err != nil {
					return "", errors.New("failed on cancel")
				}
				return "", nil
			}))
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return err
			}
			tg.Cancel()
			return asyncio.Sleep(a, time.Second)
		})
	})
	if got, want := groupErrors(err), []string{"failed on cancel"}; !slices.Equal(got, want) {
		t.Errorf("WithTaskGroup = %v, want a group of %q", err, want)
	}
}

func TestTaskGroupOutsideCancellation(t *testing.T) {
	// Python: cancelling the task that runs the group cancels every task
	// of the group and comes out as CancelledError, not as a group.
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		parent := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (string, error) {
			return "", asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
				asyncio.CreateTask(tg, sleepLogged(&log, "one", 10*time.Second))
				asyncio.CreateTask(tg, sleepLogged(&log, "two", 10*time.Second))
				return asyncio.Sleep(a, 10*time.Second)
			})
		}))
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		parent.Cancel("outside")
		_, err := parent.Await(a)
		var eg *asyncio.ExceptionGroup
		if !canceledWith(err, "outside") || errors.As(err, &eg) || !parent.Cancelled() {
			return fmt.Errorf("await parent = %v (Cancelled %v), want *CanceledError \"outside\" (true)", err, parent.Cancelled())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := evLog{"one: canceled", "one deferred", "two: canceled", "two deferred"}
	if !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}

func TestTaskGroupOutsideCancellationWhileExiting(t *testing.T) {
	// The parent is cancelled while WithTaskGroup waits for its tasks
	// (Python's "wrapper is being cancelled while foo is still running").
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		parent := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (string, error) {
			return "", asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
				asyncio.CreateTask(tg, sleepLogged(&log, "one", 10*time.Second))
				return nil
			})
		}))
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		parent.Cancel()
		if _, err := parent.Await(a); !errors.Is(err, asyncio.ErrCanceled) {
			return fmt.Errorf("await parent = %v, want ErrCanceled", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (evLog{"one: canceled", "one deferred"}); !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}

func TestTaskGroupCreateTaskWhenClosed(t *testing.T) {
	// Python: create_task on a finished group raises RuntimeError("... is
	// finished"), on an aborting one "... is shutting down"; the coroutine
	// is closed either way.
	capture := func(f func()) (p any) {
		defer func() { p = recover() }()
		f()
		return nil
	}
	var finished, shuttingDown any
	var lateRan bool
	late := func() *asyncio.Coro[int] {
		return asyncio.Async(func(a *asyncio.A) (int, error) { lateRan = true; return 0, nil })
	}
	err := vrun0(func(a *asyncio.A) error {
		var group *asyncio.TaskGroup
		if err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			group = tg
			asyncio.CreateTask(tg, after(0, 1))
			return nil
		}); err != nil {
			return err
		}
		finished = capture(func() { asyncio.CreateTask(group, late()) })
		err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			asyncio.CreateTask(tg, failAfter[int](0, errors.New("v")))
			err := asyncio.Sleep(a, time.Second)
			shuttingDown = capture(func() { asyncio.CreateTask(tg, late()) })
			return err
		})
		if got, want := groupErrors(err), []string{"v"}; !slices.Equal(got, want) {
			return fmt.Errorf("WithTaskGroup = %v, want a group of [v]", err)
		}
		return asyncio.Sleep(a, time.Second)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		got  any
		want string
	}{
		{finished, "asyncio.CreateTask: TaskGroup is finished"},
		{shuttingDown, "asyncio.CreateTask: TaskGroup is shutting down"},
	} {
		if e, ok := c.got.(error); !ok || e.Error() != c.want {
			t.Errorf("CreateTask panicked with %v, want %q", c.got, c.want)
		}
	}
	if lateRan {
		t.Errorf("a coroutine refused by a closed group ran")
	}
}

func TestTaskGroupEmpty(t *testing.T) {
	err := vrun0(func(a *asyncio.A) error {
		return asyncio.WithTaskGroup(a, func(*asyncio.TaskGroup) error { return nil })
	})
	if err != nil {
		t.Errorf("WithTaskGroup with no tasks = %v, want nil", err)
	}
}

func TestTaskGroupBodyCancellationIsNotCollected(t *testing.T) {
	// A body that returns a cancellation it got from a cancelled future
	// (not from the group, not from outside): the group propagates it as
	// a cancellation, as Python's __aexit__ does with CancelledError.
	err := vrun0(func(a *asyncio.A) error {
		f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
		asyncio.GetRunningLoop(a).CallLater(time.Second, func() { f.Cancel("f") })
		err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			_, err := f.Await(a)
			return err
		})
		var eg *asyncio.ExceptionGroup
		if !errors.Is(err, asyncio.ErrCanceled) || errors.As(err, &eg) {
			return fmt.Errorf("WithTaskGroup = %v, want the cancellation", err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestTaskGroupCancelsInCreationOrder(t *testing.T) {
	// When a group aborts, its tasks are cancelled in the order they were
	// created, so that a program prints the same on every run. (Python
	// walks a set, whose order is unspecified.)
	const n = 20
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		return asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			for i := range n {
				asyncio.CreateTask(tg, asyncio.Async(func(a *asyncio.A) (int, error) {
					err := asyncio.Sleep(a, time.Hour)
					log.add("%d", i)
					return 0, err
				}))
			}
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return err
			}
			tg.Cancel()
			return nil
		})
	})
	if err != nil {
		t.Fatalf("WithTaskGroup = %v, want nil", err)
	}
	var want evLog
	for i := range n {
		want.add("%d", i)
	}
	if !slices.Equal(log, want) {
		t.Errorf("cancelled in the order %v, want %v", log, want)
	}
}

func TestTaskGroupUncancelsParentAfterWaiting(t *testing.T) {
	// Python 3.13 (gh-116720): the group withdraws its cancellation of the
	// parent after waiting for its tasks, so that a task failing during the
	// wait leaves no request behind: the parent is not cancelling, its
	// Context is live, and it awaits normally.
	errBoom := errors.New("boom")
	tests := []struct {
		name string
		body func(a *asyncio.A, tg *asyncio.TaskGroup) error
		want []string
	}{
		{
			// test_cancelling_level_preserved
			name: "a task fails while the group exits",
			body: func(a *asyncio.A, tg *asyncio.TaskGroup) error {
				asyncio.CreateTask(tg, failAfter[int](0, errBoom))
				return nil
			},
			want: []string{"boom"},
		},
		{
			// test_cancellation_does_not_leak_out_of_tg
			name: "a task fails at its first step",
			body: func(a *asyncio.A, tg *asyncio.TaskGroup) error {
				asyncio.CreateTask(tg, asyncio.Async(func(a *asyncio.A) (int, error) { return 0, errBoom }))
				return nil
			},
			want: []string{"boom"},
		},
		{
			name: "a task fails later while the group exits",
			body: func(a *asyncio.A, tg *asyncio.TaskGroup) error {
				asyncio.CreateTask(tg, failAfter[int](time.Second, errBoom))
				asyncio.CreateTask(tg, after(10*time.Second, 1))
				return nil
			},
			want: []string{"boom"},
		},
		{
			name: "a task fails while the body awaits",
			body: func(a *asyncio.A, tg *asyncio.TaskGroup) error {
				asyncio.CreateTask(tg, failAfter[int](time.Second, errBoom))
				return asyncio.Sleep(a, 10*time.Second)
			},
			want: []string{"boom"},
		},
		{
			// test_taskgroup_context_manager_exit_raises: the body turns
			// the group's cancellation into an error of its own.
			name: "the body fails on the group's cancellation",
			body: func(a *asyncio.A, tg *asyncio.TaskGroup) error {
				asyncio.CreateTask(tg, failAfter[int](0, errBoom))
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return errors.New("cleanup failed")
				}
				return nil
			},
			want: []string{"boom", "cleanup failed"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := vrun0(func(a *asyncio.A) error {
				err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error { return tt.body(a, tg) })
				if got := groupErrors(err); !slices.Equal(got, tt.want) {
					return fmt.Errorf("WithTaskGroup = %v, want a group of %q", err, tt.want)
				}
				if n := asyncio.CurrentTask(a).Cancelling(); n != 0 {
					return fmt.Errorf("Cancelling() after the group = %d, want 0", n)
				}
				if err := asyncio.Context(a).Err(); err != nil {
					return fmt.Errorf("Context(a).Err() after the group = %v, want nil", err)
				}
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return fmt.Errorf("parent after the group: %v", err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestTaskGroupNestedBothFail(t *testing.T) {
	// test_nested_groups_both_cancelled: each group withdraws its own
	// request, the inner one while the outer one's still stands.
	errInner, errOuter := errors.New("inner"), errors.New("outer")
	var between int
	err := vrun0(func(a *asyncio.A) error {
		err := asyncio.WithTaskGroup(a, func(outer *asyncio.TaskGroup) error {
			err := asyncio.WithTaskGroup(a, func(inner *asyncio.TaskGroup) error {
				asyncio.CreateTask(inner, failAfter[int](0, errInner))
				asyncio.CreateTask(outer, failAfter[int](0, errOuter))
				return nil
			})
			if got, want := groupErrors(err), []string{"inner"}; !slices.Equal(got, want) {
				return fmt.Errorf("inner WithTaskGroup = %v, want a group of %q", err, want)
			}
			between = asyncio.CurrentTask(a).Cancelling()
			return nil
		})
		if got, want := groupErrors(err), []string{"outer"}; !slices.Equal(got, want) {
			return fmt.Errorf("outer WithTaskGroup = %v, want a group of %q", err, want)
		}
		if n := asyncio.CurrentTask(a).Cancelling(); n != 0 {
			return fmt.Errorf("Cancelling() after both groups = %d, want 0", n)
		}
		return asyncio.Sleep(a, 0)
	})
	if err != nil {
		t.Fatal(err)
	}
	if between != 1 {
		t.Errorf("Cancelling() between the groups = %d, want 1 (the outer group's)", between)
	}
}

func TestTaskGroupInsideTimeout(t *testing.T) {
	// gh-116720: a group failure handled inside a Timeout leaves the
	// Timeout able to tell its own expiry from a cancellation from outside.
	var groupErr error
	err := vrun0(func(a *asyncio.A) error {
		return asyncio.Timeout(a, 5*time.Second, func(*asyncio.TimeoutScope) error {
			groupErr = asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
				asyncio.CreateTask(tg, failAfter[int](time.Second, errors.New("boom")))
				asyncio.CreateTask(tg, after(10*time.Second, 1))
				return nil
			})
			return asyncio.Sleep(a, 10*time.Second)
		})
	})
	if got, want := groupErrors(groupErr), []string{"boom"}; !slices.Equal(got, want) {
		t.Errorf("WithTaskGroup = %v, want a group of %q", groupErr, want)
	}
	if !errors.Is(err, asyncio.ErrTimeout) {
		t.Errorf("Timeout = %v, want ErrTimeout", err)
	}
}

func TestTaskGroupOutsideCancelWithFailure(t *testing.T) {
	// Python 3.13: a cancellation from outside that meets a task's failure
	// is not lost, in either order. The group reports the failure, and the
	// parent, still cancelling, is cancelled again at its next await
	// (test_error_and_cancel).
	tests := []struct {
		name string
		// cancelAt is when the parent is cancelled from outside, after the
		// child started; the child fails at its second step.
		cancelAt time.Duration
	}{
		{"the cancel, then the failure", 0},
		{"the failure, then the cancel while the group waits", time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log evLog
			err := vrun0(func(a *asyncio.A) error {
				var started asyncio.Event
				inner := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
					err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
						asyncio.CreateTask(tg, asyncio.Async(func(a *asyncio.A) (int, error) {
							started.Set()
							_ = asyncio.Sleep(a, 0)
							return 0, errors.New("boom")
						}))
						// A sibling slow to end keeps the group waiting.
						asyncio.CreateTask(tg, asyncio.Async(func(a *asyncio.A) (int, error) {
							err := asyncio.Sleep(a, time.Hour)
							_ = asyncio.Sleep(a, 2*time.Second)
							return 0, err
						}))
						return asyncio.Sleep(a, time.Hour)
					})
					log.add("group %q, Cancelling %d", groupErrors(err), asyncio.CurrentTask(a).Cancelling())
					err = asyncio.Sleep(a, time.Hour)
					log.add("sleep after the group: %v", err)
					return 0, err
				}))
				if err := started.Wait(a); err != nil {
					return err
				}
				if tt.cancelAt > 0 {
					if err := asyncio.Sleep(a, tt.cancelAt); err != nil {
						return err
					}
				}
				inner.Cancel("outside")
				_, err := inner.Await(a)
				if !errors.Is(err, asyncio.ErrCanceled) || !inner.Cancelled() {
					return fmt.Errorf("await inner = %v (Cancelled %v), want ErrCanceled (true)", err, inner.Cancelled())
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			want := evLog{`group ["boom"], Cancelling 1`, "sleep after the group: canceled"}
			if !slices.Equal(log, want) {
				t.Errorf("log = %v, want %v", log, want)
			}
		})
	}
}

func TestTaskGroupCancelThenOutsideCancel(t *testing.T) {
	// gh-155433: the group cancelled by Cancel while it exits, then its
	// parent cancelled from outside while it waits: the group ends without
	// an error of its own, and returns the outside cancellation rather than
	// nil.
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		inner := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
				asyncio.CreateTask(tg, asyncio.Async(func(a *asyncio.A) (int, error) {
					err := asyncio.Sleep(a, time.Hour)
					_ = asyncio.Sleep(a, 2*time.Second) // slow to end
					return 0, err
				}))
				asyncio.CreateTask(tg, asyncio.Async(func(a *asyncio.A) (int, error) {
					err := asyncio.Sleep(a, time.Second)
					tg.Cancel()
					return 0, err
				}))
				return nil
			})
			log.add("group: %v", err)
			return 0, err
		}))
		if err := asyncio.Sleep(a, 2*time.Second); err != nil {
			return err
		}
		inner.Cancel("outside")
		_, err := inner.Await(a)
		if !errors.Is(err, asyncio.ErrCanceled) || !inner.Cancelled() {
			return fmt.Errorf("await inner = %v (Cancelled %v), want ErrCanceled (true)", err, inner.Cancelled())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (evLog{"group: canceled: outside"}); !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}

func TestTaskGroupCancellationCountsUnderSeeds(t *testing.T) {
	// Whatever order a seeded schedule gives to the tasks that become ready
	// together, a group's own cancellation of its parent is withdrawn, and
	// one from outside is kept.
	for seed := range uint64(100) {
		var log evLog
		err := vrun0(func(a *asyncio.A) error {
			handled := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
					for i := range 3 {
						asyncio.CreateTask(tg, failAfter[int](time.Duration(i%2)*time.Second, fmt.Errorf("boom %d", i)))
						asyncio.CreateTask(tg, after(time.Duration(i)*time.Second, i))
					}
					return nil
				})
				log.add("handled: failed %v, Cancelling %d", len(groupErrors(err)) > 0, asyncio.CurrentTask(a).Cancelling())
				return 0, asyncio.Sleep(a, time.Second)
			}))
			cancelled := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
					asyncio.CreateTask(tg, failAfter[int](time.Second, errors.New("boom")))
					asyncio.CreateTask(tg, asyncio.Async(func(a *asyncio.A) (int, error) {
						err := asyncio.Sleep(a, time.Hour)
						_ = asyncio.Sleep(a, time.Second)
						return 0, err
					}))
					return asyncio.Sleep(a, time.Hour)
				})
				log.add("cancelled: %q, Cancelling %d", groupErrors(err), asyncio.CurrentTask(a).Cancelling())
				return 0, asyncio.Sleep(a, time.Hour)
			}))
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return err
			}
			cancelled.Cancel()
			if _, err := handled.Await(a); err != nil {
				return fmt.Errorf("handled: %v", err)
			}
			if _, err := cancelled.Await(a); !cancelled.Cancelled() {
				return fmt.Errorf("cancelled: %v, want it cancelled", err)
			}
			return nil
		}, asyncio.WithSeed(seed))
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		slices.Sort(log)
		if want := (evLog{`cancelled: ["boom"], Cancelling 1`, "handled: failed true, Cancelling 0"}); !slices.Equal(log, want) {
			t.Fatalf("seed %d: log = %q, want %q", seed, log, want)
		}
	}
}
