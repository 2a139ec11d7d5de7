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
// A generator that has started holds a coroutine (a goroutine, parked
// between resumes) until its body ends: run it to its end, Close it, or
// range over All, which closes it if the loop stops early. A generator
// dropped while suspended is never resumed behind the program's back, as
// Python's collector would close it: like an iter.Pull coroutine whose
// stop is never called, it keeps its coroutine, and its deferred calls
// never run. SetDropReport reports such generators.
type Generator[Y, S, R any] struct {
	// The body's coroutine holds c, never the Generator itself, so that a
	// dropped Generator becomes unreachable and its drop can be reported.
	c *core[Y, S, R]

	// anchor is what the cleanup that reports a dropped generator is
	// attached to, from the generator's start, if it is watched (see
	// SetDropReport); only the handle refers to it, so it becomes
	// unreachable with the handle.
	anchor *anchor
}

// An anchor is a block of memory that only carries a watched generator's
// cleanup.
//
// A cleanup is a record on the span of memory that holds its object, in a
// list sorted by address that AddCleanup walks to insert each new record,
// and Stop to remove one. Records of closed generators are removed at once
// (see Yielder.ended), so only suspended generators count; but when many
// are alive at once (an event loop's tasks), the lists are as long as the
// spans hold objects. Attached to the handle, an 8-byte object, the record
// shared its span with up to 1023 others; an anchor's span holds 128, which
// makes a start among 20000 suspended generators about 20% cheaper (see
// BenchmarkStartAmongLive). Allocating the anchor only when the generator
// starts spares the generators that never do (subgenerators run inline,
// coroutines awaited inline) the extra bytes, and it has no pointers, so
// the garbage collector does not scan it.
type anchor struct{ _ [64]byte }

type core[Y, S, R any] struct {
	// y is the Yielder the body receives, and the record of the coroutine
	// that runs it; see Yielder.
	y    Yielder[Y, S]
	body func(*Yielder[Y, S]) (R, error)

	// host is the Yielder of the generator that is running this one inline
	// (see YieldFrom); while it is set, this generator's state is its host's.
	host *Yielder[Y, S]

	result R
	err    error
}

// New returns a generator that will run body when it is first resumed. The
// body yields with y.Yield and its return values become the generator's
// Result. It is valid to write a body that never returns, as long as it
// returns when a Yield reports an error.
func New[Y, S, R any](body func(y *Yielder[Y, S]) (R, error)) *Generator[Y, S, R] {
	if body == nil {
		panic("gen.New: nil body")
	}
	return &Generator[Y, S, R]{c: &core[Y, S, R]{body: body}}
}

// State reports the generator's state. A generator that delegates to
// another with YieldFrom is Running whenever a resume passes through it to
// the generator it delegates to, as in Python.
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
//
// An owner takes on the generator's lifetime: it must run the generator to
// its end or Close it, as an event loop does with every task it has
// started, so a generator that has an owner when it starts is not watched
// for being dropped (see SetDropReport).
func (g *Generator[Y, S, R]) SetOwner(v any) { g.c.y.owner = v }

// Owner returns the value attached with SetOwner, or nil.
func (g *Generator[Y, S, R]) Owner() any { return g.c.y.owner }

// SetPool makes the generator take the coroutine it runs on from p when it
// starts, and give it back to p when it ends, instead of creating one of its
// own and stopping it when it ends; see Pool. It has no effect once the
// generator has started.
func (g *Generator[Y, S, R]) SetPool(p *Pool) {
	if g.c.y.state == Created {
		g.c.y.pool = p
	}
}

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
// panics, Send panics with the same value, the generator is closed, and
// Result reports an error wrapping ErrPanicked.
func (g *Generator[Y, S, R]) Send(v S) (Y, bool) {
	c := g.c
	if c.y.state != Suspended || c.y.delegate != nil {
		return g.sendSlow(v)
	}
	// The common case, a body suspended at its own Yield, in line: one
	// coroutine switch there and back.
	c.y.in = v
	c.y.state = Running
	c.y.out = c.y.yield // see Yielder.out
	yielded, _ := c.y.next()
	var zero S
	c.y.in = zero // the inErr half is still empty
	if !yielded {
		c.y.ended()
		// g (and so its anchor) must stay reachable until the body is
		// suspended again (or has ended): otherwise its cleanup could run
		// while the body executes, and its report read the body's stack
		// while it runs.
		runtime.KeepAlive(g)
		c.y.repanic()
		var none Y
		return none, false
	}
	c.y.state = Suspended
	c.y.out = strayYield
	runtime.KeepAlive(g) // as above
	return c.y.take(), true
}

