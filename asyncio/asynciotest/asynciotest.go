// Package asynciotest helps test code built on package asyncio.
//
// # Schedules
//
// Tasks that become ready in the same loop iteration run in the order they
// became ready, first in first out, every time. A test that passes under
// that one order can hide a bug that another, equally valid order shows:
// two tasks where correctness silently depends on which runs first. [Seeds]
// runs a test body under many schedules, each a seed of asyncio.WithSeed,
// which shuffles the tasks ready in the same iteration, and reports the
// seed under which it fails; the same seed replays the same schedule, so
// the failure can be debugged at will:
//
//	func TestTransfer(t *testing.T) {
//		asynciotest.Seeds(t, 100, func(t *testing.T, opts ...asyncio.Option) {
//			got, err := asynciotest.Run(t, transfer(), opts...)
//			if err != nil || got != 100 {
//				t.Errorf("transfer() = %v, %v, want 100, nil", got, err)
//			}
//		})
//	}
//
// may fail with
//
//	--- FAIL: TestTransfer (0.00s)
//	    --- FAIL: TestTransfer/seed=17 (0.00s)
//	        transfer_test.go:14: transfer() = 0, no account "b", want 100, nil
//	    transfer_test.go:11: asynciotest: seed 17 fails; replay it with
//	        	go test -run '^TestTransfer$/^seed=17$'
//	        or asynciotest.Replay(t, 17, ...)
//
// # Leaks
//
// [Run] runs a coroutine the way tests want it run: on the virtual clock,
// in debug mode, with the loop's reports sent to the test's log, and with
// tasks left pending or coroutines never awaited failing the test.
package asynciotest

import (
	"errors"
	"flag"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/yieldfrom/asyncgo/asyncio"
)

var seedsFlag = flag.Int("asynciotest.seeds", 0, "run every asynciotest.Seeds body under `n` seeds instead of the number the test asks for")

// Seeds runs body once for each of the seeds 1 to n, in order, each time
// as a subtest named "seed=S" whose opts hold asyncio.WithSeed(S): body
// passes them on to asyncio.Run (or Run), with any options of its own.
//
// Seeds stops at the first seed under which body fails, and logs how to
// replay that seed alone: with go test -run and the subtest's name, or in
// code with Replay. Body must not call t.Parallel. The test flag
// -asynciotest.seeds=N replaces n, to search longer (in a nightly job, say)
// without changing the test.
func Seeds(t *testing.T, n int, body func(t *testing.T, opts ...asyncio.Option)) {
	t.Helper()
	if *seedsFlag > 0 {
		n = *seedsFlag
	}
	for seed := uint64(1); seed <= uint64(n); seed++ {
		if !run(t, seed, body) {
			t.Logf("asynciotest: seed %d fails; replay it with\n\tgo test -run '%s'\nor asynciotest.Replay(t, %d, ...)", seed, runPattern(t.Name(), seed), seed)
			return
		}
	}
}

// Replay runs body under one seed, as Seeds would, in a subtest named
// "seed=S": it replays the schedule of a failure that Seeds found, for
// debugging or as a regression test.
func Replay(t *testing.T, seed uint64, body func(t *testing.T, opts ...asyncio.Option)) {
	t.Helper()
	run(t, seed, body)
}

func run(t *testing.T, seed uint64, body func(t *testing.T, opts ...asyncio.Option)) bool {
	t.Helper()
	return t.Run(subtest(seed), func(t *testing.T) {
		t.Helper()
		body(t, asyncio.WithSeed(seed))
	})
}

func subtest(seed uint64) string { return fmt.Sprintf("seed=%d", seed) }

// runPattern returns the -run pattern that selects the subtest of name for
// seed and nothing else: each element of the name anchored at both ends.
func runPattern(name string, seed uint64) string {
	var parts []string
	for _, p := range append(strings.Split(name, "/"), subtest(seed)) {
		parts = append(parts, "^"+regexp.QuoteMeta(p)+"$")
	}
	return strings.Join(parts, "/")
}

// Options returns the options a test run wants: the virtual clock
// (asyncio.WithVirtualTime), debug mode (asyncio.WithDebug), leaks as
// errors (asyncio.WithStrictLeaks), and the loop's other reports, such as
// slow steps, sent to t.Log.
func Options(t testing.TB) []asyncio.Option {
	return []asyncio.Option{
		asyncio.WithVirtualTime(),
		asyncio.WithDebug(),
		asyncio.WithStrictLeaks(),
		asyncio.WithDiagnostics(logWriter{t}),
	}
}

// Run runs main with asyncio.Run, with Options(t) followed by opts, and
// with t.Context() as its context, so that the run is cancelled if the
// test ends first. It returns what asyncio.Run returns. A leak (a task
// still pending when main returned, or in debug mode a coroutine never
// awaited) fails t with the report, whatever else the error holds.
func Run[T any](t testing.TB, main *asyncio.Coro[T], opts ...asyncio.Option) (T, error) {
	t.Helper()
	v, err := asyncio.Run(t.Context(), main, append(Options(t), opts...)...)
	var leak *asyncio.LeakError
	if errors.As(err, &leak) {
		t.Errorf("%v", leak)
	}
	return v, err
}

// logWriter sends what is written to it to a test's log, a line at a time.
type logWriter struct{ t testing.TB }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
