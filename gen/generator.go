package gen

import (
	"errors"
	"fmt"
	"iter"
	"reflect"
	"runtime"
)

// None is the type of a value that carries no information, as Python's None:
// what a simple generator is sent and what it returns.
type None = struct{}

// A Generator is a paused computation that yields values of type Y, can be
// resumed with values of type S, and finally returns a value of type R or an
// error: Python's generator protocol, on top of iter.Pull.
//
// A Generator must be created with New or FromSeq. Its methods must not be
// called concurrently; any one goroutine at a time may drive it.
//
// A Generator that is dropped while suspended is closed by the runtime after
// it becomes unreachable (its body sees ErrGeneratorExit and its deferred
// calls run on a runtime goroutine), as Python closes collected generators.
// A body that keeps a reference to its own Generator is never unreachable;
// close such generators explicitly.
type Generator[Y, S, R any] struct {
	// The body's coroutine holds c, never the Generator itself, so that a
	// dropped Generator becomes unreachable and its cleanup can run.
	c *core[Y, S, R]
}

type core[Y, S, R any] struct {
	body func(*Yielder[Y, S]) (R, error)
	y    Yielder[Y, S]
	next func() (Y, bool)
	stop func()

	// host is the Yielder of the generator that is running this one inline
	// (see YieldFrom); while it is set, this generator's state is its host's.
	host *Yielder[Y, S]

	result   R
	err      error
	panicked bool
	panicVal any
}

// New returns a generator that will run body when it is first resumed. The
// body yields with y.Yield and its return values become the generator's
// Result. It is valid to write a body that never returns, as long as it
// returns when a Yield reports an error.
func New[Y, S, R any](body func(y *Yielder[Y, S]) (R, error)) *Generator[Y, S, R] {
	return &Generator[Y, S, R]{c: &core[Y, S, R]{body: body}}
}

// State reports the generator's state.
func (g *Generator[Y, S, R]) State() State {
	return g.c.currentState()
}

func (c *core[Y, S, R]) currentState() State {
	if c.host != nil {
		return c.host.state
	}
	return c.y.state
}

// SetOwner attaches v to the generator, for its body and every body it
// delegates to inline to find with Yielder.Owner. It is meant for drivers
// such as an event loop's task, which attaches itself before the first
// resume.
func (g *Generator[Y, S, R]) SetOwner(v any) { g.c.y.owner = v }

// Next resumes the generator as Send does with the zero value of S. It is
// Python's next(g).
func (g *Generator[Y, S, R]) Next() (Y, bool) {
	var zero S
	return g.Send(zero)
}

// Send resumes the generator with v, which becomes the result of the Yield
// the body is suspended at, and runs the body until it yields again or ends.
// It returns the yielded value and true, or the zero value and false once the
// body has ended (see Result). Send on a closed generator returns false.
//
// The first resume starts the body; there is no Yield yet to receive v, so
// it must be the zero value: Send panics with ErrJustStarted otherwise, and
// with ErrRunning if the body itself resumes its own generator. If the body
// panics, Send panics with the same value and the generator is closed.
func (g *Generator[Y, S, R]) Send(v S) (Y, bool) {
	c := g.c
	switch c.y.state {
	case Suspended:
	case Created:
		if !reflect.ValueOf(&v).Elem().IsZero() {
			panic(fmt.Errorf("gen.Send: %w", ErrJustStarted))
		}
		g.start()
	case Running:
		c.misuse("Send")
	default:
		var zero Y
		return zero, false
	}
	c.y.in = v
	y, ok := c.resume()
	// g must stay reachable until the body is suspended again: otherwise its
	// cleanup could run while the body executes, see it running, skip the
	// close, and leave the coroutine suspended forever (and race with it).
	runtime.KeepAlive(g)
	return y, ok
}

// Throw resumes the generator by making the Yield it is suspended at report
// err, as Python's g.throw(err) raises it there. If the body handles err and
// yields again, Throw returns that value and true. If the body ends, Throw
// returns false and Result reports how it ended (usually with err).
//
// Throwing into a generator that has not started closes it without running
// its body, with err as its result. Throwing into a closed generator changes
// nothing and returns false. Throw panics if err is nil.
func (g *Generator[Y, S, R]) Throw(err error) (Y, bool) {
	if err == nil {
		panic("gen.Throw: nil error")
	}
	c := g.c
	var zero Y
	switch c.y.state {
	case Suspended:
	case Created:
		c.y.state = Closed
		c.err = err
		return zero, false
	case Running:
		c.misuse("Throw")
	default:
		return zero, false
	}
	c.y.inErr = err
	y, ok := c.resume()
	runtime.KeepAlive(g) // as in Send
	return y, ok
}

