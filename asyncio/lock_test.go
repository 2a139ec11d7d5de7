package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/coro"
)

// The helpers below serve the tests of every synchronization primitive and
// queue (lock, event, condition, semaphore, barrier and queue tests).

// syncRun runs body as the main task of a loop on the virtual clock and
// returns what Run returns; a task left pending when body returns is an
// error.
func syncRun(body func(a *asyncio.A) error) error {
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		return struct{}{}, body(a)
	}), asyncio.WithVirtualTime(), asyncio.WithStrictLeaks())
	return err
}

// syncStress runs body under many seeded schedules (see WithSeed), each
// with a random source of its own seeded alike, and fails t on the first
// error, naming the seed that replays it.
func syncStress(t *testing.T, body func(a *asyncio.A, rng *rand.Rand) error) {
	t.Helper()
	for seed := uint64(1); seed <= 40; seed++ {
		rng := rand.New(rand.NewPCG(seed, 0))
		_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			return struct{}{}, body(a, rng)
		}), asyncio.WithVirtualTime(), asyncio.WithSeed(seed), asyncio.WithStrictLeaks())
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
	}
}

// syncMillis returns a random duration of 0 to n-1 milliseconds: short
// enough that timers of different tasks keep landing on the same instant.
func syncMillis(rng *rand.Rand, n int) time.Duration {
	return time.Duration(rng.IntN(n)) * time.Millisecond
}

// syncGo starts a task named name that runs body.
func syncGo(a *asyncio.A, name string, body func(a *asyncio.A) error) *asyncio.Task[struct{}] {
	t := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		return struct{}{}, body(a)
	}))
	t.SetName(name)
	return t
}

// syncSettle lets every other task run until all of them wait for
// something: one virtual millisecond passes.
func syncSettle(a *asyncio.A) error { return asyncio.Sleep(a, time.Millisecond) }

// syncTrace records what tasks did, in order.
type syncTrace struct{ lines []string }

func (tr *syncTrace) add(format string, args ...any) {
	tr.lines = append(tr.lines, fmt.Sprintf(format, args...))
}

// check fails t if the run that recorded the trace failed, or if the trace
// is not want.
func (tr *syncTrace) check(t *testing.T, err error, want []string) {
	t.Helper()
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if diff := cmp.Diff(want, tr.lines); diff != "" {
		t.Errorf("trace mismatch (-want +got):\n%s", diff)
	}
}

// outcome names an error for a trace: "ok", "canceled", or the error.
func syncOutcome(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, asyncio.ErrCanceled):
		return "canceled"
	}
	return err.Error()
}

// lockUser acquires l, records it, holds it for hold, and releases it.
func lockUser(l *asyncio.Lock, tr *syncTrace, name string, hold time.Duration) func(a *asyncio.A) error {
	return func(a *asyncio.A) error {
		if err := l.Acquire(a); err != nil {
			tr.add("%s %s", name, syncOutcome(err))
			return err
		}
		tr.add("%s acquired", name)
		err := asyncio.Sleep(a, hold)
		if rerr := l.Release(); rerr != nil {
			return rerr
		}
		return err
	}
}

