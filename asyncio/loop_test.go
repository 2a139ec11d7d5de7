package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

// vrun runs body as the main task of a loop on a fresh virtual clock.
func vrun[T any](body func(a *asyncio.A) (T, error), opts ...asyncio.Option) (T, error) {
	opts = append([]asyncio.Option{asyncio.WithVirtualTime()}, opts...)
	return asyncio.Run(context.Background(), asyncio.Async(body), opts...)
}

// vrun0 is vrun for a main task that only reports an error.
func vrun0(body func(a *asyncio.A) error, opts ...asyncio.Option) error {
	_, err := vrun(func(a *asyncio.A) (struct{}, error) { return struct{}{}, body(a) }, opts...)
	return err
}

// after returns a coroutine that sleeps for d, then returns v.
func after[T any](d time.Duration, v T) *asyncio.Coro[T] {
	return asyncio.Async(func(a *asyncio.A) (T, error) {
		if err := asyncio.Sleep(a, d); err != nil {
			var zero T
			return zero, err
		}
		return v, nil
	})
}

// failAfter returns a coroutine that sleeps for d, then fails with err.
func failAfter[T any](d time.Duration, err error) *asyncio.Coro[T] {
	return asyncio.Async(func(a *asyncio.A) (T, error) {
		var zero T
		if serr := asyncio.Sleep(a, d); serr != nil {
			return zero, serr
		}
		return zero, err
	})
}

// evLog is a log of events written by tasks and callbacks. They all run on
// the loop's goroutine, one at a time, so it needs no lock: the property
// the lessons teach.
type evLog []string

func (l *evLog) add(format string, args ...any) { *l = append(*l, fmt.Sprintf(format, args...)) }

// clockOf returns a function that reads the virtual time elapsed since the
// call, for assertions on when things happened.
func clockOf(a *asyncio.A) func() time.Duration {
	l := asyncio.GetRunningLoop(a)
	start := l.Time()
	return func() time.Duration { return l.Time().Sub(start) }
}

// checkGoroutines fails t unless the number of goroutines, as
// leaktest.Count counts them, comes back to at most before within
// leaktest.Check's grace period (a worker that has just handed its result to
// the loop may still be on its way out).
func checkGoroutines(t *testing.T, before int) {
	t.Helper()
	if err := leaktest.Check(before); err != nil {
		t.Fatal(err)
	}
}

func TestCallSoonFIFO(t *testing.T) {
	// Python: loop.call_soon(cb0) (cb0 schedules "x"), call_soon for 1..3,
	// then await sleep(0) twice. What a callback schedules runs in the next
	// iteration, after the task that is already ready.
	var afterFirst, afterSecond evLog
	err := vrun0(func(a *asyncio.A) error {
		l := asyncio.GetRunningLoop(a)
		var log evLog
		l.CallSoon(func() {
			log.add("0")
			l.CallSoon(func() { log.add("x") })
		})
		for i := 1; i <= 3; i++ {
			l.CallSoon(func() { log.add("%d", i) })
		}
		if len(log) != 0 {
			return fmt.Errorf("callbacks ran inline: %v", log)
		}
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		afterFirst = slices.Clone(log)
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		afterSecond = slices.Clone(log)
		return nil
	})
	if err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	if want := (evLog{"0", "1", "2", "3"}); !slices.Equal(afterFirst, want) {
		t.Errorf("after one Sleep(0): %v, want %v", afterFirst, want)
	}
	if want := (evLog{"0", "1", "2", "3", "x"}); !slices.Equal(afterSecond, want) {
		t.Errorf("after two Sleep(0): %v, want %v", afterSecond, want)
	}
}

