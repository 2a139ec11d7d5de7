package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/coro"
	"github.com/yieldfrom/asyncgo/gen"
	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

func TestRunResult(t *testing.T) {
	errMain := errors.New("main failed")
	tests := []struct {
		name    string
		body    func(a *asyncio.A) (string, error)
		want    string
		wantErr error
	}{
		{"value", func(a *asyncio.A) (string, error) { return "v", nil }, "v", nil},
		{"error", func(a *asyncio.A) (string, error) { return "", errMain }, "", errMain},
		{"value after sleeping", func(a *asyncio.A) (string, error) { return "slept", asyncio.Sleep(a, time.Minute) }, "slept", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := vrun(tt.body)
			if got != tt.want || err != tt.wantErr {
				t.Errorf("Run = %q, %v; want %q, %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestRunContextCancellation(t *testing.T) {
	// Cancelling Run's context cancels the main task at its await: the
	// error matches ErrCanceled and the context's error (or cause).
	errCause := errors.New("shutting down")
	tests := []struct {
		name   string
		cancel func(ctx context.Context) (context.Context, func())
		want   error
	}{
		{"cancel", func(ctx context.Context) (context.Context, func()) {
			ctx, cancel := context.WithCancel(ctx)
			return ctx, cancel
		}, context.Canceled},
		{"cause", func(ctx context.Context) (context.Context, func()) {
			ctx, cancel := context.WithCancelCause(ctx)
			return ctx, func() { cancel(errCause) }
		}, errCause},
		{"deadline", func(ctx context.Context) (context.Context, func()) {
			ctx, cancel := context.WithTimeout(ctx, 2*time.Millisecond)
			return ctx, func() { <-ctx.Done(); cancel() }
		}, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := tt.cancel(context.Background())
			go func() {
				time.Sleep(2 * time.Millisecond)
				cancel()
			}()
			deferred := false
			_, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
				defer func() { deferred = true }()
				return 0, asyncio.Sleep(a, time.Hour)
			}))
			if !errors.Is(err, asyncio.ErrCanceled) || !errors.Is(err, tt.want) {
				t.Errorf("Run = %v, want ErrCanceled and %v", err, tt.want)
			}
			if !deferred {
				t.Errorf("the main task's deferred call did not run")
			}
		})
	}
}

func TestRunContextAlreadyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
		return 0, asyncio.Sleep(a, time.Hour)
	}))
	if !errors.Is(err, asyncio.ErrCanceled) || !errors.Is(err, context.Canceled) {
		t.Errorf("Run with a cancelled context = %v, want ErrCanceled and context.Canceled", err)
	}
}

func TestRunNested(t *testing.T) {
	// Python: asyncio.run() inside a coroutine of a running loop raises
	// RuntimeError and never runs the coroutine given to it.
	innerRan := false
	inner := asyncio.Async(func(a *asyncio.A) (int, error) { innerRan = true; return 1, nil })
	_, err := vrun(func(a *asyncio.A) (int, error) {
		// From a coroutine awaited inline, a few levels down.
		return asyncio.Await(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			return asyncio.Run(context.Background(), inner, asyncio.WithVirtualTime())
		}))
	})
	if !errors.Is(err, asyncio.ErrNestedRun) {
		t.Errorf("nested Run = %v, want ErrNestedRun", err)
	}
	if innerRan || inner.State() != gen.Closed {
		t.Errorf("nested Run's coroutine: ran %v, state %v; want not run, closed", innerRan, inner.State())
	}
}

