package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// diagLine returns the line it is called from: tests write
// "line := diagLine() + 1" just above a line they expect in a report.
func diagLine() int {
	_, _, line, _ := runtime.Caller(1)
	return line
}

// diagUserFrame returns the innermost frame of chain outside package
// asyncio: the line of the caller's own code.
func diagUserFrame(chain []runtime.Frame) (runtime.Frame, bool) {
	for _, f := range chain {
		if !strings.HasPrefix(f.Function, "github.com/yieldfrom/asyncgo/asyncio.") {
			return f, true
		}
	}
	return runtime.Frame{}, false
}

// diagWhere formats a frame as base-name:line, "deadlock_test.go:42".
func diagWhere(f runtime.Frame) string {
	return fmt.Sprintf("%s:%d", filepath.Base(f.File), f.Line)
}

// diagHere returns "file.go:line" for a line of the calling file.
func diagHere(line int) string {
	_, file, _, _ := runtime.Caller(1)
	return fmt.Sprintf("%s:%d", filepath.Base(file), line)
}

// blockedTask returns the task of a deadlock report with the given name.
func blockedTask(t *testing.T, e *asyncio.DeadlockError, name string) asyncio.BlockedTask {
	t.Helper()
	for _, b := range e.Tasks {
		if b.Name == name {
			return b
		}
	}
	t.Fatalf("the deadlock report has no task %q: %v", name, e)
	return asyncio.BlockedTask{}
}

// TestDeadlockReport checks that a deadlock ends Run with a *DeadlockError
// that lists every blocked task, in creation order, with what it awaits and
// the line of the user's code where it awaits it; in debug mode, also where
// it was created. asyncio would hang here forever.
func TestDeadlockReport(t *testing.T) {
	for _, debug := range []bool{false, true} {
		t.Run(fmt.Sprintf("debug=%v", debug), func(t *testing.T) {
			var consumerAwaits, mainAwaits, consumerCreated, mainCreated int
			var consumerDefer error
			opts := []asyncio.Option{asyncio.WithVirtualTime()}
			if debug {
				opts = append(opts, asyncio.WithDebug())
			}
			mainCreated = diagLine() + 1
			_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
				asyncio.CurrentTask(a).SetName("main")
				never := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
				consumerCreated = diagLine() + 1
				consumer := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (v int, err error) {
					defer func() { consumerDefer = err }()
					consumerAwaits = diagLine() + 1
					return never.Await(a)
				}))
				consumer.SetName("consumer")
				mainAwaits = diagLine() + 1
				return asyncio.Await(a, consumer)
			}), opts...)

			var e *asyncio.DeadlockError
			if !errors.As(err, &e) {
				t.Fatalf("Run() error = %v, want a *DeadlockError", err)
			}
			var names []string
			for _, b := range e.Tasks {
				names = append(names, b.Name)
			}
			if diff := cmp.Diff([]string{"main", "consumer"}, names); diff != "" {
				t.Errorf("blocked tasks (-want +got):\n%s", diff)
			}
			if len(e.Cycles) != 0 {
				t.Errorf("Cycles = %v, want none", e.Cycles)
			}
			for _, tt := range []struct {
				name, awaiting  string
				awaits, created int
			}{
				{"main", "<Task consumer pending>", mainAwaits, mainCreated},
				{"consumer", "<Future pending>", consumerAwaits, consumerCreated},
			} {
				b := blockedTask(t, e, tt.name)
				if b.Awaiting != tt.awaiting {
					t.Errorf("%s: Awaiting = %q, want %q", tt.name, b.Awaiting, tt.awaiting)
				}
				f, ok := diagUserFrame(b.AwaitChain)
				if want := diagHere(tt.awaits); !ok || diagWhere(f) != want {
					t.Errorf("%s: innermost frame of the await chain = %v, want the await at %s", tt.name, f, want)
				}
				f, ok = diagUserFrame(b.CreatedAt)
				switch want := diagHere(tt.created); {
				case !debug && len(b.CreatedAt) > 0:
					t.Errorf("%s: CreatedAt = %v, want none outside debug mode", tt.name, b.CreatedAt)
				case debug && (!ok || diagWhere(f) != want):
					t.Errorf("%s: CreatedAt's first frame = %v, want %s", tt.name, f, want)
				}
			}

			msg := err.Error()
			for _, want := range []string{
				"deadlock",
				"main awaits <Task consumer pending>",
				"consumer awaits <Future pending>",
				diagHere(consumerAwaits) + ")",
				diagHere(mainAwaits) + ")",
			} {
				if !strings.Contains(msg, want) {
					t.Errorf("Error() = %q, want it to contain %q", msg, want)
				}
			}
			if got := strings.Contains(msg, "created at"); got != debug {
				t.Errorf("Error() mentions creation sites: %v, want %v", got, debug)
			}
			// The blocked tasks were cancelled at shutdown: no coroutine is
			// left suspended.
			if !errors.Is(consumerDefer, asyncio.ErrCanceled) {
				t.Errorf("the consumer's deferred call saw %v, want a cancellation", consumerDefer)
			}
		})
	}
}

