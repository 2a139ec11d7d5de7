//go:build unix

package asyncio_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

// kill sends sig to the test process.
func kill(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := syscall.Kill(os.Getpid(), sig); err != nil {
		t.Fatalf("kill(%v) = %v", sig, err)
	}
}

// TestSignalHandler sends the test process real signals: each runs its
// handler on the loop (in debug mode, where a loop method called off the
// loop panics), a handler added again replaces the first, and one removed
// runs no more.
func TestSignalHandler(t *testing.T) {
	before := leaktest.Count()
	var got []string
	err := vrun0(func(a *asyncio.A) error {
		l := asyncio.GetRunningLoop(a)
		var ev asyncio.Event
		handler := func(name string) func() {
			return func() {
				l.CallSoon(func() {}) // panics off the loop, in debug mode
				got = append(got, name)
				ev.Set()
			}
		}
		wait := func() error {
			err := ev.Wait(a)
			ev.Clear()
			return err
		}
		for _, h := range []struct {
			sig  syscall.Signal
			name string
		}{{syscall.SIGUSR1, "usr1"}, {syscall.SIGUSR2, "usr2"}, {syscall.SIGUSR1, "usr1 again"}} {
			if err := l.AddSignalHandler(h.sig, handler(h.name)); err != nil {
				return err
			}
			kill(t, h.sig)
			if err := wait(); err != nil {
				return err
			}
		}
		if !l.RemoveSignalHandler(syscall.SIGUSR1) || l.RemoveSignalHandler(syscall.SIGUSR1) {
			t.Errorf("RemoveSignalHandler(SIGUSR1) twice: want true, then false")
		}
		// SIGUSR1 is caught here too, to know that it has come (and gone
		// unhandled by the loop) before SIGUSR2 is sent.
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGUSR1)
		defer signal.Stop(ch)
		kill(t, syscall.SIGUSR1)
		<-ch
		kill(t, syscall.SIGUSR2)
		return wait()
	}, asyncio.WithDebug())
	if err != nil {
		t.Fatalf("Run = %v", err)
	}
	if want := []string{"usr1", "usr2", "usr1 again", "usr2"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("handlers ran %v, want %v", got, want)
	}
	checkGoroutines(t, before)
}

// TestSignalHandlerKeepsLoopWaiting checks what a signal handler does to
// an idle loop on the virtual clock, under WithStrictDeadlocks: while it is
// there the loop waits for a signal instead of reporting a deadlock,
// though the clock still jumps to the next timer (after the idle
// threshold); removed, the loop reports the deadlock again.
func TestSignalHandlerKeepsLoopWaiting(t *testing.T) {
	sent := make(chan struct{})
	go func() {
		<-sent
		time.Sleep(time.Millisecond) // the loop is idle by now, most likely
		_ = syscall.Kill(os.Getpid(), syscall.SIGUSR2)
	}()
	var forever asyncio.Event
	signalled := false
	err := vrun0(func(a *asyncio.A) error {
		l := asyncio.GetRunningLoop(a)
		var ev asyncio.Event
		if err := l.AddSignalHandler(syscall.SIGUSR2, ev.Set); err != nil {
			return err
		}
		start := l.Time()
		if err := asyncio.Sleep(a, time.Hour); err != nil {
			return err
		}
		if got := l.Time().Sub(start); got != time.Hour {
			t.Errorf("Sleep(hour) with a signal handler took %v of the loop's time, want an hour", got)
		}
		close(sent)
		if err := ev.Wait(a); err != nil {
			return err
		}
		signalled = true
		l.RemoveSignalHandler(syscall.SIGUSR2)
		return forever.Wait(a)
	}, asyncio.WithStrictDeadlocks())
	var de *asyncio.DeadlockError
	if !signalled || !errors.As(err, &de) || len(de.Tasks) != 1 || !strings.Contains(de.Tasks[0].Awaiting, "Event") {
		t.Errorf("Run = %v, signal handled %v; want a *DeadlockError of main awaiting the Event, after the signal came", err, signalled)
	}
}

