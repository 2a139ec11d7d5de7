package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// onIdle returns hooks that close the channel it returns the first time the
// loop goes idle: a goroutine that waits for it calls in only once the loop
// has nothing left to do.
func onIdle() (*asyncio.Hooks, <-chan struct{}) {
	idle := make(chan struct{})
	var once sync.Once
	return &asyncio.Hooks{LoopIdle: func(time.Time) { once.Do(func() { close(idle) }) }}, idle
}

// TestUnregisteredCallerIsNoDeadlock has a goroutine that did not call
// RegisterExternal complete the main task's future through
// CallSoonThreadsafe once the loop is idle, as Python's
// call_soon_threadsafe bridge does: the loop waits for it, on the real
// clock as asyncio does, and on the virtual clock for the idle threshold.
func TestUnregisteredCallerIsNoDeadlock(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []asyncio.Option
	}{
		{"real clock", nil},
		{"virtual clock", []asyncio.Option{asyncio.WithVirtualTime(), asyncio.WithIdleThreshold(time.Minute)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			hooks, idle := onIdle()
			done := make(chan struct{})
			got, err := asyncio.Run(t.Context(), asyncio.Async(func(a *asyncio.A) (string, error) {
				loop := asyncio.GetRunningLoop(a)
				f := asyncio.NewFuture[string](loop)
				go func() {
					defer close(done)
					<-idle
					_ = loop.CallSoonThreadsafe(func() { f.SetResult("from outside") })
				}()
				return f.Await(a)
			}), append(tt.opts, asyncio.WithHooks(hooks))...)
			<-done
			if got != "from outside" || err != nil {
				t.Errorf("Run() = %q, %v, want %q, nil", got, err, "from outside")
			}
		})
	}
}

// signalWriter collects what is written to it and closes written at the
// first write.
type signalWriter struct {
	mu      sync.Mutex
	buf     strings.Builder
	once    sync.Once
	written chan struct{}
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	w.once.Do(func() { close(w.written) })
	return len(p), nil
}

func (w *signalWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestStallReport checks that on the real clock, tasks blocked with nothing
// pending are reported to the diagnostics writer after the stall
// threshold, with what each awaits and where, and that the report is not an
// error: the goroutine that answers after it still completes the run.
func TestStallReport(t *testing.T) {
	diag := &signalWriter{written: make(chan struct{})}
	done, finished := make(chan struct{}), make(chan struct{})
	awaits := diagLine() + 14
	got, err := asyncio.Run(t.Context(), asyncio.Async(func(a *asyncio.A) (string, error) {
		asyncio.CurrentTask(a).SetName("main")
		loop := asyncio.GetRunningLoop(a)
		f := asyncio.NewFuture[string](loop)
		go func() {
			defer close(done)
			select {
			case <-diag.written:
			case <-finished: // Run returned without a report
				return
			}
			_ = loop.CallSoonThreadsafe(func() { f.SetResult("late answer") })
		}()
		return f.Await(a)
	}), asyncio.WithStallThreshold(time.Millisecond), asyncio.WithDiagnostics(diag))
	close(finished)
	<-done
	if got != "late answer" || err != nil {
		t.Errorf("Run() = %q, %v, want %q, nil", got, err, "late answer")
	}
	report := diag.String()
	for _, want := range []string{"stalled", "main awaits", diagHere(awaits), "RegisterExternal"} {
		if !strings.Contains(report, want) {
			t.Errorf("the stall report does not contain %q:\n%s", want, report)
		}
	}
}

// TestStrictDeadlocks checks that WithStrictDeadlocks reports a deadlock on
// the real clock at once, with the same report as the virtual clock's.
func TestStrictDeadlocks(t *testing.T) {
	_, err := asyncio.Run(t.Context(), asyncio.Async(func(a *asyncio.A) (int, error) {
		return asyncio.NewFuture[int](asyncio.GetRunningLoop(a)).Await(a)
	}), asyncio.WithStrictDeadlocks())
	var e *asyncio.DeadlockError
	if !errors.As(err, &e) || len(e.Tasks) != 1 {
		t.Fatalf("Run() = %v, want a *DeadlockError of one task", err)
	}
}

// TestVirtualClockJumpsPastOutsideWork checks the virtual clock's autojump:
// outside work in flight that stays silent for the idle threshold does not
// keep the loop's timers from firing.
func TestVirtualClockJumpsPastOutsideWork(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c // held open, silent, until the test ends
		}
		close(accepted)
	}()
	defer func() {
		ln.Close()
		for c := range accepted {
			c.Close()
		}
	}()
	tests := []struct {
		name string
		body func(a *asyncio.A) (time.Duration, error)
	}{{
		name: "ToThread under WaitFor",
		body: func(a *asyncio.A) (time.Duration, error) {
			_, err := asyncio.WaitFor(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				return asyncio.ToThread(a, func(ctx context.Context) (int, error) {
					<-ctx.Done()
					return 0, ctx.Err()
				})
			}), time.Second)
			if !errors.Is(err, asyncio.ErrTimeout) {
				return 0, fmt.Errorf("WaitFor = %v, want ErrTimeout", err)
			}
			return time.Second, nil
		},
	}, {
		name: "idle connection to a server outside the loop",
		body: func(a *asyncio.A) (time.Duration, error) {
			_, w, err := asyncio.OpenConnection(a, "127.0.0.1", ln.Addr().(*net.TCPAddr).Port)
			if err != nil {
				return 0, err
			}
			defer w.Close()
			return 10 * time.Millisecond, asyncio.Sleep(a, 10*time.Millisecond)
		},
	}, {
		name: "registered sender that stays silent",
		body: func(a *asyncio.A) (time.Duration, error) {
			release := asyncio.GetRunningLoop(a).RegisterExternal()
			defer release()
			return time.Hour, asyncio.Sleep(a, time.Hour)
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second) // a hang fails instead of blocking
			defer cancel()
			var elapsed, want time.Duration
			_, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
				loop := asyncio.GetRunningLoop(a)
				start := loop.Time()
				var err error
				want, err = tt.body(a)
				elapsed = loop.Time().Sub(start)
				return 0, err
			}), asyncio.WithVirtualTime())
			if err != nil || elapsed != want {
				t.Errorf("Run() = %v after %v of virtual time, want nil after %v", err, elapsed, want)
			}
		})
	}
}

