//go:build unix

package leaktest_test

import (
	"bytes"
	"os"
	"os/signal"
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
