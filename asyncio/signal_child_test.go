//go:build unix

package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// signalChildEnv names the case that TestSignalChild runs, in a child
// process of the test (see TestSignalsInChild): signals whose default
// ends a Go program (SIGINT, SIGTERM) are sent there, not to the test
// runner.
const signalChildEnv = "ASYNCIO_TEST_SIGNAL_CHILD"

// signalChildren are the cases run in a child process: each prints what it
// sees, and may end by a signal.
var signalChildren = map[string]func(){
	// The first SIGINT cancels main, which lets the cancellation through:
	// Run returns ErrInterrupted (Python: KeyboardInterrupt).
	"interrupt": func() {
		_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
			selfSignal(syscall.SIGINT)
			err := asyncio.Sleep(a, time.Hour)
			fmt.Println("main:", errors.Is(err, asyncio.ErrCanceled))
			return 0, err
		}), asyncio.WithInterrupt())
		fmt.Println("Run:", errors.Is(err, asyncio.ErrInterrupted), errors.Is(err, asyncio.ErrCanceled))
	},
	// The handler keeps an idle loop waiting for the signal, even under
	// WithStrictDeadlocks on the virtual clock: a program may wait for
	// Ctrl-C.
	"interrupt awaited": func() {
		_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
			selfSignal(syscall.SIGINT)
			var forever asyncio.Event
			return 0, forever.Wait(a)
		}), asyncio.WithInterrupt(), asyncio.WithVirtualTime(), asyncio.WithStrictDeadlocks())
		fmt.Println("Run:", err)
	},
	// main catches the cancellation of the first SIGINT: Run returns its
	// result.
	"interrupt caught": func() {
		got, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
			selfSignal(syscall.SIGINT)
			if err := asyncio.Sleep(a, time.Hour); !errors.Is(err, asyncio.ErrCanceled) {
				return 0, err
			}
			return 42, nil
		}), asyncio.WithInterrupt())
		fmt.Println("Run:", got, err)
	},
	// A second SIGINT stops the loop at once: Run shuts it down, which
	// cancels main again, and returns ErrInterrupted.
	"interrupt twice": func() {
		_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
			selfSignal(syscall.SIGINT)
			err := asyncio.Sleep(a, time.Hour)
			fmt.Println("main, first:", errors.Is(err, asyncio.ErrCanceled))
			selfSignal(syscall.SIGINT)
			err = asyncio.Sleep(a, time.Hour)
			fmt.Println("main, second:", errors.Is(err, asyncio.ErrCanceled))
			return 0, nil
		}), asyncio.WithInterrupt())
		fmt.Println("Run:", err)
	},
	// A third SIGINT, during the shutdown that the second began, has its
	// default effect: it ends the process.
	"interrupt thrice": func() {
		_, _ = asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
			selfSignal(syscall.SIGINT)
			_ = asyncio.Sleep(a, time.Hour)
			selfSignal(syscall.SIGINT)
			_ = asyncio.Sleep(a, time.Hour)
			fmt.Println("main: shutting down")
			selfSignal(syscall.SIGINT)
			time.Sleep(time.Minute) // the signal ends the process first
			return 0, nil
		}), asyncio.WithInterrupt())
		fmt.Println("Run returned")
	},
	// A SIGINT handler of the program's own replaces WithInterrupt's, in
	// the RunWith that adds it and in those after it.
	"interrupt handled by the program": func() {
		r := asyncio.NewRunner(asyncio.WithInterrupt())
		defer r.Close()
		var ev asyncio.Event
		handled := asyncio.Async(func(a *asyncio.A) (int, error) {
			selfSignal(syscall.SIGINT)
			err := ev.Wait(a)
			ev.Clear()
			return 1, err
		})
		got, err := asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
			if err := asyncio.GetRunningLoop(a).AddSignalHandler(os.Interrupt, ev.Set); err != nil {
				return 0, err
			}
			return asyncio.Await(a, handled)
		}))
		fmt.Println("RunWith:", got, err)
		handled = asyncio.Async(func(a *asyncio.A) (int, error) {
			selfSignal(syscall.SIGINT)
			return 2, ev.Wait(a)
		})
		got, err = asyncio.RunWith(r, context.Background(), handled)
		fmt.Println("RunWith:", got, err)
	},
	// test_runners.py's test_interrupt_call_soon: a main task that never
	// waits for anything but Sleep(0) is cancelled between two steps.
	"interrupt polling": func() {
		r := asyncio.NewRunner(asyncio.WithInterrupt())
		defer r.Close()
		r.Loop().CallLater(time.Millisecond, func() { selfSignal(syscall.SIGINT) })
		_, err := asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
			for {
				if err := asyncio.Sleep(a, 0); err != nil {
					return 0, err
				}
			}
		}))
		fmt.Println("RunWith:", err)
	},
	// test_interrupt_wait: the future main awaits is cancelled with it.
	"interrupt waiting": func() {
		r := asyncio.NewRunner(asyncio.WithInterrupt())
		defer r.Close()
		f := asyncio.NewFuture[int](r.Loop())
		r.Loop().CallLater(time.Millisecond, func() { selfSignal(syscall.SIGINT) })
		_, err := asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
			return f.Await(a)
		}))
		fmt.Println("RunWith:", err, f.Cancelled())
	},
	// test_interrupt_cancelled_task: a main task that someone else
	// cancelled too ends cancelled, not interrupted. (main waits for the
	// SIGINT's cancellation, which CPython's handler delivers at once.)
	"interrupt cancelled task": func() {
		_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
			main := asyncio.CurrentTask(a)
			asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				err := asyncio.Sleep(a, 0)
				main.Cancel("")
				selfSignal(syscall.SIGINT)
				return 0, err
			}))
			_ = asyncio.Sleep(a, time.Hour) // the other task's cancellation
			err := asyncio.Sleep(a, time.Hour)
			fmt.Println("main: cancelled", main.Cancelling(), "times")
			return 0, err
		}), asyncio.WithInterrupt())
		fmt.Println("Run:", err, errors.Is(err, asyncio.ErrInterrupted))
	},
	// The Go idiom: a context that SIGINT cancels.
	"NotifyContext": func() {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		_, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
			selfSignal(syscall.SIGINT)
			return 0, asyncio.Sleep(a, time.Hour)
		}))
		fmt.Println("Run:", err)
	},
	// Removing the last handler of a signal restores its default effect.
	"removed": func() {
		_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
			l := asyncio.GetRunningLoop(a)
			if err := l.AddSignalHandler(syscall.SIGTERM, func() {}); err != nil {
				return 0, err
			}
			fmt.Println("removed:", l.RemoveSignalHandler(syscall.SIGTERM))
			selfSignal(syscall.SIGTERM)
			time.Sleep(time.Minute) // the signal ends the process first
			return 0, nil
		}))
		fmt.Println("Run:", err)
	},
	// So does the end of Run.
	"after Run": func() {
		_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
			return 0, asyncio.GetRunningLoop(a).AddSignalHandler(syscall.SIGTERM, func() {})
		}))
		fmt.Println("Run:", err)
		selfSignal(syscall.SIGTERM)
		time.Sleep(time.Minute) // the signal ends the process first
	},
}

