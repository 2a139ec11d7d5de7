package gen_test

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/yieldfrom/asyncgo/gen"
	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

// Test helpers shared by every _test.go file of the package.

// intGen is the generator type most tests drive: it yields and is sent ints,
// and returns a string.
type intGen = gen.Generator[int, int, string]

// intBody is the body of an intGen.
type intBody = func(y *gen.Yielder[int, int]) (string, error)

var (
	// errBoom is the error the tests throw into generators.
	errBoom = errors.New("boom")
	// errCleanup is what bodies return when they fail while being closed.
	errCleanup = errors.New("cleanup failed")
)

// recorder collects what the bodies and the tests observe, in order, so that
// a whole run can be compared with the trace it should have produced.
type recorder struct{ events []string }

func (r *recorder) add(format string, args ...any) {
	r.events = append(r.events, fmt.Sprintf(format, args...))
}

// countTo returns a body that yields 0, 1, ..., n-1 and returns "done". It
// ignores the values sent to it and returns whatever error a Yield reports.
func countTo(n int) intBody {
	return func(y *gen.Yielder[int, int]) (string, error) {
		for i := range n {
			if _, err := y.Yield(i); err != nil {
				return "", err
			}
		}
		return "done", nil
	}
}

// catch calls f and returns the value it panicked with, or nil.
func catch(f func()) (p any) {
	defer func() { p = recover() }()
	f()
	return nil
}

// panicWraps reports whether the panic value p is an error wrapping target.
func panicWraps(p any, target error) bool {
	err, ok := p.(error)
	return ok && errors.Is(err, target)
}

// An op is one call the tests make on an intGen.
type op struct {
	name string // Next, Send, Throw or Close
	v    int    // Send's argument
	err  error  // Throw's argument
}

var (
	opNext  = op{name: "Next"}
	opClose = op{name: "Close"}
)

func opSend(v int) op      { return op{name: "Send", v: v} }
func opThrow(err error) op { return op{name: "Throw", err: err} }
func (o op) String() string {
	switch o.name {
	case "Send":
		return fmt.Sprintf("Send(%d)", o.v)
	case "Throw":
		return fmt.Sprintf("Throw(%v)", o.err)
	}
	return o.name + "()"
}

// An outcome is what an op returned: the yielded value and ok for Next, Send
// and Throw, the error for Close, or the value it panicked with.
type outcome struct {
	v     int
	ok    bool
	err   error
	panic any
}

// apply performs o on g and reports what it returned or panicked with.
func apply(g *intGen, o op) (out outcome) {
	defer func() { out.panic = recover() }()
	switch o.name {
	case "Next":
		out.v, out.ok = g.Next()
	case "Send":
		out.v, out.ok = g.Send(o.v)
	case "Throw":
		out.v, out.ok = g.Throw(o.err)
	case "Close":
		out.err = g.Close()
	default:
		panic("apply: unknown op " + o.name)
	}
	return out
}

// describe spells an op and its outcome the way a trace records them:
// "Send(3) = 4, true", "Close() = <nil>", "Next() panicked: oops".
func describe(o op, out outcome) string {
	switch {
	case out.panic != nil:
		return fmt.Sprintf("%v panicked: %v", o, out.panic)
	case o.name == "Close":
		return fmt.Sprintf("%v = %v", o, out.err)
	}
	return fmt.Sprintf("%v = %d, %t", o, out.v, out.ok)
}

// eventually runs the garbage collector, then checks cond, every few
// milliseconds until cond holds or two seconds have passed, so that the
// cleanups that report dropped generators, or age a pool's idle
// coroutines, get to run; it reports whether cond held.
func eventually(cond func() bool) bool {
	deadline := time.Now().Add(2 * time.Second)
	for {
		runtime.GC()
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// coroutines returns how many goroutines are iter.Pull coroutines: in these
// tests, those that run the bodies of generators that have started and not
// ended, or wait idle in a pool. Other goroutines (the ones that deliver
// drop reports, or one an earlier test left on its way out) are not
// counted, so that a test can compare counts taken at any moment.
func coroutines() int {
	n := 0
	for _, g := range leaktest.Goroutines() {
		if strings.Contains(g, "\ncreated by iter.Pull[") {
			n++
		}
	}
	return n
}