func TestCallLaterOrder(t *testing.T) {
	// Python: call_later(2,c2), call_later(1,a1),
	// call_later(1,b1), call_at(start+1,at1), a cancelled call_later(1.5),
	// call_later(0,z0), a cancelled call_soon. On the virtual clock a1, b1
	// and at1 are due at exactly the same instant and fire in the order
	// they were scheduled.
	type fired struct {
		name string
		at   time.Duration
	}
	var got []fired
	err := vrun0(func(a *asyncio.A) error {
		l := asyncio.GetRunningLoop(a)
		start := l.Time()
		rec := func(name string) func() {
			return func() { got = append(got, fired{name, l.Time().Sub(start)}) }
		}
		l.CallLater(2*time.Second, rec("c2"))
		l.CallLater(time.Second, rec("a1"))
		l.CallLater(time.Second, rec("b1"))
		h := l.CallAt(start.Add(time.Second), rec("at1"))
		if got, want := h.When(), start.Add(time.Second); !got.Equal(want) {
			return fmt.Errorf("When() = %v, want %v", got, want)
		}
		c := l.CallLater(1500*time.Millisecond, rec("cancelled"))
		l.CallLater(0, rec("z0"))
		c.Cancel()
		c.Cancel() // a second Cancel does nothing
		if !c.Cancelled() {
			return errors.New("TimerHandle.Cancelled() = false after Cancel")
		}
		s := l.CallSoon(rec("soon-cancelled"))
		s.Cancel()
		if !s.Cancelled() {
			return errors.New("Handle.Cancelled() = false after Cancel")
		}
		return asyncio.Sleep(a, 3*time.Second)
	})
	if err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	want := []fired{{"z0", 0}, {"a1", time.Second}, {"b1", time.Second}, {"at1", time.Second}, {"c2", 2 * time.Second}}
	if !slices.Equal(got, want) {
		t.Errorf("fired %v, want %v", got, want)
	}
}

func TestEqualDeadlinesFireInSchedulingOrder(t *testing.T) {
	// Many timers at one instant, scheduled in a scrambled order of
	// creation relative to other deadlines: the heap must keep ties
	// first-in first-out whatever its shape.
	var got []int
	err := vrun0(func(a *asyncio.A) error {
		l := asyncio.GetRunningLoop(a)
		for i := range 100 {
			d := time.Second
			if i%3 == 0 {
				d = 2 * time.Second // interleave another deadline
			}
			l.CallLater(d, func() { got = append(got, i) })
		}
		return asyncio.Sleep(a, 3*time.Second)
	})
	if err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	var want []int
	for i := range 100 {
		if i%3 != 0 {
			want = append(want, i)
		}
	}
	for i := range 100 {
		if i%3 == 0 {
			want = append(want, i)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("fired %v, want %v", got, want)
	}
}

func TestCancelledHandleInsideCallback(t *testing.T) {
	// A callback may cancel another one that is due in the same iteration;
	// the cancelled one must not run, as in Python.
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		l := asyncio.GetRunningLoop(a)
		var second *asyncio.TimerHandle
		l.CallLater(time.Second, func() { log.add("first"); second.Cancel() })
		second = l.CallLater(time.Second, func() { log.add("second") })
		soon := l.CallSoon(func() { log.add("soon") })
		l.CallSoon(func() { soon.Cancel() }) // runs after soon: too late
		later := l.CallSoon(func() { log.add("later") })
		later.Cancel()
		return asyncio.Sleep(a, 2*time.Second)
	})
	if err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	if want := (evLog{"soon", "first"}); !slices.Equal(log, want) {
		t.Errorf("ran %v, want %v", log, want)
	}
}

func TestVirtualTime(t *testing.T) {
	tests := []struct {
		name   string
		sleeps []time.Duration
		want   time.Duration
	}{
		{"none", nil, 0},
		{"zero", []time.Duration{0, 0}, 0},
		{"negative is zero", []time.Duration{-time.Second}, 0},
		{"one", []time.Duration{1500 * time.Millisecond}, 1500 * time.Millisecond},
		{"sum", []time.Duration{time.Second, 250 * time.Millisecond, time.Nanosecond}, 1250*time.Millisecond + time.Nanosecond},
		{"an hour", []time.Duration{time.Hour}, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var steps []time.Duration
			got, err := vrun(func(a *asyncio.A) (time.Duration, error) {
				now := clockOf(a)
				for _, d := range tt.sleeps {
					before := now()
					if err := asyncio.Sleep(a, d); err != nil {
						return 0, err
					}
					steps = append(steps, now()-before)
				}
				return now(), nil
			})
			if err != nil {
				t.Fatalf("Run = %v, want nil", err)
			}
			if got != tt.want {
				t.Errorf("Time() advanced by %v, want %v", got, tt.want)
			}
			for i, d := range tt.sleeps {
				if want := max(d, 0); steps[i] != want {
					t.Errorf("Sleep(%v) advanced Time() by %v, want %v", d, steps[i], want)
				}
			}
		})
	}
}

