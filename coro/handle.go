package coro

import "github.com/yieldfrom/asyncgo/gen"

// A Handle is a coroutine body's suspension point, the Go spelling of the
// implicit frame that Python's await suspends. Every await inside the body
// takes it as its first argument. A body must not keep its Handle after
// returning, nor use it from another goroutine: an await made there (from
// a goroutine the body started, say) panics on that goroutine with an
// error wrapping gen.ErrWrongGoroutine, or, awaiting a coroutine, returns
// the error that coroutine's body panicked with, whenever the coroutine is
// suspended at that moment (see gen.Yielder.Yield).
//
// A coroutine awaited inline by another shares the awaiting coroutine's
// Handle: there is one Handle per chain of awaits, as there is one Python
// task per chain.
type Handle gen.Yielder[any, any]

// Suspend suspends the coroutine and hands req to whatever drives it (a
// task of the event loop, or RoundRobin), and returns what the driver resumes
// it with: the value it sends, or the error it throws. It is the yield
// statement inside Python's Future.__await__; most code awaits instead.
func (h *Handle) Suspend(req any) (any, error) {
	return (*gen.Yielder[any, any])(h).Yield(req)
}

// Yield suspends the coroutine without a request, so that the driver runs
// others before resuming it: Python's await asyncio.sleep(0). It returns
// the error the driver throws in, if any.
func Yield(h *Handle) error {
	_, err := h.Suspend(nil)
	return err
}

// Owner returns the value the driver of the outermost coroutine of this
// await chain attached with SetOwner, or nil: an event loop finds its task
// this way, as Python finds the current task of the running loop.
func (h *Handle) Owner() any { return (*gen.Yielder[any, any])(h).Owner() }
