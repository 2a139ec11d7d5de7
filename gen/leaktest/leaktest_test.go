package leaktest_test

import (
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

// These tests look for particular goroutines in Goroutines rather than
// compare counts taken before and after: a goroutine of an earlier test may
// still be on its way out when a test starts (under -count, or -race), and
// a count taken then would be one too many.

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
