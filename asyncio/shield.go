package asyncio

import (
	"fmt"

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
	outer, err := shield(t.loop, aw, "asyncio.Shield")
	if err != nil {
		var zero T
		return zero, err
	}
	return outer.Await(a)
}

// ShieldFuture returns a future that ends as aw does but whose cancellation
// does not reach aw: Python's asyncio.shield(aw), the future itself, to
// await later or pass to WaitFor, Wait, Gather and the like in one
// expression:
//
//	v, err := asyncio.WaitFor(a, asyncio.ShieldFuture(a, task), time.Second)
//
// A coroutine is wrapped in a task. If aw is a task or future of another
// loop, the future is already done with an error wrapping
// ErrDifferentLoop. It panics if a belongs to no task of a running loop,
// as CreateTask does.
func ShieldFuture[T any](a *A, aw coro.Awaitable[T]) *Future[T] {
	t, err := currentTask(a)
	if err != nil {
		panic(fmt.Errorf("asyncio.ShieldFuture: %w", err))
	}
	outer, err := shield(t.loop, aw, "asyncio.ShieldFuture")
	if err != nil {
		outer = NewFuture[T](t.loop)
		outer.SetException(err)
	}
	return outer
}

// shield returns the outer future of Python's shield(aw): aw's outcome is
// copied to it, and its cancellation stays its own.
func shield[T any](l *Loop, aw coro.Awaitable[T], call string) (*Future[T], error) {
	inner, err := ensureFuture(l, aw, call)
	if err != nil {
		return nil, err
	}
	r := &shieldRelay[T]{inner: inner, outer: NewFuture[T](l)}
	if inner.base().done() {
		r.run()
		return r.outer, nil
	}
	inner.base().addCallback(r)
	// Python's _outer_done_callback: an outer future cancelled first no
	// longer listens to the inner one.
	r.outer.addCallback(callback(func() {
		if !inner.base().done() {
			inner.base().removeCallbacks(func(c runnable) bool { return c == runnable(r) })
		}
	}))
	return r.outer, nil
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