// TestDeadlockCycles checks that wait-for cycles are reported once each,
// with the tasks named in the order they wait for each other: tasks
// awaiting each other, locks taken in opposite orders, a task acquiring a
// lock it holds. A chain of waits that ends outside any cycle is none.
func TestDeadlockCycles(t *testing.T) {
	tests := []struct {
		name     string
		tasks    func(a *asyncio.A, spawn func(name string, body func(a *asyncio.A) error) *asyncio.Task[int])
		cycles   [][]string
		awaiting map[string]string
	}{{
		name: "tasks awaiting each other",
		tasks: func(a *asyncio.A, spawn func(string, func(a *asyncio.A) error) *asyncio.Task[int]) {
			var second *asyncio.Task[int]
			first := spawn("first", func(a *asyncio.A) error {
				if err := asyncio.Sleep(a, 0); err != nil { // let second be created
					return err
				}
				_, err := second.Await(a)
				return err
			})
			second = spawn("second", func(a *asyncio.A) error {
				_, err := first.Await(a)
				return err
			})
		},
		cycles: [][]string{{"first", "second"}},
		awaiting: map[string]string{
			"main":   "<Task first pending>",
			"first":  "<Task second pending>",
			"second": "<Task first pending>",
		},
	}, {
		name: "lock order",
		tasks: func(a *asyncio.A, spawn func(string, func(a *asyncio.A) error) *asyncio.Task[int]) {
			var l1, l2 asyncio.Lock
			lockBoth := func(x, y *asyncio.Lock) func(a *asyncio.A) error {
				return func(a *asyncio.A) error {
					if err := x.Acquire(a); err != nil {
						return err
					}
					defer x.Release()
					if err := asyncio.Sleep(a, time.Second); err != nil { // the other takes its first lock
						return err
					}
					if err := y.Acquire(a); err != nil {
						return err
					}
					return y.Release()
				}
			}
			spawn("transfer-ab", lockBoth(&l1, &l2))
			spawn("transfer-ba", lockBoth(&l2, &l1))
		},
		cycles: [][]string{{"transfer-ab", "transfer-ba"}},
		awaiting: map[string]string{
			"main":        "<Task transfer-ab pending>",
			"transfer-ab": "<Lock.Acquire pending: waiting for the lock held by transfer-ba>",
			"transfer-ba": "<Lock.Acquire pending: waiting for the lock held by transfer-ab>",
		},
	}, {
		name: "lock acquired twice",
		tasks: func(a *asyncio.A, spawn func(string, func(a *asyncio.A) error) *asyncio.Task[int]) {
			var l asyncio.Lock
			spawn("reentrant", func(a *asyncio.A) error {
				if err := l.Acquire(a); err != nil {
					return err
				}
				return l.Acquire(a) // asyncio.Lock is not reentrant
			})
		},
		cycles: [][]string{{"reentrant"}},
		awaiting: map[string]string{
			"reentrant": "<Lock.Acquire pending: waiting for the lock held by reentrant>",
		},
	}, {
		name: "chain without a cycle",
		tasks: func(a *asyncio.A, spawn func(string, func(a *asyncio.A) error) *asyncio.Task[int]) {
			var l asyncio.Lock
			never := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
			spawn("holder", func(a *asyncio.A) error {
				if err := l.Acquire(a); err != nil {
					return err
				}
				_, err := never.Await(a)
				return err
			})
			spawn("waiter", func(a *asyncio.A) error { return l.Acquire(a) })
		},
		awaiting: map[string]string{
			"holder": "<Future pending>",
			"waiter": "<Lock.Acquire pending: waiting for the lock held by holder>",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
				asyncio.CurrentTask(a).SetName("main")
				var tasks []*asyncio.Task[int]
				tt.tasks(a, func(name string, body func(a *asyncio.A) error) *asyncio.Task[int] {
					task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) { return 0, body(a) }))
					task.SetName(name)
					tasks = append(tasks, task)
					return task
				})
				return asyncio.Await(a, tasks[0])
			}), asyncio.WithVirtualTime())
			var e *asyncio.DeadlockError
			if !errors.As(err, &e) {
				t.Fatalf("Run() error = %v, want a *DeadlockError", err)
			}
			if diff := cmp.Diff(tt.cycles, e.Cycles); diff != "" {
				t.Errorf("Cycles (-want +got):\n%s", diff)
			}
			for name, want := range tt.awaiting {
				if got := blockedTask(t, e, name).Awaiting; got != want {
					t.Errorf("%s: Awaiting = %q, want %q", name, got, want)
				}
			}
			for _, c := range tt.cycles {
				want := "cycle: " + strings.Join(append(slices.Clone(c), c[0]), " -> ")
				if !strings.Contains(err.Error(), want) {
					t.Errorf("Error() = %q, want it to contain %q", err, want)
				}
			}
		})
	}
}

