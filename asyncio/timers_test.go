package asyncio_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// forever is the longest duration there is: a deadline that far away must
// saturate, as time.Time.Add does, and never wrap around into the past.
const forever = time.Duration(math.MaxInt64)

// TestHugeDurationsSaturate gives every call that adds a duration to the
// loop's clock the longest duration there is, once the clock has moved
// (from the epoch itself, the sum would not overflow): each must still be
// waiting after a virtual hour, not done at once with a deadline in the
// past.
func TestHugeDurationsSaturate(t *testing.T) {
	// hour is the work that must finish first, under the huge deadline.
	hour := func() *asyncio.Coro[string] { return after(time.Hour, "done") }
	tests := []struct {
		name string
		// start starts the call under test and returns a check to make after
		// a virtual hour, and a cleanup.
		start func(a *asyncio.A) (check func() error, stop func())
	}{
		{"Sleep", func(a *asyncio.A) (func() error, func()) {
			s := asyncio.CreateTask(a, after(forever, "woke"))
			return func() error {
				if s.Done() {
					v, err := s.Result()
					return fmt.Errorf("Sleep(MaxInt64) ended after an hour: %q, %v", v, err)
				}
				return nil
			}, func() { s.Cancel() }
		}},
		{"CallLater", func(a *asyncio.A) (func() error, func()) {
			l := asyncio.GetRunningLoop(a)
			ran := false
			h := l.CallLater(forever, func() { ran = true })
			return func() error {
				if ran || !h.When().After(l.Time()) {
					return fmt.Errorf("CallLater(MaxInt64): ran = %v, When() = %v, want false, after %v", ran, h.When(), l.Time())
				}
				return nil
			}, h.Cancel
		}},
		{"CallAt", func(a *asyncio.A) (func() error, func()) {
			l := asyncio.GetRunningLoop(a)
			ran := false
			h := l.CallAt(l.Time().Add(forever), func() { ran = true })
			return func() error {
				if ran || !h.When().After(l.Time()) {
					return fmt.Errorf("CallAt(now+MaxInt64): ran = %v, When() = %v, want false, after %v", ran, h.When(), l.Time())
				}
				return nil
			}, h.Cancel
		}},
		{"WaitFor", func(a *asyncio.A) (func() error, func()) {
			v, err := asyncio.WaitFor(a, hour(), forever)
			return func() error {
				if v != "done" || err != nil {
					return fmt.Errorf("WaitFor(an hour's work, MaxInt64) = %q, %v, want %q, nil", v, err, "done")
				}
				return nil
			}, func() {}
		}},
		{"Timeout", func(a *asyncio.A) (func() error, func()) {
			var when time.Time
			err := asyncio.Timeout(a, forever, func(s *asyncio.TimeoutScope) error {
				when = s.When()
				_, err := asyncio.Await(a, hour())
				return err
			})
			l := asyncio.GetRunningLoop(a)
			return func() error {
				// MaxInt64 is NoTimeout: no deadline at all.
				if err != nil || !when.IsZero() {
					return fmt.Errorf("Timeout(MaxInt64) over an hour's work = %v, When() = %v, want nil, no deadline (at %v)", err, when, l.Time())
				}
				return nil
			}, func() {}
		}},
		{"Wait", func(a *asyncio.A) (func() error, func()) {
			work := asyncio.CreateTask(a, hour())
			done, pending, err := asyncio.Wait(a, []*asyncio.Task[string]{work}, asyncio.AllCompleted, forever)
			return func() error {
				if len(done) != 1 || len(pending) != 0 || err != nil {
					return fmt.Errorf("Wait(an hour's work, MaxInt64) = %d done, %d pending, %v, want 1, 0, nil", len(done), len(pending), err)
				}
				return nil
			}, func() {}
		}},
		{"AsCompleted", func(a *asyncio.A) (func() error, func()) {
			work := asyncio.CreateTask(a, hour())
			var errs []error
			for _, err := range asyncio.AsCompleted(a, []*asyncio.Task[string]{work}, forever) {
				errs = append(errs, err)
			}
			return func() error {
				if len(errs) != 1 || errs[0] != nil {
					return fmt.Errorf("AsCompleted(an hour's work, MaxInt64) yielded errors %v, want [<nil>]", errs)
				}
				return nil
			}, func() {}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := vrun0(func(a *asyncio.A) error {
				// Move the clock off the epoch: now + MaxInt64 must overflow.
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return err
				}
				check, stop := tt.start(a)
				defer stop()
				if err := asyncio.Sleep(a, time.Hour); err != nil {
					return err
				}
				return check()
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
}

// TestVirtualClockAdvanceSaturates advances a virtual clock that has moved
// by the longest duration there is: it must end up as far ahead as it can
// go, not before where it was.
func TestVirtualClockAdvanceSaturates(t *testing.T) {
	epoch := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	c := asyncio.NewVirtualClock(epoch)
	c.Advance(time.Hour)
	c.Advance(forever)
	if got, want := c.Now(), epoch.Add(forever); !got.Equal(want) {
		t.Errorf("after Advance(1h) and Advance(MaxInt64): Now() = %v, want %v", got, want)
	}
}
