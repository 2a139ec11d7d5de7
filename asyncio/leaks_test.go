package asyncio_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

// diagReports splits what the loop wrote to its diagnostics writer into
// lines, without the "asyncio: " prefix.
func diagReports(b *bytes.Buffer) []string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if line != "" {
			out = append(out, strings.TrimPrefix(line, "asyncio: "))
		}
	}
	return out
}

// TestPendingTasksAtMainReturn checks that tasks still pending when main
// returns are cancelled (their deferred calls run and see the
// cancellation), leave no coroutine behind, and are reported, with the
// line that created them in debug mode; Run still returns main's result.
func TestPendingTasksAtMainReturn(t *testing.T) {
	for _, debug := range []bool{false, true} {
		t.Run(fmt.Sprintf("debug=%v", debug), func(t *testing.T) {
			before := leaktest.Count()
			var diag bytes.Buffer
			opts := []asyncio.Option{asyncio.WithVirtualTime(), asyncio.WithDiagnostics(&diag)}
			if debug {
				opts = append(opts, asyncio.WithDebug())
			}
			var sleeperErr error
			var lateRan bool
			var created int
			got, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (string, error) {
				created = diagLine() + 1
				sleeper := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (err error, _ error) {
					defer func() { sleeperErr = err }()
					return asyncio.Sleep(a, time.Hour), nil
				}))
				sleeper.SetName("sleeper")
				if err := asyncio.Sleep(a, 0); err != nil { // the sleeper starts sleeping
					return "", err
				}
				// As in Python, a task created by main's last step takes its
				// first step (asyncio.run stops one iteration later).
				late := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
					lateRan = true
					return 0, asyncio.Sleep(a, time.Hour)
				}))
				late.SetName("late")
				return "main's result", nil
			}), opts...)
			if err != nil || got != "main's result" {
				t.Fatalf("Run() = %q, %v, want main's result and no error", got, err)
			}
			if !errors.Is(sleeperErr, asyncio.ErrCanceled) {
				t.Errorf("the pending task's Sleep returned %v, want a cancellation", sleeperErr)
			}
			if !lateRan {
				t.Error("a task created by main's last step never took its first step; Python's asyncio.run runs it")
			}
			sleeperReport := "task sleeper was still pending when main returned, awaiting <sleep>"
			if debug {
				sleeperReport += "; created at github.com/yieldfrom/asyncgo/asyncio_test.TestPendingTasksAtMainReturn.func1.1 ("
			}
			reports := diagReports(&diag)
			if len(reports) != 2 {
				t.Fatalf("diagnostics = %q, want two reports", reports)
			}
			if r := reports[0]; !strings.HasPrefix(r, sleeperReport) || !strings.HasSuffix(r, "; it was cancelled") {
				t.Errorf("report = %q, want %q...; it was cancelled", r, sleeperReport)
			}
			if debug && !strings.Contains(reports[0], diagHere(created)+")") {
				t.Errorf("report = %q, want the creation site %s", reports[0], diagHere(created))
			}
			if want := "task late was still pending when main returned, awaiting <sleep>"; !strings.HasPrefix(reports[1], want) {
				t.Errorf("report = %q, want %q...", reports[1], want)
			}
			checkGoroutines(t, before)
		})
	}
}