func selfSignal(sig syscall.Signal) {
	if err := syscall.Kill(os.Getpid(), sig); err != nil {
		panic(err)
	}
}

// TestSignalChild runs the case named by signalChildEnv, in the child
// process, and exits; in the test process itself it does nothing.
func TestSignalChild(t *testing.T) {
	name := os.Getenv(signalChildEnv)
	if name == "" {
		return
	}
	signalChildren[name]()
	os.Exit(0)
}

// TestSignalsInChild runs each case of signalChildren in a child process
// (the test binary, run again) and checks its output and how it ended.
func TestSignalsInChild(t *testing.T) {
	tests := []struct {
		name   string
		want   string
		killed syscall.Signal // 0: the child exits normally
	}{
		{"interrupt", "main: true\nRun: true false\n", 0},
		{"interrupt awaited", "Run: asyncio: interrupted: main was cancelled by SIGINT\n", 0},
		{"interrupt caught", "Run: 42 <nil>\n", 0},
		{"interrupt twice", "main, first: true\nmain, second: true\nRun: asyncio: interrupted: a second SIGINT stopped the loop\n", 0},
		{"interrupt thrice", "main: shutting down\n", syscall.SIGINT},
		{"interrupt handled by the program", "RunWith: 1 <nil>\nRunWith: 2 <nil>\n", 0},
		{"interrupt polling", "RunWith: asyncio: interrupted: main was cancelled by SIGINT\n", 0},
		{"interrupt waiting", "RunWith: asyncio: interrupted: main was cancelled by SIGINT true\n", 0},
		{"interrupt cancelled task", "main: cancelled 2 times\nRun: canceled false\n", 0},
		{"NotifyContext", "Run: canceled (interrupt signal received)\n", 0},
		{"removed", "removed: true\n", syscall.SIGTERM},
		{"after Run", "Run: <nil>\n", syscall.SIGTERM},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestSignalChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), signalChildEnv+"="+tt.name)
			out, err := cmd.Output()
			if string(out) != tt.want {
				t.Errorf("child's output = %q, want %q", out, tt.want)
			}
			var killed syscall.Signal
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				killed = ws.Signal()
			}
			switch {
			case killed != tt.killed:
				t.Errorf("child ended by signal %v (%v), want %v", killed, err, tt.killed)
			case tt.killed == 0 && err != nil:
				t.Errorf("child = %v, want success", err)
			}
		})
	}
}
