package asyncio_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/gen"
	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

// newVRunner returns a Runner on the virtual clock, closed when the test
// ends.
func newVRunner(t *testing.T, opts ...asyncio.Option) *asyncio.Runner {
	t.Helper()
	r := asyncio.NewRunner(append([]asyncio.Option{asyncio.WithVirtualTime()}, opts...)...)
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Errorf("Close = %v", err)
		}
	})
	return r
}

// TestRunnerRun is test_runners.py's test_run: RunWith returns main's
// result, or its error, any number of times.
func TestRunnerRun(t *testing.T) {
	r := newVRunner(t)
	errMain := errors.New("main failed")
	for i := range 3 {
		got, err := asyncio.RunWith(r, context.Background(), after(time.Second, i))
		if got != i || err != nil {
			t.Errorf("RunWith #%d = %d, %v; want %d, nil", i, got, err, i)
		}
	}
	_, err := asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) { return 0, errMain }))
	if err != errMain {
		t.Errorf("RunWith = %v, want %v", err, errMain)
	}
}

// TestRunnerKeepsState checks that what one RunWith leaves on the loop is
// there for the next, as test_run_keeps_context checks of contextvars: the
// same loop runs every call, a task left pending goes on in the next, and
// the time the loop reached stays.
func TestRunnerKeepsState(t *testing.T) {
	r := newVRunner(t)
	q := asyncio.NewQueue[int](0)
	var ticks []int
	var ticker *asyncio.Task[struct{}]
	_, err := asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		if l := asyncio.GetRunningLoop(a); l != r.Loop() {
			t.Errorf("GetRunningLoop = %p, want Runner.Loop() = %p", l, r.Loop())
		}
		ticker = asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			for i := 0; ; i++ {
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return struct{}{}, err
				}
				if err := q.Put(a, i); err != nil {
					return struct{}{}, err
				}
			}
		}))
		return struct{}{}, nil
	}))
	if err != nil {
		t.Fatalf("first RunWith = %v", err)
	}
	start := r.Loop().Time()
	_, err = asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		for range 3 {
			v, err := q.Get(a)
			if err != nil {
				return struct{}{}, err
			}
			ticks = append(ticks, v)
		}
		return struct{}{}, nil
	}))
	if err != nil {
		t.Fatalf("second RunWith = %v", err)
	}
	if want := []int{0, 1, 2}; !slices.Equal(ticks, want) {
		t.Errorf("ticks from the task of the first RunWith = %v, want %v", ticks, want)
	}
	if got, want := r.Loop().Time().Sub(start), 3*time.Second; got != want {
		t.Errorf("the second RunWith took %v of the loop's time, want %v", got, want)
	}
	_, err = asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		ticker.Cancel("")
		_, err := ticker.Await(a)
		if !errors.Is(err, asyncio.ErrCanceled) {
			t.Errorf("the ticker, cancelled by the third RunWith, ended with %v", err)
		}
		return struct{}{}, nil
	}))
	if err != nil {
		t.Fatalf("third RunWith = %v", err)
	}
}

// TestRunnerCloseCancelsPending checks that Close ends the tasks RunWith
// left, as Run's shutdown does, and reports them.
func TestRunnerCloseCancelsPending(t *testing.T) {
	for _, strict := range []bool{false, true} {
		var diag bytes.Buffer
		opts := []asyncio.Option{asyncio.WithVirtualTime(), asyncio.WithDiagnostics(&diag)}
		if strict {
			opts = append(opts, asyncio.WithStrictLeaks())
		}
		before := leaktest.Count()
		r := asyncio.NewRunner(opts...)
		cleanedUp := false
		_, err := asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
			task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				defer func() { cleanedUp = true }()
				return 0, asyncio.Sleep(a, time.Hour)
			}))
			task.SetName("sleeper")
			return 0, nil
		}))
		if err != nil {
			t.Fatalf("RunWith = %v", err)
		}
		if cleanedUp || diag.Len() > 0 {
			t.Fatalf("after RunWith: cleaned up %v, diagnostics %q; want the task pending and nothing reported", cleanedUp, diag.String())
		}
		err = r.Close()
		if !cleanedUp {
			t.Errorf("strict %v: Close did not end the pending task", strict)
		}
		const report = "task sleeper was still pending when the Runner closed, awaiting <sleep>"
		var le *asyncio.LeakError
		switch {
		case strict && (!errors.As(err, &le) || len(le.Reports) != 1 || !strings.HasPrefix(le.Reports[0], report)):
			t.Errorf("strict: Close = %v, want a *LeakError reporting %q", err, report)
		case !strict && (err != nil || !strings.Contains(diag.String(), report)):
			t.Errorf("Close = %v with diagnostics %q, want nil and %q reported", err, diag.String(), report)
		}
		if err := r.Loop().CallSoonThreadsafe(func() {}); !errors.Is(err, asyncio.ErrLoopClosed) {
			t.Errorf("CallSoonThreadsafe after Close = %v, want ErrLoopClosed", err)
		}
		checkGoroutines(t, before)
	}
}

