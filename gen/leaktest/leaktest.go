// Package leaktest checks that a test binary leaves no goroutine behind.
//
// Every generator that has started runs its body on an iter.Pull coroutine,
// and the runtime counts coroutines as goroutines, so a generator or task
// that was never finished or closed shows up here as a goroutine that
// outlived the tests. (A coroutine whose generator has ended is gone at
// once, unless the generator was given a gen.Pool: it then waits there for
// the next generator to start, until the pool is closed or garbage
// collection lets it go; Check collects garbage while it waits.) Each test
// package of this module calls Main from its TestMain:
//
//	func TestMain(m *testing.M) { leaktest.Main(m) }
//
// Goroutines that the standard library starts once and keeps for the life
// of the process are not counted: the one os/signal runs to receive
// signals, which `go test -fuzz` starts in the middle of the run, and the
// runtime's goroutines that run cleanups and finalizers, which
// runtime.Stack shows only while they run one (a gen.Pool ages its idle
// coroutines, and a dropped generator is reported, from a cleanup).
package leaktest

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// settle is how long Main waits for goroutines that are already on their
// way out (timers, finished workers) before calling them leaked.
const settle = 2 * time.Second

// Main runs the tests, then fails the binary if more goroutines are alive
// than before the tests started, printing every goroutine's stack. Garbage
// collection runs while it waits, so that the idle coroutines of pools that
// were never closed are let go first. It does not return.
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
		gs := Goroutines()
		if len(gs) <= want {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("leaktest: %d goroutines leaked (%d alive, want at most %d):\n\n%s",
				len(gs)-want, len(gs), want, strings.Join(gs, "\n\n"))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Count returns the number of goroutines alive, as runtime.NumGoroutine
// does, less those the standard library keeps for the life of the process
// (see the package comment): len(Goroutines()).
//
// It reads them from runtime.Stack, as goleak does, rather than from
// runtime.NumGoroutine, whose figure (kept from the runtime's lists of
// goroutines) was seen in this module's tests to stay a few above what
// runtime.Stack showed for milliseconds at a time, while the cleanups of a
// garbage collection stopped coroutines.
func Count() int { return len(Goroutines()) }

// Goroutines returns the stack of every goroutine alive, taken at one
// instant, less those the standard library keeps for the life of the
// process (see the package comment): one string each, as runtime.Stack
// reports it, starting with "goroutine N [status]:". A test that must know
// which goroutines are alive, not only how many, looks for a function's
// name in them.
func Goroutines() []string { return parse(allStacks()) }

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

// parse splits a runtime.Stack report into the stacks of the goroutines
// that are not ignored. Each goroutine's stack is a paragraph, starting
// with "goroutine N [status]:".
func parse(stacks []byte) []string {
	var gs []string
	for g := range strings.SplitSeq(string(stacks), "\n\n") {
		if strings.HasPrefix(g, "goroutine ") && !ignored(g) {
			gs = append(gs, strings.TrimSuffix(g, "\n"))
		}
	}
	return gs
}

// ignored reports whether the goroutine whose stack is g belongs to the
// standard library for the life of the process.
func ignored(g string) bool {
	return strings.Contains(g, "\nos/signal.loop(") || // blocked in signal_recv until a signal arrives
		strings.Contains(g, "\nruntime.runCleanups(") ||
		strings.Contains(g, "\nruntime.runFinalizers(")
}
