package asyncio_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// semUser acquires s, records it, holds the permit for hold, and releases it.
func semUser(s *asyncio.Semaphore, tr *syncTrace, name string, hold time.Duration) func(a *asyncio.A) error {
	return func(a *asyncio.A) error {
		if err := s.Acquire(a); err != nil {
			tr.add("%s %s", name, syncOutcome(err))
			return err
		}
		tr.add("%s acquired", name)
		err := asyncio.Sleep(a, hold)
		s.Release()
		return err
	}
}

func TestSemaphore(t *testing.T) {
	tests := []struct {
		name string
		// run starts holding the only permit of s, with w1, w2, w3 waiting
		// in that order; it must give the permit back, one way or another.
		run  func(a *asyncio.A, s *asyncio.Semaphore, ws []*asyncio.Task[struct{}], tr *syncTrace) error
		want []string
	}{{
		name: "waiters get permits in arrival order",
		run: func(a *asyncio.A, s *asyncio.Semaphore, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			s.Release()
			tr.add("locked=%v", s.Locked())
			return nil
		},
		want: []string{"locked=true", "w1 acquired", "w2 acquired", "w3 acquired"},
	}, {
		name: "extra releases go to waiters at once",
		run: func(a *asyncio.A, s *asyncio.Semaphore, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			for range 4 {
				s.Release()
			}
			// One permit is spare, but w1..w3 have not run yet: as in
			// Python 3.12, a new Acquire waits for them to start.
			tr.add("locked=%v", s.Locked())
			if err := s.Acquire(a); err != nil {
				return err
			}
			tr.add("main acquired")
			// Three permits were added: take them out of the final count.
			return errors.Join(s.Acquire(a), s.Acquire(a))
		},
		want: []string{"locked=true", "w1 acquired", "w2 acquired", "w3 acquired", "main acquired"},
	}, {
		name: "cancelled waiter leaves the line",
		run: func(a *asyncio.A, s *asyncio.Semaphore, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			ws[0].Cancel()
			if err := syncSettle(a); err != nil {
				return err
			}
			s.Release()
			return nil
		},
		want: []string{"w1 canceled", "w2 acquired", "w3 acquired"},
	}, {
		// The permit Release handed to w1 must not leave with it: without
		// giving it back, w2 and w3 would wait forever and Run would report
		// a deadlock, and the final count would be one short.
		name: "waiter granted a permit then cancelled passes it on",
		run: func(a *asyncio.A, s *asyncio.Semaphore, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			s.Release()
			ws[0].Cancel()
			return nil
		},
		want: []string{"w1 canceled", "w2 acquired", "w3 acquired"},
	}, {
		name: "last waiter granted a permit then cancelled returns it",
		run: func(a *asyncio.A, s *asyncio.Semaphore, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			ws[0].Cancel()
			ws[1].Cancel()
			if err := syncSettle(a); err != nil {
				return err
			}
			s.Release()
			ws[2].Cancel()
			return nil
		},
		want: []string{"w1 canceled", "w2 canceled", "w3 canceled"},
	}, {
		name: "waiter cancelled before it suspends never queues",
		run: func(a *asyncio.A, s *asyncio.Semaphore, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			syncGo(a, "w4", func(a *asyncio.A) error {
				asyncio.CurrentTask(a).Cancel()
				return semUser(s, tr, "w4", time.Second)(a)
			})
			if err := syncSettle(a); err != nil {
				return err
			}
			s.Release()
			return nil
		},
		want: []string{"w4 canceled", "w1 acquired", "w2 acquired", "w3 acquired"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr syncTrace
			err := syncRun(func(a *asyncio.A) error {
				s := asyncio.NewSemaphore(1)
				if err := s.Acquire(a); err != nil {
					return err
				}
				var ws []*asyncio.Task[struct{}]
				for _, name := range []string{"w1", "w2", "w3"} {
					ws = append(ws, syncGo(a, name, semUser(s, &tr, name, time.Second)))
				}
				if err := syncSettle(a); err != nil {
					return err
				}
				if err := tt.run(a, s, ws, &tr); err != nil {
					return err
				}
				for _, w := range ws {
					asyncio.Await(a, w)
				}
				// Exactly one permit is left: no leak, no duplicate.
				if s.Locked() {
					return errors.New("no permit left at the end")
				}
				if err := s.Acquire(a); err != nil {
					return err
				}
				if !s.Locked() {
					return errors.New("more than one permit left at the end")
				}
				return nil
			})
			tr.check(t, err, tt.want)
		})
	}
}

