package asyncio_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/coro"
)

func TestGatherResultsInArgumentOrder(t *testing.T) {
	tests := []struct {
		name   string
		delays []time.Duration
		want   []string
		took   time.Duration
	}{
		{"lesson", []time.Duration{3 * time.Second, time.Second, 2 * time.Second}, []string{"a", "b", "c"}, 3 * time.Second},
		{"one", []time.Duration{time.Second}, []string{"a"}, time.Second},
		{"all at once", []time.Duration{0, 0, 0, 0}, []string{"a", "b", "c", "d"}, 0},
		{"ascending", []time.Duration{1, 2, 3}, []string{"a", "b", "c"}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var took time.Duration
			got, err := vrun(func(a *asyncio.A) ([]string, error) {
				now := clockOf(a)
				var aws []coro.Awaitable[string]
				for i, d := range tt.delays {
					aws = append(aws, after(d, string(rune('a'+i))))
				}
				res, err := asyncio.Gather(a, aws...)
				took = now()
				return res, err
			})
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("Gather = %v, %v; want %v, nil", got, err, tt.want)
			}
			if took != tt.took {
				t.Errorf("Gather took %v, want %v (the longest child)", took, tt.took)
			}
		})
	}
}

func TestGatherFirstErrorAtOnce(t *testing.T) {
	// Python: gather raises the first error as soon as it happens; the
	// other children are not cancelled and finish later.
	errFirst, errSecond := errors.New("first"), errors.New("second")
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		now := clockOf(a)
		logged := func(d time.Duration, v string) *asyncio.Coro[string] {
			return asyncio.Async(func(a *asyncio.A) (string, error) {
				if err := asyncio.Sleep(a, d); err != nil {
					log.add("%s: %v", v, err)
					return "", err
				}
				log.add("done %s", v)
				return v, nil
			})
		}
		_, err := asyncio.Gather(a,
			failAfter[string](time.Second, errFirst),
			logged(2*time.Second, "x"),
			logged(3*time.Second, "y"),
			failAfter[string](2500*time.Millisecond, errSecond))
		if err != errFirst || now() != time.Second || len(log) != 0 {
			return fmt.Errorf("Gather = %v at %v with log %v; want %v at 1s with empty log", err, now(), log, errFirst)
		}
		return asyncio.Sleep(a, 5*time.Second)
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (evLog{"done x", "done y"}); !slices.Equal(log, want) {
		t.Errorf("after the error the others did %v, want %v", log, want)
	}
}

func TestGatherReturnExceptions(t *testing.T) {
	errK := errors.New("k")
	var results []int
	var errs []error
	err := vrun0(func(a *asyncio.A) error {
		victim := asyncio.CreateTask(a, after(10*time.Second, 3))
		asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			err := asyncio.Sleep(a, time.Second)
			victim.Cancel("killed")
			return 0, err
		}))
		var err error
		results, errs, err = asyncio.GatherReturnExceptions(a, after(time.Second, 1), failAfter[int](2*time.Second, errK), victim)
		return err
	})
	if err != nil {
		t.Fatalf("GatherReturnExceptions = %v, want nil", err)
	}
	if want := []int{1, 0, 0}; !slices.Equal(results, want) {
		t.Errorf("results = %v, want %v", results, want)
	}
	if len(errs) != 3 || errs[0] != nil || errs[1] != errK || !errors.Is(errs[2], asyncio.ErrCanceled) {
		t.Errorf("errs = %v, want [nil %v canceled]", errs, errK)
	}
}

func TestGatherCancelCancelsChildren(t *testing.T) {
	for _, returnExceptions := range []bool{false, true} {
		t.Run(fmt.Sprintf("returnExceptions=%v", returnExceptions), func(t *testing.T) {
			var log evLog
			child := func(n int) *asyncio.Coro[int] {
				return asyncio.Async(func(a *asyncio.A) (int, error) {
					err := asyncio.Sleep(a, 10*time.Second)
					if errors.Is(err, asyncio.ErrCanceled) {
						log.add("child %d cancelled", n)
					}
					return n, err
				})
			}
			err := vrun0(func(a *asyncio.A) error {
				parent := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) ([]int, error) {
					if returnExceptions {
						res, _, err := asyncio.GatherReturnExceptions(a, child(1), child(2), after(500*time.Millisecond, 0))
						return res, err
					}
					return asyncio.Gather(a, child(1), child(2))
				}))
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return err
				}
				parent.Cancel()
				if _, err := parent.Await(a); !errors.Is(err, asyncio.ErrCanceled) || !parent.Cancelled() {
					return fmt.Errorf("await parent = %v (Cancelled %v), want ErrCanceled (true)", err, parent.Cancelled())
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			// Python: a cancelled gather cancels every child still running,
			// with or without return_exceptions.
			want := evLog{"child 1 cancelled", "child 2 cancelled"}
			if !slices.Equal(log, want) {
				t.Errorf("log = %v, want %v", log, want)
			}
		})
	}
}