func TestLock(t *testing.T) {
	tests := []struct {
		name string
		// run holds the lock when it starts, with tasks w1, w2, w3 waiting
		// for it in that order; it must release it.
		run  func(a *asyncio.A, l *asyncio.Lock, ws []*asyncio.Task[struct{}], tr *syncTrace) error
		want []string
	}{{
		name: "waiters acquire in arrival order",
		run: func(a *asyncio.A, l *asyncio.Lock, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			return l.Release()
		},
		want: []string{"w1 acquired", "w2 acquired", "w3 acquired"},
	}, {
		name: "acquire after release queues behind the woken waiter",
		run: func(a *asyncio.A, l *asyncio.Lock, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			if err := l.Release(); err != nil {
				return err
			}
			tr.add("locked=%v", l.Locked())
			// The lock is free, but w1 was promised it: barging in would
			// break FIFO order, so this waits behind w1, w2 and w3.
			return lockUser(l, tr, "main", 0)(a)
		},
		want: []string{"locked=false", "w1 acquired", "w2 acquired", "w3 acquired", "main acquired"},
	}, {
		name: "cancelled waiter leaves the line",
		run: func(a *asyncio.A, l *asyncio.Lock, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			ws[1].Cancel()
			if err := syncSettle(a); err != nil {
				return err
			}
			return l.Release()
		},
		want: []string{"w2 canceled", "w1 acquired", "w3 acquired"},
	}, {
		name: "cancelled head waiter, then release, in one step",
		run: func(a *asyncio.A, l *asyncio.Lock, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			ws[0].Cancel()
			return l.Release()
		},
		want: []string{"w1 canceled", "w2 acquired", "w3 acquired"},
	}, {
		// Python's release wakes the head waiter only, and nobody while it
		// is cancelled but has not run: w1 wakes w2 when it runs, after
		// main's step, so w2 is still waiting when it is cancelled and
		// never gets the lock.
		name: "release wakes nobody while the cancelled head waiter has not run",
		run: func(a *asyncio.A, l *asyncio.Lock, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			ws[0].Cancel("")
			if err := l.Release(); err != nil {
				return err
			}
			if err := asyncio.Sleep(a, 0); err != nil {
				return err
			}
			ws[1].Cancel("")
			return nil
		},
		want: []string{"w1 canceled", "w2 canceled", "w3 acquired"},
	}, {
		// The wake-up Release sent to w1 must not be lost with w1: without
		// passing it on, w2 and w3 would wait forever and Run would report
		// a deadlock.
		name: "waiter woken then cancelled before it runs passes the lock on",
		run: func(a *asyncio.A, l *asyncio.Lock, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			if err := l.Release(); err != nil {
				return err
			}
			ws[0].Cancel()
			return nil
		},
		want: []string{"w1 canceled", "w2 acquired", "w3 acquired"},
	}, {
		// The cancellation is pending when w4 starts to wait: the task
		// cancels the waiter as it suspends on it.
		name: "waiter cancelled before it suspends never queues",
		run: func(a *asyncio.A, l *asyncio.Lock, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			syncGo(a, "w4", func(a *asyncio.A) error {
				asyncio.CurrentTask(a).Cancel()
				return lockUser(l, tr, "w4", time.Second)(a)
			})
			if err := syncSettle(a); err != nil {
				return err
			}
			return l.Release()
		},
		want: []string{"w4 canceled", "w1 acquired", "w2 acquired", "w3 acquired"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr syncTrace
			err := syncRun(func(a *asyncio.A) error {
				var l asyncio.Lock
				if err := l.Acquire(a); err != nil {
					return err
				}
				var ws []*asyncio.Task[struct{}]
				for _, name := range []string{"w1", "w2", "w3"} {
					ws = append(ws, syncGo(a, name, lockUser(&l, &tr, name, time.Second)))
				}
				if err := syncSettle(a); err != nil {
					return err
				}
				if err := tt.run(a, &l, ws, &tr); err != nil {
					return err
				}
				for _, w := range ws {
					asyncio.Await(a, w)
				}
				if l.Locked() {
					return errors.New("lock still locked at the end")
				}
				return nil
			})
			tr.check(t, err, tt.want)
		})
	}
}