func TestSemaphoreLimitsConcurrency(t *testing.T) {
	var tr syncTrace
	err := syncRun(func(a *asyncio.A) error {
		s := asyncio.NewSemaphore(2)
		start := asyncio.GetRunningLoop(a).Time()
		var ts []*asyncio.Task[struct{}]
		for i := range 5 {
			name := fmt.Sprintf("t%d", i)
			ts = append(ts, syncGo(a, name, func(a *asyncio.A) error {
				if err := s.Acquire(a); err != nil {
					return err
				}
				defer s.Release()
				tr.add("%s at %v", name, asyncio.GetRunningLoop(a).Time().Sub(start))
				return asyncio.Sleep(a, time.Second)
			}))
		}
		for _, t := range ts {
			if _, err := asyncio.Await(a, t); err != nil {
				return err
			}
		}
		return nil
	})
	want := []string{"t0 at 0s", "t1 at 0s", "t2 at 1s", "t3 at 1s", "t4 at 2s"}
	tr.check(t, err, want)
}

func TestSemaphoreZeroValue(t *testing.T) {
	var tr syncTrace
	err := syncRun(func(a *asyncio.A) error {
		var s asyncio.Semaphore // Semaphore(0)
		tr.add("locked=%v", s.Locked())
		w := syncGo(a, "w", semUser(&s, &tr, "w", 0))
		if err := syncSettle(a); err != nil {
			return err
		}
		tr.add("release")
		s.Release()
		_, err := asyncio.Await(a, w)
		return err
	})
	want := []string{"locked=true", "release", "w acquired"}
	tr.check(t, err, want)
}

func TestBoundedSemaphore(t *testing.T) {
	tests := []struct {
		name string
		run  func(a *asyncio.A, s *asyncio.BoundedSemaphore) error
		want error
	}{{
		name: "release without acquire",
		run:  func(a *asyncio.A, s *asyncio.BoundedSemaphore) error { return s.Release() },
		want: asyncio.ErrTooManyReleases,
	}, {
		name: "acquire twice, release twice",
		run: func(a *asyncio.A, s *asyncio.BoundedSemaphore) error {
			for range 2 {
				if err := s.Acquire(a); err != nil {
					return err
				}
			}
			return errors.Join(s.Release(), s.Release())
		},
		want: nil,
	}, {
		name: "acquire once, release twice",
		run: func(a *asyncio.A, s *asyncio.BoundedSemaphore) error {
			if err := s.Acquire(a); err != nil {
				return err
			}
			if err := s.Release(); err != nil {
				return err
			}
			return s.Release()
		},
		want: asyncio.ErrTooManyReleases,
	}, {
		name: "release handed to a waiter counts as used",
		run: func(a *asyncio.A, s *asyncio.BoundedSemaphore) error {
			for range 2 {
				if err := s.Acquire(a); err != nil {
					return err
				}
			}
			w := syncGo(a, "w", func(a *asyncio.A) error { return s.Acquire(a) })
			if err := syncSettle(a); err != nil {
				return err
			}
			// The first release goes to w, so both are allowed; with w
			// holding a permit, only one more release fits.
			if err := errors.Join(s.Release(), s.Release()); err != nil {
				return err
			}
			if _, err := asyncio.Await(a, w); err != nil {
				return err
			}
			if err := s.Release(); err != nil {
				return err
			}
			return s.Release()
		},
		want: asyncio.ErrTooManyReleases,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got error
			err := syncRun(func(a *asyncio.A) error {
				got = tt.run(a, asyncio.NewBoundedSemaphore(2))
				return nil
			})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if tt.want == nil && got != nil || !errors.Is(got, tt.want) {
				t.Errorf("error = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSemaphoreNegative(t *testing.T) {
	for name, f := range map[string]func(){
		"NewSemaphore":        func() { asyncio.NewSemaphore(-1) },
		"NewBoundedSemaphore": func() { asyncio.NewBoundedSemaphore(-1) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("%s(-1) did not panic", name)
				}
			}()
			f()
		})
	}
}

// TestSemaphoreStress runs tasks that take permits, half of them under
// random timeouts, in shuffled schedules: no more than the permits may be
// held at once, and every permit must be back at the end, none leaked, none
// made up.
func TestSemaphoreStress(t *testing.T) {
	const permits = 3
	syncStress(t, func(a *asyncio.A, rng *rand.Rand) error {
		s := asyncio.NewBoundedSemaphore(permits)
		if err := holdersStress(a, rng, 8, permits, s.Acquire, s.Release); err != nil {
			return err
		}
		for i := range permits {
			if s.Locked() {
				return fmt.Errorf("only %d of %d permits left at the end", i, permits)
			}
			if err := s.Acquire(a); err != nil {
				return err
			}
		}
		if !s.Locked() {
			return errors.New("more permits at the end than at the start")
		}
		return nil
	})
}
