package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

// hookLog returns hooks that log every call, with the loop time since the
// first call, and the log they write to.
func hookLog() (*asyncio.Hooks, *[]string) {
	var log []string
	var start time.Time
	at := func(now time.Time) time.Duration {
		if start.IsZero() {
			start = now
		}
		return now.Sub(start)
	}
	return &asyncio.Hooks{
		TaskSpawned: func(now time.Time, t asyncio.AnyTask) {
			log = append(log, fmt.Sprintf("%v spawned %s", at(now), t.Name()))
		},
		BeforeStep: func(now time.Time, t asyncio.AnyTask) {
			log = append(log, fmt.Sprintf("%v before %s", at(now), t.Name()))
		},
		AfterStep: func(now time.Time, t asyncio.AnyTask) {
			s := fmt.Sprintf("%v after %s", at(now), t.Name())
			switch {
			case t.Done():
				s += " (done)"
			case t.Awaiting() != "":
				s += " awaiting " + t.Awaiting()
			default:
				s += " (ready)"
			}
			log = append(log, s)
		},
		TaskExited: func(now time.Time, t asyncio.AnyTask) {
			s := fmt.Sprintf("%v exited %s", at(now), t.Name())
			if err := t.Exception(); err != nil {
				s += ": " + err.Error()
			}
			log = append(log, s)
		},
		LoopIdle: func(now time.Time) {
			log = append(log, fmt.Sprintf("%v idle", at(now)))
		},
	}, &log
}

// TestHooksOrder checks the order of the hooks' calls and the times they
// see: each task is spawned before its first step, each step is bracketed
// by BeforeStep and AfterStep (with Awaiting set after a suspension), a
// task that ends in a step exits inside it, and the loop goes idle before
// the virtual clock jumps.
func TestHooksOrder(t *testing.T) {
	tests := []struct {
		name  string
		child func(a *asyncio.A) (int, error)
		want  []string
	}{{
		name: "sleeps",
		child: func(a *asyncio.A) (int, error) {
			if err := asyncio.Sleep(a, 0); err != nil {
				return 0, err
			}
			return 1, asyncio.Sleep(a, time.Second)
		},
		want: []string{
			"0s spawned Task-1",
			"0s before Task-1",
			"0s spawned Task-2",
			"0s after main awaiting <Task child pending>",
			"0s before child",
			"0s after child (ready)",
			"0s before child",
			"0s after child awaiting <sleep>",
			"0s idle",
			"1s before child",
			"1s exited child",
			"1s after child (done)",
			"1s before main",
			"1s exited main",
			"1s after main (done)",
		},
	}, {
		name: "fails",
		child: func(a *asyncio.A) (int, error) {
			if err := asyncio.Sleep(a, 2*time.Second); err != nil {
				return 0, err
			}
			return 0, errors.New("boom")
		},
		want: []string{
			"0s spawned Task-1",
			"0s before Task-1",
			"0s spawned Task-2",
			"0s after main awaiting <Task child pending>",
			"0s before child",
			"0s after child awaiting <sleep>",
			"0s idle",
			"2s before child",
			"2s exited child: boom",
			"2s after child (done)",
			"2s before main",
			"2s exited main: boom",
			"2s after main (done)",
		},
	}, {
		name: "is cancelled",
		child: func(a *asyncio.A) (int, error) {
			asyncio.CurrentTask(a).Cancel("stop")
			return 0, asyncio.Sleep(a, time.Hour)
		},
		want: []string{
			"0s spawned Task-1",
			"0s before Task-1",
			"0s spawned Task-2",
			"0s after main awaiting <Task child pending>",
			"0s before child",
			"0s after child awaiting <sleep>",
			"0s before child",
			"0s exited child: canceled: stop",
			"0s after child (done)",
			"0s before main",
			"0s exited main: canceled: stop",
			"0s after main (done)",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hooks, log := hookLog()
			_, _ = asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
				asyncio.CurrentTask(a).SetName("main")
				child := asyncio.CreateTask(a, asyncio.Async(tt.child))
				child.SetName("child")
				return asyncio.Await(a, child)
			}), asyncio.WithVirtualTime(), asyncio.WithHooks(hooks))
			if diff := cmp.Diff(tt.want, *log); diff != "" {
				t.Errorf("hooks called (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHooksPartial checks that any hook may be left nil.
func TestHooksPartial(t *testing.T) {
	steps := 0
	hooks := &asyncio.Hooks{BeforeStep: func(time.Time, asyncio.AnyTask) { steps++ }}
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) ([]int, error) {
		return asyncio.Gather(a, asyncio.Async(func(a *asyncio.A) (int, error) { return 1, asyncio.Sleep(a, time.Second) }))
	}), asyncio.WithVirtualTime(), asyncio.WithHooks(hooks))
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	// main: start, woken by the gather; the gathered task: start, woken by
	// its timer.
	if steps != 4 {
		t.Errorf("BeforeStep called %d times, want 4", steps)
	}
	if _, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		return 0, asyncio.Sleep(a, time.Second)
	}), asyncio.WithVirtualTime(), asyncio.WithHooks(&asyncio.Hooks{})); err != nil {
		t.Fatalf("Run() with no hooks set: error = %v", err)
	}
}

// TestHooksPanicContained checks that a hook that panics does not stop the
// loop, as a callback that panics does not: every call's panic is reported
// to the diagnostics writer, with the hook's name, the program runs to its
// end, and nothing is left behind.
func TestHooksPanicContained(t *testing.T) {
	panicking := func(name string) func() {
		return func() { panic(name + " panicked") }
	}
	tests := []struct {
		name  string
		hooks func(boom func()) *asyncio.Hooks
	}{
		{"TaskSpawned", func(boom func()) *asyncio.Hooks {
			return &asyncio.Hooks{TaskSpawned: func(time.Time, asyncio.AnyTask) { boom() }}
		}},
		{"BeforeStep", func(boom func()) *asyncio.Hooks {
			return &asyncio.Hooks{BeforeStep: func(time.Time, asyncio.AnyTask) { boom() }}
		}},
		{"AfterStep", func(boom func()) *asyncio.Hooks {
			return &asyncio.Hooks{AfterStep: func(time.Time, asyncio.AnyTask) { boom() }}
		}},
		{"TaskExited", func(boom func()) *asyncio.Hooks {
			return &asyncio.Hooks{TaskExited: func(time.Time, asyncio.AnyTask) { boom() }}
		}},
		{"LoopIdle", func(boom func()) *asyncio.Hooks {
			return &asyncio.Hooks{LoopIdle: func(time.Time) { boom() }}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := leaktest.Count()
			var diag strings.Builder
			var got []int
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						err = fmt.Errorf("Run panicked: %v", p)
					}
				}()
				got, err = asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) ([]int, error) {
					asyncio.CreateTask(a, after(time.Hour, 0)) // pending when main returns
					return asyncio.Gather(a, after(time.Second, 1), after(2*time.Second, 2))
				}), asyncio.WithVirtualTime(), asyncio.WithDiagnostics(&diag),
					asyncio.WithHooks(tt.hooks(panicking(tt.name))))
			}()
			if want := []int{1, 2}; !slices.Equal(got, want) || err != nil {
				t.Errorf("Run = %v, %v; want %v, nil", got, err, want)
			}
			report := "asyncio: exception in hook " + tt.name + ": panic: " + tt.name + " panicked"
			if !strings.Contains(diag.String(), report) {
				t.Errorf("diagnostics do not report %q:\n%s", report, diag.String())
			}
			checkGoroutines(t, before)
		})
	}
}
