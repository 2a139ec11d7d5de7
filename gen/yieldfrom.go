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
// directly panics with ErrRunning. If sub has already started, YieldFrom
// forwards each resume to it through its own coroutine. The two paths behave
// identically.
//
// As PEP 380 requires, when the caller's generator is being closed and sub
// finishes without an error, YieldFrom reports ErrGeneratorExit, so that the
// delegating body ends too. If sub yields again instead, it is unwound (its
// deferred calls run) and YieldFrom reports ErrIgnoredClose, which the
// delegating body may handle, as Python raises RuntimeError at the yield
// from. Throwing ErrGeneratorExit into the caller closes sub the same way.
func YieldFrom[Y, S, R any](y *Yielder[Y, S], sub *Generator[Y, S, R]) (R, error) {
	c := sub.c
	if c.y.state == Created {
		return c.runInline(y)
	}
	if c.y.state == Running {
		c.misuse("YieldFrom")
	}
	v, ok := sub.Next()
	for ok {
		in, err := y.Yield(v)
		switch {
		case err == nil:
			v, ok = sub.Send(in)
		case errors.Is(err, ErrGeneratorExit):
			// sub's Result after Close is what PEP 380 raises in the
			// delegator: ErrGeneratorExit if sub returned (Close records it),
			// ErrIgnoredClose if it yielded, or its own error. runInline
			// reports the same, so both paths agree.
			_ = sub.Close()
			return sub.Result()
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
			host.exiting = depth - 1
		}
		if p := recover(); p != nil {
			if ic, ok := p.(ignoredClose); !ok || ic.depth != depth {
				// A user panic, an unwind of the whole coroutine, or a
				// shallower subgenerator ignoring its close: not ours.
				panic(p)
			}
			var zero R
			c.result, c.err = zero, ErrIgnoredClose
			r, err = zero, ErrIgnoredClose
		}
	}()
	c.result, c.err = c.body(host)
	if c.err == nil && host.exiting == depth {
		c.err = ErrGeneratorExit
	}
	return c.result, c.err
}
