package asyncio_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// TestErrorsMatchContext checks that the package's cancellation and timeout
// errors match their context counterparts, as Go code that handles a
// cancelled or expired context expects.
func TestErrorsMatchContext(t *testing.T) {
	var cancelled, timedOut error
	err := vrun0(func(a *asyncio.A) error {
		task := asyncio.CreateTask(a, after(time.Second, 1))
		asyncio.Sleep(a, 0)
		task.Cancel()
		_, cancelled = task.Await(a)
		timedOut = asyncio.Timeout(a, time.Second, func(*asyncio.TimeoutScope) error {
			return asyncio.Sleep(a, time.Hour)
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{"ErrCanceled is context.Canceled", asyncio.ErrCanceled, context.Canceled, true},
		{"a task's cancellation is context.Canceled", cancelled, context.Canceled, true},
		{"a task's cancellation is ErrCanceled", cancelled, asyncio.ErrCanceled, true},
		{"a cancellation is no deadline", cancelled, context.DeadlineExceeded, false},
		{"ErrTimeout is context.DeadlineExceeded", asyncio.ErrTimeout, context.DeadlineExceeded, true},
		{"a timeout is context.DeadlineExceeded", timedOut, context.DeadlineExceeded, true},
		{"a timeout is no cancellation", timedOut, context.Canceled, false},
		{"a timeout is not ErrCanceled", timedOut, asyncio.ErrCanceled, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errors.Is(tt.err, tt.target); got != tt.want {
				t.Errorf("errors.Is(%v, %v) = %v, want %v", tt.err, tt.target, got, tt.want)
			}
		})
	}
}

// TestErrorTexts checks that the sentinels say they come from this package,
// and that a timeout reads as one.
func TestErrorTexts(t *testing.T) {
	sentinels := []error{
		asyncio.ErrCanceled, asyncio.ErrInvalidState, asyncio.ErrTimeout,
		asyncio.ErrNoRunningLoop, asyncio.ErrNestedRun, asyncio.ErrAwaitSelf,
		asyncio.ErrStrayResume, asyncio.ErrLoopClosed, asyncio.ErrDifferentLoop,
		asyncio.ErrNotLocked, asyncio.ErrQueueEmpty, asyncio.ErrQueueFull,
		asyncio.ErrQueueShutDown, asyncio.ErrTooManyTaskDone, asyncio.ErrTooManyReleases,
		asyncio.ErrBrokenBarrier, asyncio.ErrNoFutures, asyncio.ErrInvalidReturnWhen,
		asyncio.ErrStopAsyncIteration, asyncio.ErrAsyncGenRunning, asyncio.ErrAsyncGenIgnoredExit,
		asyncio.ErrRunnerClosed, asyncio.ErrLoopRunning, asyncio.ErrInterrupted,
		asyncio.ErrEndpointClosed, asyncio.ErrSendQueueFull,
	}
	for _, err := range sentinels {
		if !strings.HasPrefix(err.Error(), "asyncio: ") {
			t.Errorf("%q does not say it comes from package asyncio", err.Error())
		}
	}
	err := vrun0(func(a *asyncio.A) error {
		_, err := asyncio.WaitFor(a, after(time.Hour, 1), time.Second)
		if got, want := err.Error(), "asyncio: timeout"; got != want {
			t.Errorf("WaitFor's timeout reads %q, want %q", got, want)
		}
		err = asyncio.Timeout(a, 0, func(*asyncio.TimeoutScope) error { return asyncio.Sleep(a, time.Hour) })
		if got, want := err.Error(), "asyncio: timeout"; got != want {
			t.Errorf("Timeout's timeout reads %q, want %q", got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
