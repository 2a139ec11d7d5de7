package asyncio_test

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/yieldfrom/asyncgo/asyncio"
)

// syncQueue is what Queue, LifoQueue and PriorityQueue have in common.
type syncQueue[T any] interface {
	Put(a *asyncio.A, v T) error
	PutNowait(v T) error
	Get(a *asyncio.A) (T, error)
	GetNowait() (T, error)
	Qsize() int
	Empty() bool
	Full() bool
	Maxsize() int
	TaskDone() error
	Join(a *asyncio.A) error
	Shutdown(immediate bool)
}

var (
	_ syncQueue[int] = (*asyncio.Queue[int])(nil)
	_ syncQueue[int] = (*asyncio.LifoQueue[int])(nil)
	_ syncQueue[int] = (*asyncio.PriorityQueue[int])(nil)
)

func syncQueueOutcome(err error) string {
	switch {
	case errors.Is(err, asyncio.ErrQueueShutDown):
		return "shut down"
	case errors.Is(err, asyncio.ErrQueueEmpty):
		return "empty"
	case errors.Is(err, asyncio.ErrQueueFull):
		return "full"
	}
	return syncOutcome(err)
}

func TestQueueOrder(t *testing.T) {
	type pair struct {
		prio int
		name string
	}
	byPrio := func(a, b pair) bool { return a.prio < b.prio }
	in := []pair{{3, "c"}, {1, "a"}, {2, "b"}, {1, "a2"}, {5, "e"}, {2, "b2"}}
	tests := []struct {
		name string
		q    func() syncQueue[pair]
		want []string
	}{
		{"Queue", func() syncQueue[pair] { return new(asyncio.Queue[pair]) }, []string{"c", "a", "b", "a2", "e", "b2"}},
		{"LifoQueue", func() syncQueue[pair] { return new(asyncio.LifoQueue[pair]) }, []string{"b2", "e", "a2", "b", "a", "c"}},
		// Equal priorities leave in the order they came.
		{"PriorityQueue", func() syncQueue[pair] { return asyncio.NewPriorityQueue(0, byPrio) }, []string{"a", "a2", "b", "b2", "c", "e"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q()
			for round := range 2 { // the second round reuses emptied storage
				for _, p := range in {
					if err := q.PutNowait(p); err != nil {
						t.Fatalf("PutNowait(%v) = %v", p, err)
					}
				}
				if got := q.Qsize(); got != len(in) {
					t.Errorf("Qsize() = %d, want %d", got, len(in))
				}
				var got []string
				for !q.Empty() {
					p, err := q.GetNowait()
					if err != nil {
						t.Fatalf("GetNowait() = %v", err)
					}
					got = append(got, p.name)
				}
				if diff := gocmp.Diff(tt.want, got); diff != "" {
					t.Errorf("round %d: order mismatch (-want +got):\n%s", round, diff)
				}
			}
		})
	}
}

func TestPriorityQueueHeap(t *testing.T) {
	// Enough values, in a scrambled order, to exercise every sift path.
	q := asyncio.NewPriorityQueue(0, cmp.Less[int])
	const n = 200
	for i := range n {
		if err := q.PutNowait((i * 7919) % n); err != nil {
			t.Fatal(err)
		}
	}
	for want := range n {
		if got, err := q.GetNowait(); got != want || err != nil {
			t.Fatalf("GetNowait() = %d, %v, want %d, nil", got, err, want)
		}
	}
}