func TestRunNotNestedFromOtherGoroutines(t *testing.T) {
	// Runs on other goroutines while a loop runs are not nested: one from
	// a ToThread worker (Python: asyncio.run inside to_thread is fine), and
	// several side by side.
	got, err := vrun(func(a *asyncio.A) (int, error) {
		return asyncio.ToThread(a, func(ctx context.Context) (int, error) {
			return asyncio.Run(ctx, after(time.Second, 7), asyncio.WithVirtualTime())
		})
	})
	if got != 7 || err != nil {
		t.Errorf("Run in a worker = %v, %v; want 7, nil", got, err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := vrun(func(a *asyncio.A) (int, error) {
				return asyncio.Await(a, after(time.Duration(i)*time.Second, i))
			})
			if err == nil && v != i {
				err = fmt.Errorf("got %d", v)
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Errorf("concurrent Runs: %v", err)
	}
}

// TestRunNestedInLoopCode checks that Run refuses to run from any code a
// running loop executes, not only from a task's coroutine: from callbacks
// (Python: asyncio.run inside a call_soon callback raises RuntimeError),
// from a done callback, from a hook, and from an async generator's body.
// The loop it would run would freeze the running one.
func TestRunNestedInLoopCode(t *testing.T) {
	tests := []struct {
		name string
		main func(a *asyncio.A, nested func()) error
		opts func(nested func()) []asyncio.Option
	}{{
		name: "CallSoon",
		main: func(a *asyncio.A, nested func()) error {
			asyncio.GetRunningLoop(a).CallSoon(nested)
			return asyncio.Sleep(a, 0)
		},
	}, {
		name: "CallLater",
		main: func(a *asyncio.A, nested func()) error {
			asyncio.GetRunningLoop(a).CallLater(time.Second, nested)
			return asyncio.Sleep(a, 2*time.Second)
		},
	}, {
		name: "CallSoonThreadsafe",
		main: func(a *asyncio.A, nested func()) error {
			l := asyncio.GetRunningLoop(a)
			_, err := asyncio.ToThread(a, func(context.Context) (int, error) {
				return 0, l.CallSoonThreadsafe(nested)
			})
			if err != nil {
				return err
			}
			return asyncio.Sleep(a, 0)
		},
	}, {
		name: "done callback",
		main: func(a *asyncio.A, nested func()) error {
			task := asyncio.CreateTask(a, after(time.Second, 1))
			task.AddDoneCallback(func(*asyncio.Task[int]) { nested() })
			_, err := task.Await(a)
			if err != nil {
				return err
			}
			return asyncio.Sleep(a, 0)
		},
	}, {
		name: "hook",
		main: func(a *asyncio.A, nested func()) error { return asyncio.Sleep(a, time.Second) },
		opts: func(nested func()) []asyncio.Option {
			once := false
			return []asyncio.Option{asyncio.WithHooks(&asyncio.Hooks{LoopIdle: func(time.Time) {
				if !once {
					once = true
					nested()
				}
			}})}
		},
	}, {
		name: "async generator body",
		main: func(a *asyncio.A, nested func()) error {
			ag := asyncio.NewAsyncGenerator(func(a *asyncio.A, yield func(int) (struct{}, error)) error {
				nested()
				return nil
			})
			_, err := ag.ANext(a)
			if errors.Is(err, asyncio.ErrStopAsyncIteration) {
				err = nil
			}
			return err
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			innerRan := false
			inner := asyncio.Async(func(a *asyncio.A) (int, error) { innerRan = true; return 1, nil })
			var nestedErr error
			nested := func() { _, nestedErr = asyncio.Run(context.Background(), inner, asyncio.WithVirtualTime()) }
			var opts []asyncio.Option
			if tt.opts != nil {
				opts = tt.opts(nested)
			}
			if err := vrun0(func(a *asyncio.A) error { return tt.main(a, nested) }, opts...); err != nil {
				t.Fatalf("Run = %v", err)
			}
			if !errors.Is(nestedErr, asyncio.ErrNestedRun) {
				t.Errorf("nested Run = %v, want ErrNestedRun", nestedErr)
			}
			if innerRan || inner.State() != gen.Closed {
				t.Errorf("nested Run's coroutine: ran %v, state %v; want not run, closed", innerRan, inner.State())
			}
		})
	}
}

// TestRunNestedAsksOnlyTheCaller checks that whether Run is nested depends
// on the calling goroutine alone: a plain generator's body may call Run,
// whether or not another loop runs on another goroutine meanwhile.
func TestRunNestedAsksOnlyTheCaller(t *testing.T) {
	runInGenerator := func() (int, error) {
		g := gen.New(func(y *gen.Yielder[int, gen.None]) (gen.None, error) {
			v, err := asyncio.Run(context.Background(), after(time.Second, 5), asyncio.WithVirtualTime())
			if err != nil {
				return gen.None{}, err
			}
			_, err = y.Yield(v)
			return gen.None{}, err
		})
		defer g.Close()
		v, ok := g.Next()
		if !ok {
			_, err := g.Result()
			return 0, err
		}
		return v, nil
	}
	if v, err := runInGenerator(); v != 5 || err != nil {
		t.Errorf("Run in a generator, no other loop running = %v, %v; want 5, nil", v, err)
	}

	// Another loop, on another goroutine, waits for a worker.
	release, started := make(chan struct{}), make(chan struct{})
	otherDone := make(chan error)
	go func() {
		_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
			return asyncio.ToThread(a, func(context.Context) (int, error) {
				close(started)
				<-release
				return 0, nil
			})
		}))
		otherDone <- err
	}()
	<-started
	v, err := runInGenerator()
	close(release)
	if err := <-otherDone; err != nil {
		t.Errorf("the other loop's Run = %v", err)
	}
	if v != 5 || err != nil {
		t.Errorf("Run in a generator while another loop runs = %v, %v; want 5, nil", v, err)
	}
}