// TestContextCancelledDuringShutdown cancels Run's context while Run shuts
// down, after main has returned: the cancellation no longer goes anywhere,
// so it must not hold the virtual clock, and a pending task's cleanup that
// sleeps still ends.
func TestContextCancelledDuringShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var cleanup error
	done := make(chan error, 1)
	go func() {
		_, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
			asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				err := asyncio.Sleep(a, time.Hour) // cancelled by the shutdown
				cancel()
				cleanup = asyncio.Sleep(a, time.Second)
				return 0, err
			}))
			return 0, asyncio.Sleep(a, 0)
		}), asyncio.WithVirtualTime(), asyncio.WithDiagnostics(nil))
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil || cleanup != nil {
			t.Errorf("Run() = %v, cleanup's Sleep = %v, want nil, nil", err, cleanup)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return: the cancelled context held the virtual clock")
	}
}

// TestRunWaitsForRegistration checks what RegisterExternal documents: Run
// does not return while a registration is not released, even after main
// has returned, and returns once it is.
func TestRunWaitsForRegistration(t *testing.T) {
	hooks, idle := onIdle()
	var release func()
	done := make(chan error, 1)
	go func() {
		_, err := asyncio.Run(t.Context(), asyncio.Async(func(a *asyncio.A) (int, error) {
			release = asyncio.GetRunningLoop(a).RegisterExternal()
			return 0, nil
		}), asyncio.WithVirtualTime(), asyncio.WithHooks(hooks))
		done <- err
	}()
	<-idle // main has returned, and the loop waits
	select {
	case err := <-done:
		t.Fatalf("Run() = %v before the registration was released", err)
	default:
	}
	release()
	if err := <-done; err != nil {
		t.Errorf("Run() = %v, want nil", err)
	}
}

// TestSleepZeroPollingHoldsVirtualClock checks what VirtualClock documents:
// a task polling with Sleep(a, 0) keeps the clock from advancing, so a
// timer due in a second does not fire while it polls.
func TestSleepZeroPollingHoldsVirtualClock(t *testing.T) {
	const polls = 1000
	fired := false
	_, err := asyncio.Run(t.Context(), asyncio.Async(func(a *asyncio.A) (int, error) {
		loop := asyncio.GetRunningLoop(a)
		start := loop.Time()
		loop.CallLater(time.Second, func() { fired = true })
		for range polls {
			if err := asyncio.Sleep(a, 0); err != nil {
				return 0, err
			}
		}
		if fired || loop.Time() != start {
			t.Errorf("after %d polls the clock moved by %v and the timer fired = %v, want 0 and false", polls, loop.Time().Sub(start), fired)
		}
		return 0, asyncio.Sleep(a, time.Second)
	}), asyncio.WithVirtualTime())
	if err != nil || !fired {
		t.Errorf("Run() = %v, timer fired = %v, want nil, true", err, fired)
	}
}