func TestQueueNowait(t *testing.T) {
	tests := []struct {
		name    string
		q       syncQueue[int]
		maxsize int
	}{
		{"Queue", asyncio.NewQueue[int](2), 2},
		{"LifoQueue", asyncio.NewLifoQueue[int](2), 2},
		{"PriorityQueue", asyncio.NewPriorityQueue(2, cmp.Less[int]), 2},
		{"unbounded", asyncio.NewQueue[int](-1), -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			if got := q.Maxsize(); got != tt.maxsize {
				t.Errorf("Maxsize() = %d, want %d", got, tt.maxsize)
			}
			if _, err := q.GetNowait(); !errors.Is(err, asyncio.ErrQueueEmpty) {
				t.Errorf("GetNowait() on empty = %v, want ErrQueueEmpty", err)
			}
			for i := range 2 {
				if err := q.PutNowait(i); err != nil {
					t.Fatalf("PutNowait(%d) = %v", i, err)
				}
			}
			err := q.PutNowait(2)
			if tt.maxsize > 0 {
				if !errors.Is(err, asyncio.ErrQueueFull) {
					t.Errorf("PutNowait on full = %v, want ErrQueueFull", err)
				}
				if !q.Full() {
					t.Errorf("Full() = false with %d of %d", q.Qsize(), tt.maxsize)
				}
			} else if err != nil || q.Full() {
				t.Errorf("unbounded: PutNowait = %v, Full() = %v, want nil, false", err, q.Full())
			}
			if q.Empty() {
				t.Errorf("Empty() = true with %d values", q.Qsize())
			}
		})
	}
}

func TestQueueTaskDone(t *testing.T) {
	var tr syncTrace
	err := syncRun(func(a *asyncio.A) error {
		var q asyncio.Queue[string] // the zero value is unbounded
		if err := q.TaskDone(); !errors.Is(err, asyncio.ErrTooManyTaskDone) {
			return fmt.Errorf("TaskDone on a new queue = %v, want ErrTooManyTaskDone", err)
		}
		if err := q.Join(a); err != nil { // nothing unfinished: no wait
			return err
		}
		for _, v := range []string{"a", "b"} {
			if err := q.Put(a, v); err != nil {
				return err
			}
		}
		start := asyncio.GetRunningLoop(a).Time()
		for _, name := range []string{"j1", "j2"} {
			syncGo(a, name, func(a *asyncio.A) error {
				err := q.Join(a)
				tr.add("%s %s at %v", name, syncOutcome(err), asyncio.GetRunningLoop(a).Time().Sub(start))
				return err
			})
		}
		worker := syncGo(a, "worker", func(a *asyncio.A) error {
			for range 2 {
				v, err := q.Get(a)
				if err != nil {
					return err
				}
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return err
				}
				tr.add("done %s", v)
				if err := q.TaskDone(); err != nil {
					return err
				}
			}
			return nil
		})
		if _, err := asyncio.Await(a, worker); err != nil {
			return err
		}
		if err := syncSettle(a); err != nil {
			return err
		}
		if err := q.TaskDone(); !errors.Is(err, asyncio.ErrTooManyTaskDone) {
			return fmt.Errorf("one TaskDone too many = %v, want ErrTooManyTaskDone", err)
		}
		return nil
	})
	want := []string{"done a", "done b", "j1 ok at 2s", "j2 ok at 2s"}
	tr.check(t, err, want)
}

func TestQueueBackpressure(t *testing.T) {
	var tr syncTrace
	err := syncRun(func(a *asyncio.A) error {
		q := asyncio.NewQueue[int](2)
		start := asyncio.GetRunningLoop(a).Time()
		at := func() time.Duration { return asyncio.GetRunningLoop(a).Time().Sub(start) }
		producer := syncGo(a, "producer", func(a *asyncio.A) error {
			for i := range 5 {
				if err := q.Put(a, i); err != nil {
					return err
				}
				tr.add("put %d at %v (size %d)", i, at(), q.Qsize())
			}
			return nil
		})
		consumer := syncGo(a, "consumer", func(a *asyncio.A) error {
			for range 5 {
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return err
				}
				v, err := q.Get(a)
				if err != nil {
					return err
				}
				tr.add("got %d at %v", v, at())
			}
			return nil
		})
		_, err1 := asyncio.Await(a, producer)
		_, err2 := asyncio.Await(a, consumer)
		return errors.Join(err1, err2)
	})
	want := []string{
		"put 0 at 0s (size 1)", "put 1 at 0s (size 2)",
		"got 0 at 1s", "put 2 at 1s (size 2)",
		"got 1 at 2s", "put 3 at 2s (size 2)",
		"got 2 at 3s", "put 4 at 3s (size 2)",
		"got 3 at 4s", "got 4 at 5s",
	}
	tr.check(t, err, want)
}