func TestLockMisuse(t *testing.T) {
	tests := []struct {
		name string
		run  func(a *asyncio.A, l *asyncio.Lock) error
		want error
	}{{
		name: "release unlocked",
		run:  func(a *asyncio.A, l *asyncio.Lock) error { return l.Release() },
		want: asyncio.ErrNotLocked,
	}, {
		name: "release twice",
		run: func(a *asyncio.A, l *asyncio.Lock) error {
			if err := l.Acquire(a); err != nil {
				return err
			}
			if err := l.Release(); err != nil {
				return err
			}
			return l.Release()
		},
		want: asyncio.ErrNotLocked,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got error
			err := syncRun(func(a *asyncio.A) error {
				var l asyncio.Lock
				got = tt.run(a, &l)
				return nil
			})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if !errors.Is(got, tt.want) {
				t.Errorf("error = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLockReacquireDeadlock(t *testing.T) {
	err := syncRun(func(a *asyncio.A) error {
		var l asyncio.Lock
		if err := l.Acquire(a); err != nil {
			return err
		}
		return l.Acquire(a) // not reentrant: waits for itself
	})
	var de *asyncio.DeadlockError
	if !errors.As(err, &de) {
		t.Fatalf("Run = %v, want a *DeadlockError", err)
	}
	if !strings.Contains(err.Error(), "Lock.Acquire") {
		t.Errorf("deadlock report %q does not name Lock.Acquire", err)
	}
}

// TestPrimitivesBindToOneLoop checks each primitive's loop binding: usable
// in the first loop that touches it, an error in another, and an error from
// a coroutine that no loop drives.
func TestPrimitivesBindToOneLoop(t *testing.T) {
	tests := []struct {
		name string
		use  func() func(a *asyncio.A) error
	}{
		{"Lock", func() func(a *asyncio.A) error {
			var l asyncio.Lock
			return func(a *asyncio.A) error {
				if err := l.Acquire(a); err != nil {
					return err
				}
				return l.Release()
			}
		}},
		{"Event", func() func(a *asyncio.A) error {
			var e asyncio.Event
			e.Set()
			return e.Wait
		}},
		{"Condition", func() func(a *asyncio.A) error {
			var c asyncio.Condition
			return func(a *asyncio.A) error {
				return c.WaitFor(a, func() bool { return false })
			}
		}},
		{"Semaphore", func() func(a *asyncio.A) error {
			s := asyncio.NewSemaphore(1)
			return func(a *asyncio.A) error {
				if err := s.Acquire(a); err != nil {
					return err
				}
				s.Release()
				return nil
			}
		}},
		{"BoundedSemaphore", func() func(a *asyncio.A) error {
			s := asyncio.NewBoundedSemaphore(1)
			return func(a *asyncio.A) error {
				if err := s.Acquire(a); err != nil {
					return err
				}
				return s.Release()
			}
		}},
		{"Barrier", func() func(a *asyncio.A) error {
			b := asyncio.NewBarrier(1)
			return func(a *asyncio.A) error {
				_, err := b.Wait(a)
				return err
			}
		}},
		{"Queue", func() func(a *asyncio.A) error {
			var q asyncio.Queue[int]
			return func(a *asyncio.A) error {
				if err := q.Put(a, 1); err != nil {
					return err
				}
				_, err := q.Get(a)
				return err
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			use := tt.use()
			if tt.name == "Condition" {
				// A Condition's Wait binds it before it checks the lock, so
				// its first use is a Wait that finds the lock not held.
				if err := syncRun(use); !errors.Is(err, asyncio.ErrNotLocked) {
					t.Fatalf("first loop: %v, want ErrNotLocked", err)
				}
			} else if err := syncRun(use); err != nil {
				t.Fatalf("first loop: %v", err)
			}
			if err := syncRun(use); !errors.Is(err, asyncio.ErrDifferentLoop) {
				t.Errorf("second loop: %v, want ErrDifferentLoop", err)
			}
			_, err := coro.RoundRobin(coro.New(func(a *asyncio.A) (struct{}, error) {
				return struct{}{}, tt.use()(a)
			}))
			if !errors.Is(err, asyncio.ErrNoRunningLoop) {
				t.Errorf("no loop: %v, want ErrNoRunningLoop", err)
			}
		})
	}
}

// TestLockTimeout checks the usual source of cancellation: a timeout that
// fires in the same instant the lock is released to its waiter. The waiter
// times out, and the lock goes to the next one.
//
//	async with asyncio.timeout(1):
//	    await lock.acquire()
func TestLockTimeout(t *testing.T) {
	var tr syncTrace
	err := syncRun(func(a *asyncio.A) error {
		var l asyncio.Lock
		if err := l.Acquire(a); err != nil {
			return err
		}
		holder := syncGo(a, "holder", func(a *asyncio.A) error {
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return err
			}
			tr.add("released")
			return l.Release()
		})
		waiter := func(name string, d time.Duration) func(a *asyncio.A) error {
			return func(a *asyncio.A) error {
				err := asyncio.Timeout(a, d, func(*asyncio.TimeoutScope) error { return l.Acquire(a) })
				if errors.Is(err, asyncio.ErrTimeout) {
					tr.add("%s timeout", name)
					return nil
				} else if err != nil {
					return err
				}
				tr.add("%s acquired", name)
				return l.Release()
			}
		}
		w1 := syncGo(a, "w1", waiter("w1", time.Second))
		w2 := syncGo(a, "w2", waiter("w2", 5*time.Second))
		for _, t := range []*asyncio.Task[struct{}]{holder, w1, w2} {
			if _, err := asyncio.Await(a, t); err != nil {
				return err
			}
		}
		tr.add("locked=%v", l.Locked())
		return nil
	})
	want := []string{"released", "w1 timeout", "w2 acquired", "locked=false"}
	tr.check(t, err, want)
}

// TestLockStress runs tasks that take the lock, half of them under random
// timeouts, in shuffled schedules: the lock must stay exclusive and end up
// free, and a wake-up lost with a timed-out waiter would strand a patient
// one, which Run reports as a deadlock.
func TestLockStress(t *testing.T) {
	syncStress(t, func(a *asyncio.A, rng *rand.Rand) error {
		var l asyncio.Lock
		if err := holdersStress(a, rng, 6, 1, l.Acquire, l.Release); err != nil {
			return err
		}
		if l.Locked() {
			return errors.New("lock still locked at the end")
		}
		return nil
	})
}

// holdersStress runs n tasks that each take a resource 20 times, hold it
// for a random while and give it back, half of them under random timeouts
// that may cancel the taking, and fails if more than capacity hold it at
// once. It returns once every task has ended.
func holdersStress(a *asyncio.A, rng *rand.Rand, n, capacity int, acquire func(*asyncio.A) error, release func() error) error {
	inside := 0
	var ts []*asyncio.Task[struct{}]
	for i := range n {
		patient := i%2 == 0
		ts = append(ts, syncGo(a, fmt.Sprint("t", i), func(a *asyncio.A) error {
			for range 20 {
				err := asyncio.Timeout(a, syncMillis(rng, 3), func(scope *asyncio.TimeoutScope) error {
					if patient {
						scope.Reschedule(time.Time{})
					}
					return acquire(a)
				})
				if errors.Is(err, asyncio.ErrTimeout) {
					continue
				} else if err != nil {
					return err
				}
				if inside++; inside > capacity {
					return fmt.Errorf("%d tasks hold what %d may hold", inside, capacity)
				}
				err = asyncio.Sleep(a, syncMillis(rng, 3))
				inside--
				if rerr := release(); err == nil {
					err = rerr
				}
				if err != nil {
					return err
				}
			}
			return nil
		}))
	}
	for _, t := range ts {
		if _, err := asyncio.Await(a, t); err != nil {
			return err
		}
	}
	return nil
}

// TestLockDeadlockCycle checks the deadlock report of two tasks taking two
// locks in opposite orders: each waits for the lock the other holds.
func TestLockDeadlockCycle(t *testing.T) {
	err := syncRun(func(a *asyncio.A) error {
		var l1, l2 asyncio.Lock
		both := func(first, second *asyncio.Lock) func(a *asyncio.A) error {
			return func(a *asyncio.A) error {
				if err := first.Acquire(a); err != nil {
					return err
				}
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return err
				}
				return second.Acquire(a)
			}
		}
		t1 := syncGo(a, "t1", both(&l1, &l2))
		t2 := syncGo(a, "t2", both(&l2, &l1))
		_, err1 := asyncio.Await(a, t1)
		_, err2 := asyncio.Await(a, t2)
		return errors.Join(err1, err2)
	})
	var de *asyncio.DeadlockError
	if !errors.As(err, &de) {
		t.Fatalf("Run = %v, want a *DeadlockError", err)
	}
	want := [][]string{{"t1", "t2"}}
	if diff := cmp.Diff(want, de.Cycles); diff != "" {
		t.Errorf("Cycles mismatch (-want +got):\n%s\nin %v", diff, err)
	}
	for _, name := range []string{"t1", "t2"} {
		if !strings.Contains(err.Error(), "the lock held by "+name) {
			t.Errorf("deadlock report does not say that %s holds a lock:\n%v", name, err)
		}
	}
}