// TestRunNestedConcurrently runs loops on several goroutines at once, whose
// tasks and callbacks try to run nested loops while plain generators on
// other goroutines run theirs: each answer depends on its caller alone.
func TestRunNestedConcurrently(t *testing.T) {
	const goroutines = 8
	var wg sync.WaitGroup
	errs := make([]error, goroutines)
	for i := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			inner := func() error {
				v, err := asyncio.Run(context.Background(), after(time.Second, i), asyncio.WithVirtualTime())
				if err == nil && v != i {
					err = fmt.Errorf("inner Run = %d, want %d", v, i)
				}
				return err
			}
			if i%2 == 0 {
				// A plain generator's body: allowed.
				for range 20 {
					g := gen.New(func(*gen.Yielder[int, gen.None]) (gen.None, error) { return gen.None{}, inner() })
					g.Next()
					if _, err := g.Result(); err != nil {
						errs[i] = fmt.Errorf("Run in a generator: %w", err)
						return
					}
				}
				return
			}
			// A loop's task and callbacks: refused.
			errs[i] = vrun0(func(a *asyncio.A) error {
				for range 20 {
					var cbErr error
					asyncio.GetRunningLoop(a).CallSoon(func() { cbErr = inner() })
					if err := inner(); !errors.Is(err, asyncio.ErrNestedRun) {
						return fmt.Errorf("Run in a task = %v, want ErrNestedRun", err)
					}
					if err := asyncio.Sleep(a, time.Millisecond); err != nil {
						return err
					}
					if !errors.Is(cbErr, asyncio.ErrNestedRun) {
						return fmt.Errorf("Run in a callback = %v, want ErrNestedRun", cbErr)
					}
				}
				return nil
			})
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Error(err)
	}
}