func TestGatherEmpty(t *testing.T) {
	got, err := vrun(func(a *asyncio.A) ([]int, error) {
		return asyncio.Gather[int](a)
	})
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("Gather() = %#v, %v; want [], nil", got, err)
	}
	res, errs, err := vrun2(func(a *asyncio.A) ([]int, []error, error) {
		return asyncio.GatherReturnExceptions[int](a)
	})
	if err != nil || len(res) != 0 || len(errs) != 0 {
		t.Errorf("GatherReturnExceptions() = %v, %v, %v; want [], [], nil", res, errs, err)
	}
}

// vrun2 runs a body with two results and an error on a virtual clock.
func vrun2[T, U any](body func(a *asyncio.A) (T, U, error)) (T, U, error) {
	var u U
	t, err := vrun(func(a *asyncio.A) (T, error) {
		var t T
		var err error
		t, u, err = body(a)
		return t, err
	})
	return t, u, err
}

func TestGatherCancelledChild(t *testing.T) {
	// Python: a child cancelled by someone else makes gather raise
	// CancelledError in the awaiting task, which was itself not cancelled.
	err := vrun0(func(a *asyncio.A) error {
		victim := asyncio.CreateTask(a, after(10*time.Second, "victim"))
		asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			err := asyncio.Sleep(a, time.Second)
			victim.Cancel()
			return 0, err
		}))
		_, err := asyncio.Gather(a, victim, after(2*time.Second, "x"))
		if !errors.Is(err, asyncio.ErrCanceled) {
			return fmt.Errorf("Gather = %v, want ErrCanceled", err)
		}
		if n := asyncio.CurrentTask(a).Cancelling(); n != 0 {
			return fmt.Errorf("Cancelling() = %d, want 0", n)
		}
		return asyncio.Sleep(a, 2*time.Second) // let "x" finish
	})
	if err != nil {
		t.Error(err)
	}
}

func TestGatherMixed(t *testing.T) {
	// Futures, tasks and coroutines together, results in argument order.
	got, err := vrun(func(a *asyncio.A) ([]string, error) {
		l := asyncio.GetRunningLoop(a)
		f := asyncio.NewFuture[string](l)
		l.CallLater(time.Second, func() { f.SetResult("fut") })
		task := asyncio.CreateTask(a, after(2*time.Second, "task"))
		return asyncio.Gather(a, f, task, after(500*time.Millisecond, "coro"))
	})
	if want := []string{"fut", "task", "coro"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("Gather = %v, %v; want %v, nil", got, err, want)
	}
}

func TestGatherWrapsCoroutinesInTasks(t *testing.T) {
	// The children of Gather are tasks of their own: each sees its own
	// CurrentTask, and they start when the caller suspends.
	var log evLog
	got, err := vrun(func(a *asyncio.A) ([]string, error) {
		me := asyncio.Async(func(a *asyncio.A) (string, error) {
			name := asyncio.CurrentTask(a).Name()
			log.add("%s started", name)
			return name, nil
		})
		other := asyncio.Async(func(a *asyncio.A) (string, error) {
			return asyncio.CurrentTask(a).Name(), nil
		})
		return asyncio.Gather(a, me, other)
	})
	if want := []string{"Task-2", "Task-3"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("Gather = %v, %v; want %v, nil", got, err, want)
	}
	if want := (evLog{"Task-2 started"}); !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}

