package coro

import (
	"errors"
	"fmt"
	"runtime/debug"
)

var (
	// ErrReused is the error from awaiting a coroutine that has already
	// finished, as Python's RuntimeError("cannot reuse already awaited
	// coroutine"), and what Send and Throw panic with (wrapped) when they
	// are asked to resume one.
	ErrReused = errors.New("cannot reuse already awaited coroutine")

	// ErrAwaitedAlready is the error from awaiting a coroutine that is
	// running or suspended, as Python's RuntimeError("coroutine is being
	// awaited already").
	ErrAwaitedAlready = errors.New("coroutine is being awaited already")
)

// A PanicError is the error a coroutine ends with when its body panics. It
// keeps the panic value and the stack of the goroutine at the moment of the
// panic, so the place that panicked is not lost when the error travels up
// the await chain and out of the event loop.
type PanicError struct {
	// Value is the value passed to panic.
	Value any
	// Stack is the formatted stack trace of the panicking coroutine, as
	// runtime/debug.Stack returns it.
	Stack []byte
}

// NewPanicError returns a PanicError for the panic value v, with the stack
// of the calling goroutine. Call it from the deferred function that
// recovered v, so that the stack still shows where the panic happened.
func NewPanicError(v any) *PanicError {
	return &PanicError{Value: v, Stack: debug.Stack()}
}

// Error reports the panic value followed by the stack.
func (e *PanicError) Error() string {
	return fmt.Sprintf("panic: %v\n\n%s", e.Value, e.Stack)
}

// Unwrap returns the panic value if it is an error, so that errors.Is and
// errors.As see through the panic.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}
