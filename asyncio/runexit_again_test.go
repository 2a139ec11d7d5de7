package asyncio_test

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

// TestRunShutdownSurvivesAnotherGoexit has several tasks call
// runtime.Goexit when shutdown cancels them, as background tasks of a test
// that call t.Fatal on any error do: each Goexit unwinds the shutdown that
// the one before started, which must still end every task and leave no
// goroutine, whether Run was returning or already unwinding.
func TestRunShutdownSurvivesAnotherGoexit(t *testing.T) {
	for _, mainExits := range []bool{false, true} {
		for _, n := range []int{1, 2, 4} {
			t.Run(fmt.Sprintf("main exits=%v/%d tasks", mainExits, n), func(t *testing.T) {
				before := leaktest.Count()
				log := new(syncLog)
				returned := runOnGoroutine(func() {
					_, _ = asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
						for range n {
							asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
								log.add("started")
								defer log.add("ended")
								if err := asyncio.Sleep(a, time.Hour); err != nil {
									runtime.Goexit() // t.Fatal(err)
								}
								return 0, nil
							}))
						}
						if err := asyncio.Sleep(a, time.Millisecond); err != nil {
							return 0, err
						}
						if mainExits {
							runtime.Goexit()
						}
						return 0, nil
					}), asyncio.WithVirtualTime(), asyncio.WithDiagnostics(io.Discard))
				})
				if returned {
					t.Error("Run returned after a Goexit")
				}
				if started, ended := log.count("started"), log.count("ended"); started != n || ended != n {
					t.Errorf("%d tasks started, the deferred calls of %d ran; want %d and %d", started, ended, n, n)
				}
				checkGoroutines(t, before)
			})
		}
	}
}

// TestRunShutdownSurvivesAHookThatAlwaysExits has a LoopIdle hook call
// runtime.Goexit every time while the shutdown waits for a worker: each
// Goexit starts the shutdown again, and one that came back every time,
// using up nothing, would nest shutdowns until the stack overflowed. Once a
// second unwinding has come, hooks are no longer called.
func TestRunShutdownSurvivesAHookThatAlwaysExits(t *testing.T) {
	before := leaktest.Count()
	var idles atomic.Int64
	returned := runOnGoroutine(func() {
		_, _ = asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
			asyncio.RunInExecutor(asyncio.GetRunningLoop(a), func(context.Context) (int, error) {
				time.Sleep(5 * time.Millisecond) // ignores its context
				return 0, nil
			})
			return 0, nil
		}), asyncio.WithVirtualTime(), asyncio.WithDiagnostics(io.Discard), asyncio.WithHooks(&asyncio.Hooks{
			LoopIdle: func(time.Time) {
				idles.Add(1)
				runtime.Goexit()
			},
		}))
	})
	if returned {
		t.Error("Run returned after a Goexit")
	}
	if n := idles.Load(); n > 2 {
		t.Errorf("LoopIdle called %d times, want at most 2: the hook that unwound the shutdown twice is called again", n)
	}
	checkGoroutines(t, before)
}