func TestVirtualClockIsInstant(t *testing.T) {
	// The lesson's program: three seconds of sleeping, no real time.
	start := time.Now()
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		log.add("hello")
		if err := asyncio.Sleep(a, 3*time.Second); err != nil {
			return err
		}
		log.add("world")
		return asyncio.Sleep(a, 24*time.Hour)
	})
	if err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	if want := (evLog{"hello", "world"}); !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
	// A generous bound: the program sleeps for a day and three seconds.
	if real := time.Since(start); real > 2*time.Second {
		t.Errorf("a virtual 24h3s took %v of real time", real)
	}
}

func TestVirtualClockShared(t *testing.T) {
	// WithClock with an explicit VirtualClock: the loop moves it, Advance
	// moves it between runs, and the loop's Time reads it.
	epoch := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	c := asyncio.NewVirtualClock(epoch)
	got, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (time.Time, error) {
		err := asyncio.Sleep(a, time.Minute)
		return asyncio.GetRunningLoop(a).Time(), err
	}), asyncio.WithClock(c))
	if err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	if want := epoch.Add(time.Minute); !got.Equal(want) || !c.Now().Equal(want) {
		t.Errorf("Time() = %v, clock = %v, want %v", got, c.Now(), want)
	}
	c.Advance(time.Hour)
	c.Advance(-time.Hour) // does nothing
	if want := epoch.Add(time.Hour + time.Minute); !c.Now().Equal(want) {
		t.Errorf("after Advance: %v, want %v", c.Now(), want)
	}
}

func TestCallSoonThreadsafeWakesRealClock(t *testing.T) {
	// On the real clock the loop waits for its next timer (an hour away
	// here); a callback sent from another goroutine must wake it at once.
	got, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (string, error) {
		l := asyncio.GetRunningLoop(a)
		f := asyncio.NewFuture[string](l)
		guard := l.CallLater(time.Hour, func() { f.SetResult("timer") })
		defer guard.Cancel()
		go func() {
			time.Sleep(2 * time.Millisecond)
			if err := l.CallSoonThreadsafe(func() { f.SetResult("inbox") }); err != nil {
				panic(err)
			}
		}()
		return f.Await(a)
	}))
	if err != nil || got != "inbox" {
		t.Errorf("Run = %q, %v; want %q, nil", got, err, "inbox")
	}
}

func TestCallSoonThreadsafeAfterRun(t *testing.T) {
	var loop *asyncio.Loop
	err := vrun0(func(a *asyncio.A) error {
		loop = asyncio.GetRunningLoop(a)
		return nil
	})
	if err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	ran := false
	if err := loop.CallSoonThreadsafe(func() { ran = true }); !errors.Is(err, asyncio.ErrLoopClosed) {
		t.Errorf("CallSoonThreadsafe after Run = %v, want ErrLoopClosed", err)
	}
	if ran {
		t.Errorf("callback ran after Run returned")
	}
}

func TestCallSoonThreadsafeFromTask(t *testing.T) {
	// Called on the loop itself, it behaves like CallSoon, in order.
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		l := asyncio.GetRunningLoop(a)
		for i := range 3 {
			if err := l.CallSoonThreadsafe(func() { log.add("%d", i) }); err != nil {
				return err
			}
		}
		return asyncio.Sleep(a, 0)
	})
	if err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	if want := (evLog{"0", "1", "2"}); !slices.Equal(log, want) {
		t.Errorf("ran %v, want %v", log, want)
	}
}

func TestSeededScheduleIsReproducible(t *testing.T) {
	order := func(seed uint64) []int {
		var got []int
		err := vrun0(func(a *asyncio.A) error {
			l := asyncio.GetRunningLoop(a)
			for i := range 20 {
				l.CallSoon(func() { got = append(got, i) })
			}
			return asyncio.Sleep(a, 0)
		}, asyncio.WithSeed(seed))
		if err != nil {
			t.Fatalf("Run = %v, want nil", err)
		}
		return got
	}
	a, b := order(7), order(7)
	if !slices.Equal(a, b) {
		t.Errorf("seed 7 gave %v, then %v; want the same schedule", a, b)
	}
	want := make([]int, 20)
	for i := range want {
		want[i] = i
	}
	if sorted := slices.Sorted(slices.Values(a)); !slices.Equal(sorted, want) {
		t.Errorf("seeded schedule ran %v, want each of 0..19 once", a)
	}
}
