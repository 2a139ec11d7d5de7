package asyncio

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync/atomic"

	"github.com/yieldfrom/asyncgo/gen"
)

// A Runner runs coroutines one after another on one event loop, which
// lives from NewRunner to Close: Python 3.11's asyncio.Runner. Tasks that a
// RunWith leaves pending go on in the next RunWith, and are cancelled by
// Close; anything else a coroutine leaves with the loop (a server, an async
// generator, a signal handler) is there for the next one too. Run is a
// Runner used once: NewRunner, one RunWith, Close.
//
// A Runner must be closed: until Close, its pending tasks and the
// coroutines its loop keeps for new tasks hold goroutines. Its methods may
// be called from any goroutine, one call at a time; a RunWith or Close
// while another is in progress returns ErrLoopRunning.
type Runner struct {
	loop  *Loop
	state atomic.Int32

	// interrupts counts the SIGINTs of the RunWith in progress, under
	// WithInterrupt (see onInterrupt).
	interrupts int
}

// The states of a Runner.
const (
	runnerIdle int32 = iota
	runnerBusy
	runnerClosed
)

// NewRunner returns a Runner whose loop is configured by opts, as Run's
// would be. The loop's context, from which the tasks' contexts (see
// Task.Context) and ToThread's derive, is context.Background(): the
// context given to each RunWith cancels that call's main task only, and
// tasks outlive it.
func NewRunner(opts ...Option) *Runner {
	return newRunner(context.Background(), opts)
}

func newRunner(ctx context.Context, opts []Option) *Runner {
	return &Runner{loop: newLoop(newConfig(opts), ctx)}
}

// Loop returns the Runner's event loop: Python's Runner.get_loop(). Between
// two RunWith calls, the goroutine that calls them may use its methods
// (AddSignalHandler, CallSoon...), which then run at the next RunWith.
// After Close the loop is closed.
func (r *Runner) Loop() *Loop { return r.loop }

// RunWith runs main as a new task of r's loop until it finishes, and
// returns its result: Python's Runner.run(main). It is a function, not a
// method of Runner, because Go methods cannot have type parameters and the
// result is main's, typed.
//
// Everything Run says of main holds: cancelling ctx cancels the main task
// (a ctx already cancelled reaches it at its first await), and the loop
// runs one iteration more after main's last step, so that what that step
// made ready takes a step. Other tasks are not cancelled: those still
// pending go on at the next RunWith, and Close cancels those left. ctx has
// no say once RunWith has returned. Where the loop can prove a deadlock
// (see Run), RunWith returns the *DeadlockError and main stays pending,
// for Close to end.
//
// RunWith after Close returns ErrRunnerClosed; from a running loop's code
// (a coroutine's body, a callback or a hook, of any loop), ErrNestedRun;
// while another RunWith or a Close of r is in progress on another
// goroutine, ErrLoopRunning. In each case main is closed without running.
// A panic or runtime.Goexit that unwinds RunWith closes r on its way out,
// as it shuts Run down.
func RunWith[T any](r *Runner, ctx context.Context, main *Coro[T]) (T, error) {
	var zero T
	if main == nil {
		return zero, errors.New("asyncio.RunWith: nil coroutine")
	}
	err := ErrNestedRun
	if !nestedRun() {
		err = r.enter()
	}
	if err != nil {
		main.Close()
		return zero, err
	}
	defer r.state.CompareAndSwap(runnerBusy, runnerIdle)
	t := newTask(r.loop, main)
	if err := r.run(ctx, &t.taskCore, mainCreated(t)); err != nil {
		return zero, err
	}
	return mainResult(r, ctx, t)
}

// mainCreated reports whether main's task t has not taken its first step.
func mainCreated[T any](t *Task[T]) func() bool {
	return func() bool { return t.coro.State() == gen.Created }
}

// enter makes r busy, or says why it cannot be.
func (r *Runner) enter() error {
	if r.state.CompareAndSwap(runnerIdle, runnerBusy) {
		return nil
	}
	if r.state.Load() == runnerClosed {
		return ErrRunnerClosed
	}
	return ErrLoopRunning
}

// mainResult is the outcome of main's task t: its result, or its error,
// which says why main was cancelled when ctx or an interrupt did it.
func mainResult[T any](r *Runner, ctx context.Context, t *Task[T]) (T, error) {
	result, err := t.Result()
	switch {
	case !isCancellation(err):
	case r.interrupts > 0 && t.Uncancel() == 0:
		// asyncio.Runner turns the cancellation that the first SIGINT
		// made, when main lets it through, into KeyboardInterrupt.
		err = fmt.Errorf("%w: main was cancelled by SIGINT", ErrInterrupted)
	case ctx.Err() != nil:
		err = fmt.Errorf("%w (%w)", err, context.Cause(ctx))
	}
	return result, err
}

