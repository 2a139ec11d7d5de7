package gen

import (
	"errors"
	"fmt"
)

var (
	// ErrGeneratorExit is what a suspended Yield reports when the generator
	// is being closed, as Python raises GeneratorExit at the yield. A body
	// that sees it should return (running its deferred calls); returning it,
	// or returning nil, completes the Close quietly.
	ErrGeneratorExit = errors.New("generator exit")

	// ErrIgnoredClose is reported by Close when the body yielded again after
	// seeing ErrGeneratorExit. The body is then unwound: its deferred calls
	// run, and it never resumes. Python raises RuntimeError("generator
	// ignored GeneratorExit") in the same case.
	ErrIgnoredClose = errors.New("generator ignored close")

	// ErrRunning is the value a misused generator panics with when it is
	// resumed while its body is executing, as Python raises
	// ValueError("generator already executing").
	ErrRunning = errors.New("generator already executing")

	// ErrJustStarted is the value Send panics with when it is given a
	// non-zero value for a generator whose body has not started: there is no
	// Yield yet to receive it. Python raises TypeError("can't send non-None
	// value to a just-started generator").
	ErrJustStarted = errors.New("can't send non-zero value to a just-started generator")

	// ErrWrongGoroutine is the value (wrapped) that Yield, and YieldFrom,
	// panic with when they are called outside the generator's coroutine:
	// from a goroutine that the body started, or through a Yielder kept
	// after the body returned. (An await is a Yield, so awaiting from a
	// goroutine started inside a coroutine panics with it too.) The panic
	// is raised on the goroutine that made the call and leaves the
	// generator as it was. The mistake is caught whenever the generator is
	// not running at that moment; a Yield racing with the generator's own
	// body is not.
	ErrWrongGoroutine = errors.New("called from a goroutine that is not the generator's")

	// ErrPanicked is wrapped by the error Result reports for a generator
	// whose body panicked. The error also names the panic value and, if the
	// value is an error, wraps it too. (The panic itself goes out of the
	// call that resumed the body, as an exception goes out of Python's
	// next(g); Result keeps a record of it.)
	ErrPanicked = errors.New("generator body panicked")
)

// panicError is the error Result reports after the body panicked with p.
func panicError(p any) error {
	if err, ok := p.(error); ok {
		return fmt.Errorf("%w: %w", ErrPanicked, err)
	}
	return fmt.Errorf("%w: %v", ErrPanicked, p)
}
