package gen

import "errors"

// YieldFrom delegates to sub, as Python's `yield from sub` (PEP 380): every
// value sub yields is yielded by the caller's body, every value sent to the
// caller's generator is sent to sub, every error thrown into it is thrown
// into sub, and closing it closes sub first. YieldFrom returns sub's result.
//
// If sub has not started, its body runs inline: directly on the caller's
// coroutine, through the caller's Yielder. No coroutine is created and no
// value is forwarded, so a resume costs the same however deep a chain of
// delegations is; meanwhile sub's State is the caller's, and resuming sub
// directly panics with ErrRunning. If sub has already started, it keeps its
// own coroutine, and a Send or Throw of the caller's generator goes straight
// to sub (or, if sub delegates in turn, to the innermost generator of the
// chain), without resuming the levels in between, which are Running
// meanwhile, as Python reports them; a resume then costs one coroutine
// switch plus a few nanoseconds per level. A Close goes down level by level,
// as PEP 380 closes each one. The two paths behave identically: the same
// values, results, errors, panics and deferred calls, in the same order.
//
// A panic in sub goes up through the caller's body as if sub's body had
// been called from the YieldFrom: the caller's deferred calls run and may
// recover it.
//
// As PEP 380 requires, when the caller's generator is being closed and sub
// finishes without an error, YieldFrom reports ErrGeneratorExit, so that the
// delegating body ends too. If sub yields again instead, it is unwound (its
// deferred calls run) and YieldFrom reports ErrIgnoredClose, which the
// delegating body may handle, as Python raises RuntimeError at the yield
// from. Throwing ErrGeneratorExit into the caller closes sub the same way.
func YieldFrom[Y, S, R any](y *Yielder[Y, S], sub *Generator[Y, S, R]) (R, error) {
	c := sub.c
	switch c.y.state {
	case Created:
		return c.runInline(y)
	case Running:
		c.misuse("YieldFrom")
	}
	v, ok := sub.Next()
	for ok {
		// While this Yield is suspended, a Send or Throw of the delegating
		// generator goes straight down to sub's innermost generator (see
		// Yielder.resume), and this level is resumed again with nothing in
		// the slot once sub has ended, when it is being closed, or when sub
		// was not suspended.
		in, err := y.yieldTo(v, &c.y)
		// sub panicked on a resume that went straight down to it: raise the
		// panic again here, in this level's body, as sub.Send would.
		c.y.repanic()
		switch {
		case err == nil:
			v, ok = sub.Send(in)
		case errors.Is(err, ErrGeneratorExit):
			// PEP 380: sub.close(), whose failure (ErrIgnoredClose, or
			// the body's own error) is raised in the delegator, and
			// GeneratorExit otherwise, even if sub returned a value or
			// had already ended. runInline reports the same, so both
			// paths agree.
			cerr := sub.Close()
			r, _ := sub.Result()
			if cerr == nil {
				cerr = ErrGeneratorExit
			}
			return r, cerr
		default:
			v, ok = sub.Throw(err)
		}
	}
	return sub.Result()
}

func (c *core[Y, S, R]) runInline(host *Yielder[Y, S]) (r R, err error) {
	c.y.state = Running
	c.host = host
	host.depth++
	depth := host.depth
	defer func() {
		host.depth = depth - 1
		c.host = nil
		c.y.state = Closed
		if host.exiting == depth {
			// This subgenerator's close is over; its delegator's, if it is
			// an inline subgenerator too, goes on.
			host.setExiting(depth - 1)
		}
		if p := recover(); p != nil {
			if ic, ok := p.(ignoredClose); ok && ic.depth == depth {
				var zero R
				c.result, c.err = zero, ErrIgnoredClose
				r, err = zero, ErrIgnoredClose
				return
			}
			if !IsUnwind(p) {
				// The body's own panic: it ends this generator as it
				// would a started one.
				var zero R
				c.result, c.err = zero, panicError(p)
			}
			// An unwind of the whole coroutine, or a shallower
			// subgenerator ignoring its close, is not ours to stop.
			panic(p)
		}
	}()
	c.result, c.err = c.body(host)
	if c.err == nil && host.exiting == depth {
		c.err = ErrGeneratorExit
	}
	return c.result, c.err
}
