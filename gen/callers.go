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
// it), it returns nil.
func (g *Generator[Y, S, R]) Callers() []uintptr {
	c := g.c
	if c.host != nil || c.y.state != Suspended {
		return nil
	}
	c.y.probing = true
	c.y.state = Running
	c.next()
	c.y.state = Suspended
	pcs := c.y.probed
	c.y.probed = nil
	return pcs
}

// callers captures the stack of the calling Yield's caller.
func callers() []uintptr {
	pcs := make([]uintptr, 64)
	for {
		n := runtime.Callers(3, pcs)
		if n < len(pcs) {
			return pcs[:n]
		}
		pcs = make([]uintptr, 2*len(pcs))
	}
}