// TestAddSignalHandlerErrors checks the signals AddSignalHandler refuses,
// and that it refuses a closed loop.
func TestAddSignalHandlerErrors(t *testing.T) {
	r := asyncio.NewRunner(asyncio.WithVirtualTime())
	l := r.Loop()
	for _, sig := range []os.Signal{syscall.SIGKILL, syscall.SIGSTOP, fakeSignal{}} {
		if err := l.AddSignalHandler(sig, func() {}); err == nil {
			t.Errorf("AddSignalHandler(%v) = nil, want an error", sig)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.AddSignalHandler(syscall.SIGUSR1, func() {}); !errors.Is(err, asyncio.ErrLoopClosed) {
		t.Errorf("AddSignalHandler after Close = %v, want ErrLoopClosed", err)
	}
	if l.RemoveSignalHandler(syscall.SIGUSR1) {
		t.Errorf("RemoveSignalHandler of a signal never handled = true")
	}
	defer func() {
		if p := recover(); p == nil || !strings.Contains(p.(string), "asyncio.Loop.AddSignalHandler") {
			t.Errorf("AddSignalHandler(nil) panicked with %v, want a panic naming the call", p)
		}
	}()
	_ = l.AddSignalHandler(syscall.SIGUSR1, nil)
}

type fakeSignal struct{}

func (fakeSignal) String() string { return "fake" }
func (fakeSignal) Signal()        {}

// TestSignalHandlerPanic checks that a handler that panics is reported as
// a callback is, and the loop goes on.
func TestSignalHandlerPanic(t *testing.T) {
	var diag bytes.Buffer
	err := vrun0(func(a *asyncio.A) error {
		l := asyncio.GetRunningLoop(a)
		var ev asyncio.Event
		if err := l.AddSignalHandler(syscall.SIGUSR1, func() { ev.Set(); panic("handler failed") }); err != nil {
			return err
		}
		kill(t, syscall.SIGUSR1)
		return ev.Wait(a)
	}, asyncio.WithDiagnostics(&diag))
	if err != nil || !strings.Contains(diag.String(), "handler failed") {
		t.Errorf("Run = %v with diagnostics %q, want nil and the panic reported", err, diag.String())
	}
}

// TestRunnerKeepsSignalHandlers checks that a signal handler added in one
// RunWith handles signals in the next, until Close removes it.
func TestRunnerKeepsSignalHandlers(t *testing.T) {
	before := leaktest.Count()
	r := asyncio.NewRunner(asyncio.WithVirtualTime())
	var ev asyncio.Event
	_, err := asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		return 0, asyncio.GetRunningLoop(a).AddSignalHandler(syscall.SIGUSR1, ev.Set)
	}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = asyncio.RunWith(r, context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		kill(t, syscall.SIGUSR1)
		return 0, ev.Wait(a)
	}))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if r.Loop().RemoveSignalHandler(syscall.SIGUSR1) {
		t.Errorf("the handler is still there after Close")
	}
	checkGoroutines(t, before)
}

// TestSignalToSelfBeforeClockMoves checks that a signal the program sends
// itself reaches its handler before the virtual clock jumps to the next
// timer, as it does on the real clock: while a handler is registered, the
// clock waits for the idle threshold before it jumps, as for outside work.
// (The threshold is raised so that a loaded machine cannot fail the test;
// the signal ends the wait.)
func TestSignalToSelfBeforeClockMoves(t *testing.T) {
	for range 20 {
		handledAt := time.Duration(-1) // not handled
		err := vrun0(func(a *asyncio.A) error {
			l := asyncio.GetRunningLoop(a)
			start := l.Time()
			var ev asyncio.Event
			if err := l.AddSignalHandler(syscall.SIGUSR1, func() { handledAt = l.Time().Sub(start); ev.Set() }); err != nil {
				return err
			}
			defer l.RemoveSignalHandler(syscall.SIGUSR1)
			kill(t, syscall.SIGUSR1)
			_, err := asyncio.WaitFor(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) { return struct{}{}, ev.Wait(a) }), time.Hour)
			return err
		}, asyncio.WithIdleThreshold(time.Minute))
		if err != nil || handledAt != 0 {
			t.Fatalf("Run = %v; the handler ran %v after the signal was sent (-1: never), want 0 (before the clock jumped)", err, handledAt)
		}
	}
}