// TestGatherMixedTypes checks Gather2 and Gather3: typed results in
// argument order, the first error at once with the others running on, the
// awaiting task's cancellation reaching every child, and one coroutine
// given twice run once, as Gather does.
func TestGatherMixedTypes(t *testing.T) {
	errBoom := errors.New("boom")
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		now := clockOf(a)
		name, items, err := asyncio.Gather2(a, after(time.Second, "ann"), after(2*time.Second, []int{1, 2}))
		if name != "ann" || !slices.Equal(items, []int{1, 2}) || err != nil || now() != 2*time.Second {
			t.Errorf("Gather2 = %q, %v, %v at %v; want ann, [1 2], nil at 2s", name, items, err, now())
		}
		s, f, n, err := asyncio.Gather3(a, after(time.Second, "s"), after(3*time.Second, 1.5), asyncio.CreateTask(a, after(0, 7)))
		if s != "s" || f != 1.5 || n != 7 || err != nil {
			t.Errorf("Gather3 = %q, %v, %v, %v; want s, 1.5, 7, nil", s, f, n, err)
		}
		slow := asyncio.CreateTask(a, after(5*time.Second, 5))
		_, _, err = asyncio.Gather2(a, failAfter[string](time.Second, errBoom), slow)
		if err != errBoom || slow.Done() {
			t.Errorf("Gather2 with a failure = %v, slow done %v; want boom at once, slow running", err, slow.Done())
		}
		c := after(time.Second, 3)
		x, y, err := asyncio.Gather2(a, c, c)
		if x != 3 || y != 3 || err != nil {
			t.Errorf("Gather2(c, c) = %v, %v, %v; want 3, 3, nil (c run once)", x, y, err)
		}
		waiter := asyncio.CreateTask(a, asyncio.AsyncErr(func(a *asyncio.A) error {
			_, _, err := asyncio.Gather2(a, after(time.Hour, "x"), asyncio.Async(func(a *asyncio.A) (int, error) {
				err := asyncio.Sleep(a, time.Hour)
				log.add("child: %v", err)
				return 0, err
			}))
			return err
		}))
		asyncio.Sleep(a, time.Second)
		waiter.Cancel("stop")
		if _, err := waiter.Await(a); !waiter.Cancelled() {
			t.Errorf("a task awaiting a cancelled Gather2 ended with %v, want cancelled", err)
		}
		_, err = slow.Await(a)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (evLog{"child: canceled: stop"}); !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}

