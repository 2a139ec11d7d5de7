package asyncio_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/coro"
	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

// Python threads cannot be told to stop: the contexts handed to workers,
// and the tests of their cancellation, are this package's own.

func TestToThreadResult(t *testing.T) {
	errK := errors.New("k")
	tests := []struct {
		name    string
		fn      func(ctx context.Context) (int, error)
		want    int
		wantErr error
	}{
		{"value", func(context.Context) (int, error) { return 42, nil }, 42, nil},
		{"error", func(context.Context) (int, error) { return 0, errK }, 0, errK},
		{"blocking", func(context.Context) (int, error) { time.Sleep(2 * time.Millisecond); return 7, nil }, 7, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := leaktest.Count()
			got, err := vrun(func(a *asyncio.A) (int, error) {
				return asyncio.ToThread(a, tt.fn)
			})
			if got != tt.want || err != tt.wantErr {
				t.Errorf("ToThread = %v, %v; want %v, %v", got, err, tt.want, tt.wantErr)
			}
			checkGoroutines(t, before)
		})
	}
}

func TestToThreadOthersRunMeanwhile(t *testing.T) {
	// The worker blocks until a task on the loop releases it: that task
	// must run (and its real-clock sleeps fire) while the worker is out.
	release := make(chan struct{})
	var ticks evLog
	got, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (string, error) {
		asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			for i := range 3 {
				if err := asyncio.Sleep(a, time.Millisecond); err != nil {
					return 0, err
				}
				ticks.add("tick %d", i)
			}
			close(release)
			return 0, nil
		}))
		return asyncio.ToThread(a, func(ctx context.Context) (string, error) {
			select {
			case <-release:
				return "released", nil
			case <-time.After(10 * time.Second):
				return "", errors.New("the loop did not run the ticker while the worker was blocked")
			}
		})
	}))
	if got != "released" || err != nil {
		t.Errorf("ToThread = %q, %v; want released, nil", got, err)
	}
	if want := (evLog{"tick 0", "tick 1", "tick 2"}); !slices.Equal(ticks, want) {
		t.Errorf("ticks = %v, want %v", ticks, want)
	}
}

func TestToThreadVirtualClockWaitsForWorker(t *testing.T) {
	// A timeout on the virtual clock must not fire early because the
	// worker takes real time: the clock holds still while it is out, for
	// the idle threshold (long here, so that a loaded machine cannot make
	// the worker outlast it; TestVirtualClockJumpsPastOutsideWork shows
	// what happens after it).
	got, err := vrun(func(a *asyncio.A) (int, error) {
		return asyncio.WaitFor(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			return asyncio.ToThread(a, func(context.Context) (int, error) {
				time.Sleep(5 * time.Millisecond)
				return 1, nil
			})
		}), time.Nanosecond)
	}, asyncio.WithIdleThreshold(time.Minute))
	if got != 1 || err != nil {
		t.Errorf("WaitFor(ToThread, 1ns) = %v, %v; want 1, nil", got, err)
	}
}

func TestToThreadCancel(t *testing.T) {
	// The awaiting task is cancelled while the worker runs: the task sees
	// the cancellation at once, the worker's context is cancelled, and Run
	// still waits for the worker to return.
	hold := make(chan struct{})
	var workerErr atomic.Value
	var workerDone atomic.Bool
	before := leaktest.Count()
	err := vrun0(func(a *asyncio.A) error {
		started := false
		waiter := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			started = true
			return asyncio.ToThread(a, func(ctx context.Context) (int, error) {
				<-ctx.Done()
				workerErr.Store(ctx.Err())
				<-hold // keep running after the cancellation
				workerDone.Store(true)
				return 0, ctx.Err()
			})
		}))
		for !started {
			if err := asyncio.Sleep(a, 0); err != nil {
				return err
			}
		}
		waiter.Cancel()
		_, err := waiter.Await(a)
		if !errors.Is(err, asyncio.ErrCanceled) || !waiter.Cancelled() {
			return fmt.Errorf("await waiter = %v, want ErrCanceled", err)
		}
		if workerDone.Load() {
			return errors.New("the cancelled ToThread waited for the worker")
		}
		close(hold)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !workerDone.Load() {
		t.Errorf("Run returned before the worker did")
	}
	if got := workerErr.Load(); got != context.Canceled {
		t.Errorf("worker's ctx.Err() = %v, want context.Canceled", got)
	}
	checkGoroutines(t, before)
}

//go:noinline
func panickingWorker(context.Context) (int, error) {
	var s []int
	return s[3], nil
}

func TestToThreadPanic(t *testing.T) {
	_, err := vrun(func(a *asyncio.A) (int, error) {
		return asyncio.ToThread(a, panickingWorker)
	})
	var pe *coro.PanicError
	if !errors.As(err, &pe) {
		t.Fatalf("ToThread of a panicking worker = %v, want *coro.PanicError", err)
	}
	var re runtime.Error
	if !errors.As(err, &re) {
		t.Errorf("the panic value %v is not the runtime error", pe.Value)
	}
	if !bytes.Contains(pe.Stack, []byte("panickingWorker")) {
		t.Errorf("panic stack does not name panickingWorker:\n%s", pe.Stack)
	}
}