// queueGetter gets one value from q and records it, or the error.
func queueGetter(q syncQueue[string], tr *syncTrace, name string) func(a *asyncio.A) error {
	return func(a *asyncio.A) error {
		v, err := q.Get(a)
		if err != nil {
			tr.add("%s %s", name, syncQueueOutcome(err))
			return err
		}
		tr.add("%s got %s", name, v)
		return nil
	}
}

// queuePutter puts v into q and records it, or the error.
func queuePutter(q syncQueue[string], tr *syncTrace, name, v string) func(a *asyncio.A) error {
	return func(a *asyncio.A) error {
		if err := q.Put(a, v); err != nil {
			tr.add("%s %s", name, syncQueueOutcome(err))
			return err
		}
		tr.add("%s put %s", name, v)
		return nil
	}
}

// queueDrain records what is left in q.
func queueDrain(q syncQueue[string], tr *syncTrace) {
	var left []string
	for {
		v, err := q.GetNowait()
		if err != nil {
			break
		}
		left = append(left, v)
	}
	tr.add("left [%s]", strings.Join(left, " "))
}

func TestQueueGetters(t *testing.T) {
	tests := []struct {
		name string
		// run starts with g1, g2, g3 waiting in Get on an empty queue.
		// After it, whoever still waits is shut out.
		run  func(a *asyncio.A, q *asyncio.Queue[string], gs []*asyncio.Task[struct{}], tr *syncTrace) error
		want []string
	}{{
		name: "getters are served in arrival order",
		run: func(a *asyncio.A, q *asyncio.Queue[string], gs []*asyncio.Task[struct{}], tr *syncTrace) error {
			return errors.Join(q.PutNowait("x"), q.PutNowait("y"), q.PutNowait("z"))
		},
		want: []string{"g1 got x", "g2 got y", "g3 got z", "shutdown", "left []"},
	}, {
		name: "cancelled getter leaves the line",
		run: func(a *asyncio.A, q *asyncio.Queue[string], gs []*asyncio.Task[struct{}], tr *syncTrace) error {
			gs[0].Cancel()
			if err := syncSettle(a); err != nil {
				return err
			}
			return q.PutNowait("x")
		},
		want: []string{"g1 canceled", "g2 got x", "shutdown", "g3 shut down", "left []"},
	}, {
		// Without passing the value's wake-up on, g2 would sleep until the
		// shutdown with "x" still in the queue.
		name: "getter woken then cancelled before it runs leaves the value to the next",
		run: func(a *asyncio.A, q *asyncio.Queue[string], gs []*asyncio.Task[struct{}], tr *syncTrace) error {
			if err := q.PutNowait("x"); err != nil {
				return err
			}
			gs[0].Cancel()
			return nil
		},
		want: []string{"g1 canceled", "g2 got x", "shutdown", "g3 shut down", "left []"},
	}, {
		name: "getter woken then cancelled, value taken meanwhile",
		run: func(a *asyncio.A, q *asyncio.Queue[string], gs []*asyncio.Task[struct{}], tr *syncTrace) error {
			if err := q.PutNowait("x"); err != nil {
				return err
			}
			gs[0].Cancel()
			v, err := q.GetNowait()
			tr.add("main got %s", v)
			return err
		},
		want: []string{"main got x", "g1 canceled", "shutdown", "g2 shut down", "g3 shut down", "left []"},
	}, {
		// A task that finds a value takes it, as in Python, even though g1
		// was woken for it; g1 then waits again at the back of the line,
		// as Python's get appends a new future, and g2 is served first.
		name: "woken getter that finds the value taken goes to the back of the line",
		run: func(a *asyncio.A, q *asyncio.Queue[string], gs []*asyncio.Task[struct{}], tr *syncTrace) error {
			if err := q.PutNowait("x"); err != nil {
				return err
			}
			v, err := q.GetNowait()
			if err != nil {
				return err
			}
			tr.add("main got %s", v)
			if err := syncSettle(a); err != nil {
				return err
			}
			return errors.Join(q.PutNowait("y"), q.PutNowait("z"))
		},
		want: []string{"main got x", "g2 got y", "g3 got z", "shutdown", "g1 shut down", "left []"},
	}, {
		name: "getter cancelled before it suspends never queues",
		run: func(a *asyncio.A, q *asyncio.Queue[string], gs []*asyncio.Task[struct{}], tr *syncTrace) error {
			syncGo(a, "g4", func(a *asyncio.A) error {
				asyncio.CurrentTask(a).Cancel()
				return queueGetter(q, tr, "g4")(a)
			})
			if err := syncSettle(a); err != nil {
				return err
			}
			return errors.Join(q.PutNowait("x"), q.PutNowait("y"), q.PutNowait("z"))
		},
		want: []string{"g4 canceled", "g1 got x", "g2 got y", "g3 got z", "shutdown", "left []"},
	}, {
		name: "immediate shutdown wakes every getter",
		run: func(a *asyncio.A, q *asyncio.Queue[string], gs []*asyncio.Task[struct{}], tr *syncTrace) error {
			q.Shutdown(true)
			return nil
		},
		want: []string{"g1 shut down", "g2 shut down", "g3 shut down", "shutdown", "left []"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr syncTrace
			err := syncRun(func(a *asyncio.A) error {
				q := asyncio.NewQueue[string](0)
				var gs []*asyncio.Task[struct{}]
				for _, name := range []string{"g1", "g2", "g3"} {
					gs = append(gs, syncGo(a, name, queueGetter(q, &tr, name)))
				}
				return queueWaiters(a, q, gs, &tr, tt.run)
			})
			tr.check(t, err, tt.want)
		})
	}
}