// Close ends the generator. A suspended body sees ErrGeneratorExit at its
// Yield and should return, running its deferred calls; Close then returns
// nil, unless the body ended with another error, which Close returns. A body
// that yields again instead is unwound (its deferred calls run) and Close
// returns ErrIgnoredClose: Close never hangs on a misbehaving body.
//
// Closing a generator that has not started, or is already closed, does
// nothing. After Close, Result reports ErrGeneratorExit unless the body
// returned otherwise. Close panics with ErrRunning when called from the body
// of the generator itself. If the body panics while it is being closed
// (including in a deferred call run by the unwinding), Close panics with the
// same value.
func (g *Generator[Y, S, R]) Close() error {
	c := g.c
	if c.y.state == Running {
		c.misuse("Close")
	}
	err := c.close()
	runtime.KeepAlive(g) // as in Send
	return err
}

func (c *core[Y, S, R]) close() error {
	switch c.y.state {
	case Created:
		c.y.state = Closed
		c.err = ErrGeneratorExit
		return nil
	case Closed:
		return nil
	}
	c.y.inErr = ErrGeneratorExit
	if _, yielded := c.resume(); yielded {
		c.y.state = Running
		c.stop() // the body's Yield panics with unwind, which run recovers
		c.y.state = Closed
		c.err = ErrIgnoredClose
		if c.panicked {
			// A deferred call panicked while the body was unwound; as
			// iter.Pull's stop does, report it rather than lose it.
			c.panicked = false
			panic(c.panicVal)
		}
		return ErrIgnoredClose
	}
	if c.err == nil {
		c.err = ErrGeneratorExit
	}
	if errors.Is(c.err, ErrGeneratorExit) {
		return nil
	}
	return c.err
}

// Result returns what the body returned: its value and its error. It is
// Python's StopIteration.value (the error standing for what the body
// raised). Before the generator is closed, Result returns the zero value and
// an error saying so.
func (g *Generator[Y, S, R]) Result() (R, error) {
	c := g.c
	if c.currentState() != Closed {
		var zero R
		return zero, fmt.Errorf("gen.Result: generator has not finished (%v)", c.currentState())
	}
	return c.result, c.err
}

func (g *Generator[Y, S, R]) start() {
	c := g.c
	c.next, c.stop = iter.Pull(c.run)
	runtime.AddCleanup(g, (*core[Y, S, R]).abandon, c)
}

// run is the sequence iter.Pull turns into the generator's coroutine.
func (c *core[Y, S, R]) run(out func(Y) bool) {
	defer c.recoverBody()
	c.y.out = out
	c.result, c.err = c.body(&c.y)
}

func (c *core[Y, S, R]) recoverBody() {
	p := recover()
	if p == nil {
		return
	}
	if _, ok := p.(unwind); ok {
		return
	}
	// The panic is re-raised by resume on the caller's side, as iter.Pull
	// would; recovering it here first lets the generator record that it is
	// closed and tell a panic from an unwind.
	c.panicked, c.panicVal = true, p
}

func (c *core[Y, S, R]) resume() (Y, bool) {
	c.y.state = Running
	v, ok := c.next()
	if ok {
		c.y.state = Suspended
		return v, true
	}
	c.y.state = Closed
	if c.panicked {
		c.panicked = false
		panic(c.panicVal)
	}
	return v, false
}

// abandon closes a generator whose handle was garbage collected. It runs on
// a runtime goroutine, where a panic would crash the program, so whatever
// the body does while closing is dropped, as Python ignores (and prints)
// exceptions raised by a collected generator.
func (c *core[Y, S, R]) abandon() {
	defer func() { _ = recover() }()
	if c.y.state == Suspended {
		_ = c.close()
	}
}

func (c *core[Y, S, R]) misuse(call string) {
	if c.host != nil {
		panic(fmt.Errorf("gen.%s: %w (it is being delegated to by YieldFrom)", call, ErrRunning))
	}
	panic(fmt.Errorf("gen.%s: %w", call, ErrRunning))
}
