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
		{"Gather", func(a *asyncio.A) error { _, err := asyncio.Gather(a, after(0, 1), aw); return err }},
		{"GatherReturnExceptions", func(a *asyncio.A) error {
			_, _, err := asyncio.GatherReturnExceptions(a, aw)
			return err
		}},
		{"Shield", func(a *asyncio.A) error { _, err := asyncio.Shield(a, aw); return err }},
		{"WaitFor", func(a *asyncio.A) error { _, err := asyncio.WaitFor(a, aw, time.Second); return err }},
		{"WaitFor0", func(a *asyncio.A) error { _, err := asyncio.WaitFor(a, aw, 0); return err }},
		{"Wait", func(a *asyncio.A) error {
			_, _, err := asyncio.Wait(a, []asyncio.AnyFuture{f}, asyncio.AllCompleted, 0)
			return err
		}},
		{"AsCompleted", func(a *asyncio.A) error {
			for _, err := range asyncio.AsCompleted(a, []asyncio.AnyFuture{f}, 0) {
				return err
			}
			return errors.New("AsCompleted yielded nothing")
		}},
	}
}

// A pending future of a loop that has ended: waiting on it could only end
// in a deadlock. Python: ValueError("The future belongs to a different loop
// than the one specified as the loop argument").
func TestOtherLoopsFutureRefused(t *testing.T) {
	for _, tc := range otherLoopOps(nil, nil) {
		t.Run(tc.name, func(t *testing.T) {
			var stray *asyncio.Future[int]
			if err := vrun0(func(a *asyncio.A) error {
				stray = asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
				return nil
			}); err != nil {
				t.Fatal(err)
			}
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

// A task of a loop running on another goroutine: adding a callback to it
// would run the callback there (a data race under -race).
func TestOtherLoopsTaskRefused(t *testing.T) {
	ch := make(chan *asyncio.Task[int])
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	var otherErr error
	go func() {
		defer wg.Done()
		otherErr = vrun0(func(b *asyncio.A) error {
			task := asyncio.CreateTask(b, after(time.Hour, 1))
			for range len(otherLoopOps(nil, nil)) {
				ch <- task
				<-done
			}
			task.Cancel("")
			if _, err := task.Await(b); !errors.Is(err, asyncio.ErrCanceled) {
				return fmt.Errorf("other loop's task = %v, want ErrCanceled", err)
			}
			return nil
		})
	}()
	defer func() {
		wg.Wait()
		if otherErr != nil {
			t.Error(otherErr)
		}
	}()
	for _, tc := range otherLoopOps(nil, nil) {
		task := <-ch
		tc := otherLoopOps(task, task)[slicesIndex(tc.name)]
		err := vrun0(tc.op)
		done <- struct{}{}
		if !errors.Is(err, asyncio.ErrDifferentLoop) {
			t.Errorf("%s of another loop's task = %v, want ErrDifferentLoop", tc.name, err)
		}
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
