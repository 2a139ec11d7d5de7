package coro

import (
	"fmt"

	"github.com/yieldfrom/asyncgo/gen"
)

// A Coroutine is a computation that may suspend at its awaits and finally
// returns a T or an error: what calling a Python async def function creates.
// It is a generator that yields suspension requests (see Handle.Suspend), is
// resumed with the driver's answers, and returns (T, error).
//
// A Coroutine runs when it is awaited (Await), driven (Send), or handed to
// an event loop. It may be awaited once. Its methods must not be called
// concurrently.
type Coroutine[T any] gen.Generator[any, any, T]

// New returns a coroutine that will run body: the Go form of
//
//	async def f(): ...
//	f()
//
// The body receives its Handle and awaits with Await(h, x). A panic in the
// body ends the coroutine with a *PanicError carrying the panic value and
// the stack where it happened, instead of unwinding its driver.
func New[T any](body func(h *Handle) (T, error)) *Coroutine[T] {
	if body == nil {
		panic("coro.New: nil body")
	}
	return (*Coroutine[T])(gen.New(func(y *gen.Yielder[any, any]) (result T, err error) {
		defer func() {
			if p := recover(); p != nil {
				if gen.IsUnwind(p) {
					// gen unwinding a body that may not go on: not
					// a failure of the body, and not ours to stop.
					panic(p)
				}
				err = NewPanicError(p)
			}
		}()
		return body((*Handle)(y))
	}))
}

func (c *Coroutine[T]) gen() *gen.Generator[any, any, T] {
	return (*gen.Generator[any, any, T])(c)
}

// State reports the coroutine's state, as Python's
// inspect.getcoroutinestate: Created, Running, Suspended or Closed. A
// coroutine being awaited inline has the state of the coroutine awaiting it.
func (c *Coroutine[T]) State() gen.State { return c.gen().State() }

// SetOwner attaches v to the coroutine, for every body of its await chain
// to find with Handle.Owner. Drivers (an event loop's task) call it before
// the first Send, and so take on closing the coroutine: see
// gen.Generator.SetOwner. A coroutine that has an owner cannot be awaited.
func (c *Coroutine[T]) SetOwner(v any) { c.gen().SetOwner(v) }

// Owner returns the value attached with SetOwner, or nil: a driver that
// finds another one there must not drive the coroutine.
func (c *Coroutine[T]) Owner() any { return c.gen().Owner() }

// SetPool makes the coroutine run on a coroutine of p; see gen.Pool. An
// event loop gives its tasks a pool of its own, which it closes when it
// stops.
func (c *Coroutine[T]) SetPool(p *gen.Pool) { c.gen().SetPool(p) }

// Send resumes the coroutine with v and runs it to its next suspension,
// returning the request it suspended with and true, or false when it
// returns (see Result). It is Python's coro.send(v); the first Send starts
// the coroutine and must carry nil. A coroutine that has returned, failed
// or been closed cannot be resumed: Send panics with an error wrapping
// ErrReused, as Python raises RuntimeError.
func (c *Coroutine[T]) Send(v any) (req any, ok bool) {
	c.checkNotEnded("Send")
	return c.gen().Send(v)
}

// Throw resumes the coroutine with err raised at its innermost await, where
// the body may handle it and go on. This is how cancellation arrives. It is
// Python's coro.throw(err); see gen.Generator.Throw. Like Send, it panics
// with an error wrapping ErrReused if the coroutine has ended.
func (c *Coroutine[T]) Throw(err error) (req any, ok bool) {
	c.checkNotEnded("Throw")
	return c.gen().Throw(err)
}

// checkNotEnded panics, naming call, if the coroutine has ended. Unlike a
// generator, whose next resume after its end reports the end again (Python's
// StopIteration), a coroutine ends once: a resume after that is misuse.
func (c *Coroutine[T]) checkNotEnded(call string) {
	if c.gen().State() == gen.Closed {
		panic(fmt.Errorf("coro.%s: %w", call, ErrReused))
	}
}

// Close ends a suspended coroutine: every level of its await chain sees
// gen.ErrGeneratorExit at its await and returns, running its deferred calls.
// Closing a coroutine that never started, or has finished, does nothing.
func (c *Coroutine[T]) Close() error { return c.gen().Close() }

// Result returns what the coroutine returned, once it has finished.
func (c *Coroutine[T]) Result() (T, error) { return c.gen().Result() }

// Await runs the coroutine to completion on behalf of the coroutine whose
// Handle is h, and returns its result: Python's await coro. A coroutine that
// has not started runs inline on h's coroutine, so awaiting costs a function
// call and resuming a chain of awaits costs the same at any depth.
//
// Awaiting a coroutine a second time is an error wrapping ErrReused, and
// awaiting one that is already running or suspended (being awaited by
// someone else), or that a driver owns (see SetOwner), is an error wrapping
// ErrAwaitedAlready: a coroutine has one driver.
func (c *Coroutine[T]) Await(h *Handle) (T, error) {
	g := c.gen()
	switch g.State() {
	case gen.Created:
		if g.Owner() != nil {
			var zero T
			return zero, ErrAwaitedAlready
		}
		return gen.YieldFrom((*gen.Yielder[any, any])(h), g)
	case gen.Closed:
		var zero T
		return zero, ErrReused
	default:
		var zero T
		return zero, ErrAwaitedAlready
	}
}

// Callers returns the program counters of the suspended coroutine's stack,
// innermost first: the await it is suspended at and every await above it,
// to its body. See gen.Generator.Callers.
func (c *Coroutine[T]) Callers() []uintptr { return c.gen().Callers() }
