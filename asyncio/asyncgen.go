package asyncio

import (
	"errors"
	"fmt"
	"iter"
	"reflect"

	"github.com/yieldfrom/asyncgo/coro"
	"github.com/yieldfrom/asyncgo/gen"
)

var (
	// ErrStopAsyncIteration is what ASend, ANext and AThrow return once the
	// async generator has returned: Python's StopAsyncIteration.
	ErrStopAsyncIteration = errors.New("asyncio: stop async iteration")

	// ErrAsyncGenRunning is the error of resuming an async generator while
	// another ASend, AThrow or AClose on it is in progress: Python's
	// RuntimeError("asyncio: asynchronous generator is already running").
	ErrAsyncGenRunning = errors.New("asyncio: asynchronous generator is already running")

	// ErrAsyncGenIgnoredExit is the error of AClose when the body yielded a
	// value instead of returning: Python's RuntimeError("async generator
	// ignored GeneratorExit").
	ErrAsyncGenIgnoredExit = errors.New("asyncio: async generator ignored GeneratorExit")
)

// itemMarker is what an async generator's coroutine yields to say "a value
// for the consumer is in the item slot", as opposed to an await's
// suspension request, which is forwarded to the consumer's task.
type itemMarker struct{}

// An AsyncGenerator is a generator whose body can both await and yield:
// Python's async generator (async def with yield). It yields values of type
// Y and is sent values of type S. The consumer drives it from a coroutine
// with ANext, ASend, AThrow and AClose, or ranges over All.
//
// Its body runs on a coroutine of its own. When the body awaits, the
// consumer's task suspends with the same request; when the body yields, the
// consumer's ASend returns the value. Create one with NewAsyncGenerator.
type AsyncGenerator[Y, S any] struct {
	c       *coro.Coroutine[struct{}]
	item    Y
	running bool
	loop    *Loop
}

// NewAsyncGenerator returns an async generator running body: the Go form of
//
//	async def ticker(n):
//	    for i in range(n):
//	        yield i
//	        await asyncio.sleep(1)
//
// The body awaits with a, as any coroutine does, and yields with yield,
// which returns the value the consumer sends next (the zero value for ANext)
// or the error it throws in (gen.ErrGeneratorExit when it is being closed:
// return then, as Python's finally would run).
func NewAsyncGenerator[Y, S any](body func(a *A, yield func(Y) (S, error)) error) *AsyncGenerator[Y, S] {
	ag := &AsyncGenerator[Y, S]{}
	ag.c = coro.New(func(h *coro.Handle) (struct{}, error) {
		yield := func(v Y) (S, error) {
			ag.item = v
			in, err := h.Suspend(itemMarker{})
			s, _ := in.(S)
			return s, err
		}
		return struct{}{}, body(h, yield)
	})
	return ag
}

// ANext resumes the generator and returns its next value: Python's await
// anext(agen). After the body returns, it returns ErrStopAsyncIteration.
func (ag *AsyncGenerator[Y, S]) ANext(a *A) (Y, error) {
	var zero S
	return ag.ASend(a, zero)
}

// ANextDefault is ANext that returns def instead of ErrStopAsyncIteration
// once the generator has returned: Python's await anext(agen, default).
// Every other error comes back as ANext's does.
func (ag *AsyncGenerator[Y, S]) ANextDefault(a *A, def Y) (Y, error) {
	v, err := ag.ANext(a)
	if err == ErrStopAsyncIteration {
		return def, nil
	}
	return v, err
}

// Running reports whether the generator is being resumed: an ANext, ASend,
// AThrow or AClose of it is under way, its body running or awaiting on the
// consumer's behalf. It is Python's agen.ag_running, and reads the state
// without resuming the generator.
func (ag *AsyncGenerator[Y, S]) Running() bool { return ag.running }

// State reports the generator's state without resuming it: gen.Created
// until it is first resumed, gen.Running while it is (see Running),
// gen.Suspended at a yield, and gen.Closed once its body has returned or
// it was closed. It is Python's inspect.getasyncgenstate.
func (ag *AsyncGenerator[Y, S]) State() gen.State {
	if ag.running {
		return gen.Running
	}
	return ag.c.State()
}

// ASend resumes the generator with v, which becomes the result of the yield
// it is suspended at, and returns the next value it yields: Python's await
// agen.asend(v). The first resume starts the body and must send the zero
// value: any other is an error wrapping gen.ErrJustStarted, and the body
// does not start. Awaits inside the body suspend the calling task. If the body
// fails, ASend returns its error; once it has returned, ASend returns
// ErrStopAsyncIteration.
func (ag *AsyncGenerator[Y, S]) ASend(a *A, v S) (Y, error) {
	var zero Y
	var in any = v
	if ag.c.State() == gen.Created {
		if !reflect.ValueOf(&v).Elem().IsZero() {
			return zero, fmt.Errorf("asyncio.AsyncGenerator.ASend: %w", gen.ErrJustStarted)
		}
		in = nil
	}
	if ag.c.State() == gen.Closed {
		return zero, ErrStopAsyncIteration
	}
	if err := ag.enter(a); err != nil {
		return zero, err
	}
	defer ag.exit()
	req, ok := ag.c.Send(in)
	return ag.pump(a, req, ok)
}

