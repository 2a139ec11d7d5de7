package coro_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/yieldfrom/asyncgo/coro"
	"github.com/yieldfrom/asyncgo/gen"
)

// The lesson's
//
//	async def fun_a():
//	    print("Running coroutine *a*.")
//	    await asyncio.sleep(0)
//	    print("Back in *a*.")
//	    return "result from *a*"
//
// with print going to out.
func lessonFun(out *[]string, name string) *coro.Coroutine[string] {
	return coro.New(func(h *coro.Handle) (string, error) {
		*out = append(*out, fmt.Sprintf("Running coroutine *%s*.", name))
		if err := coro.Yield(h); err != nil {
			return "", err
		}
		*out = append(*out, fmt.Sprintf("Back in *%s*.", name))
		return fmt.Sprintf("result from *%s*", name), nil
	})
}

func TestRoundRobinLesson(t *testing.T) {
	var out []string
	results, err := coro.RoundRobin(lessonFun(&out, "a"), lessonFun(&out, "b"))
	if err != nil {
		t.Fatalf("RoundRobin() error = %v, want nil", err)
	}
	wantOut := []string{
		"Running coroutine *a*.",
		"Running coroutine *b*.",
		"Back in *a*.",
		"Back in *b*.",
	}
	if !slices.Equal(out, wantOut) {
		t.Errorf("printed %q, want %q", out, wantOut)
	}
	if want := []string{"result from *a*", "result from *b*"}; !slices.Equal(results, want) {
		t.Errorf("results = %q, want %q", results, want)
	}
}

func TestRoundRobinInterleaves(t *testing.T) {
	// Coroutines of different lengths take turns, one step each, until the
	// last has returned; awaits inside them suspend the whole coroutine.
	var trace []string
	counter := func(name string, n int) *coro.Coroutine[int] {
		step := func(i int) *coro.Coroutine[int] {
			return coro.New(func(h *coro.Handle) (int, error) {
				trace = append(trace, fmt.Sprintf("%s%d", name, i))
				return i, coro.Yield(h)
			})
		}
		return coro.New(func(h *coro.Handle) (int, error) {
			sum := 0
			for i := range n {
				v, err := coro.Await(h, step(i))
				if err != nil {
					return sum, err
				}
				sum += v
			}
			return sum, nil
		})
	}
	results, err := coro.RoundRobin(counter("a", 3), counter("b", 1), counter("c", 2))
	if err != nil {
		t.Fatalf("RoundRobin() error = %v, want nil", err)
	}
	if want := "a0 b0 c0 a1 c1 a2"; strings.Join(trace, " ") != want {
		t.Errorf("steps ran as %q, want %q", strings.Join(trace, " "), want)
	}
	if want := []int{3, 0, 1}; !slices.Equal(results, want) {
		t.Errorf("results = %v, want %v", results, want)
	}
}

func TestRoundRobinEmpty(t *testing.T) {
	results, err := coro.RoundRobin[int]()
	if len(results) != 0 || err != nil {
		t.Errorf("RoundRobin() = %v, %v, want [], nil", results, err)
	}
}

func TestRoundRobinJoinsErrors(t *testing.T) {
	errA, errB := errors.New("a failed"), errors.New("b failed")
	fails := func(err error, suspendFirst bool) *coro.Coroutine[int] {
		return coro.New(func(h *coro.Handle) (int, error) {
			if suspendFirst {
				if err := coro.Yield(h); err != nil {
					return 0, err
				}
			}
			return -1, err
		})
	}
	results, err := coro.RoundRobin(
		fails(errA, true),
		sleeper(2),
		fails(errB, false),
		coro.New(panicky("c panicked")),
	)
	for _, want := range []error{errA, errB} {
		if !errors.Is(err, want) {
			t.Errorf("RoundRobin() error = %v, want it to wrap %v", err, want)
		}
	}
	var pe *coro.PanicError
	if !errors.As(err, &pe) || pe.Value != "c panicked" {
		t.Errorf("RoundRobin() error = %v, want it to hold the *PanicError of c", err)
	}
	if !strings.HasPrefix(err.Error(), "a failed\nb failed\npanic: c panicked") {
		t.Errorf("RoundRobin() error = %.60q..., want the errors in argument order", err.Error())
	}
	if want := []int{-1, 2, -1, 0}; !slices.Equal(results, want) {
		t.Errorf("results = %v, want %v: every coroutine's value, failed or not", results, want)
	}
}