// TestRunnerMisuse checks the calls a Runner refuses, each with its error,
// and that the coroutine given is closed without running (test_runners.py:
// test_run_non_coro, test_recursive_run, test_run_after_close...).
func TestRunnerMisuse(t *testing.T) {
	nestedIn := func(call func(r *asyncio.Runner) error) func(r *asyncio.Runner) error {
		return func(r *asyncio.Runner) error {
			var inner error
			_, err := asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
				inner = call(r)
				return 0, nil
			}))
			return errors.Join(err, inner)
		}
	}
	runner := func(r *asyncio.Runner) error {
		_, err := asyncio.RunWith(r, context.Background(), after(time.Second, 1))
		return err
	}
	// fromGenerator calls call from a plain generator's body, which is
	// not loop code: what stops it is that r is running.
	fromGenerator := func(call func(r *asyncio.Runner) error) func(r *asyncio.Runner) error {
		return nestedIn(func(r *asyncio.Runner) error {
			g := gen.New(func(y *gen.Yielder[error, gen.None]) (gen.None, error) {
				_, err := y.Yield(call(r))
				return gen.None{}, err
			})
			defer g.Close()
			err, _ := g.Next()
			return err
		})
	}
	tests := []struct {
		name string
		call func(r *asyncio.Runner) error
		want error
		open bool // the runner is still usable after the call
	}{
		{"RunWith after Close", func(r *asyncio.Runner) error {
			if err := r.Close(); err != nil {
				return err
			}
			return runner(r)
		}, asyncio.ErrRunnerClosed, false},
		{"Close twice", func(r *asyncio.Runner) error {
			return errors.Join(r.Close(), r.Close())
		}, nil, false},
		{"RunWith in a task", nestedIn(runner), asyncio.ErrNestedRun, true},
		{"Close in a task", nestedIn(func(r *asyncio.Runner) error { return r.Close() }), asyncio.ErrNestedRun, true},
		{"RunWith in a generator of a task", fromGenerator(runner), asyncio.ErrLoopRunning, true},
		{"Close in a generator of a task", fromGenerator(func(r *asyncio.Runner) error { return r.Close() }), asyncio.ErrLoopRunning, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newVRunner(t)
			if err := tt.call(r); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
			ran := false
			c := asyncio.Async(func(a *asyncio.A) (int, error) { ran = true; return 7, nil })
			got, err := asyncio.RunWith(r, context.Background(), c)
			switch {
			case tt.open && (got != 7 || err != nil):
				t.Errorf("RunWith afterwards = %d, %v; want 7, nil", got, err)
			case !tt.open && (!errors.Is(err, asyncio.ErrRunnerClosed) || ran || c.State() != gen.Closed):
				t.Errorf("RunWith afterwards = %v, ran %v, coroutine %v; want ErrRunnerClosed, not run, closed", err, ran, c.State())
			}
		})
	}
	t.Run("nil coroutine", func(t *testing.T) {
		if _, err := asyncio.RunWith[int](newVRunner(t), context.Background(), nil); err == nil {
			t.Errorf("RunWith(nil) = nil error, want one")
		}
	})
}

// TestRunnerContext checks that RunWith's context cancels its main task
// only, and has no say once RunWith has returned.
func TestRunnerContext(t *testing.T) {
	r := newVRunner(t)
	errCause := errors.New("enough")
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errCause)
	other := make(chan *asyncio.Task[int], 1)
	_, err := asyncio.RunWith(r, ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
		other <- asyncio.CreateTask(a, after(time.Second, 5))
		return 0, asyncio.Sleep(a, time.Hour)
	}))
	if !errors.Is(err, asyncio.ErrCanceled) || !errors.Is(err, errCause) {
		t.Fatalf("RunWith with a cancelled context = %v, want ErrCanceled wrapping %v", err, errCause)
	}
	task := <-other
	got, err := asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		return task.Await(a)
	}))
	if got != 5 || err != nil {
		t.Errorf("the other task, awaited by the next RunWith = %d, %v; want 5, nil (not cancelled)", got, err)
	}
}

