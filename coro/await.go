package coro

// An Awaitable is anything a coroutine can await: a Coroutine, and, in the
// event loop, a Future or a Task. Python's objects with __await__.
//
// Await must run whatever it stands for to completion on behalf of the
// coroutine whose Handle is h, suspending it with h.Suspend (directly, or by
// awaiting other awaitables) as often as needed, and return the result. An
// error thrown in at a suspension (such as a cancellation) should be
// returned, or handled.
type Awaitable[T any] interface {
	Await(h *Handle) (T, error)
}

// Await waits for aw on behalf of the coroutine whose Handle is h and
// returns its result: the await expression.
//
//	x = await aw        // Python
//	x, err := coro.Await(h, aw)  // Go
func Await[T any](h *Handle, aw Awaitable[T]) (T, error) {
	return aw.Await(h)
}
