package asyncio_test

import (
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

// sleepers creates n tasks that sleep for an hour and log, in a deferred
// call, that they ended: what Run's shutdown must cancel and wait for.
func sleepers(a *asyncio.A, log *syncLog, n int) {
	for range n {
		asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			defer log.add("sleeper ended")
			return 0, asyncio.Sleep(a, time.Hour)
		}))
	}
}

// A syncLog is a log that the goroutines of a test may write to.
type syncLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *syncLog) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, s)
}

func (l *syncLog) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		if line == s {
			n++
		}
	}
	return n
}

// runOnGoroutine calls run on a goroutine of its own, as a test's t.FailNow
// would need it to be called on the test's goroutine, and reports whether
// run returned (false: the goroutine exited through runtime.Goexit).
func runOnGoroutine(run func()) (returned bool) {
	done := make(chan bool)
	go func() {
		ok := false
		defer func() { done <- ok }()
		run()
		ok = true
	}()
	return <-done
}

// TestRunShutsDownOnGoexit checks that a runtime.Goexit (what t.FailNow and
// t.SkipNow call) inside a task, a callback or a hook ends the goroutine that
// called Run as it would have ended it outside a loop, after Run has shut the
// loop down: every other task is cancelled and its deferred calls run, and
// no goroutine is left.
func TestRunShutsDownOnGoexit(t *testing.T) {
	tests := []struct {
		name string
		main func(a *asyncio.A, log *syncLog) (int, error)
		opts func(log *syncLog) []asyncio.Option
	}{{
		name: "main task",
		main: func(a *asyncio.A, log *syncLog) (int, error) {
			sleepers(a, log, 3)
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return 0, err
			}
			defer log.add("main ended")
			runtime.Goexit()
			return 0, nil
		},
	}, {
		name: "child task, awaited",
		main: func(a *asyncio.A, log *syncLog) (int, error) {
			sleepers(a, log, 3)
			return asyncio.Await(a, asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				defer log.add("main ended")
				return asyncio.Await(a, asyncio.Async(func(a *asyncio.A) (int, error) {
					if err := asyncio.Sleep(a, time.Second); err != nil {
						return 0, err
					}
					runtime.Goexit()
					return 0, nil
				}))
			})))
		},
	}, {
		name: "async generator",
		main: func(a *asyncio.A, log *syncLog) (int, error) {
			sleepers(a, log, 3)
			defer log.add("main ended")
			ag := asyncio.NewAsyncGenerator(func(a *asyncio.A, yield func(int) (struct{}, error)) error {
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return err
				}
				runtime.Goexit()
				return nil
			})
			return ag.ANext(a)
		},
	}, {
		name: "callback",
		main: func(a *asyncio.A, log *syncLog) (int, error) {
			sleepers(a, log, 3)
			defer log.add("main ended")
			asyncio.GetRunningLoop(a).CallLater(time.Second, runtime.Goexit)
			return 0, asyncio.Sleep(a, time.Hour)
		},
	}, {
		name: "hook",
		main: func(a *asyncio.A, log *syncLog) (int, error) {
			sleepers(a, log, 3)
			defer log.add("main ended")
			return 0, asyncio.Sleep(a, time.Hour)
		},
		opts: func(log *syncLog) []asyncio.Option {
			return []asyncio.Option{asyncio.WithHooks(&asyncio.Hooks{
				LoopIdle: func(time.Time) { runtime.Goexit() },
			})}
		},
	}, {
		name: "task cancelled at shutdown",
		main: func(a *asyncio.A, log *syncLog) (int, error) {
			sleepers(a, log, 2)
			asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				defer log.add("main ended")
				_ = asyncio.Sleep(a, time.Hour)
				runtime.Goexit()
				return 0, nil
			}))
			sleepers(a, log, 1)
			return 0, asyncio.Sleep(a, time.Second)
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := leaktest.Count()
			log := new(syncLog)
			opts := []asyncio.Option{asyncio.WithVirtualTime(), asyncio.WithDiagnostics(io.Discard)}
			if tt.opts != nil {
				opts = append(opts, tt.opts(log)...)
			}
			returned := runOnGoroutine(func() {
				_, _ = asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
					return tt.main(a, log)
				}), opts...)
			})
			if returned {
				t.Errorf("Run returned; want its goroutine to exit, as runtime.Goexit makes it")
			}
			if got := log.count("sleeper ended"); got != 3 {
				t.Errorf("%d sleepers ended, want 3", got)
			}
			if got := log.count("main ended"); got != 1 {
				t.Errorf("the deferred call of the task that exited ran %d times, want 1", got)
			}
			checkGoroutines(t, before)
		})
	}
}

