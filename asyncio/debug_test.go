package asyncio_test

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// TestSlowStep checks that debug mode reports a step that holds the loop
// longer than the slow step threshold, naming the task and the line where
// it suspended (or that it ended), and reports nothing else: not the fast
// steps, not the slow ones outside debug mode.
func TestSlowStep(t *testing.T) {
	// The real time a slow step takes: twice the threshold, so that a
	// loaded machine does not make a fast step look slow.
	const busy = 20 * time.Millisecond
	tests := []struct {
		name    string
		opts    []asyncio.Option
		reports bool
	}{
		{"debug", []asyncio.Option{asyncio.WithDebug(), asyncio.WithSlowStepThreshold(busy / 2)}, true},
		{"threshold above", []asyncio.Option{asyncio.WithDebug(), asyncio.WithSlowStepThreshold(time.Hour)}, false},
		{"not debug", []asyncio.Option{asyncio.WithSlowStepThreshold(busy / 2)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var diag bytes.Buffer
			var stopped int
			opts := append([]asyncio.Option{asyncio.WithVirtualTime(), asyncio.WithDiagnostics(&diag)}, tt.opts...)
			_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) ([]int, error) {
				slow := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
					time.Sleep(busy) // blocking work on the loop: the bug reported
					stopped = diagLine() + 1
					if err := asyncio.Sleep(a, time.Second); err != nil {
						return 0, err
					}
					time.Sleep(busy)
					return 1, nil
				}))
				slow.SetName("hog")
				fast := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
					return 2, asyncio.Sleep(a, time.Second)
				}))
				fast.SetName("polite")
				return asyncio.Gather(a, slow, fast)
			}), opts...)
			if err != nil {
				t.Fatalf("Run() error = %v", err)
			}
			reports := diagReports(&diag)
			if !tt.reports {
				if len(reports) != 0 {
					t.Errorf("diagnostics = %q, want none", reports)
				}
				return
			}
			want := []*regexp.Regexp{
				regexp.MustCompile(`^slow step: hog held the loop for \d+ms \(it stopped at \S+ \(\S+/` + regexp.QuoteMeta(diagHere(stopped)) + `\)\)$`),
				regexp.MustCompile(`^slow step: hog held the loop for \d+ms \(it ended\)$`),
			}
			if len(reports) != len(want) {
				t.Fatalf("diagnostics = %q, want %d reports", reports, len(want))
			}
			for i, re := range want {
				if !re.MatchString(reports[i]) {
					t.Errorf("report %d = %q, want a match for %q", i, reports[i], re)
				}
			}
		})
	}
}

// TestDebugWrongGoroutine checks that in debug mode the loop methods that
// must run on the loop panic, naming themselves and the way out, when they
// are called from another goroutine, and work from tasks and callbacks.
func TestDebugWrongGoroutine(t *testing.T) {
	calls := map[string]func(l *asyncio.Loop){
		"CallSoon":  func(l *asyncio.Loop) { l.CallSoon(func() {}) },
		"CallLater": func(l *asyncio.Loop) { l.CallLater(time.Second, func() {}) },
		"CallAt":    func(l *asyncio.Loop) { l.CallAt(l.Time(), func() {}) },
	}
	for method, call := range calls {
		t.Run(method, func(t *testing.T) {
			var fromCallback bool
			got, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (string, error) {
				loop := asyncio.GetRunningLoop(a)
				call(loop) // from a task: fine
				// The worker starts once the loop has run this callback,
				// so that it sees the loop between steps (and -race sees
				// no race but the one the panic prevents).
				start := make(chan struct{})
				loop.CallSoon(func() {
					call(loop) // from a callback: fine
					fromCallback = true
					close(start)
				})
				return asyncio.ToThread(a, func(context.Context) (msg string, _ error) {
					<-start
					defer func() { msg = fmt.Sprint(recover()) }()
					call(loop)
					return "no panic", nil
				})
			}), asyncio.WithVirtualTime(), asyncio.WithDebug())
			if err != nil {
				t.Fatalf("Run() error = %v", err)
			}
			if !fromCallback {
				t.Errorf("%s from a callback did not return", method)
			}
			want := "asyncio.Loop." + method + ": called from a goroutine that is not running the loop; use CallSoonThreadsafe"
			if got != want {
				t.Errorf("%s from another goroutine panicked with %q, want %q", method, got, want)
			}
		})
	}
}

// goroutineLabels returns the pprof labels of the goroutines whose stack
// goes through a function whose name contains fn, from the goroutine
// profile, which lists each group of goroutines with their labels:
//
//	1 @ 0x... 0x...
//	# labels: {"asyncio.task":"hog"}
//	#	0x...	pkg.fn+0x24	/path/file.go:12
func goroutineLabels(t *testing.T, fn string) []string {
	t.Helper()
	var b bytes.Buffer
	if err := pprof.Lookup("goroutine").WriteTo(&b, 1); err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, group := range strings.Split(b.String(), "\n\n") {
		if !strings.Contains(group, fn) {
			continue
		}
		l := "none"
		for _, line := range strings.Split(group, "\n") {
			if s, ok := strings.CutPrefix(line, "# labels: "); ok {
				l = s
			}
		}
		labels = append(labels, l)
	}
	return labels
}

// TestDebugPprofLabels checks that in debug mode a task's steps run with
// the pprof label asyncio.task set to the task's name, so that CPU
// profiles attribute its samples to it, on its first step and on later
// ones, and that without debug mode they carry none.
func TestDebugPprofLabels(t *testing.T) {
	for _, debug := range []bool{false, true} {
		t.Run(fmt.Sprintf("debug=%v", debug), func(t *testing.T) {
			var first, later []string
			opts := []asyncio.Option{asyncio.WithVirtualTime()}
			if debug {
				opts = append(opts, asyncio.WithDebug())
			}
			_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
				task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
					first = goroutineLabels(t, "TestDebugPprofLabels.func1.1.1")
					if err := asyncio.Sleep(a, time.Second); err != nil {
						return 0, err
					}
					later = goroutineLabels(t, "TestDebugPprofLabels.func1.1.1")
					return 0, nil
				}))
				task.SetName("crunch")
				return task.Await(a)
			}), opts...)
			if err != nil {
				t.Fatalf("Run() error = %v", err)
			}
			want := "none"
			if debug {
				want = `{"asyncio.task":"crunch"}`
			}
			for _, got := range [][]string{first, later} {
				if len(got) != 1 || got[0] != want {
					t.Errorf("labels of the task's goroutine = %q, want [%s]", got, want)
				}
			}
		})
	}
}
