// Package leaktest checks that a test binary leaves no goroutine behind.
//
// Every generator that has started runs its body on an iter.Pull coroutine,
// and the runtime counts coroutines as goroutines, so a generator or task
// that was never finished or closed shows up here as a goroutine that
// outlived the tests. Each test package of this module calls Main from its
// TestMain:
//
//	func TestMain(m *testing.M) { leaktest.Main(m) }
package leaktest

import (
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
	before := runtime.NumGoroutine()
	code := m.Run()
	if code == 0 {
		if err := Check(before); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// Check waits until at most want goroutines are alive, and returns an error
// listing every goroutine's stack if that does not happen in time.
func Check(want int) error {
	deadline := time.Now().Add(settle)
	for {
		runtime.GC()
		n := runtime.NumGoroutine()
		if n <= want {
			return nil
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			return fmt.Errorf("leaktest: %d goroutines leaked (%d alive, %d before the tests):\n%s", n-want, n, want, buf)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
