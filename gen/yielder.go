package gen

import "errors"

// A Yielder is a generator body's suspension point: the handle through which
// the body hands values out and receives what the caller sends in. The body
// receives it as its only argument and must not use it after returning or
// from any other goroutine.
type Yielder[Y, S any] struct {
	// out is iter.Pull's yield function for the coroutine that executes the
	// body. A body delegated to inline by YieldFrom shares its host's Yielder,
	// which is why a resume costs the same at any delegation depth.
	out func(Y) bool

	// in and inErr form the slot that Send and Throw fill before resuming
	// the coroutine; Yield empties it.
	in    S
	inErr error

	// state is the state of the generator that owns the coroutine.
	state State

	// depth is how many subgenerators YieldFrom is running inline on this
	// coroutine right now: 0 while only the generator's own body runs.
	depth int

	// exiting is the depth of the innermost inline subgenerator that is being
	// closed by its delegator, or 0. PEP 380 turns a close (or a thrown
	// GeneratorExit) reaching a `yield from` into sub.close(), so once
	// ErrGeneratorExit has been delivered at depth d, the subgenerators at
	// depths 1..d are each inside their delegator's close: one that returns
	// makes its YieldFrom report ErrGeneratorExit, one that yields instead
	// is unwound and its YieldFrom reports ErrIgnoredClose, exactly what a
	// forwarded subgenerator's Close does.
	exiting int

	// owner is whatever the generator's driver attached with SetOwner.
	owner any

	// probing asks the suspended Yield to record its stack in probed and
	// yield the same value again; see Generator.Callers.
	probing bool
	probed  []uintptr
}

// Owner returns the value attached with SetOwner to the generator that owns
// this Yielder's coroutine, or nil. A subgenerator running inline shares its
// host's Yielder and so sees the host's owner: a driver can attach itself to
// the outermost generator and be found from any depth of delegation, as an
// event loop finds the task running a chain of awaits.
func (y *Yielder[Y, S]) Owner() any { return y.owner }

// unwind is the panic value that unwinds a body that may not resume again:
// one that ignored a close, or one whose generator was garbage collected.
type unwind struct{}

// ignoredClose is the panic value that unwinds the inline subgenerator at
// depth when it yields while its delegator is closing it; the YieldFrom
// running it at that depth recovers it.
type ignoredClose struct{ depth int }

// Yield suspends the body and hands v to whoever resumed the generator. It
// returns when the generator is resumed again: with the value passed to Send
// (the zero value for Next) and a nil error, or with the error passed to
// Throw, or with ErrGeneratorExit when the generator is being closed.
//
// A body that handles a thrown error may yield again. A body that receives
// ErrGeneratorExit must return; if it yields again instead, that Yield does
// not return: the body is unwound, its deferred calls run, and Close reports
// ErrIgnoredClose (or, for a subgenerator that YieldFrom runs inline, that
// YieldFrom does).
func (y *Yielder[Y, S]) Yield(v Y) (S, error) {
	if y.exiting > 0 {
		// Handing v out would let an inline subgenerator ignore its close
		// unnoticed: a forwarded one's Close would unwind it instead.
		panic(ignoredClose{y.exiting})
	}
	if !y.out(v) {
		panic(unwind{})
	}
	for y.probing {
		y.probed = callers()
		y.probing = false
		if !y.out(v) {
			panic(unwind{})
		}
	}
	in, err := y.in, y.inErr
	var zero S
	y.in, y.inErr = zero, nil
	if err != nil && y.depth > 0 && errors.Is(err, ErrGeneratorExit) {
		y.exiting = y.depth
	}
	return in, err
}