// TestNeverAwaited checks that debug mode reports a coroutine that a task
// created and nobody awaited or scheduled, with the line that created it,
// and only that one; outside debug mode nothing is reported.
func TestNeverAwaited(t *testing.T) {
	for _, debug := range []bool{false, true} {
		t.Run(fmt.Sprintf("debug=%v", debug), func(t *testing.T) {
			var diag bytes.Buffer
			opts := []asyncio.Option{asyncio.WithVirtualTime(), asyncio.WithDiagnostics(&diag)}
			if debug {
				opts = append(opts, asyncio.WithDebug())
			}
			var created, called int
			_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
				work := func() *asyncio.Coro[int] {
					created = diagLine() + 1
					return asyncio.Async(func(a *asyncio.A) (int, error) { return 1, asyncio.Sleep(a, time.Second) })
				}
				if _, err := asyncio.Await(a, work()); err != nil { // awaited
					return 0, err
				}
				task := asyncio.CreateTask(a, work()) // scheduled
				called = diagLine() + 1
				forgotten := work() // the bug: "await" forgotten
				_ = forgotten
				return task.Await(a)
			}), opts...)
			if err != nil {
				t.Fatalf("Run() error = %v", err)
			}
			reports := diagReports(&diag)
			if !debug {
				if len(reports) != 0 {
					t.Errorf("diagnostics = %q, want none outside debug mode", reports)
				}
				return
			}
			if len(reports) != 1 {
				t.Fatalf("diagnostics = %q, want one report", reports)
			}
			// Created in the coroutine function work, called from the
			// line that forgot to await it.
			want := fmt.Sprintf(`^coroutine was never awaited; created at \S+ \(\S+/%s\), called from \S+ \(\S+/%s\)$`,
				regexp.QuoteMeta(diagHere(created)), regexp.QuoteMeta(diagHere(called)))
			if !regexp.MustCompile(want).MatchString(reports[0]) {
				t.Errorf("report = %q, want a match for %q", reports[0], want)
			}
		})
	}
}

// TestStrictLeaks checks that WithStrictLeaks turns the reports into a
// *LeakError that Run returns along with main's result, and writes
// nothing to the diagnostics.
func TestStrictLeaks(t *testing.T) {
	var diag bytes.Buffer
	got, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) { return 0, asyncio.Sleep(a, time.Hour) })).SetName("forgotten")
		_ = asyncio.Async(func(a *asyncio.A) (int, error) { return 0, nil })
		return 42, asyncio.Sleep(a, 0)
	}), asyncio.WithVirtualTime(), asyncio.WithDebug(), asyncio.WithStrictLeaks(), asyncio.WithDiagnostics(&diag))
	var e *asyncio.LeakError
	if !errors.As(err, &e) {
		t.Fatalf("Run() = %v, %v, want a *LeakError", got, err)
	}
	if got != 42 {
		t.Errorf("Run() = %d, want main's result 42 with the error", got)
	}
	if len(e.Reports) != 2 ||
		!strings.HasPrefix(e.Reports[0], "task forgotten was still pending when main returned, awaiting <sleep>; created at ") ||
		!strings.HasPrefix(e.Reports[1], "coroutine was never awaited; created at ") {
		t.Errorf("Reports = %q, want the pending task and the coroutine never awaited", e.Reports)
	}
	if want := "asyncio: leaks:\n\t" + strings.Join(e.Reports, "\n\t"); err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
	if diag.Len() != 0 {
		t.Errorf("diagnostics = %q, want nothing: the leaks are in the error", diag.String())
	}

	// No leak, no error.
	if _, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		return asyncio.Await(a, asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) { return 1, asyncio.Sleep(a, time.Hour) })))
	}), asyncio.WithVirtualTime(), asyncio.WithDebug(), asyncio.WithStrictLeaks()); err != nil {
		t.Errorf("Run() without leaks: error = %v", err)
	}
}

// TestStrictLeaksWithMainError checks that a leak and main's own error are
// both reported.
func TestStrictLeaksWithMainError(t *testing.T) {
	boom := errors.New("boom")
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) { return 0, asyncio.Sleep(a, time.Hour) }))
		return 0, boom
	}), asyncio.WithVirtualTime(), asyncio.WithStrictLeaks())
	var e *asyncio.LeakError
	if !errors.Is(err, boom) || !errors.As(err, &e) {
		t.Fatalf("Run() error = %v, want both boom and a *LeakError", err)
	}
	if diff := cmp.Diff([]string{"task Task-2 was still pending when main returned, awaiting <sleep>; it was cancelled"}, e.Reports); diff != "" {
		t.Errorf("Reports (-want +got):\n%s", diff)
	}
}
