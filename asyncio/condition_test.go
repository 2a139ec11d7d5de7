package asyncio_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/gen"
)

// condWaiter acquires c, waits on it once, records the outcome and whether
// it holds the lock, and releases it.
func condWaiter(c *asyncio.Condition, tr *syncTrace, name string) func(a *asyncio.A) error {
	return func(a *asyncio.A) error {
		if err := c.Acquire(a); err != nil {
			return err
		}
		err := c.Wait(a)
		tr.add("%s %s locked=%v", name, syncOutcome(err), c.Locked())
		if c.Locked() {
			if rerr := c.Release(); rerr != nil {
				return rerr
			}
		}
		return err
	}
}

// condNotify acquires c, calls notify with it held, and releases it.
func condNotify(a *asyncio.A, c *asyncio.Condition, notify func() error) error {
	if err := c.Acquire(a); err != nil {
		return err
	}
	err := notify()
	if rerr := c.Release(); err == nil {
		err = rerr
	}
	return err
}

func TestCondition(t *testing.T) {
	tests := []struct {
		name string
		// run starts with w1, w2, w3 waiting on c, in that order, and the
		// lock free. After run the test marks "notify all" in the trace and
		// wakes whoever still waits.
		run  func(a *asyncio.A, c *asyncio.Condition, ws []*asyncio.Task[struct{}], tr *syncTrace) error
		want []string
	}{{
		name: "notify one at a time, oldest first",
		run: func(a *asyncio.A, c *asyncio.Condition, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			if err := condNotify(a, c, func() error { return c.Notify(1) }); err != nil {
				return err
			}
			if err := syncSettle(a); err != nil {
				return err
			}
			return condNotify(a, c, func() error { return c.Notify(1) })
		},
		want: []string{"w1 ok locked=true", "w2 ok locked=true", "notify all", "w3 ok locked=true"},
	}, {
		name: "notify n",
		run: func(a *asyncio.A, c *asyncio.Condition, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			return condNotify(a, c, func() error { return c.Notify(2) })
		},
		want: []string{"w1 ok locked=true", "w2 ok locked=true", "notify all", "w3 ok locked=true"},
	}, {
		name: "notify zero wakes nobody",
		run: func(a *asyncio.A, c *asyncio.Condition, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			return condNotify(a, c, func() error { return c.Notify(0) })
		},
		want: []string{"notify all", "w1 ok locked=true", "w2 ok locked=true", "w3 ok locked=true"},
	}, {
		name: "woken waiters return only once they hold the lock",
		run: func(a *asyncio.A, c *asyncio.Condition, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			if err := c.Acquire(a); err != nil {
				return err
			}
			if err := c.NotifyAll(); err != nil {
				return err
			}
			if err := syncSettle(a); err != nil {
				return err
			}
			tr.add("main releases")
			return c.Release()
		},
		want: []string{"main releases", "w1 ok locked=true", "w2 ok locked=true", "w3 ok locked=true", "notify all"},
	}, {
		// Python 3.13 notifies another task on any error in wait(), which
		// wakes w2 here for nothing; a waiter that was not notified has no
		// notification to pass on.
		name: "cancelled waiter takes the lock back and wakes nobody",
		run: func(a *asyncio.A, c *asyncio.Condition, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			ws[0].Cancel()
			if err := syncSettle(a); err != nil {
				return err
			}
			return condNotify(a, c, func() error { return c.Notify(1) })
		},
		want: []string{"w1 canceled locked=true", "w2 ok locked=true", "notify all", "w3 ok locked=true"},
	}, {
		// Without passing the notification on, w2 would sleep through it
		// and wake only at "notify all".
		name: "notified waiter cancelled before it runs passes the notification on",
		run: func(a *asyncio.A, c *asyncio.Condition, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			if err := condNotify(a, c, func() error { return c.Notify(1) }); err != nil {
				return err
			}
			ws[0].Cancel()
			return syncSettle(a)
		},
		want: []string{"w1 canceled locked=true", "w2 ok locked=true", "notify all", "w3 ok locked=true"},
	}, {
		name: "cancelled while taking the lock back still takes it",
		run: func(a *asyncio.A, c *asyncio.Condition, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			if err := c.Acquire(a); err != nil {
				return err
			}
			if err := c.Notify(1); err != nil {
				return err
			}
			if err := syncSettle(a); err != nil { // w1 now waits for the lock
				return err
			}
			ws[0].Cancel()
			if err := syncSettle(a); err != nil {
				return err
			}
			tr.add("main releases")
			if err := c.Release(); err != nil {
				return err
			}
			return syncSettle(a)
		},
		// w1 was notified and fails, so its notification goes to w2.
		want: []string{"main releases", "w1 canceled locked=true", "w2 ok locked=true", "notify all", "w3 ok locked=true"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr syncTrace
			err := syncRun(func(a *asyncio.A) error {
				var c asyncio.Condition // the zero value has a lock of its own
				var ws []*asyncio.Task[struct{}]
				for _, name := range []string{"w1", "w2", "w3"} {
					ws = append(ws, syncGo(a, name, condWaiter(&c, &tr, name)))
				}
				if err := syncSettle(a); err != nil {
					return err
				}
				if err := tt.run(a, &c, ws, &tr); err != nil {
					return err
				}
				if err := syncSettle(a); err != nil {
					return err
				}
				tr.add("notify all")
				if err := condNotify(a, &c, c.NotifyAll); err != nil {
					return err
				}
				for _, w := range ws {
					asyncio.Await(a, w)
				}
				if c.Locked() {
					return errors.New("lock still locked at the end")
				}
				return nil
			})
			tr.check(t, err, tt.want)
		})
	}
}