func TestRunInExecutor(t *testing.T) {
	err := vrun0(func(a *asyncio.A) error {
		l := asyncio.GetRunningLoop(a)
		f := asyncio.RunInExecutor(l, func(context.Context) (string, error) { return "executor", nil })
		if v, err := f.Await(a); v != "executor" || err != nil {
			return fmt.Errorf("await = %q, %v; want executor, nil", v, err)
		}
		// Cancelling the future cancels the worker's context.
		stopped := make(chan error, 1)
		g := asyncio.RunInExecutor(l, func(ctx context.Context) (int, error) {
			<-ctx.Done()
			stopped <- ctx.Err()
			return 0, ctx.Err()
		})
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		g.Cancel()
		if _, err := g.Await(a); !errors.Is(err, asyncio.ErrCanceled) {
			return fmt.Errorf("await cancelled future = %v, want ErrCanceled", err)
		}
		if err := asyncio.Sleep(a, 0); err != nil { // the context is cancelled by a done callback
			return err
		}
		select {
		case err := <-stopped:
			if err != context.Canceled {
				return fmt.Errorf("worker's ctx.Err() = %v, want context.Canceled", err)
			}
		case <-time.After(5 * time.Second):
			return errors.New("the worker's context was not cancelled")
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

type ctxKey struct{}

func TestContextFollowsTask(t *testing.T) {
	ctx := context.WithValue(context.Background(), ctxKey{}, "from Run")
	var ended context.Context
	_, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
		task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			c := asyncio.Context(a)
			if c != asyncio.Context(a) {
				return 0, errors.New("Context(a) changed between calls")
			}
			if got := c.Value(ctxKey{}); got != "from Run" {
				return 0, fmt.Errorf("Context(a).Value = %v, want the value of Run's context", got)
			}
			if c.Err() != nil {
				return 0, fmt.Errorf("Context(a) of a running task: %v", c.Err())
			}
			err := asyncio.Sleep(a, time.Hour)
			if c.Err() != context.Canceled {
				return 0, fmt.Errorf("after the cancellation Context(a).Err() = %v, want context.Canceled", c.Err())
			}
			return 0, err
		}))
		normal := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			ended = asyncio.Context(a)
			return 0, nil
		}))
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return 0, err
		}
		task.Cancel()
		if _, err := task.Await(a); !errors.Is(err, asyncio.ErrCanceled) {
			return 0, err
		}
		if !normal.Done() || ended.Err() == nil {
			return 0, errors.New("the Context of a task that returned is not cancelled")
		}
		return 0, nil
	}), asyncio.WithVirtualTime())
	if err != nil {
		t.Error(err)
	}
}

func TestContextAfterHandledTimeout(t *testing.T) {
	// A timeout cancels the task (and the Context it handed out); once the
	// scope has absorbed that cancellation the task is not cancelled any
	// more, and Context must give it a live context again.
	err := vrun0(func(a *asyncio.A) error {
		var inside context.Context
		err := asyncio.Timeout(a, time.Second, func(*asyncio.TimeoutScope) error {
			inside = asyncio.Context(a)
			return asyncio.Sleep(a, time.Hour)
		})
		if !isTimeout(err) {
			return fmt.Errorf("Timeout = %v, want a timeout", err)
		}
		if inside.Err() == nil {
			return errors.New("the Context used inside the expired scope is still live")
		}
		if err := asyncio.Context(a).Err(); err != nil {
			return fmt.Errorf("Context(a) after the timeout: %v, want a live context", err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestRunContextCancelsWorkers(t *testing.T) {
	// Cancelling Run's context reaches a worker directly, through the
	// worker's context, and cancels the main task (on the real clock: the
	// cancellation travels through the loop's inbox).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var workerSaw atomic.Value
	_, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
		v, err := asyncio.ToThread(a, func(wctx context.Context) (int, error) {
			cancel()
			<-wctx.Done()
			workerSaw.Store(wctx.Err())
			return 1, nil
		})
		if err != nil {
			return 0, err
		}
		// Whichever of the result and the cancellation reached the loop
		// first, the cancellation ends the main task here or above.
		return v, asyncio.Sleep(a, time.Hour)
	}))
	if !errors.Is(err, asyncio.ErrCanceled) || !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want ErrCanceled and context.Canceled", err)
	}
	if got := workerSaw.Load(); got != context.Canceled {
		t.Errorf("worker's ctx.Err() = %v, want context.Canceled", got)
	}
}

func TestToThreadUnderWaitFor(t *testing.T) {
	// On the real clock: the timeout fires while the worker runs, the
	// worker's context is cancelled, and WaitFor reports the timeout.
	var workerErr atomic.Value
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		return asyncio.WaitFor(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			return asyncio.ToThread(a, func(ctx context.Context) (int, error) {
				<-ctx.Done()
				workerErr.Store(ctx.Err())
				return 0, ctx.Err()
			})
		}), 2*time.Millisecond)
	}))
	if !isTimeout(err) {
		t.Errorf("WaitFor(ToThread) = %v, want a timeout", err)
	}
	if got := workerErr.Load(); got != context.Canceled {
		t.Errorf("worker's ctx.Err() = %v, want context.Canceled", got)
	}
}
