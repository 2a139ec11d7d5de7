package asyncio

import (
	"context"
	"errors"
	"slices"
)

var (
	// ErrCanceled is what every cancellation error matches with errors.Is:
	// Python's asyncio.CancelledError. A cancelled task sees an error
	// wrapping it at its innermost await. errors.Is also finds it inside an
	// *ExceptionGroup, but a group is a failure, never a cancellation: a
	// task that returns one does not end cancelled (see Task.Cancelled).
	// It also matches context.Canceled, so Go code that checks for a
	// cancelled context recognizes it, as ErrTimeout matches
	// context.DeadlineExceeded.
	ErrCanceled error = canceledError{}

	// ErrInvalidState is the error of an operation on a future or task in
	// the wrong state, such as setting a result twice or reading the result
	// of a pending future: Python's asyncio.InvalidStateError.
	ErrInvalidState = errors.New("asyncio: invalid state")

	// ErrTimeout is the error of an await that a timeout ended: Python's
	// TimeoutError. It also matches context.DeadlineExceeded, so Go code
	// that checks for deadlines recognizes it.
	ErrTimeout error = timeoutError{}

	// ErrNoRunningLoop is the error of an asyncio call made from a coroutine
	// that no task of a running loop drives: Python's RuntimeError("no
	// running event loop").
	ErrNoRunningLoop = errors.New("asyncio: no running event loop")

	// ErrNestedRun is the error of Run, RunWith or Runner.Close called from
	// code that a running event loop is executing: Python's
	// RuntimeError("asyncio.run() cannot be called from a running event
	// loop").
	ErrNestedRun = errors.New("asyncio: Run, RunWith and Runner.Close cannot be called from a running event loop")

	// ErrAwaitSelf is the error of a task awaiting itself, which could never
	// end: Python's RuntimeError("Task cannot await on itself").
	ErrAwaitSelf = errors.New("asyncio: task cannot await on itself")

	// ErrStrayResume is the error of an await of a future (a Sleep, a
	// task, a lock's wait...) whose coroutine was resumed before the future
	// was done: by a driver other than its task, or by a task woken by
	// something else. Python's RuntimeError("await wasn't used with
	// future").
	ErrStrayResume = errors.New("asyncio: await wasn't used with future: resumed before it was done")

	// ErrLoopClosed is the error of CallSoonThreadsafe after Run returned
	// (or the Runner closed), and of Loop.AddSignalHandler then.
	ErrLoopClosed = errors.New("asyncio: event loop is closed")

	// ErrRunnerClosed is the error of RunWith after Runner.Close: Python's
	// RuntimeError("Runner is closed").
	ErrRunnerClosed = errors.New("asyncio: runner is closed")

	// ErrLoopRunning is the error of RunWith or Runner.Close while a
	// RunWith of the same Runner is in progress on another goroutine:
	// Python's RuntimeError("This event loop is already running").
	ErrLoopRunning = errors.New("asyncio: event loop is already running")

	// ErrInterrupted is what Run and RunWith return, under WithInterrupt,
	// when SIGINT ended them: Python's KeyboardInterrupt. The error wraps
	// it and says how (main let the cancellation of the first SIGINT
	// through, or a second SIGINT stopped the loop).
	ErrInterrupted = errors.New("asyncio: interrupted")
)

// A CanceledError is the error a cancelled task or future ends with, carrying
// the message given to Cancel, as Python's CancelledError(msg). It matches
// ErrCanceled, and context.Canceled, with errors.Is. Each cancellation makes
// a new one, so that a cancellation is never confused with another error
// value.
type CanceledError struct {
	// Message is the message passed to Cancel, possibly empty.
	Message string
}

func newCanceledError(msg string) error { return &CanceledError{Message: msg} }

// Error returns "canceled", followed by the message if there is one: the
// error a program most often prints, kept as short as Python's
// CancelledError(msg).
func (e *CanceledError) Error() string {
	if e.Message == "" {
		return "canceled"
	}
	return "canceled: " + e.Message
}

// Is reports whether target is ErrCanceled or context.Canceled.
func (e *CanceledError) Is(target error) bool {
	return target == ErrCanceled || target == context.Canceled
}

type canceledError struct{}

func (canceledError) Error() string { return "asyncio: canceled" }

func (canceledError) Is(target error) bool { return target == context.Canceled }

type timeoutError struct{}

func (timeoutError) Error() string { return "asyncio: timeout" }

func (timeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// isCancellation reports whether err is a cancellation: the one test that
// decides whether a task ends cancelled, and what task groups, timeouts,
// Gather and Run take for one. An error that wraps a cancellation (%w) is
// one, as the Go idiom has it; an *ExceptionGroup is not, whatever it
// holds, as a group holding a CancelledError is a failure in Python. That
// is where it differs from errors.Is(err, ErrCanceled), which looks into
// groups.
func isCancellation(err error) bool {
	for err != nil {
		if _, ok := err.(*ExceptionGroup); ok {
			return false
		}
		if err == ErrCanceled {
			return true
		}
		if e, ok := err.(interface{ Is(error) bool }); ok && e.Is(ErrCanceled) {
			return true
		}
		switch e := err.(type) {
		case interface{ Unwrap() error }:
			err = e.Unwrap()
		case interface{ Unwrap() []error }:
			return slices.ContainsFunc(e.Unwrap(), isCancellation)
		default:
			return false
		}
	}
	return false
}