func TestConditionWaitFor(t *testing.T) {
	var tr syncTrace
	err := syncRun(func(a *asyncio.A) error {
		c := asyncio.NewCondition(nil)
		items := 0
		consumer := func(name string, need int) func(a *asyncio.A) error {
			return func(a *asyncio.A) error {
				if err := c.Acquire(a); err != nil {
					return err
				}
				defer c.Release()
				if err := c.WaitFor(a, func() bool { return items >= need }); err != nil {
					return err
				}
				tr.add("%s saw %d", name, items)
				return nil
			}
		}
		c1 := syncGo(a, "c1", consumer("c1", 2))
		c2 := syncGo(a, "c2", consumer("c2", 1))
		if err := syncSettle(a); err != nil {
			return err
		}
		for range 3 {
			if err := condNotify(a, c, func() error {
				items++
				tr.add("items=%d", items)
				return c.NotifyAll()
			}); err != nil {
				return err
			}
			if err := syncSettle(a); err != nil {
				return err
			}
		}
		// A predicate already true returns at once, lock held or not.
		if err := c.WaitFor(a, func() bool { return true }); err != nil {
			return err
		}
		_, err1 := asyncio.Await(a, c1)
		_, err2 := asyncio.Await(a, c2)
		return errors.Join(err1, err2)
	})
	want := []string{"items=1", "c2 saw 1", "items=2", "c1 saw 2", "items=3"}
	tr.check(t, err, want)
}