// TestNoDeadlockWhileOutsideWork checks that work in flight outside the
// loop keeps an idle loop waiting rather than reporting a deadlock: a
// ToThread call, a sender registered with RegisterExternal, an open server.
// Each case then shows that the detector is live: once the outside work is
// over, waiting for a future nobody will set is a deadlock.
func TestNoDeadlockWhileOutsideWork(t *testing.T) {
	tests := []struct {
		name string
		// wait waits, with nothing ready and no timer pending, for outside
		// work that takes a few milliseconds, and returns what it got.
		wait func(a *asyncio.A) (string, error)
	}{{
		name: "ToThread",
		wait: func(a *asyncio.A) (string, error) {
			return asyncio.ToThread(a, func(context.Context) (string, error) {
				time.Sleep(5 * time.Millisecond)
				return "worker done", nil
			})
		},
	}, {
		name: "RegisterExternal",
		wait: func(a *asyncio.A) (string, error) {
			loop := asyncio.GetRunningLoop(a)
			release := loop.RegisterExternal()
			defer release()
			f := asyncio.NewFuture[string](loop)
			go func() { // an outside sender, as a signal handler or a C callback would be
				time.Sleep(5 * time.Millisecond)
				_ = loop.CallSoonThreadsafe(func() { f.SetResult("message from outside") })
			}()
			return f.Await(a)
		},
	}, {
		name: "open server",
		wait: func(a *asyncio.A) (string, error) {
			accepted := asyncio.NewFuture[string](asyncio.GetRunningLoop(a))
			srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
				_ = accepted.SetResult("connection accepted")
				return nil
			}, "127.0.0.1", 0)
			if err != nil {
				return "", err
			}
			defer srv.Close()
			addr := srv.Addr().String()
			go func() { // a client that is not a task of this loop
				time.Sleep(5 * time.Millisecond)
				if c, err := net.Dial("tcp", addr); err == nil {
					c.Close()
				}
			}()
			return accepted.Await(a)
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
				var err error
				if got, err = tt.wait(a); err != nil {
					return 0, err
				}
				return asyncio.NewFuture[int](asyncio.GetRunningLoop(a)).Await(a)
			}), asyncio.WithVirtualTime())
			if got == "" {
				t.Fatalf("Run() error = %v before the outside work came back", err)
			}
			var e *asyncio.DeadlockError
			if !errors.As(err, &e) {
				t.Errorf("after the outside work, Run() error = %v, want a *DeadlockError", err)
			}
		})
	}
}
