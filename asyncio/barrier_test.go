package asyncio_test

import (
	"errors"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/coro"
)

// barrierUser sleeps for delay, waits on b, and records the index or error
// it got and when, in virtual seconds since start.
func barrierUser(b *asyncio.Barrier, tr *syncTrace, name string, delay time.Duration, start time.Time) func(a *asyncio.A) error {
	return func(a *asyncio.A) error {
		if err := asyncio.Sleep(a, delay); err != nil {
			return err
		}
		i, err := b.Wait(a)
		at := asyncio.GetRunningLoop(a).Time().Sub(start)
		if err != nil {
			tr.add("%s %s at %v", name, syncBarrierOutcome(err), at)
			return err
		}
		tr.add("%s index %d at %v", name, i, at)
		return nil
	}
}

func syncBarrierOutcome(err error) string {
	if errors.Is(err, asyncio.ErrBrokenBarrier) {
		return "broken"
	}
	return syncOutcome(err)
}

func TestBarrier(t *testing.T) {
	type user struct {
		name  string
		delay time.Duration
	}
	tests := []struct {
		name    string
		parties int
		users   []user
		// run runs with the users started; it may be nil.
		run  func(a *asyncio.A, b *asyncio.Barrier, users []*asyncio.Task[struct{}], tr *syncTrace) error
		want []string
	}{{
		name:    "last arrival releases everyone",
		parties: 3,
		users:   []user{{"t0", 0}, {"t1", time.Second}, {"t2", 2 * time.Second}},
		// The last to arrive does not suspend, so it returns first.
		want: []string{"t2 index 2 at 2s", "t0 index 0 at 2s", "t1 index 1 at 2s"},
	}, {
		name:    "one party never waits",
		parties: 1,
		users:   []user{{"t0", 0}, {"t1", 0}},
		want:    []string{"t0 index 0 at 0s", "t1 index 0 at 0s"},
	}, {
		name:    "rounds: late arrivals wait for the round to drain",
		parties: 2,
		users:   []user{{"t0", 0}, {"t1", 0}, {"t2", 0}, {"t3", 0}, {"t4", time.Second}},
		want: []string{
			"t1 index 1 at 0s", "t0 index 0 at 0s",
			"t3 index 1 at 0s", "t2 index 0 at 0s",
			"t4 index 1 at 1s", "main index 0 at 1s",
		},
		run: func(a *asyncio.A, b *asyncio.Barrier, users []*asyncio.Task[struct{}], tr *syncTrace) error {
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return err
			}
			i, err := b.Wait(a)
			tr.add("main index %d at 1s", i)
			return err
		},
	}, {
		name:    "abort breaks waiters and later arrivals until reset",
		parties: 3,
		users:   []user{{"t0", 0}, {"t1", 0}},
		run: func(a *asyncio.A, b *asyncio.Barrier, users []*asyncio.Task[struct{}], tr *syncTrace) error {
			if err := syncSettle(a); err != nil {
				return err
			}
			tr.add("waiting=%d", b.NWaiting())
			b.Abort()
			tr.add("broken=%v waiting=%d", b.Broken(), b.NWaiting())
			if err := syncSettle(a); err != nil {
				return err
			}
			_, err := b.Wait(a)
			tr.add("main %s", syncBarrierOutcome(err))
			b.Reset()
			tr.add("broken=%v", b.Broken())
			return nil
		},
		want: []string{
			"waiting=2", "broken=true waiting=0",
			"t0 broken at 1ms", "t1 broken at 1ms",
			"main broken", "broken=false",
		},
	}, {
		name:    "reset breaks the waiting round only",
		parties: 3,
		users:   []user{{"t0", 0}, {"t1", 0}, {"t2", time.Second}, {"t3", time.Second}, {"t4", time.Second}},
		run: func(a *asyncio.A, b *asyncio.Barrier, users []*asyncio.Task[struct{}], tr *syncTrace) error {
			if err := syncSettle(a); err != nil {
				return err
			}
			b.Reset()
			tr.add("broken=%v waiting=%d", b.Broken(), b.NWaiting())
			return nil
		},
		want: []string{
			"broken=false waiting=0",
			"t0 broken at 1ms", "t1 broken at 1ms",
			"t4 index 2 at 1s", "t2 index 0 at 1s", "t3 index 1 at 1s",
		},
	}, {
		// The cancelled task no longer counts, so t2 does not complete the
		// round, and t3 does; in threading.Barrier a cancel (timeout) would
		// break the barrier instead.
		name:    "cancelled waiter leaves the round",
		parties: 3,
		users:   []user{{"t0", 0}, {"t1", 0}, {"t2", time.Second}, {"t3", 2 * time.Second}},
		run: func(a *asyncio.A, b *asyncio.Barrier, users []*asyncio.Task[struct{}], tr *syncTrace) error {
			if err := syncSettle(a); err != nil {
				return err
			}
			users[0].Cancel()
			if err := syncSettle(a); err != nil {
				return err
			}
			tr.add("waiting=%d", b.NWaiting())
			return nil
		},
		want: []string{
			"t0 canceled at 1ms", "waiting=1",
			"t3 index 2 at 2s", "t1 index 1 at 2s", "t2 index 1 at 2s",
		},
	}, {
		name:    "waiter cancelled while the round drains",
		parties: 2,
		users:   []user{{"t0", 0}, {"t1", 0}},
		run: func(a *asyncio.A, b *asyncio.Barrier, users []*asyncio.Task[struct{}], tr *syncTrace) error {
			// t0 waits; t1 completes the round and returns; t0 is woken
			// but cancelled before it runs: it leaves with the
			// cancellation, and the round still drains.
			if err := asyncio.Sleep(a, 0); err != nil {
				return err
			}
			if err := asyncio.Sleep(a, 0); err != nil {
				return err
			}
			users[0].Cancel()
			if err := syncSettle(a); err != nil {
				return err
			}
			tr.add("waiting=%d", b.NWaiting())
			return nil
		},
		want: []string{"t1 index 1 at 0s", "t0 canceled at 0s", "waiting=0"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr syncTrace
			err := syncRun(func(a *asyncio.A) error {
				b := asyncio.NewBarrier(tt.parties)
				if b.Parties() != tt.parties {
					t.Errorf("Parties() = %d, want %d", b.Parties(), tt.parties)
				}
				start := asyncio.GetRunningLoop(a).Time()
				var users []*asyncio.Task[struct{}]
				for _, u := range tt.users {
					users = append(users, syncGo(a, u.name, barrierUser(b, &tr, u.name, u.delay, start)))
				}
				if tt.run != nil {
					if err := tt.run(a, b, users, &tr); err != nil {
						return err
					}
				}
				for _, u := range users {
					asyncio.Await(a, u)
				}
				return nil
			})
			tr.check(t, err, tt.want)
		})
	}
}

func TestBarrierMisuse(t *testing.T) {
	func() {
		defer func() {
			if recover() == nil {
				t.Errorf("NewBarrier(0) did not panic")
			}
		}()
		asyncio.NewBarrier(0)
	}()
	// A panic in a task ends the task with a *coro.PanicError.
	err := syncRun(func(a *asyncio.A) error {
		var b asyncio.Barrier
		_, err := b.Wait(a)
		return err
	})
	var pe *coro.PanicError
	if !errors.As(err, &pe) {
		t.Errorf("Wait on a zero Barrier: Run = %v, want a *coro.PanicError", err)
	}
}
