package asyncio_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// otherLoopOps are the calls that take futures or tasks and must refuse
// those of another loop (issue 13, items 15 and 29), each run with f.
func otherLoopOps(f asyncio.AnyFuture, aw asyncio.Awaitable[int]) []struct {
	name string
	op   func(a *asyncio.A) error
} {
	return []struct {
		name string
		op   func(a *asyncio.A) error
	}{
		{"Await", func(a *asyncio.A) error { _, err := aw.Await(a); return err }},
		{"Gather", func(a *asyncio.A) error { _, err := asyncio.Gather(a, after(0, 1), aw); return err }},
		{"GatherReturnExceptions", func(a *asyncio.A) error {
			_, _, err := asyncio.GatherReturnExceptions(a, aw)
			return err
		}},
		{"Shield", func(a *asyncio.A) error { _, err := asyncio.Shield(a, aw); return err }},
		{"GatherFuture", func(a *asyncio.A) error { return asyncio.GatherFuture(a, after(0, 1), aw).Exception() }},
		{"GatherFutureReturnExceptions", func(a *asyncio.A) error {
			return asyncio.GatherFutureReturnExceptions(a, aw).Exception()
		}},
		{"Gather2", func(a *asyncio.A) error { _, _, err := asyncio.Gather2(a, after(0, "x"), aw); return err }},
		{"Gather3", func(a *asyncio.A) error {
			_, _, _, err := asyncio.Gather3(a, after(0, "x"), after(0, 1.0), aw)
			return err
		}},
		{"ShieldFuture", func(a *asyncio.A) error { return asyncio.ShieldFuture(a, aw).Exception() }},
		{"WaitFor", func(a *asyncio.A) error { _, err := asyncio.WaitFor(a, aw, time.Second); return err }},
		{"WaitFor0", func(a *asyncio.A) error { _, err := asyncio.WaitFor(a, aw, 0); return err }},
		{"Wait", func(a *asyncio.A) error {
			_, _, err := asyncio.Wait(a, []asyncio.AnyFuture{f}, asyncio.AllCompleted, asyncio.NoTimeout)
			return err
		}},
		{"AsCompleted", func(a *asyncio.A) error {
			for _, err := range asyncio.AsCompleted(a, []asyncio.AnyFuture{f}, asyncio.NoTimeout) {
				return err
			}
			return errors.New("AsCompleted yielded nothing")
		}},
	}
}

// endedLoopFuture returns a pending future of a loop that has ended.
func endedLoopFuture(t *testing.T) *asyncio.Future[int] {
	t.Helper()
	var f *asyncio.Future[int]
	if err := vrun0(func(a *asyncio.A) error {
		f = asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return f
}

// A pending future of a loop that has ended: waiting on it could only end
// in a deadlock. Python: ValueError("The future belongs to a different loop
// than the one specified as the loop argument").
func TestOtherLoopsFutureRefused(t *testing.T) {
	for _, tc := range otherLoopOps(nil, nil) {
		t.Run(tc.name, func(t *testing.T) {
			stray := endedLoopFuture(t)
			err := vrun0(otherLoopOps(stray, stray)[slicesIndex(tc.name)].op)
			if stray.Done() {
				t.Errorf("%s changed another loop's future: %v", tc.name, stray)
			}
			if !errors.Is(err, asyncio.ErrDifferentLoop) {
				t.Errorf("%s of another loop's future = %v, want ErrDifferentLoop", tc.name, err)
			}
		})
	}
}

// A task of a loop running on another goroutine at the same time: adding a
// callback to it would run the callback there (data races under -race).
func TestOtherLoopsTaskRefused(t *testing.T) {
	for _, tc := range otherLoopOps(nil, nil) {
		t.Run(tc.name, func(t *testing.T) {
			ch := make(chan *asyncio.Task[int])
			var wg sync.WaitGroup
			wg.Add(1)
			var otherErr error
			go func() {
				defer wg.Done()
				otherErr = vrun0(func(b *asyncio.A) error {
					task := asyncio.CreateTask(b, asyncio.Async(func(b *asyncio.A) (int, error) {
						for range 100 {
							if err := asyncio.Sleep(b, 0); err != nil {
								return 0, err
							}
						}
						return 1, nil
					}))
					ch <- task
					if v, err := task.Await(b); v != 1 || err != nil {
						return fmt.Errorf("other loop's task = %v, %v; want 1, nil", v, err)
					}
					return nil
				})
			}()
			task := <-ch
			err := vrun0(otherLoopOps(task, task)[slicesIndex(tc.name)].op)
			wg.Wait()
			if !errors.Is(err, asyncio.ErrDifferentLoop) {
				t.Errorf("%s of another loop's task = %v, want ErrDifferentLoop", tc.name, err)
			}
			if otherErr != nil {
				t.Error(otherErr)
			}
		})
	}
}

// slicesIndex returns the index of the op named name in otherLoopOps.
func slicesIndex(name string) int {
	for i, tc := range otherLoopOps(nil, nil) {
		if tc.name == name {
			return i
		}
	}
	panic(name)
}