// AThrow raises err inside the generator at the yield it is suspended at,
// and returns the next value it yields if it handles err: Python's await
// agen.athrow(err). If the body ends with err, AThrow returns it. On a
// generator that has finished, ASend, ANext and AThrow return
// ErrStopAsyncIteration.
func (ag *AsyncGenerator[Y, S]) AThrow(a *A, err error) (Y, error) {
	var zero Y
	if ag.c.State() == gen.Closed {
		return zero, ErrStopAsyncIteration
	}
	if err := ag.enter(a); err != nil {
		return zero, err
	}
	defer ag.exit()
	req, ok := ag.c.Throw(err)
	return ag.pump(a, req, ok)
}

// AClose closes the generator: Python's await agen.aclose(). The body sees
// gen.ErrGeneratorExit at its yield and should return; its deferred calls
// run, and it may await while it cleans up. If it yields a value instead,
// it is unwound and AClose returns ErrAsyncGenIgnoredExit. Closing a
// generator that has not started, or has finished, does nothing.
func (ag *AsyncGenerator[Y, S]) AClose(a *A) error {
	switch ag.c.State() {
	case gen.Created:
		return ag.c.Close()
	case gen.Closed:
		return nil
	}
	if err := ag.enter(a); err != nil {
		return err
	}
	defer ag.exit()
	req, ok := ag.c.Throw(gen.ErrGeneratorExit)
	for ok {
		if _, isItem := req.(itemMarker); isItem {
			ag.c.Close()
			return ErrAsyncGenIgnoredExit
		}
		req, ok = ag.forward(a, req)
	}
	if _, err := ag.c.Result(); err != nil && !errors.Is(err, gen.ErrGeneratorExit) {
		return err
	}
	return nil
}

func (ag *AsyncGenerator[Y, S]) aclose(a *A) error { return ag.AClose(a) }

// close closes the generator's coroutine directly, from the loop at
// shutdown, when its cleanup would not end under AClose: its awaits fail
// from then on, and if it awaits again regardless, it is unwound. Its
// deferred calls run either way. A coroutine still running was unwound by
// runtime.Goexit and is left as it is.
func (ag *AsyncGenerator[Y, S]) close() {
	if ag.c.State() != gen.Running {
		_ = ag.c.Close()
	}
}

// enter checks the generator can be resumed from a's task and hands it that
// task, so that awaits inside the body find their loop.
func (ag *AsyncGenerator[Y, S]) enter(a *A) error {
	if ag.running {
		return ErrAsyncGenRunning
	}
	t, err := currentTask(a)
	if err != nil {
		return err
	}
	if ag.loop == nil && ag.c.State() != gen.Closed {
		// Python's firstiter hook: the loop closes the generator at shutdown
		// if it is still suspended then.
		ag.loop = t.loop
		t.loop.asyncGens[ag] = struct{}{}
		ag.c.SetPool(&t.loop.runners)
	}
	ag.c.SetOwner(t)
	ag.running = true
	return nil
}

func (ag *AsyncGenerator[Y, S]) exit() {
	ag.running = false
	if ag.c.State() == gen.Closed && ag.loop != nil {
		delete(ag.loop.asyncGens, ag)
	}
}

// pump forwards the body's awaits to the consumer's task until the body
// yields a value or ends.
func (ag *AsyncGenerator[Y, S]) pump(a *A, req any, ok bool) (Y, error) {
	for ok {
		if _, isItem := req.(itemMarker); isItem {
			return ag.item, nil
		}
		req, ok = ag.forward(a, req)
	}
	var zero Y
	if _, err := ag.c.Result(); err != nil && !errors.Is(err, gen.ErrGeneratorExit) {
		return zero, err
	}
	// A generator that returned, or was closed, is exhausted.
	return zero, ErrStopAsyncIteration
}

// forward suspends the consumer's task with an await request of the body
// and resumes the body with the answer: the forwarding loop of yield from,
// one step of it.
func (ag *AsyncGenerator[Y, S]) forward(a *A, req any) (any, bool) {
	reply, err := a.Suspend(req)
	if err != nil {
		return ag.c.Throw(err)
	}
	return ag.c.Send(reply)
}

// All iterates over the generator's values from the coroutine whose handle
// is a: Python's async for.
//
//	for v, err := range agen.All(a) {
//		if err != nil { return err } // the body failed
//		...
//	}
//
// The loop ends when the body returns; if the body fails, the last pair
// carries its error. Breaking out of the loop leaves the generator
// suspended, as in Python; Aclosing closes it for you.
func (ag *AsyncGenerator[Y, S]) All(a *A) iter.Seq2[Y, error] {
	return func(yield func(Y, error) bool) {
		for {
			v, err := ag.ANext(a)
			if errors.Is(err, ErrStopAsyncIteration) {
				return
			}
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}

// An asyncCloser is an async generator of any type, as the loop closes
// them at shutdown: with aclose from a task, or with close when that does
// not end.
type asyncCloser interface {
	aclose(a *A) error
	close()
}

// Aclosing runs body and then closes ag, however body ends: Python's
// async with contextlib.aclosing(agen). It returns body's error, or else
// AClose's. If body panics (or calls runtime.Goexit), ag is closed before
// the panic goes on.
func Aclosing[Y, S any](a *A, ag *AsyncGenerator[Y, S], body func() error) error {
	returned := false
	defer func() {
		if !returned {
			_ = ag.AClose(a)
		}
	}()
	err := body()
	returned = true
	if cerr := ag.AClose(a); err == nil {
		err = cerr
	}
	return err
}
