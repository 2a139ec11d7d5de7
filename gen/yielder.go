package gen

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

	// closing is set once Close has delivered ErrGeneratorExit, so that
	// YieldFrom can raise it in the delegator after an inline subgenerator
	// finished, as PEP 380 requires.
	closing bool
}

// unwind is the panic value that unwinds a body that may not resume again:
// one that ignored a close, or one whose generator was garbage collected.
type unwind struct{}

// Yield suspends the body and hands v to whoever resumed the generator. It
// returns when the generator is resumed again: with the value passed to Send
// (the zero value for Next) and a nil error, or with the error passed to
// Throw, or with ErrGeneratorExit when the generator is being closed.
//
// A body that handles a thrown error may yield again. A body that receives
// ErrGeneratorExit must return; if it yields again instead, that Yield does
// not return: the body is unwound, its deferred calls run, and Close reports
// ErrIgnoredClose.
func (y *Yielder[Y, S]) Yield(v Y) (S, error) {
	if !y.out(v) {
		panic(unwind{})
	}
	in, err := y.in, y.inErr
	var zero S
	y.in, y.inErr = zero, nil
	return in, err
}
