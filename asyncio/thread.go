package asyncio

import (
	"context"
	"errors"

	"github.com/yieldfrom/asyncgo/coro"
)

// ToThread runs fn on its own goroutine, so that blocking work does not
// stop the loop, and suspends the calling task until it returns: Python's
// await asyncio.to_thread(fn). Other tasks run meanwhile.
//
// fn receives a context that is cancelled when the awaiting task is
// cancelled (and when Run's context is, or Run shuts down), so unlike a
// Python thread the worker can be told to stop. A cancelled ToThread returns the cancellation
// at once; Run still waits for fn to return before it returns itself. A
// panic in fn becomes a *coro.PanicError with fn's stack; a runtime.Goexit
// in fn (t.FailNow) ends its goroutine and makes ToThread return an error.
func ToThread[T any](a *A, fn func(ctx context.Context) (T, error)) (T, error) {
	t, err := currentTask(a)
	if err != nil {
		var zero T
		return zero, err
	}
	return RunInExecutor(t.loop, fn).Await(a)
}

// RunInExecutor starts fn on its own goroutine and returns a future for its
// result: Python's loop.run_in_executor(None, fn). Cancelling the future
// cancels fn's context, and so does Run's shutdown once no task is left,
// since Run waits for fn to return (a future nobody awaits, or one under
// Shield, is not cancelled with a task). The result comes back through the loop's
// thread-safe inbox, and until it has, the loop counts fn as outside work
// in flight: it is never taken for a deadlock, and the virtual clock jumps
// past it only once the loop has been idle for the idle threshold
// (WithIdleThreshold), so that a timeout around a worker that waits for its
// context fires. It must be called on the loop's goroutine.
func RunInExecutor[T any](l *Loop, fn func(ctx context.Context) (T, error)) *Future[T] {
	f := NewFuture[T](l)
	ctx, cancel := context.WithCancel(l.outsideCtx)
	f.addCallback(callback(cancel))
	w := newExternal(l, outsideWork)
	go func() {
		var v T
		err := errWorkerExited
		// Deferred, so that a worker that calls runtime.Goexit (t.FailNow)
		// is still reported, and Run does not wait for it forever.
		defer func() {
			_ = l.CallSoonThreadsafe(func() {
				w.done()
				if f.done() {
					return
				}
				if err != nil {
					f.SetException(err)
				} else {
					f.SetResult(v)
				}
			})
		}()
		v, err = callWorker(ctx, fn)
	}()
	return f
}

// errWorkerExited is the error of a RunInExecutor (or ToThread) whose
// function called runtime.Goexit instead of returning.
var errWorkerExited = errors.New("asyncio: the function run in an executor called runtime.Goexit")

func callWorker[T any](ctx context.Context, fn func(context.Context) (T, error)) (v T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = coro.NewPanicError(p)
		}
	}()
	return fn(ctx)
}