// sendSlow is Send for every case but a body suspended at its own Yield.
func (g *Generator[Y, S, R]) sendSlow(v S) (Y, bool) {
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
	out, ok := c.y.resume(v, nil, true)
	runtime.KeepAlive(g) // as in Send
	c.y.repanic()
	return out, ok
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
	// A thrown ErrGeneratorExit closes the subgenerators YieldFrom
	// delegates to, which each level's YieldFrom does: it takes the
	// forwarding path. Any other error is thrown into the innermost one
	// directly, as a Send is.
	var none S
	out, ok := c.y.resume(none, err, !errors.Is(err, ErrGeneratorExit))
	runtime.KeepAlive(g) // as in Send
	c.y.repanic()
	return out, ok
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
	// A close goes down a chain of delegations level by level: PEP 380
	// closes each subgenerator from its delegator's YieldFrom.
	var none S
	_, yielded := c.y.resume(none, ErrGeneratorExit, false)
	c.y.repanic()
	if yielded {
		c.y.state = Running
		// The body's Yield panics with unwind, which run recovers; the
		// runner ends with it.
		c.y.release(false)
		c.y.state = Closed
		c.y.cleanup.Stop()
		if !c.y.panicked {
			c.err = ErrIgnoredClose
		}
		// A deferred call panicked while the body was unwound; as iter.Pull's
		// stop does, report it rather than lose it.
		c.y.repanic()
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
// an error saying so. After the body panicked, it returns the zero value and
// an error wrapping ErrPanicked (and the panic value, if that is an error).
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
	if c.y.pool != nil {
		r := c.y.pool.get()
		r.body = c
		c.y.r, c.y.next, c.y.stop = r, r.next, r.stop
	} else {
		c.y.next, c.y.stop = iter.Pull(c.run)
	}
	// An owner drives the generator and has promised to close it, so its
	// drop need not be watched for; an event loop starts a generator for
	// every task, and the cleanup would be a fifth of what a task costs.
	if c.y.owner == nil && dropReport.Load() != nil {
		watch(g)
	}
}

// run runs the body on the coroutine whose yield function is out: it is the
// sequence iter.Pull makes the coroutine of a generator without a pool, and
// a pool's runner calls it for each body it runs.
func (c *core[Y, S, R]) run(out func(bool) bool) {
	defer c.recoverBody()
	c.y.out, c.y.yield = out, out
	c.result, c.err = c.body(&c.y)
}

func (c *core[Y, S, R]) recoverBody() {
	p := recover()
	if p == nil || IsUnwind(p) {
		return
	}
	// The panic is re-raised on the resuming side (by the resume of whoever
	// resumed the generator, or by the YieldFrom of the generator delegating
	// to it), as iter.Pull would; recovering it here first lets the
	// generator record that it is closed and tell a panic from an unwind.
	c.y.panicked, c.y.panicVal = true, p
	var zero R
	c.result, c.err = zero, panicError(p)
}

func (c *core[Y, S, R]) misuse(call string) {
	if c.host != nil {
		panic(fmt.Errorf("gen.%s: %w (it is being delegated to by YieldFrom)", call, ErrRunning))
	}
	panic(fmt.Errorf("gen.%s: %w", call, ErrRunning))
}