// TestGetRunningLoopOutsideLoop checks that GetRunningLoop and CreateTask,
// called from a coroutine no task drives, panic with an error that matches
// ErrNoRunningLoop, as GetRunningLoop's doc says.
func TestGetRunningLoopOutsideLoop(t *testing.T) {
	tests := []struct {
		name string
		call func(a *asyncio.A)
	}{
		{"GetRunningLoop", func(a *asyncio.A) { asyncio.GetRunningLoop(a) }},
		{"CreateTask", func(a *asyncio.A) { asyncio.CreateTask(a, after(0, 1)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got any
			_, _ = coro.RoundRobin(coro.New(func(a *asyncio.A) (int, error) {
				defer func() { got = recover() }()
				tt.call(a)
				return 0, nil
			}))
			err, _ := got.(error)
			if !errors.Is(err, asyncio.ErrNoRunningLoop) || !strings.HasPrefix(fmt.Sprint(got), "asyncio."+tt.name+": ") {
				t.Errorf("%s outside a loop panicked with %#v, want an error naming the call and matching ErrNoRunningLoop", tt.name, got)
			}
		})
	}
}

func TestRunDeadlock(t *testing.T) {
	// asyncio would hang forever here; Run reports every blocked task where
	// the deadlock is proven: on the virtual clock, or under strictness.
	for _, clock := range []struct {
		name string
		opts []asyncio.Option
	}{
		{"virtual", []asyncio.Option{asyncio.WithVirtualTime()}},
		{"real, strict", []asyncio.Option{asyncio.WithStrictDeadlocks()}},
	} {
		t.Run(clock.name, func(t *testing.T) {
			_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
				f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
				w := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
					return f.Await(a)
				}))
				w.SetName("worker")
				if err := asyncio.Sleep(a, time.Millisecond); err != nil {
					return 0, err
				}
				return w.Await(a)
			}), clock.opts...)
			var de *asyncio.DeadlockError
			if !errors.As(err, &de) {
				t.Fatalf("Run = %v, want a *DeadlockError", err)
			}
			var got []string
			for _, bt := range de.Tasks {
				got = append(got, bt.Name+" awaits "+bt.Awaiting)
			}
			want := []string{"Task-1 awaits <Task worker pending>", "worker awaits <Future pending>"}
			if !slices.Equal(got, want) {
				t.Errorf("blocked tasks = %q, want %q", got, want)
			}
			for _, name := range []string{"Task-1", "worker"} {
				if !strings.Contains(err.Error(), name) {
					t.Errorf("Error() does not name %s:\n%v", name, err)
				}
			}
		})
	}
}

func TestRunCancelsPendingTasks(t *testing.T) {
	// Python's asyncio.run cancels the tasks still pending when main
	// returns and waits for them: their finally clauses run.
	var log evLog
	got, err := vrun(func(a *asyncio.A) (string, error) {
		asyncio.CreateTask(a, sleepLogged(&log, "sleeper", time.Hour))
		asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			// Handles the first cancellation, then needs a moment to clean up.
			err := asyncio.Sleep(a, time.Hour)
			log.add("cleaner: %v", err)
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return 0, err
			}
			log.add("cleaner cleaned up")
			return 0, nil
		}))
		asyncio.CreateTask(a, sleepLogged(&log, "third", time.Hour))
		if err := asyncio.Sleep(a, 0); err != nil {
			return "", err
		}
		log.add("main returns")
		return "main", nil
	}, asyncio.WithDiagnostics(io.Discard))
	if got != "main" || err != nil {
		t.Errorf("Run = %q, %v; want main, nil", got, err)
	}
	want := evLog{
		"main returns",
		"sleeper: canceled", "sleeper deferred",
		"cleaner: canceled",
		"third: canceled", "third deferred",
		"cleaner cleaned up",
	}
	if !slices.Equal(log, want) {
		t.Errorf("log:\n%s\nwant:\n%s", strings.Join(log, "\n"), strings.Join(want, "\n"))
	}
}

func TestRunClosesTaskThatRefusesToEnd(t *testing.T) {
	// A task that swallows its cancellation and waits for something that
	// never comes: Python's asyncio.run would hang. Run closes it (its
	// deferred calls run) and returns.
	deferred := false
	_, _ = vrun(func(a *asyncio.A) (int, error) {
		asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			defer func() { deferred = true }()
			for {
				// A fresh future each time: a cancelled one would not
				// suspend again, and the loop would spin.
				f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
				_, _ = f.Await(a)
			}
		}))
		return 0, asyncio.Sleep(a, 0)
	}, asyncio.WithDiagnostics(io.Discard))
	if !deferred {
		t.Errorf("the deferred call of a task that refused to end did not run")
	}
}