// TestSignalHandlerAddedDuringShutdown checks that a handler added by a
// task's cleanup while Run shuts down is removed before Run returns.
func TestSignalHandlerAddedDuringShutdown(t *testing.T) {
	before := leaktest.Count()
	_, err := vrun(func(a *asyncio.A) (int, error) {
		l := asyncio.GetRunningLoop(a)
		asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			err := asyncio.Sleep(a, time.Hour)
			return 0, errors.Join(err, l.AddSignalHandler(syscall.SIGUSR1, func() {}))
		}))
		return 0, asyncio.Sleep(a, 0)
	}, asyncio.WithDiagnostics(io.Discard))
	if err != nil {
		t.Fatalf("Run = %v", err)
	}
	checkGoroutines(t, before)
}

// TestSignalHandledDuringShutdown checks that the program's signal
// handlers still run while Run cancels the tasks left and waits for them,
// as Python's do until loop.close (after the tasks have ended): a task
// whose cleanup waits for a signal gets it. (The test catches SIGUSR1 too,
// so that a signal the loop no longer handles does not end the process.)
func TestSignalHandledDuringShutdown(t *testing.T) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGUSR1)
	defer signal.Stop(ch)
	before := leaktest.Count()
	handled := false
	err := vrun0(func(a *asyncio.A) error {
		l := asyncio.GetRunningLoop(a)
		var ev asyncio.Event
		if err := l.AddSignalHandler(syscall.SIGUSR1, ev.Set); err != nil {
			return err
		}
		asyncio.CreateTask(a, asyncio.AsyncErr(func(a *asyncio.A) error {
			err := asyncio.Sleep(a, time.Hour)
			kill(t, syscall.SIGUSR1)
			_, werr := asyncio.WaitFor(a, asyncio.AsyncErr(ev.Wait), time.Second)
			handled = werr == nil
			return err
		}))
		return asyncio.Sleep(a, 0)
	}, asyncio.WithDiagnostics(io.Discard))
	if err != nil {
		t.Fatalf("Run = %v", err)
	}
	if !handled {
		t.Errorf("the signal sent by a task's cleanup during shutdown was not handled; Python handles it")
	}
	checkGoroutines(t, before)
}

// TestSignalHandlerRefusingTaskAtShutdown checks that a signal handler,
// which keeps an idle loop waiting, does not keep Run's shutdown waiting
// for a task that refuses to end on the virtual clock: the deadlock is
// still found out, and the task closed.
func TestSignalHandlerRefusingTaskAtShutdown(t *testing.T) {
	before := leaktest.Count()
	done := make(chan error, 1)
	go func() {
		done <- vrun0(func(a *asyncio.A) error {
			l := asyncio.GetRunningLoop(a)
			if err := l.AddSignalHandler(syscall.SIGUSR1, func() {}); err != nil {
				return err
			}
			asyncio.CreateTask(a, asyncio.AsyncErr(func(a *asyncio.A) error {
				asyncio.Sleep(a, time.Hour)
				var never asyncio.Event
				return never.Wait(a)
			}))
			return asyncio.Sleep(a, 0)
		}, asyncio.WithDiagnostics(io.Discard))
	}()
	select {
	case err := <-done:
		var de *asyncio.DeadlockError
		if !errors.As(err, &de) {
			t.Errorf("Run = %v, want a *DeadlockError", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run waited for ever for a task that refuses to end, because of a signal handler")
	}
	checkGoroutines(t, before)
}