// TestRunGoexitAtEveryStep calls runtime.Goexit at each step of a program
// of tasks that sleep, await each other and hold a lock, on several seeded
// schedules: wherever it comes, the deferred calls of every task that
// started run, and nothing is left.
func TestRunGoexitAtEveryStep(t *testing.T) {
	const tasks = 6 // main and the ones it creates
	before := leaktest.Count()
	for seed := range uint64(3) {
		for exitAt := 1; ; exitAt++ {
			log := new(syncLog)
			steps := 0
			step := func() {
				if steps++; steps == exitAt {
					runtime.Goexit()
				}
			}
			returned := runOnGoroutine(func() {
				_, _ = asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
					log.add("started")
					defer log.add("ended")
					var lock asyncio.Lock
					var prev *asyncio.Task[int]
					for i := range tasks - 1 {
						prev = asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
							log.add("started")
							defer log.add("ended")
							for j := range 3 {
								step()
								if err := lock.Acquire(a); err != nil {
									return 0, err
								}
								step()
								err := asyncio.Sleep(a, time.Duration(i+j)*time.Millisecond)
								_ = lock.Release()
								if err != nil {
									return 0, err
								}
							}
							if prev != nil {
								return asyncio.Await(a, prev)
							}
							return i, nil
						}))
					}
					step()
					return asyncio.Await(a, prev)
				}), asyncio.WithVirtualTime(), asyncio.WithSeed(seed), asyncio.WithDiagnostics(io.Discard))
			})
			if returned {
				if exitAt <= steps {
					t.Fatalf("seed %d: Run returned after a Goexit at step %d", seed, exitAt)
				}
				break // the program ended before step exitAt: all steps done
			}
			if started, ended := log.count("started"), log.count("ended"); ended != started || started == 0 {
				t.Fatalf("seed %d, Goexit at step %d: %d tasks started, the deferred calls of %d ran", seed, exitAt, started, ended)
			}
		}
	}
	checkGoroutines(t, before)
}

// TestRunShutsDownOnPanic checks that a panic that unwinds Run (here one
// raised by the diagnostics writer, which the loop does not contain) leaves
// nothing behind either, and reaches Run's caller unchanged.
func TestRunShutsDownOnPanic(t *testing.T) {
	before := leaktest.Count()
	log := new(syncLog)
	var got any
	func() {
		defer func() { got = recover() }()
		_, _ = asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
			sleepers(a, log, 3)
			asyncio.GetRunningLoop(a).CallSoon(func() { panic("in a callback") })
			return 0, asyncio.Sleep(a, time.Hour)
		}), asyncio.WithVirtualTime(), asyncio.WithDiagnostics(panicWriter{}))
	}()
	if got != "diagnostics writer" {
		t.Errorf("Run panicked with %v, want the writer's panic", got)
	}
	if n := log.count("sleeper ended"); n != 3 {
		t.Errorf("%d sleepers ended, want 3", n)
	}
	checkGoroutines(t, before)
}

// A panicWriter panics on every write.
type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("diagnostics writer") }

// TestRunToThreadGoexit checks that a ToThread function that calls
// runtime.Goexit (t.FailNow on the wrong goroutine) fails its ToThread
// instead of leaving Run waiting forever for a worker that is gone.
func TestRunToThreadGoexit(t *testing.T) {
	before := leaktest.Count()
	done := make(chan error)
	go func() {
		_, err := vrun(func(a *asyncio.A) (int, error) {
			return asyncio.ToThread(a, func(context.Context) (int, error) {
				runtime.Goexit()
				return 1, nil
			})
		})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "runtime.Goexit") {
			t.Errorf("Run = %v, want ToThread's error naming runtime.Goexit", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run still waits for a worker that called runtime.Goexit")
	}
	checkGoroutines(t, before)
}

// TestRunContextCancelledBeforeRun checks that the main task sees a context
// cancelled before Run at its first await, every time: the cancellation must
// not depend on when the goroutine that context.AfterFunc starts gets to run
// (with one processor, the loop used to finish first).
func TestRunContextCancelledBeforeRun(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	ctx, cancel := context.WithCancelCause(context.Background())
	errCause := errors.New("gone")
	cancel(errCause)
	firstAwaits := []struct {
		name  string
		await func(a *asyncio.A) error
	}{
		{"Sleep(0)", func(a *asyncio.A) error { return asyncio.Sleep(a, 0) }},
		{"Sleep", func(a *asyncio.A) error { return asyncio.Sleep(a, time.Second) }},
		{"task", func(a *asyncio.A) error { _, err := asyncio.Await(a, asyncio.CreateTask(a, after(0, 1))); return err }},
	}
	for _, fa := range firstAwaits {
		t.Run(fa.name, func(t *testing.T) {
			for i := range 200 {
				got, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (string, error) {
					if err := fa.await(a); err != nil {
						return "first await: " + err.Error(), err
					}
					return "first await returned", asyncio.Sleep(a, 0)
				}), asyncio.WithVirtualTime())
				if got != "first await: canceled" || !errors.Is(err, asyncio.ErrCanceled) || !errors.Is(err, errCause) {
					t.Fatalf("run %d: Run = %q, %v; want the first await cancelled with the context's cause", i, got, err)
				}
			}
		})
	}
}