// queueWaiters lets the tasks ws start waiting on q, calls run, lets them
// act on what run did, then shuts q down (waking whoever still waits), waits
// for ws to end and records what is left in q.
func queueWaiters(a *asyncio.A, q *asyncio.Queue[string], ws []*asyncio.Task[struct{}], tr *syncTrace,
	run func(a *asyncio.A, q *asyncio.Queue[string], ws []*asyncio.Task[struct{}], tr *syncTrace) error) error {
	if err := syncSettle(a); err != nil {
		return err
	}
	if err := run(a, q, ws, tr); err != nil {
		return err
	}
	if err := syncSettle(a); err != nil {
		return err
	}
	tr.add("shutdown")
	q.Shutdown(false)
	for _, w := range ws {
		asyncio.Await(a, w)
	}
	queueDrain(q, tr)
	return nil
}

func TestQueuePutters(t *testing.T) {
	tests := []struct {
		name string
		// run starts with a queue of size 1 holding "a", and p1, p2, p3
		// waiting to put "b", "c", "d". After it, whoever still waits is
		// shut out, and what is left in the queue is recorded.
		run  func(a *asyncio.A, q *asyncio.Queue[string], ps []*asyncio.Task[struct{}], tr *syncTrace) error
		want []string
	}{{
		name: "putters are served in arrival order",
		run: func(a *asyncio.A, q *asyncio.Queue[string], ps []*asyncio.Task[struct{}], tr *syncTrace) error {
			for range 3 {
				v, err := q.GetNowait()
				if err != nil {
					return err
				}
				tr.add("main got %s", v)
				if err := syncSettle(a); err != nil {
					return err
				}
			}
			return nil
		},
		want: []string{"main got a", "p1 put b", "main got b", "p2 put c", "main got c", "p3 put d", "shutdown", "left [d]"},
	}, {
		name: "cancelled putter leaves the line, its value unput",
		run: func(a *asyncio.A, q *asyncio.Queue[string], ps []*asyncio.Task[struct{}], tr *syncTrace) error {
			ps[0].Cancel()
			if err := syncSettle(a); err != nil {
				return err
			}
			_, err := q.GetNowait()
			return err
		},
		want: []string{"p1 canceled", "p2 put c", "shutdown", "p3 shut down", "left [c]"},
	}, {
		// Without passing the free slot on, p2 would wait until the
		// shutdown with the queue empty.
		name: "putter woken then cancelled before it runs leaves the slot to the next",
		run: func(a *asyncio.A, q *asyncio.Queue[string], ps []*asyncio.Task[struct{}], tr *syncTrace) error {
			if _, err := q.GetNowait(); err != nil {
				return err
			}
			ps[0].Cancel()
			return nil
		},
		want: []string{"p1 canceled", "p2 put c", "shutdown", "p3 shut down", "left [c]"},
	}, {
		// As for getters: p1 waits again at the back, behind p2 and p3.
		name: "woken putter that finds the slot taken goes to the back of the line",
		run: func(a *asyncio.A, q *asyncio.Queue[string], ps []*asyncio.Task[struct{}], tr *syncTrace) error {
			if _, err := q.GetNowait(); err != nil {
				return err
			}
			if err := q.PutNowait("main"); err != nil {
				return err
			}
			if err := syncSettle(a); err != nil {
				return err
			}
			v, err := q.GetNowait()
			tr.add("main got %s", v)
			return err
		},
		want: []string{"main got main", "p2 put c", "shutdown", "p3 shut down", "p1 shut down", "left [c]"},
	}, {
		name: "shutdown wakes every putter",
		run: func(a *asyncio.A, q *asyncio.Queue[string], ps []*asyncio.Task[struct{}], tr *syncTrace) error {
			q.Shutdown(false)
			return nil
		},
		want: []string{"p1 shut down", "p2 shut down", "p3 shut down", "shutdown", "left [a]"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr syncTrace
			err := syncRun(func(a *asyncio.A) error {
				q := asyncio.NewQueue[string](1)
				if err := q.Put(a, "a"); err != nil {
					return err
				}
				var ps []*asyncio.Task[struct{}]
				for i, name := range []string{"p1", "p2", "p3"} {
					ps = append(ps, syncGo(a, name, queuePutter(q, &tr, name, string(rune('b'+i)))))
				}
				return queueWaiters(a, q, ps, &tr, tt.run)
			})
			tr.check(t, err, tt.want)
		})
	}
}