// TestRunnerDeadlock checks that a RunWith whose loop deadlocks returns the
// *DeadlockError and leaves main pending, which Close then ends and
// reports.
func TestRunnerDeadlock(t *testing.T) {
	var diag bytes.Buffer
	r := newVRunner(t, asyncio.WithDiagnostics(&diag))
	ended := false
	_, err := asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		defer func() { ended = true }()
		return asyncio.NewFuture[int](asyncio.GetRunningLoop(a)).Await(a)
	}))
	var de *asyncio.DeadlockError
	if !errors.As(err, &de) || len(de.Tasks) != 1 {
		t.Fatalf("RunWith = %v, want a *DeadlockError of one task", err)
	}
	if ended {
		t.Fatalf("main ended with the deadlock, want it pending until Close")
	}
	if err := r.Close(); err != nil || !ended {
		t.Errorf("Close = %v, main ended %v; want nil, true", err, ended)
	}
	if want := "task Task-1 was still pending when the Runner closed"; !strings.Contains(diag.String(), want) {
		t.Errorf("diagnostics = %q, want %q", diag.String(), want)
	}
}

// TestRunnerGoexit checks that a runtime.Goexit in a task (t.FailNow)
// during RunWith closes the Runner on its way out, as it shuts Run down:
// the task's and the others' deferred calls run, no goroutine is left,
// and the Runner refuses further calls.
func TestRunnerGoexit(t *testing.T) {
	before := leaktest.Count()
	r := asyncio.NewRunner(asyncio.WithVirtualTime())
	var log syncLog
	_, err := asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		sleepers(a, &log, 2)
		return 0, nil
	}))
	if err != nil {
		t.Fatalf("RunWith = %v", err)
	}
	runOnGoroutine(func() {
		_, _ = asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
			defer log.add("main ended")
			runtime.Goexit()
			return 0, nil
		}))
		log.add("RunWith returned")
	})
	if log.count("main ended") != 1 || log.count("RunWith returned") != 0 || log.count("sleeper ended") != 2 {
		t.Errorf("log = %v, want main and both sleepers ended, RunWith not returned", log.lines)
	}
	if _, err := asyncio.RunWith(r, context.Background(), after(time.Second, 1)); !errors.Is(err, asyncio.ErrRunnerClosed) {
		t.Errorf("RunWith after a Goexit = %v, want ErrRunnerClosed", err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("Close after a Goexit = %v, want nil", err)
	}
	checkGoroutines(t, before)
}

// TestRunnerDebugFromGoroutines checks that the loop of a Runner in debug
// mode belongs to whichever goroutine calls RunWith, one after another.
func TestRunnerDebugFromGoroutines(t *testing.T) {
	r := newVRunner(t, asyncio.WithDebug())
	for i := range 3 {
		done := make(chan error)
		go func() {
			_, err := asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
				asyncio.GetRunningLoop(a).CallSoon(func() {})
				return i, asyncio.Sleep(a, time.Second)
			}))
			done <- err
		}()
		if err := <-done; err != nil {
			t.Errorf("RunWith on goroutine #%d = %v", i, err)
		}
	}
}

// TestRunnerCallSoonBetweenRuns checks that a callback scheduled on the
// Runner's loop between two RunWith calls runs in the next, before main's
// first step, which was scheduled after it.
func TestRunnerCallSoonBetweenRuns(t *testing.T) {
	r := newVRunner(t)
	ran := false
	r.Loop().CallSoon(func() { ran = true })
	got, err := asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (bool, error) {
		return ran, asyncio.Sleep(a, 0)
	}))
	if err != nil || !got {
		t.Errorf("RunWith = %v, %v; want true (the callback ran before main), nil", got, err)
	}
}

// TestRunGoexitWithInterruptInDebug checks that the SIGINT handler of
// WithInterrupt is removed when a runtime.Goexit in main's step unwinds
// Run, in debug mode too, where the loop's methods check their goroutine.
func TestRunGoexitWithInterruptInDebug(t *testing.T) {
	before := leaktest.Count()
	done := make(chan any)
	go func() {
		defer func() { done <- recover() }()
		_, _ = asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
			runtime.Goexit()
			return 0, nil
		}), asyncio.WithVirtualTime(), asyncio.WithDebug(), asyncio.WithInterrupt())
	}()
	if p := <-done; p != nil {
		t.Fatalf("Run panicked: %v", p)
	}
	checkGoroutines(t, before)
}

// TestRunNestedInSpawnHook checks that Run and RunWith called from the
// TaskSpawned hook that their own main task's creation calls are nested
// runs, as from any other hook.
func TestRunNestedInSpawnHook(t *testing.T) {
	for _, runner := range []bool{false, true} {
		var nestedErr error
		once := false
		hooks := &asyncio.Hooks{TaskSpawned: func(time.Time, asyncio.AnyTask) {
			if !once {
				once = true
				_, nestedErr = asyncio.Run(context.Background(), after(time.Second, 1), asyncio.WithVirtualTime())
			}
		}}
		main := after(time.Second, 2)
		var err error
		if runner {
			r := newVRunner(t, asyncio.WithHooks(hooks))
			_, err = asyncio.RunWith(r, context.Background(), main)
		} else {
			_, err = vrunCoro(main, asyncio.WithHooks(hooks))
		}
		if err != nil || !errors.Is(nestedErr, asyncio.ErrNestedRun) {
			t.Errorf("Runner %v: Run = %v, nested Run in the TaskSpawned hook of main = %v; want nil, ErrNestedRun", runner, err, nestedErr)
		}
	}
}

