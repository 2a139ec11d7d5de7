package asyncio_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// waitTrio creates three tasks: a returns after 3s,
// b fails after 2s, c returns after 1s.
func waitTrio(a *asyncio.A, errB error) []*asyncio.Task[string] {
	ts := []*asyncio.Task[string]{
		asyncio.CreateTask(a, after(3*time.Second, "a")),
		asyncio.CreateTask(a, failAfter[string](2*time.Second, errB)),
		asyncio.CreateTask(a, after(time.Second, "c")),
	}
	for i, t := range ts {
		t.SetName(string(rune('a' + i)))
	}
	return ts
}

func names[T asyncio.AnyTask](ts []T) []string {
	ns := []string{}
	for _, t := range ts {
		ns = append(ns, t.Name())
	}
	return ns
}

func TestWait(t *testing.T) {
	errB := errors.New("b")
	tests := []struct {
		name        string
		returnWhen  asyncio.ReturnWhen
		timeout     time.Duration
		wantDone    []string
		wantPending []string
		wantAt      time.Duration
	}{
		{"FirstCompleted", asyncio.FirstCompleted, asyncio.NoTimeout, []string{"c"}, []string{"a", "b"}, time.Second},
		{"FirstException", asyncio.FirstException, asyncio.NoTimeout, []string{"b", "c"}, []string{"a"}, 2 * time.Second},
		{"AllCompleted", asyncio.AllCompleted, asyncio.NoTimeout, []string{"a", "b", "c"}, []string{}, 3 * time.Second},
		{"timeout", asyncio.AllCompleted, 1500 * time.Millisecond, []string{"c"}, []string{"a", "b"}, 1500 * time.Millisecond},
		{"timeout after all done", asyncio.AllCompleted, 10 * time.Second, []string{"a", "b", "c"}, []string{}, 3 * time.Second},
		// Python's wait(timeout=-1): the deadline has passed, Wait returns at
		// the next iteration. (A deadline computed as time left must not
		// turn into no deadline at all once it has passed.)
		{"negative timeout", asyncio.AllCompleted, -time.Second, []string{}, []string{"a", "b", "c"}, 0},
		// Python's wait(timeout=0): no time, as everywhere (NoTimeout is
		// None).
		{"zero timeout", asyncio.AllCompleted, 0, []string{}, []string{"a", "b", "c"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := vrun0(func(a *asyncio.A) error {
				now := clockOf(a)
				ts := waitTrio(a, errB)
				done, pending, err := asyncio.Wait(a, ts, tt.returnWhen, tt.timeout)
				if err != nil {
					return fmt.Errorf("Wait = %v, want nil", err)
				}
				if got := names(done); !slices.Equal(got, tt.wantDone) {
					return fmt.Errorf("done = %v, want %v", got, tt.wantDone)
				}
				if got := names(pending); !slices.Equal(got, tt.wantPending) {
					return fmt.Errorf("pending = %v, want %v", got, tt.wantPending)
				}
				if at := now(); at != tt.wantAt {
					return fmt.Errorf("Wait returned at %v, want %v", at, tt.wantAt)
				}
				for _, t := range ts {
					if t.Cancelled() {
						return fmt.Errorf("Wait cancelled %v", t)
					}
				}
				// Wait cancels nothing: the pending tasks finish.
				_, _, err = asyncio.GatherReturnExceptions(a, ts[0], ts[1], ts[2])
				return err
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
}

func TestWaitFirstExceptionIgnoresCancelled(t *testing.T) {
	// Python: a cancelled future is not an exception for FIRST_EXCEPTION.
	err := vrun0(func(a *asyncio.A) error {
		now := clockOf(a)
		v := asyncio.CreateTask(a, after(5*time.Second, "v"))
		o := asyncio.CreateTask(a, after(2*time.Second, "o"))
		asyncio.GetRunningLoop(a).CallLater(time.Second, func() { v.Cancel() })
		done, pending, err := asyncio.Wait(a, []*asyncio.Task[string]{v, o}, asyncio.FirstException, asyncio.NoTimeout)
		if err != nil || len(done) != 2 || len(pending) != 0 || now() != 2*time.Second {
			return fmt.Errorf("Wait = %v, %v, %v at %v; want both done at 2s", done, pending, err, now())
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestWaitEmpty(t *testing.T) {
	err := vrun0(func(a *asyncio.A) error {
		_, _, err := asyncio.Wait(a, []*asyncio.Task[int]{}, asyncio.AllCompleted, asyncio.NoTimeout)
		return err
	})
	if !errors.Is(err, asyncio.ErrNoFutures) {
		t.Errorf("Wait(no futures) = %v, want ErrNoFutures", err)
	}
}

func TestWaitInvalidReturnWhen(t *testing.T) {
	// Python: ValueError("Invalid return_when value: ..."), raised before
	// waiting for anything.
	err := vrun0(func(a *asyncio.A) error {
		now := clockOf(a)
		work := asyncio.CreateTask(a, after(time.Second, 1))
		_, _, err := asyncio.Wait(a, []*asyncio.Task[int]{work}, asyncio.FirstException+1, asyncio.NoTimeout)
		if !errors.Is(err, asyncio.ErrInvalidReturnWhen) || now() != 0 {
			return fmt.Errorf("Wait(ReturnWhen(%d)) = %v at %v, want ErrInvalidReturnWhen at once", asyncio.FirstException+1, err, now())
		}
		_, err = work.Await(a)
		return err
	})
	if err != nil {
		t.Error(err)
	}
}

func TestWaitAlreadyDone(t *testing.T) {
	// Futures done before Wait: it still yields once, as Python's does
	// through call_soon, and reports them done.
	err := vrun0(func(a *asyncio.A) error {
		l := asyncio.GetRunningLoop(a)
		f := asyncio.NewFuture[int](l)
		f.SetResult(1)
		g := asyncio.NewFuture[int](l)
		done, pending, err := asyncio.Wait(a, []*asyncio.Future[int]{f, g}, asyncio.FirstCompleted, asyncio.NoTimeout)
		if err != nil || len(done) != 1 || done[0] != f || len(pending) != 1 || pending[0] != g {
			return fmt.Errorf("Wait = %v, %v, %v; want [f], [g]", done, pending, err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestWaitCancelled(t *testing.T) {
	// The task in Wait is cancelled: Wait returns the cancellation and the
	// futures it waited for are left alone.
	err := vrun0(func(a *asyncio.A) error {
		work := asyncio.CreateTask(a, after(5*time.Second, 1))
		waiter := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			_, _, err := asyncio.Wait(a, []*asyncio.Task[int]{work}, asyncio.AllCompleted, asyncio.NoTimeout)
			return 0, err
		}))
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		waiter.Cancel()
		if _, err := waiter.Await(a); !errors.Is(err, asyncio.ErrCanceled) {
			return fmt.Errorf("await waiter = %v, want ErrCanceled", err)
		}
		if v, err := work.Await(a); v != 1 || err != nil {
			return fmt.Errorf("work = %v, %v; want 1, nil", v, err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestAsCompleted(t *testing.T) {
	errB := errors.New("b")
	type step struct {
		name string
		err  string
		at   time.Duration
	}
	tests := []struct {
		name    string
		timeout time.Duration
		want    []step
	}{
		{"in order of completion", asyncio.NoTimeout, []step{
			{"c", "", time.Second},
			{"b", "b", 2 * time.Second},
			{"a", "", 3 * time.Second},
		}},
		{"timeout", 2500 * time.Millisecond, []step{
			{"c", "", time.Second},
			{"b", "b", 2 * time.Second},
			{"", "asyncio: timeout", 2500 * time.Millisecond},
		}},
		{"negative timeout", -time.Second, []step{
			{"", "asyncio: timeout", 0},
		}},
		// Python's as_completed(timeout=0): no time.
		{"zero timeout", 0, []step{
			{"", "asyncio: timeout", 0},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []step
			err := vrun0(func(a *asyncio.A) error {
				now := clockOf(a)
				ts := waitTrio(a, errB)
				for f, err := range asyncio.AsCompleted(a, ts, tt.timeout) {
					s := step{at: now()}
					if err != nil {
						s.err = err.Error()
						if !isTimeout(err) {
							return fmt.Errorf("AsCompleted error = %v, want a timeout", err)
						}
					} else {
						s.name = f.Name()
						if _, ferr := f.Result(); ferr != nil {
							s.err = ferr.Error()
						}
					}
					got = append(got, s)
				}
				for _, t := range ts {
					if t.Cancelled() {
						return fmt.Errorf("AsCompleted cancelled %v", t)
					}
				}
				_, _, err := asyncio.GatherReturnExceptions(a, ts[0], ts[1], ts[2])
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("AsCompleted gave %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAsCompletedBreak(t *testing.T) {
	// Breaking out of the range stops waiting; the futures are not
	// cancelled and finish on their own.
	err := vrun0(func(a *asyncio.A) error {
		now := clockOf(a)
		ts := waitTrio(a, errors.New("b"))
		var first string
		for f, err := range asyncio.AsCompleted(a, ts, 5*time.Second) {
			if err != nil {
				return err
			}
			first, _ = f.Result()
			break
		}
		if first != "c" || now() != time.Second {
			return fmt.Errorf("first = %q at %v, want c at 1s", first, now())
		}
		if err := asyncio.Sleep(a, 5*time.Second); err != nil {
			return err
		}
		for _, t := range ts {
			if !t.Done() || t.Cancelled() {
				return fmt.Errorf("after break: %v, want done, not cancelled", t)
			}
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestAsCompletedCancelled(t *testing.T) {
	err := vrun0(func(a *asyncio.A) error {
		work := asyncio.CreateTask(a, after(5*time.Second, 1))
		waiter := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			for _, err := range asyncio.AsCompleted(a, []*asyncio.Task[int]{work}, asyncio.NoTimeout) {
				if err != nil {
					return 0, err
				}
			}
			return 0, errors.New("AsCompleted ended without the cancellation")
		}))
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		waiter.Cancel()
		if _, err := waiter.Await(a); !errors.Is(err, asyncio.ErrCanceled) {
			return fmt.Errorf("await waiter = %v, want ErrCanceled", err)
		}
		if work.Cancelled() {
			return errors.New("AsCompleted cancelled the future")
		}
		_, err := work.Await(a)
		return err
	})
	if err != nil {
		t.Error(err)
	}
}

func TestAsCompletedEmpty(t *testing.T) {
	err := vrun0(func(a *asyncio.A) error {
		for range asyncio.AsCompleted(a, []*asyncio.Task[int]{}, asyncio.NoTimeout) {
			return errors.New("AsCompleted(no futures) yielded")
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// A future given twice is waited for once, as Python's wait and
// as_completed take a set: Wait lists it once, AsCompleted yields it once.
func TestWaitAndAsCompletedDeduplicate(t *testing.T) {
	err := vrun0(func(a *asyncio.A) error {
		ts := waitTrio(a, errors.New("b"))
		twice := []*asyncio.Task[string]{ts[0], ts[2], ts[0], ts[2], ts[1]}
		done, pending, err := asyncio.Wait(a, twice, asyncio.FirstCompleted, asyncio.NoTimeout)
		if err != nil {
			return err
		}
		if got := [2][]string{names(done), names(pending)}; !slices.Equal(got[0], []string{"c"}) || !slices.Equal(got[1], []string{"a", "b"}) {
			t.Errorf("Wait(a, c, a, c, b, FirstCompleted) = done %v, pending %v, want [c] and [a b]", got[0], got[1])
		}
		var order []string
		for f, err := range asyncio.AsCompleted(a, twice, asyncio.NoTimeout) {
			if err != nil {
				return err
			}
			order = append(order, f.Name())
		}
		if !slices.Equal(order, []string{"c", "b", "a"}) {
			t.Errorf("AsCompleted(a, c, a, c, b) yielded %v, want each once: [c b a]", order)
		}
		done, pending, err = asyncio.Wait(a, twice, asyncio.AllCompleted, asyncio.NoTimeout)
		if err != nil {
			return err
		}
		if !slices.Equal(names(done), []string{"a", "c", "b"}) || len(pending) != 0 {
			t.Errorf("Wait(a, c, a, c, b) when all are done = done %v, pending %v, want [a c b] and none", names(done), names(pending))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