func TestQueueShutdown(t *testing.T) {
	tests := []struct {
		name      string
		immediate bool
		want      []string
	}{{
		name:      "gets drain the queue, then fail",
		immediate: false,
		want: []string{
			"put shut down", "put_nowait shut down",
			"get a", "get b", "get shut down", "get_nowait shut down",
			"joined", "shutdown again",
		},
	}, {
		name:      "immediate drops the values and counts them done",
		immediate: true,
		want: []string{
			"put shut down", "put_nowait shut down",
			"get shut down", "get_nowait shut down",
			"joined", "shutdown again",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr syncTrace
			err := syncRun(func(a *asyncio.A) error {
				var q asyncio.Queue[string]
				for _, v := range []string{"a", "b"} {
					if err := q.PutNowait(v); err != nil {
						return err
					}
				}
				joiner := syncGo(a, "joiner", func(a *asyncio.A) error {
					err := q.Join(a)
					tr.add("joined")
					return err
				})
				q.Shutdown(tt.immediate)
				tr.add("put %s", syncQueueOutcome(q.Put(a, "c")))
				tr.add("put_nowait %s", syncQueueOutcome(q.PutNowait("c")))
				for {
					v, err := q.Get(a)
					if err != nil {
						tr.add("get %s", syncQueueOutcome(err))
						break
					}
					tr.add("get %s", v)
					if err := q.TaskDone(); err != nil {
						return err
					}
				}
				_, err := q.GetNowait()
				tr.add("get_nowait %s", syncQueueOutcome(err))
				if _, err := asyncio.Await(a, joiner); err != nil {
					return err
				}
				q.Shutdown(true)
				tr.add("shutdown again")
				return q.Join(a)
			})
			tr.check(t, err, tt.want)
		})
	}
}