// A sleepRequest is a suspension request RoundRobin cannot serve: it has no
// clock.
type sleepRequest struct{ seconds int }

func TestRoundRobinRefusesRequests(t *testing.T) {
	tests := []struct {
		name    string
		handle  bool // whether the body handles the refusal and goes on
		wantErr bool
	}{
		{"unhandled", false, true},
		{"handled", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var trace []string
			var refusal error
			sleepy := coro.New(func(h *coro.Handle) (string, error) {
				trace = append(trace, "sleepy asks")
				v, err := h.Suspend(sleepRequest{1})
				refusal = err
				if err == nil {
					return fmt.Sprint("slept, resumed with ", v), nil
				}
				if !tt.handle {
					return "", err
				}
				trace = append(trace, "sleepy falls back")
				return "did not sleep", coro.Yield(h)
			})
			other := coro.New(func(h *coro.Handle) (string, error) {
				trace = append(trace, "other runs")
				return "other", coro.Yield(h)
			})

			results, err := coro.RoundRobin(sleepy, other)

			if !errors.Is(refusal, errors.ErrUnsupported) {
				t.Fatalf("Suspend(sleepRequest) = _, %v, want an error wrapping %v", refusal, errors.ErrUnsupported)
			}
			if !strings.Contains(refusal.Error(), "coro.RoundRobin") || !strings.Contains(refusal.Error(), "{1}") {
				t.Errorf("refusal = %q, want it to name coro.RoundRobin and the request", refusal)
			}
			if got := errors.Is(err, errors.ErrUnsupported); got != tt.wantErr {
				t.Errorf("RoundRobin() error = %v; wraps ErrUnsupported: %t, want %t", err, got, tt.wantErr)
			}
			if tt.handle && err != nil {
				t.Errorf("RoundRobin() error = %v, want nil", err)
			}
			// The refusal is thrown in at the coroutine's next turn, after
			// the others have run, as an answer to its request would be.
			wantTrace := []string{"sleepy asks", "other runs"}
			wantResults := []string{"", "other"}
			if tt.handle {
				wantTrace = append(wantTrace, "sleepy falls back")
				wantResults[0] = "did not sleep"
			}
			if !slices.Equal(trace, wantTrace) {
				t.Errorf("ran %q, want %q", trace, wantTrace)
			}
			if !slices.Equal(results, wantResults) {
				t.Errorf("results = %q, want %q", results, wantResults)
			}
		})
	}
}

// TestRoundRobinOwnership checks that RoundRobin drives each coroutine
// once: a coroutine given twice runs once and fills both slots, as
// asyncio.gather does; one that has already ended or started elsewhere is
// not resumed, and its slot reports ErrReused or ErrAwaitedAlready, as
// awaiting it would.
func TestRoundRobinOwnership(t *testing.T) {
	ended := sleeper(1)
	for _, ok := ended.Send(nil); ok; _, ok = ended.Send(nil) {
	}
	started := sleeper(2)
	started.Send(nil)
	defer started.Close()
	var out []string
	twice := lessonFun(&out, "a")
	results, err := coro.RoundRobin(
		coro.New(func(*coro.Handle) (string, error) { return "x", nil }),
		twice, twice,
	)
	if err != nil {
		t.Errorf("RoundRobin(x, a, a) error = %v, want nil", err)
	}
	if diff := cmp.Diff([]string{"x", "result from *a*", "result from *a*"}, results); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Running coroutine *a*.", "Back in *a*."}, out); diff != "" {
		t.Errorf("what a printed (-want +got):\n%s", diff)
	}
	ints, err := coro.RoundRobin(sleeper(3), ended, started)
	if !errors.Is(err, coro.ErrReused) || !errors.Is(err, coro.ErrAwaitedAlready) {
		t.Errorf("RoundRobin(new, ended, started) error = %v, want it to wrap ErrReused and ErrAwaitedAlready", err)
	}
	if diff := cmp.Diff([]int{3, 0, 0}, ints); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if s := started.State(); s != gen.Suspended {
		t.Errorf("the coroutine started elsewhere is %v, want it left %v", s, gen.Suspended)
	}
}