func TestRunMainAlreadyAwaited(t *testing.T) {
	c := after(0, 1)
	if _, err := vrun(func(a *asyncio.A) (int, error) { return c.Await(a) }); err != nil {
		t.Fatalf("first Run = %v", err)
	}
	if _, err := asyncio.Run(context.Background(), c, asyncio.WithVirtualTime()); !errors.Is(err, coro.ErrReused) {
		t.Errorf("Run of an awaited coroutine = %v, want coro.ErrReused", err)
	}
}

func TestRunLeavesNoGoroutine(t *testing.T) {
	// Everything a Run starts is gone when it returns: tasks (their
	// coroutines count as goroutines), workers, timers, the context
	// watcher.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	before := leaktest.Count()
	_, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
		for i := range 10 {
			asyncio.CreateTask(a, after(time.Duration(i)*time.Hour, i)) // left pending
		}
		asyncio.GetRunningLoop(a).CallLater(time.Hour, func() {})
		err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			for i := range 5 {
				asyncio.CreateTask(tg, after(time.Duration(i)*time.Second, i))
				asyncio.CreateTask(tg, asyncio.Async(func(a *asyncio.A) (int, error) {
					return asyncio.ToThread(a, func(context.Context) (int, error) { return i, nil })
				}))
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
		_, err = asyncio.Gather(a, after(time.Second, 1), after(2*time.Second, 2))
		return 0, err
	}), asyncio.WithVirtualTime(), asyncio.WithDiagnostics(io.Discard))
	if err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	checkGoroutines(t, before)
}

func TestRunLeavesNoGoroutineAfterDeadlock(t *testing.T) {
	before := leaktest.Count()
	_, err := vrun(func(a *asyncio.A) (int, error) {
		f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
		for range 3 {
			asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) { return f.Await(a) }))
		}
		return f.Await(a)
	})
	var de *asyncio.DeadlockError
	if !errors.As(err, &de) || len(de.Tasks) != 4 {
		t.Fatalf("Run = %v, want a *DeadlockError of 4 tasks", err)
	}
	checkGoroutines(t, before)
}

// TestContextCancelOnVirtualClock checks that a context cancelled while the
// loop runs on the virtual clock reaches the main task before the clock
// jumps past its sleep.
func TestContextCancelOnVirtualClock(t *testing.T) {
	for range 20 {
		ctx, cancel := context.WithCancel(context.Background())
		slept, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (time.Duration, error) {
			l := asyncio.GetRunningLoop(a)
			start := l.Time()
			cancel()
			err := asyncio.Sleep(a, time.Hour)
			return l.Time().Sub(start), err
		}), asyncio.WithVirtualTime())
		if !errors.Is(err, asyncio.ErrCanceled) || slept != 0 {
			t.Fatalf("Run() = %v, %v; want the sleep cancelled at once", slept, err)
		}
	}
}

// TestRunNilCoroutine checks that Run reports a nil coroutine as an error
// and that creating a task of one fails that task's creator, not the loop.
func TestRunNilCoroutine(t *testing.T) {
	if _, err := asyncio.Run[int](context.Background(), nil); err == nil {
		t.Error("Run(nil) returned no error")
	}
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		asyncio.CreateTask[int](a, nil)
		return 0, nil
	}), asyncio.WithVirtualTime())
	var pe *coro.PanicError
	if !errors.As(err, &pe) || !strings.Contains(fmt.Sprint(pe.Value), "nil coroutine") {
		t.Errorf("CreateTask(nil) made Run return %v, want a *coro.PanicError naming the nil coroutine", err)
	}
}