// TestQueueShutdownImmediateJoin checks that an immediate shutdown counts
// the dropped values as done, but not the ones still being processed.
func TestQueueShutdownImmediateJoin(t *testing.T) {
	var tr syncTrace
	err := syncRun(func(a *asyncio.A) error {
		var q asyncio.LifoQueue[int]
		for i := range 3 {
			if err := q.Put(a, i); err != nil {
				return err
			}
		}
		v, err := q.Get(a) // being processed: not done yet
		if err != nil {
			return err
		}
		joiner := syncGo(a, "joiner", func(a *asyncio.A) error {
			err := q.Join(a)
			tr.add("joined")
			return err
		})
		if err := syncSettle(a); err != nil {
			return err
		}
		q.Shutdown(true)
		tr.add("shut down with %d left", q.Qsize())
		if err := syncSettle(a); err != nil {
			return err
		}
		tr.add("done with %d", v)
		if err := q.TaskDone(); err != nil {
			return err
		}
		_, err = asyncio.Await(a, joiner)
		return err
	})
	want := []string{"shut down with 0 left", "done with 2", "joined"}
	tr.check(t, err, want)
}

func TestQueueJoinCancel(t *testing.T) {
	var tr syncTrace
	err := syncRun(func(a *asyncio.A) error {
		var q asyncio.Queue[int]
		if err := q.PutNowait(1); err != nil {
			return err
		}
		var js []*asyncio.Task[struct{}]
		for _, name := range []string{"j1", "j2"} {
			js = append(js, syncGo(a, name, func(a *asyncio.A) error {
				err := q.Join(a)
				tr.add("%s %s", name, syncOutcome(err))
				return err
			}))
		}
		if err := syncSettle(a); err != nil {
			return err
		}
		js[0].Cancel()
		if err := syncSettle(a); err != nil {
			return err
		}
		if _, err := q.GetNowait(); err != nil {
			return err
		}
		if err := q.TaskDone(); err != nil {
			return err
		}
		_, err := asyncio.Await(a, js[1])
		return err
	})
	want := []string{"j1 canceled", "j2 ok"}
	tr.check(t, err, want)
}

func TestQueueDeadlockReport(t *testing.T) {
	err := syncRun(func(a *asyncio.A) error {
		var q asyncio.PriorityQueue[int]
		_, err := q.Get(a) // a zero PriorityQueue can be waited on
		return err
	})
	var de *asyncio.DeadlockError
	if !errors.As(err, &de) {
		t.Fatalf("Run = %v, want a *DeadlockError", err)
	}
	if !strings.Contains(err.Error(), "<PriorityQueue.Get pending>") {
		t.Errorf("deadlock report %q does not show the pending PriorityQueue.Get", err)
	}
}

func TestPriorityQueueZeroValuePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("PutNowait on a zero PriorityQueue did not panic")
		}
	}()
	var q asyncio.PriorityQueue[int]
	q.PutNowait(1)
}

func TestNewPriorityQueueNilLess(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("NewPriorityQueue with a nil less did not panic")
		}
	}()
	asyncio.NewPriorityQueue[int](0, nil)
}

// TestQueueTimeout checks a Get whose timeout fires in the same instant a
// value arrives for it: it times out, and the value goes to the next
// getter.
//
//	async with asyncio.timeout(1):
//	    v = await q.get()
func TestQueueTimeout(t *testing.T) {
	var tr syncTrace
	err := syncRun(func(a *asyncio.A) error {
		var q asyncio.Queue[string]
		producer := syncGo(a, "producer", func(a *asyncio.A) error {
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return err
			}
			tr.add("put x")
			return q.PutNowait("x")
		})
		getter := func(name string, d time.Duration) func(a *asyncio.A) error {
			return func(a *asyncio.A) error {
				var v string
				err := asyncio.Timeout(a, d, func(*asyncio.TimeoutScope) error {
					var err error
					v, err = q.Get(a)
					return err
				})
				if errors.Is(err, asyncio.ErrTimeout) {
					tr.add("%s timeout", name)
					return nil
				} else if err != nil {
					return err
				}
				tr.add("%s got %s", name, v)
				return nil
			}
		}
		g1 := syncGo(a, "g1", getter("g1", time.Second))
		g2 := syncGo(a, "g2", getter("g2", 5*time.Second))
		for _, t := range []*asyncio.Task[struct{}]{producer, g1, g2} {
			if _, err := asyncio.Await(a, t); err != nil {
				return err
			}
		}
		tr.add("size=%d", q.Qsize())
		return nil
	})
	want := []string{"put x", "g1 timeout", "g2 got x", "size=0"}
	tr.check(t, err, want)
}

