package asyncio

import (
	"github.com/yieldfrom/asyncgo/coro"
)

// Shield waits for aw but protects it from cancellation: Python's await
// asyncio.shield(aw). If the task awaiting Shield is cancelled, Shield
// returns the cancellation at once while aw (wrapped in a task if it is a
// coroutine) goes on running to its end. If aw itself is cancelled, Shield
// returns that cancellation. A task or future of another loop is refused
// with an error wrapping ErrDifferentLoop.
func Shield[T any](a *A, aw coro.Awaitable[T]) (T, error) {
	t, err := currentTask(a)
	if err != nil {
		var zero T
		return zero, err
	}
	inner, err := ensureFuture(t.loop, aw, "asyncio.Shield")
	if err != nil {
		var zero T
		return zero, err
	}
	if inner.base().done() {
		return inner.Result()
	}
	r := &shieldRelay[T]{inner: inner, outer: NewFuture[T](t.loop)}
	inner.base().addCallback(r)
	v, err := r.outer.Await(a)
	if !inner.base().done() {
		inner.base().removeCallbacks(func(c runnable) bool { return c == runnable(r) })
	}
	return v, err
}

// shieldRelay copies the inner future's outcome to the outer one, unless
// the outer one was cancelled meanwhile.
type shieldRelay[T any] struct {
	inner resultFuture[T]
	outer *Future[T]
}

func (r *shieldRelay[T]) run() {
	if r.outer.done() {
		return
	}
	v, err := r.inner.Result()
	switch {
	case r.inner.base().state == cancelled:
		r.outer.Cancel()
	case err != nil:
		r.outer.SetException(err)
	default:
		r.outer.SetResult(v)
	}
}
