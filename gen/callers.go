package gen

import "runtime"

// Callers returns the program counters of the suspended body's call stack,
// innermost first, as runtime.Callers reports them: where the body is
// paused, and through which calls (every level of inline delegation shows
// as frames of one stack). Pass them to runtime.CallersFrames.
//
// Callers resumes the body's coroutine for a moment, without running any of
// the body's code, and leaves the generator as it was. For a generator that
// is not suspended, or is being run inline by another (whose Callers show
// it), it returns nil. A generator that delegates to a started generator
// with YieldFrom is paused in that YieldFrom; the started generator runs on
// a coroutine of its own, whose stack its own Callers returns.
func (g *Generator[Y, S, R]) Callers() []uintptr {
	pcs := g.c.callers()
	runtime.KeepAlive(g) // as in Send
	return pcs
}

func (c *core[Y, S, R]) callers() []uintptr {
	if c.host != nil || c.y.state != Suspended {
		return nil
	}
	// The Yield the body is suspended at finds probing set when it is
	// resumed, and hands its value out again through this out, which
	// records the stack on the way.
	var pcs []uintptr
	c.y.probing = true
	c.y.out = func(yielded bool) bool {
		c.y.out = c.y.yield
		c.y.probing = false
		pcs = callers()
		return c.y.yield(yielded)
	}
	c.y.state = Running
	c.y.next()
	c.y.state = Suspended
	c.y.out = strayYield
	return pcs
}

// callers captures the stack of the body that called Yield: it skips
// runtime.Callers, itself, the out that Callers installs and the Yield.
func callers() []uintptr {
	pcs := make([]uintptr, 64)
	for {
		n := runtime.Callers(4, pcs)
		if n < len(pcs) {
			return pcs[:n]
		}
		pcs = make([]uintptr, 2*len(pcs))
	}
}
