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

// TestCountIgnoresSignalLoop starts os/signal's goroutine, as the fuzzing
// coordinator of `go test -fuzz` does in the middle of a run: it lives for
// the rest of the process, and must not count as a leak.
func TestCountIgnoresSignalLoop(t *testing.T) {
	before := leaktest.Count()
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
	if got := leaktest.Count(); got != before {
		t.Errorf("Count() with os/signal's goroutine running = %d, want %d (NumGoroutine() = %d)", got, before, runtime.NumGoroutine())
	}
	if err := leaktest.Check(before); err != nil {
		t.Errorf("Check(%d) = %v, want nil", before, err)
	}
}

// TestCountSeesBlockedGoroutine checks that a goroutine of the tests' own
// counts, and stops counting once it has returned.
func TestCountSeesBlockedGoroutine(t *testing.T) {
	before := leaktest.Count()
	release, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		<-release
	}()
	if got := leaktest.Count(); got != before+1 {
		t.Errorf("Count() with one more goroutine blocked = %d, want %d", got, before+1)
	}
	blocked := func(g string) bool { return strings.Contains(g, ".TestCountSeesBlockedGoroutine.func1(") }
	if !slices.ContainsFunc(leaktest.Goroutines(), blocked) {
		t.Errorf("Goroutines() has no stack in TestCountSeesBlockedGoroutine.func1, the blocked goroutine:\n%s", stacks())
	}
	close(release)
	<-done
	if err := leaktest.Check(before); err != nil {
		t.Errorf("Check(%d) after the goroutine returned = %v, want nil", before, err)
	}
}

func stacks() []byte {
	buf := make([]byte, 1<<20)
	return buf[:runtime.Stack(buf, true)]
}