// vrunCoro runs main on the virtual clock.
func vrunCoro[T any](main *asyncio.Coro[T], opts ...asyncio.Option) (T, error) {
	return asyncio.Run(context.Background(), main, append([]asyncio.Option{asyncio.WithVirtualTime()}, opts...)...)
}

// TestRunnerCloseGoexit checks that a runtime.Goexit in a task's cleanup
// while Close cancels it finishes the shutdown on its way out, as it does
// in Run's: the other tasks end, no goroutine is left, and the Runner is
// closed.
func TestRunnerCloseGoexit(t *testing.T) {
	before := leaktest.Count()
	r := asyncio.NewRunner(asyncio.WithVirtualTime(), asyncio.WithDiagnostics(io.Discard))
	var log syncLog
	_, err := asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			_ = asyncio.Sleep(a, time.Hour) // cancelled by Close
			log.add("goexit")
			runtime.Goexit()
			return 0, nil
		}))
		sleepers(a, &log, 2)
		return 0, nil
	}))
	if err != nil {
		t.Fatalf("RunWith = %v", err)
	}
	runOnGoroutine(func() {
		_ = r.Close()
		log.add("Close returned")
	})
	if log.count("goexit") != 1 || log.count("sleeper ended") != 2 || log.count("Close returned") != 0 {
		t.Errorf("log = %v, want the Goexit, both sleepers ended, Close not returned", log.lines)
	}
	if err := r.Close(); err != nil {
		t.Errorf("Close again = %v, want nil", err)
	}
	checkGoroutines(t, before)
}

// TestRunnerAsyncGenerator checks that an async generator left suspended
// by one RunWith goes on in the next, and that Close closes it, running its
// deferred calls, as Run's shutdown does (loop.shutdown_asyncgens).
func TestRunnerAsyncGenerator(t *testing.T) {
	r := asyncio.NewRunner(asyncio.WithVirtualTime())
	closed := false
	ag := asyncio.NewAsyncGenerator(func(a *asyncio.A, yield func(int) (struct{}, error)) error {
		defer func() { closed = true }()
		for i := 0; ; i++ {
			if _, err := yield(i); err != nil {
				return err
			}
		}
	})
	for want := range 2 {
		next := asyncio.Async(func(a *asyncio.A) (int, error) { return ag.ANext(a) })
		if got, err := asyncio.RunWith(r, context.Background(), next); got != want || err != nil {
			t.Fatalf("RunWith(ANext) #%d = %d, %v; want %d, nil", want, got, err, want)
		}
	}
	if closed {
		t.Fatalf("the generator was closed before Close")
	}
	if err := r.Close(); err != nil || !closed {
		t.Errorf("Close = %v, generator closed %v; want nil, true", err, closed)
	}
}

// afterFuncCtx is a context, never done, that counts the functions
// registered with context.AfterFunc on it and not stopped.
type afterFuncCtx struct {
	context.Context
	done    chan struct{} // a Done of its own, for AfterFunc to use the method below
	mu      sync.Mutex
	pending int
}

func (c *afterFuncCtx) Done() <-chan struct{} { return c.done }

func (c *afterFuncCtx) AfterFunc(f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending++
	stopped := false
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		if !stopped {
			stopped = true
			c.pending--
		}
		return true
	}
}

// TestRunStopsWatchingContext checks that Run and RunWith stop watching
// their context when they return, and when a runtime.Goexit unwinds them.
func TestRunStopsWatchingContext(t *testing.T) {
	for _, goexit := range []bool{false, true} {
		ctx := &afterFuncCtx{Context: context.Background(), done: make(chan struct{})}
		runOnGoroutine(func() {
			r := asyncio.NewRunner(asyncio.WithVirtualTime())
			defer r.Close()
			_, _ = asyncio.RunWith(r, ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
				if goexit {
					runtime.Goexit()
				}
				return 0, nil
			}))
			_, _ = asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
				if goexit {
					runtime.Goexit()
				}
				return 0, nil
			}), asyncio.WithVirtualTime())
		})
		if ctx.pending != 0 {
			t.Errorf("Goexit %v: %d functions left registered with context.AfterFunc, want 0", goexit, ctx.pending)
		}
	}
}
