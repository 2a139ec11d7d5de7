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
// delegating body ends too.
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
			if cerr := sub.Close(); cerr != nil {
				var zero R
				return zero, cerr
			}
			var zero R
			return zero, err
		default:
			v, ok = sub.Throw(err)
		}
	}
	return sub.Result()
}

func (c *core[Y, S, R]) runInline(host *Yielder[Y, S]) (R, error) {
	c.y.state = Running
	c.host = host
	defer func() {
		c.host = nil
		c.y.state = Closed
	}()
	c.result, c.err = c.body(host)
	if c.err == nil && host.closing {
		return c.result, ErrGeneratorExit
	}
	return c.result, c.err
}
