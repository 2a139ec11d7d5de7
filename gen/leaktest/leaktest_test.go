package leaktest_test

import (
	"bytes"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

// These tests look for particular goroutines in Goroutines rather than
// compare counts taken before and after: a goroutine of an earlier test may
// still be on its way out when a test starts (under -count, or -race), and
// a count taken then would be one too many.

// TestCountIgnoresSignalLoop starts os/signal's goroutine, as the fuzzing
// coordinator of `go test -fuzz` does in the middle of a run: it lives for
// the rest of the process, and must not count as a leak.
func TestCountIgnoresSignalLoop(t *testing.T) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGUSR1)
	defer signal.Stop(ch)
	// The loop starts on the first Notify; wait until it is there.
	deadline := time.Now().Add(5 * time.Second)
	for !bytes.Contains(stacks(), []byte("os/signal.signal_recv")) {
		if time.Now().After(deadline) {
			t.Fatal("os/signal's goroutine did not show up in runtime.Stack")
		}
		time.Sleep(time.Millisecond)
	}
	signalLoop := func(g string) bool { return strings.Contains(g, "os/signal.signal_recv") }
	if gs := leaktest.Goroutines(); slices.ContainsFunc(gs, signalLoop) {
		t.Errorf("Goroutines() includes os/signal's goroutine:\n%s", strings.Join(gs, "\n\n"))
	}
}

// TestCountSeesBlockedGoroutine checks that a goroutine of the tests' own
// counts, and stops counting once it has returned.
func TestCountSeesBlockedGoroutine(t *testing.T) {
	release, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		<-release
	}()
	blocked := func(g string) bool { return strings.Contains(g, ".TestCountSeesBlockedGoroutine.func1(") }
	gs := leaktest.Goroutines()
	if !slices.ContainsFunc(gs, blocked) {
		t.Errorf("Goroutines() has no stack in TestCountSeesBlockedGoroutine.func1, the blocked goroutine:\n%s", stacks())
	}
	close(release)
	<-done
	if err := leaktest.Check(len(gs) - 1); err != nil {
		t.Errorf("Check(%d), after the goroutine returned, = %v, want nil", len(gs)-1, err)
	}
}

func stacks() []byte {
	buf := make([]byte, 1<<20)
	return buf[:runtime.Stack(buf, true)]
}