// TestAwaitablesGoStraightIn checks that slices of tasks, coroutines and
// futures go into the gathers through Awaitables, as gather(*aws).
func TestAwaitablesGoStraightIn(t *testing.T) {
	err := vrun0(func(a *asyncio.A) error {
		coros := []*asyncio.Coro[int]{after(time.Second, 1), after(0, 2)}
		tasks := []*asyncio.Task[int]{asyncio.CreateTask(a, after(0, 3)), asyncio.CreateTask(a, after(time.Second, 4))}
		l := asyncio.GetRunningLoop(a)
		futs := []*asyncio.Future[int]{asyncio.NewFuture[int](l)}
		l.CallLater(time.Second, func() { futs[0].SetResult(5) })
		got, err := asyncio.Gather(a, asyncio.Awaitables(coros)...)
		if !slices.Equal(got, []int{1, 2}) || err != nil {
			t.Errorf("Gather(coroutines) = %v, %v; want [1 2], nil", got, err)
		}
		got, _, err = asyncio.GatherReturnExceptions(a, asyncio.Awaitables(tasks)...)
		if !slices.Equal(got, []int{3, 4}) || err != nil {
			t.Errorf("GatherReturnExceptions(tasks) = %v, %v; want [3 4], nil", got, err)
		}
		got, err = asyncio.GatherFuture(a, asyncio.Awaitables(futs)...).Await(a)
		if !slices.Equal(got, []int{5}) || err != nil {
			t.Errorf("GatherFuture(futures) = %v, %v; want [5], nil", got, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestGatherFutureOutsideATask checks that GatherFuture and ShieldFuture,
// which return a future and no error, panic as CreateTask does when no task
// runs them.
func TestGatherFutureOutsideATask(t *testing.T) {
	for name, call := range map[string]func(a *asyncio.A){
		"asyncio.GatherFuture":                 func(a *asyncio.A) { asyncio.GatherFuture[int](a) },
		"asyncio.GatherFutureReturnExceptions": func(a *asyncio.A) { asyncio.GatherFutureReturnExceptions[int](a) },
		"asyncio.ShieldFuture":                 func(a *asyncio.A) { asyncio.ShieldFuture(a, after(0, 1)) },
	} {
		t.Run(name, func(t *testing.T) {
			var got any
			_, _ = coro.RoundRobin(coro.New(func(a *asyncio.A) (int, error) {
				defer func() { got = recover() }()
				call(a)
				return 0, nil
			}))
			if e, ok := got.(error); !ok || !errors.Is(e, asyncio.ErrNoRunningLoop) || !strings.HasPrefix(e.Error(), name+": ") {
				t.Errorf("%s outside a task panicked with %v, want ErrNoRunningLoop named %s", name, got, name)
			}
		})
	}
}

// TestGatherFutureAsCPython runs the interactions of a gather's future with
// cancellation and done callbacks that CPython's _GatheringFuture defines,
// and compares what they print with what CPython prints for the same
// program: 1, a cancel with a message after one child is done ends the
// gather with that cancellation, not cancelled itself; 2, so does a cancel
// with return exceptions; 3, two cancels both report true, and the last
// message wins; 4, a callback removed by an earlier callback of the same
// gather still runs, its removal reporting false; 5, cancelling the task
// that awaits the gather cancels the children, the gather ending done and
// not cancelled; 6, a child that turns its cancellation into a failure
// ends the gather with that failure; 7, an empty gather is done at once
// with no results, and cancelling it does nothing.
func TestGatherFutureAsCPython(t *testing.T) {
	var out strings.Builder
	p := func(f string, args ...any) { fmt.Fprintf(&out, f+"\n", args...) }
	_, err := asyncio.Run(t.Context(), asyncio.AsyncErr(func(a *asyncio.A) error {
		// 1
		t1 := asyncio.CreateTask(a, after(0, 1))
		t2 := asyncio.CreateTask(a, after(10*time.Second, 2))
		g := asyncio.GatherFuture(a, coro.Awaitable[int](t1), t2)
		asyncio.Sleep(a, time.Millisecond)
		p("1 cancel %v", g.Cancel("m"))
		_, err := g.Await(a)
		p("1 err %v %v %v", err, g.Cancelled(), t2.Cancelled())
		// 2
		t1 = asyncio.CreateTask(a, after(0, 1))
		t2 = asyncio.CreateTask(a, after(10*time.Second, 2))
		g = asyncio.GatherFutureReturnExceptions(a, coro.Awaitable[int](t1), t2)
		asyncio.Sleep(a, time.Millisecond)
		p("2 cancel %v", g.Cancel())
		_, err = g.Await(a)
		p("2 err %v %v", err, g.Cancelled())
		// 3
		t2 = asyncio.CreateTask(a, after(10*time.Second, 2))
		g = asyncio.GatherFuture(a, coro.Awaitable[int](t2))
		p("3 %v %v", g.Cancel("a"), g.Cancel("b"))
		_, err = g.Await(a)
		p("3 err %v", err)
		// 4
		t2 = asyncio.CreateTask(a, after(0, 2))
		g = asyncio.GatherFuture(a, coro.Awaitable[int](t2))
		var calls []int
		var cb2 *asyncio.DoneCallback
		g.AddDoneCallback(func(*asyncio.GatheringFuture[int]) {
			calls = append(calls, 1)
			p("4 remove %v", g.RemoveDoneCallback(cb2))
		})
		cb2 = g.AddDoneCallback(func(*asyncio.GatheringFuture[int]) { calls = append(calls, 2) })
		g.Await(a)
		asyncio.Sleep(a, 0)
		p("4 calls %v", calls)
		// 5
		t2 = asyncio.CreateTask(a, after(10*time.Second, 2))
		g = asyncio.GatherFuture(a, coro.Awaitable[int](t2))
		wt := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) ([]int, error) { return g.Await(a) }))
		asyncio.Sleep(a, 0)
		wt.Cancel("x")
		_, err = wt.Await(a)
		p("5 err %v %v %v %v", err, t2.Cancelled(), g.Done(), g.Cancelled())
		// 6
		t3 := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			if err := asyncio.Sleep(a, 10*time.Second); err != nil {
				return 0, errors.New("v")
			}
			return 0, nil
		}))
		g = asyncio.GatherFuture(a, coro.Awaitable[int](t3))
		asyncio.Sleep(a, 0)
		p("6 %v", g.Cancel())
		_, err = g.Await(a)
		p("6 err %v %v", err, g.Cancelled())
		// 7
		g = asyncio.GatherFuture[int](a)
		r, _ := g.Result()
		p("7 %v %v %v", g.Done(), g.Cancel(), r)
		return nil
	}), asyncio.WithVirtualTime())
	if err != nil {
		t.Fatal(err)
	}
	// What CPython 3.11 prints for the same program.
	want := `1 cancel true
1 err canceled: m false true
2 cancel true
2 err canceled false
3 true true
3 err canceled: b
4 remove false
4 calls [1 2]
5 err canceled: x true true false
6 true
6 err v false
7 true false []
`
	if got := out.String(); got != want {
		t.Errorf("got:\n%s\nwant (CPython's):\n%s", got, want)
	}
}