// run runs the loop until main's task t is done, and one iteration more
// (see RunWith). A panic or runtime.Goexit that unwinds it closes r (see
// Loop.abandon).
func (r *Runner) run(ctx context.Context, t *taskCore, created func() bool) error {
	l := r.loop
	if l.cfg.debug {
		l.goroutine = goroutineID()
		defer l.registerDebug()()
	}
	finished := false
	defer func() {
		if !finished {
			r.state.Store(runnerClosed)
			l.abandon()
		}
	}()
	defer l.watchMain(ctx, t, created)() // before abandon, on the way out
	stop := false
	r.interrupts = 0
	if l.cfg.interrupt {
		defer l.onInterrupt(t, func() { r.interrupts++ }, &stop)()
	}
	err := l.runUntil(func() bool { return t.done() || stop })
	if err == nil && stop {
		err = fmt.Errorf("%w: a second SIGINT stopped the loop", ErrInterrupted)
	}
	if err == nil && l.ready.len() > 0 {
		// asyncio.run stops the loop from main's done callback, which runs
		// one iteration after main's last step, together with whatever that
		// step made ready: a task created by main's last step takes its
		// first step before it is cancelled.
		err = l.runOnce(oneIteration)
	}
	finished = true
	return err
}

// watchMain makes the cancellation of ctx cancel the main task t, until
// the stop function it returns is called. A cancellation that comes before
// t's first step (while created reports true) waits for it: Python's code
// sees it at its first await.
func (l *Loop) watchMain(ctx context.Context, t *taskCore, created func() bool) (stop func()) {
	l.mainCtx, l.ctxDelivered = ctx, false
	watching := true
	var deliver func()
	deliver = func() {
		switch {
		case !watching || l.ctxDelivered || t.done():
		case created():
			l.ready.push(callback(deliver))
		default:
			l.ctxDelivered = true
			t.self.Cancel()
		}
	}
	sent := make(chan struct{})
	stopAfter := context.AfterFunc(ctx, func() {
		_ = l.CallSoonThreadsafe(deliver)
		close(sent)
	})
	if ctx.Err() != nil {
		// Cancelled already: the cancellation must not wait for the
		// goroutine that AfterFunc starts, which a busy loop on one
		// processor can outrun to the end of main.
		l.ready.push(callback(deliver))
	}
	return func() {
		if !stopAfter() {
			// The goroutine of AfterFunc is on its way into the inbox:
			// once it is there, nothing of this Run is left outside.
			<-sent
		}
		watching = false
		l.mainCtx = nil
	}
}

// onInterrupt handles SIGINT for the RunWith of main task t, as
// asyncio.Runner does, unless the loop has a handler for it already: the
// first one calls counted and cancels t, so that it can clean up; the next
// sets *stop, and the loop stops at once. The function it returns removes
// the handler, unless the program has replaced it with its own.
func (l *Loop) onInterrupt(t *taskCore, counted func(), stop *bool) (remove func()) {
	if l.signals[os.Interrupt] != nil {
		return func() {}
	}
	n := 0
	l.setSignalHandler(os.Interrupt, func() {
		n++
		counted()
		if n == 1 && !t.done() {
			t.self.Cancel()
			return
		}
		*stop = true
	}, false)
	return func() {
		if h := l.signals[os.Interrupt]; h != nil && !h.user {
			l.removeSignalHandler(os.Interrupt)
		}
	}
}

// Close shuts r's loop down, as Run does when main has returned: it
// closes the servers, cancels the tasks still pending and waits for them,
// closes the async generators left suspended, removes the signal handlers,
// kills and reaps the child processes still running, waits for outside
// work to come back, and closes the loop, reporting the tasks that were
// still pending and the children it killed (to the diagnostics writer, or as a *LeakError under
// WithStrictLeaks). It returns the *DeadlockError of tasks that refused to
// end, where the loop can prove it (they are closed, see Run), joined with
// the *LeakError. Python's Runner.close().
//
// Close after Close does nothing and returns nil. From a running loop's
// code it returns ErrNestedRun, and while a RunWith of r is in progress on
// another goroutine, ErrLoopRunning; in both cases r stays open. A panic or
// runtime.Goexit that unwinds Close finishes the shutdown on its way out.
func (r *Runner) Close() error {
	if nestedRun() {
		return ErrNestedRun
	}
	if !r.state.CompareAndSwap(runnerIdle, runnerClosed) {
		if r.state.Load() == runnerClosed {
			return nil
		}
		return ErrLoopRunning
	}
	serr, leakErr := r.close(true, "the Runner closed")
	if leakErr == nil {
		return serr // not errors.Join(serr, nil), which wraps serr
	}
	return errors.Join(serr, leakErr)
}

// close shuts the loop down and reports its leaks: the tasks still pending,
// if reportPending (when names the moment in the report), and in debug mode
// the coroutines never awaited. It returns the error of the shutdown and
// the *LeakError, if WithStrictLeaks makes one.
func (r *Runner) close(reportPending bool, when string) (shutdownErr, leakErr error) {
	r.state.Store(runnerClosed)
	l := r.loop
	if l.cfg.debug {
		l.goroutine = goroutineID()
		defer l.registerDebug()()
	}
	shutDown := false
	defer func() {
		if !shutDown {
			l.abandon()
		}
	}()
	var leaks []string
	if reportPending {
		leaks = l.pendingReports(when)
	}
	shutdownErr = l.shutdown()
	shutDown = true
	leaks = append(leaks, l.childReports(when)...)
	if l.cfg.debug {
		leaks = append(leaks, l.unawaitedReports()...)
	}
	if len(leaks) == 0 {
		return shutdownErr, nil
	}
	if l.cfg.strictLeaks {
		return shutdownErr, &LeakError{Reports: leaks}
	}
	for _, rep := range leaks {
		fmt.Fprintln(l.cfg.diagnostics, "asyncio: "+rep)
	}
	return shutdownErr, nil
}