// TestRunClosesSuspendedAsyncGenerator checks that an async generator left
// suspended when main returns, whose cleanup awaits something that never
// comes, is ended as a task that refuses its cancellation is: its deferred
// calls run and nothing of it is left. Several such generators, and tasks
// their cleanups create, end too.
func TestRunClosesSuspendedAsyncGenerator(t *testing.T) {
	before := leaktest.Count()
	log := new(syncLog)
	var cleanupTasks []*asyncio.Task[int]
	stubborn := func(name string) *asyncio.AsyncGenerator[int, struct{}] {
		return asyncio.NewAsyncGenerator(func(a *asyncio.A, yield func(int) (struct{}, error)) error {
			defer log.add(name + " deferred")
			if _, err := yield(1); err != nil {
				log.add(name + " cleans up")
				cleanupTasks = append(cleanupTasks, asyncio.CreateTask(a, after(time.Hour, 0)))
				for {
					// Waits forever, whatever it is thrown.
					f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
					if _, err := f.Await(a); err != nil {
						log.add(name + ": " + err.Error())
					}
				}
			}
			return nil
		})
	}
	_, err := vrun(func(a *asyncio.A) (int, error) {
		for _, ag := range []*asyncio.AsyncGenerator[int, struct{}]{stubborn("first"), stubborn("second")} {
			if _, err := ag.ANext(a); err != nil {
				return 0, err
			}
		}
		return 0, nil
	}, asyncio.WithDiagnostics(io.Discard))
	var de *asyncio.DeadlockError
	if !errors.As(err, &de) {
		t.Errorf("Run = %v, want the *DeadlockError of the cleanup that never ends", err)
	}
	for _, name := range []string{"first", "second"} {
		for _, line := range []string{name + " cleans up", name + " deferred"} {
			if n := log.count(line); n != 1 {
				t.Errorf("%q logged %d times, want once; log:\n%s", line, n, strings.Join(log.lines, "\n"))
			}
		}
	}
	if len(cleanupTasks) != 2 {
		t.Errorf("the cleanups created %d tasks, want 2", len(cleanupTasks))
	}
	for _, ct := range cleanupTasks {
		if !ct.Done() {
			t.Errorf("%v created by a cleanup is not done", ct)
		}
	}
	checkGoroutines(t, before)
}

// TestRunLeavesNothingOnEveryExit checks the other ways out of Run for
// leftovers: a failing main, a deadlock, a cancelled context, pending tasks.
func TestRunLeavesNothingOnEveryExit(t *testing.T) {
	errMain := errors.New("main failed")
	tests := []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		main func(a *asyncio.A, log *syncLog) (int, error)
		want func(err error) bool
	}{{
		name: "main fails",
		main: func(a *asyncio.A, log *syncLog) (int, error) { return 0, errMain },
		want: func(err error) bool { return errors.Is(err, errMain) },
	}, {
		name: "deadlock",
		main: func(a *asyncio.A, log *syncLog) (int, error) {
			return asyncio.NewFuture[int](asyncio.GetRunningLoop(a)).Await(a)
		},
		want: func(err error) bool { var de *asyncio.DeadlockError; return errors.As(err, &de) },
	}, {
		name: "context cancelled",
		ctx: func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx, cancel
		},
		main: func(a *asyncio.A, log *syncLog) (int, error) { return 0, asyncio.Sleep(a, time.Hour) },
		want: func(err error) bool { return errors.Is(err, context.Canceled) },
	}, {
		name: "main panics",
		main: func(a *asyncio.A, log *syncLog) (int, error) { panic("main") },
		want: func(err error) bool { return err != nil && strings.Contains(err.Error(), "main") },
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := leaktest.Count()
			ctx, cancel := context.Background(), context.CancelFunc(func() {})
			if tt.ctx != nil {
				ctx, cancel = tt.ctx()
			}
			defer cancel()
			log := new(syncLog)
			_, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
				sleepers(a, log, 3)
				if err := asyncio.Sleep(a, 0); err != nil {
					return 0, err
				}
				return tt.main(a, log)
			}), asyncio.WithVirtualTime(), asyncio.WithDiagnostics(io.Discard))
			if !tt.want(err) {
				t.Errorf("Run = %v", err)
			}
			if n := log.count("sleeper ended"); n != 3 {
				t.Errorf("%d sleepers ended, want 3", n)
			}
			checkGoroutines(t, before)
		})
	}
}