func TestConditionSharedLock(t *testing.T) {
	err := syncRun(func(a *asyncio.A) error {
		var l asyncio.Lock
		c := asyncio.NewCondition(&l)
		if err := l.Acquire(a); err != nil {
			return err
		}
		if !c.Locked() {
			return errors.New("Condition.Locked = false after acquiring its lock")
		}
		if err := c.Release(); err != nil {
			return err
		}
		if l.Locked() {
			return errors.New("Lock.Locked = true after releasing the condition")
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
}

func TestConditionMisuse(t *testing.T) {
	tests := []struct {
		name string
		call func(a *asyncio.A, c *asyncio.Condition) error
	}{
		{"Wait", func(a *asyncio.A, c *asyncio.Condition) error { return c.Wait(a) }},
		{"WaitFor", func(a *asyncio.A, c *asyncio.Condition) error {
			return c.WaitFor(a, func() bool { return false })
		}},
		{"Notify", func(a *asyncio.A, c *asyncio.Condition) error { return c.Notify(1) }},
		{"NotifyAll", func(a *asyncio.A, c *asyncio.Condition) error { return c.NotifyAll() }},
		{"Release", func(a *asyncio.A, c *asyncio.Condition) error { return c.Release() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got error
			err := syncRun(func(a *asyncio.A) error {
				var c asyncio.Condition
				got = tt.call(a, &c)
				return nil
			})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if !errors.Is(got, asyncio.ErrNotLocked) {
				t.Errorf("%s without the lock = %v, want ErrNotLocked", tt.name, got)
			}
		})
	}
}

// TestConditionWaitClosed checks a Wait that cannot take the lock back at
// shutdown: cancelled, it waits for the lock, which a finished task
// leaked; the loop then closes the task, and Wait must return at once
// rather than wait again (which would make the close unwind it).
func TestConditionWaitClosed(t *testing.T) {
	var tr syncTrace
	err := syncRun(func(a *asyncio.A) error {
		var c asyncio.Condition
		syncGo(a, "w1", func(a *asyncio.A) error {
			if err := c.Acquire(a); err != nil {
				return err
			}
			err := c.Wait(a)
			tr.add("w1 closed=%v", errors.Is(err, gen.ErrGeneratorExit))
			return err
		})
		if err := syncSettle(a); err != nil {
			return err
		}
		return c.Acquire(a) // and never release
	})
	var de *asyncio.DeadlockError
	if !errors.As(err, &de) {
		t.Fatalf("Run = %v, want a *DeadlockError", err)
	}
	if diff := cmp.Diff([]string{"w1 closed=true"}, tr.lines); diff != "" {
		t.Errorf("trace mismatch (-want +got):\n%s", diff)
	}
}

// TestConditionStress has a producer notify one waiter per item, and wait
// for the item to be taken before the next, while victims (waiters that
// take an item only if notified) join the line and are cancelled at random,
// in shuffled schedules. A notification that a cancelled victim swallowed
// would leave the item untaken with every consumer asleep.
func TestConditionStress(t *testing.T) {
	const items = 30
	syncStress(t, func(a *asyncio.A, rng *rand.Rand) error {
		var c asyncio.Condition
		count, consumed := 0, 0
		// take waits until it may take an item and takes it, if there is
		// one left; once, if waitOnce, which makes a victim take nothing it
		// was not notified for.
		take := func(a *asyncio.A, waitOnce bool) (bool, error) {
			if err := c.Acquire(a); err != nil {
				return false, err
			}
			defer c.Release()
			waited := false
			if err := c.WaitFor(a, func() bool {
				if waitOnce {
					done := waited || consumed == items
					waited = true
					return done
				}
				return count > 0 || consumed == items
			}); err != nil {
				return false, err
			}
			if count == 0 {
				return false, nil
			}
			count--
			if consumed++; consumed == items {
				return false, c.NotifyAll()
			}
			return true, nil
		}
		var tasks []*asyncio.Task[struct{}]
		for i := range 2 {
			tasks = append(tasks, syncGo(a, fmt.Sprint("consumer", i), func(a *asyncio.A) error {
				for {
					more, err := take(a, false)
					if err != nil || !more {
						return err
					}
				}
			}))
		}
		var victims []*asyncio.Task[struct{}]
		chaos := syncGo(a, "chaos", func(a *asyncio.A) error {
			for i := 0; consumed < items; i++ {
				victims = append(victims, syncGo(a, fmt.Sprint("victim", i), func(a *asyncio.A) error {
					_, err := take(a, true)
					if errors.Is(err, asyncio.ErrCanceled) {
						return nil
					}
					return err
				}))
				if err := asyncio.Sleep(a, syncMillis(rng, 3)); err != nil {
					return err
				}
				var live []*asyncio.Task[struct{}]
				for _, v := range victims {
					if !v.Done() {
						live = append(live, v)
					}
				}
				if len(live) > 0 {
					live[rng.IntN(len(live))].Cancel()
				}
			}
			return nil
		})
		for i := range items {
			if err := asyncio.Sleep(a, syncMillis(rng, 3)); err != nil {
				return err
			}
			if err := c.Acquire(a); err != nil {
				return err
			}
			count++
			err := c.Notify(1)
			if rerr := c.Release(); err == nil {
				err = rerr
			}
			if err != nil {
				return err
			}
			// Two consumers are always waiting or about to, so the item goes
			// at once unless its notification was lost; a later Notify
			// would hide that, so none comes until the item is taken.
			for waited := 0; count > 0; waited++ {
				if waited == 50 {
					return fmt.Errorf("item %d not taken: its notification was lost", i)
				}
				if err := asyncio.Sleep(a, time.Millisecond); err != nil {
					return err
				}
			}
		}
		tasks = append(tasks, chaos)
		for _, t := range tasks {
			if _, err := asyncio.Await(a, t); err != nil {
				return err
			}
		}
		for _, v := range victims {
			// A victim cancelled before it ever ran ends cancelled.
			if _, err := asyncio.Await(a, v); err != nil && !errors.Is(err, asyncio.ErrCanceled) {
				return err
			}
		}
		if consumed != items || count != 0 || c.Locked() {
			return fmt.Errorf("consumed %d of %d, %d left, locked=%v", consumed, items, count, c.Locked())
		}
		return nil
	})
}