// TestQueueStress runs producers and consumers that put and get under
// random timeouts, in shuffled schedules, then shuts the queue down: every
// value put must be got exactly once, and the unfinished count must reach
// zero.
func TestQueueStress(t *testing.T) {
	syncStress(t, func(a *asyncio.A, rng *rand.Rand) error {
		q := asyncio.NewQueue[int](2)
		var put, got []int
		var producers, consumers []*asyncio.Task[struct{}]
		for p := range 3 {
			producers = append(producers, syncGo(a, fmt.Sprint("p", p), func(a *asyncio.A) error {
				for i := range 15 {
					v := p*100 + i
					err := asyncio.Timeout(a, syncMillis(rng, 3), func(*asyncio.TimeoutScope) error {
						return q.Put(a, v)
					})
					if errors.Is(err, asyncio.ErrTimeout) {
						continue
					} else if err != nil {
						return err
					}
					put = append(put, v)
				}
				return nil
			}))
		}
		for c := range 3 {
			consumers = append(consumers, syncGo(a, fmt.Sprint("c", c), func(a *asyncio.A) error {
				for {
					var v int
					err := asyncio.Timeout(a, syncMillis(rng, 4), func(*asyncio.TimeoutScope) error {
						var err error
						v, err = q.Get(a)
						return err
					})
					switch {
					case errors.Is(err, asyncio.ErrTimeout):
						continue
					case errors.Is(err, asyncio.ErrQueueShutDown):
						return nil
					case err != nil:
						return err
					}
					got = append(got, v)
					if err := asyncio.Sleep(a, syncMillis(rng, 2)); err != nil {
						return err
					}
					if err := q.TaskDone(); err != nil {
						return err
					}
				}
			}))
		}
		for _, t := range producers {
			if _, err := asyncio.Await(a, t); err != nil {
				return err
			}
		}
		if err := q.Join(a); err != nil {
			return err
		}
		q.Shutdown(false)
		for _, t := range consumers {
			if _, err := asyncio.Await(a, t); err != nil {
				return err
			}
		}
		slices.Sort(put)
		slices.Sort(got)
		if !slices.Equal(put, got) {
			return fmt.Errorf("got %v, want the values put %v", got, put)
		}
		if len(put) == 0 {
			return errors.New("nothing was put: the test tests nothing")
		}
		return nil
	})
}

// A task that waits in Get or Put uses a waiter the loop kept from an
// earlier wait: a steady exchange through queues allocates nothing.
func TestQueueRoundTripDoesNotAllocate(t *testing.T) {
	err := vrun0(func(a *asyncio.A) error {
		there, back := asyncio.NewQueue[int](0), asyncio.NewQueue[int](1)
		echo := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			for {
				v, err := there.Get(a)
				if err != nil || v < 0 {
					return 0, err
				}
				if err := back.Put(a, v+1); err != nil {
					return 0, err
				}
			}
		}))
		v := 0
		var failed error
		roundTrip := func() {
			if err := there.Put(a, v); err != nil && failed == nil {
				failed = err
			}
			var err error
			if v, err = back.Get(a); err != nil && failed == nil {
				failed = err
			}
		}
		roundTrip() // the echo task's first step
		if allocs := testing.AllocsPerRun(100, roundTrip); allocs != 0 {
			return fmt.Errorf("a round trip through two queues allocates %v times, want 0", allocs)
		}
		if failed != nil {
			return failed
		}
		if err := there.Put(a, -1); err != nil {
			return err
		}
		_, err := echo.Await(a)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
