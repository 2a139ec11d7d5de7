// Package leaktest checks that a test binary leaves no goroutine behind.
//
// Every generator that has started runs its body on an iter.Pull coroutine,
// and the runtime counts coroutines as goroutines, so a generator or task
// that was never finished or closed shows up here as a goroutine that
// outlived the tests. (A coroutine whose generator has ended waits in a
// gen.Pool for the next generator to start, until garbage collection lets
// it go; Check collects garbage while it waits.) Each test package of this
// module calls Main from its TestMain:
//
//	func TestMain(m *testing.M) { leaktest.Main(m) }
//
// Goroutines that the standard library starts once and keeps for the life
// of the process are not counted: the one os/signal runs to receive
// signals, which `go test -fuzz` starts in the middle of the run.
package leaktest

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"
)

// settle is how long Main waits for goroutines that are already on their
// way out (timers, finished workers) before calling them leaked.
const settle = 2 * time.Second

// Main runs the tests, then fails the binary if more goroutines are alive
// than before the tests started, printing every goroutine's stack. Garbage
// collection runs while it waits, so that dropped generators are closed by
// their cleanups first. It does not return.
func Main(m *testing.M) {
	before := Count()
	code := m.Run()
	if code == 0 {
		if err := Check(before); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// Check waits until at most want goroutines are alive, as Count counts
// them, and returns an error listing every goroutine's stack if that does
// not happen in time.
func Check(want int) error {
	deadline := time.Now().Add(settle)
	for {
		runtime.GC()
		stacks := allStacks()
		n := count(stacks)
		if n <= want {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("leaktest: %d goroutines leaked (%d alive, %d before the tests):\n%s", n-want, n, want, stacks)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Count returns the number of goroutines alive, as runtime.NumGoroutine
// does, less those the standard library keeps for the life of the process
// (see the package comment). It reads them from runtime.Stack, as goleak
// does.
func Count() int { return count(allStacks()) }

// allStacks returns runtime.Stack's report of every goroutine.
func allStacks() []byte {
	buf := make([]byte, 64<<10)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}

// count counts the goroutines of a runtime.Stack report that are not
// ignored. Each goroutine's stack is a paragraph, starting with
// "goroutine N [status]:".
func count(stacks []byte) int {
	n := 0
	for g := range bytes.SplitSeq(stacks, []byte("\n\n")) {
		if bytes.HasPrefix(g, []byte("goroutine ")) && !ignored(g) {
			n++
		}
	}
	return n
}

// ignored reports whether the goroutine whose stack is g belongs to the
// standard library for the life of the process.
func ignored(g []byte) bool {
	// os/signal's loop, blocked in signal_recv until a signal arrives.
	return bytes.Contains(g, []byte("\nos/signal.signal_recv(")) ||
		bytes.Contains(g, []byte("\nos/signal.loop("))
}
