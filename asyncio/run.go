package asyncio

import (
	"cmp"
	"context"
	"errors"
	"runtime"
	"strings"
)

// Run runs main as the first task of a new event loop until it finishes,
// and returns its result: Python's asyncio.run(main()). It is a Runner used
// once: NewRunner (with ctx as the loop's context), RunWith, Close.
//
// Cancelling ctx cancels the main task; a ctx already cancelled reaches it
// at its first await. Before Run returns, every other task still pending is
// cancelled and awaited (and reported, see WithStrictLeaks), async
// generators left suspended are closed, signal handlers are removed, child
// processes still running are killed (and reported, as tasks still pending
// are), and Run waits for outside work (ToThread calls, sockets, child
// processes, senders registered with Loop.RegisterExternal and not released
// yet) to come back, having cancelled the contexts it gave ToThread and
// RunInExecutor: when Run returns, no task, coroutine, goroutine or child
// process it started is left, and every child has been reaped. A
// registration never released keeps Run from returning. Tasks and async
// generators that refuse to end (they catch the cancellation and wait for
// something that never comes) are closed where the loop can prove the
// deadlock (see below): their deferred calls run. On the real clock Run
// waits for them, as asyncio.run does, and the stall report names them.
//
// When no task is ready, no timer is pending and no known outside work is
// in flight, only a goroutine that holds the loop can still wake it, with
// CallSoonThreadsafe. On the real clock Run waits for it, as asyncio does,
// and after a while (WithStallThreshold) reports the blocked tasks, with
// their await chains, to the diagnostics writer. On the virtual clock (a
// closed world), once nothing has arrived for the idle threshold
// (WithIdleThreshold), or at once under WithStrictDeadlocks, Run returns a
// *DeadlockError instead of hanging: there, a goroutine that will call in
// must be registered with Loop.RegisterExternal.
//
// The same shutdown happens when a panic or runtime.Goexit unwinds Run,
// which then goes on unwinding the goroutine that called Run. Panics seldom
// get there (a task that panics ends with a *coro.PanicError; a callback or
// hook that panics is reported, see Handle and Hooks), but runtime.Goexit
// does, and testing's t.FailNow and t.SkipNow call it. They may be called
// from a task's body, a callback or a hook, as a test expects: the task's
// deferred calls run, Run shuts the loop down and does not return, and the
// goroutine that called Run exits. Call Run on the test's goroutine, as
// testing requires of FailNow: the test then fails (or is skipped) there.
//
// Run may not be called by a running loop's code: from a coroutine's body
// (a task's at any depth of awaits, an async generator's, or any other: a
// coroutine awaits) or from a callback or hook of a running loop, it
// returns ErrNestedRun without running main, which it closes; await
// instead. The check looks at the calling goroutine alone: a plain
// generator's body and any other goroutine, such as a ToThread worker, may
// call Run whatever other loops are running. (A plain generator driven
// from a task's body is one of those: its Run holds up the loop of that
// task until it returns.)
func Run[T any](ctx context.Context, main *Coro[T], opts ...Option) (T, error) {
	var zero T
	if main == nil {
		return zero, errors.New("asyncio.Run: nil coroutine")
	}
	if nestedRun() {
		main.Close()
		return zero, ErrNestedRun
	}
	r := newRunner(ctx, opts)
	t := newTask(r.loop, main)
	err := r.run(ctx, &t.taskCore, mainCreated(t))
	// The tasks left pending by a Run that failed are not reported as
	// leaks: the failure says why they are there.
	serr, leakErr := r.close(err == nil, "main returned")
	if err == nil {
		err = serr
	}
	if err != nil {
		return zero, errors.Join(err, leakErr)
	}
	result, err := mainResult(r, ctx, t)
	if leakErr != nil {
		err = errors.Join(err, leakErr)
	}
	return result, err
}

// abandon shuts the loop down when a panic or runtime.Goexit unwinds Run,
// wherever it came from: a step, a callback, or shutdown itself, whose
// steps can each be taken again. A task whose step was under way has lost
// its coroutine to the unwinding (see Task.close); it ends before the
// others are shut down. Another panic or runtime.Goexit out of the shutdown
// (two tasks that call t.FailNow when cancelled, say) starts it again, from
// a deferred call, until it is complete; the last unwinding then goes on.
// Each one uses up the step or callback it came from, so the shutdown gets
// further every time; hooks, which the loop calls when idle too, are not
// called any more, so that one that unwinds every time cannot stop it.
func (l *Loop) abandon() {
	complete := false
	defer func() {
		if !complete {
			l.cfg.hooks = nil
			l.abandon()
		}
	}()
	if t := l.current; t != nil {
		l.current = nil
		t.self.close()
	}
	_ = l.shutdown()
	complete = true
}

// shutdown closes the servers, cancels the tasks still pending, runs the
// loop until they have ended, closes the async generators left suspended,
// removes the signal handlers (a signal then has its default effect: until
// then the handlers run for the tasks' cleanups, as Python's do until
// loop.close), kills the child processes still running, waits for outside
// work to come back, and closes the inbox and the pool of coroutines. Once
// the inbox is closed, no handler can be added. Tasks and async generators
// that refuse to end are closed (see endTasks); the first deadlock met on
// the way is returned.
func (l *Loop) shutdown() error {
	l.closeServers()
	l.shuttingDown = true
	err := l.endTasks()
	if len(l.asyncGens) > 0 {
		closer := newTask(l, Async(func(a *A) (struct{}, error) {
			for ag := range l.asyncGens {
				_ = ag.aclose(a)
				delete(l.asyncGens, ag)
			}
			return struct{}{}, nil
		}))
		if derr := l.runUntil(closer.done); derr != nil {
			err = cmp.Or(err, derr)
			// Closing the closer throws the close into the generator it
			// was closing, which may refuse to end again; that one and
			// those the closer did not get to are closed directly.
			closer.close()
		}
		for ag := range l.asyncGens {
			ag.close()
			delete(l.asyncGens, ag)
		}
		// Cleanups may have created tasks.
		err = cmp.Or(err, l.endTasks())
	}
	l.removeSignalHandlers()
	l.killChildren()
	l.closeStreams()
	l.closeDatagrams()
	l.stopOutside() // no task is left to await what is still out
	for l.outside > 0 {
		_ = l.runOnce(oneIteration)
	}
	l.removeSignalHandlers() // those that cleanups added
	l.closeInbox()
	for l.ready.len() > 0 {
		l.ready.pop().run()
	}
	l.closePoller()
	l.runners.Close()
	return err
}

// endTasks cancels the tasks still pending and runs the loop until they
// have ended. Tasks that refuse to end (they catch the cancellation and wait
// forever) are closed: their deferred calls run and their coroutines are
// released. Tasks created meanwhile end in the same way.
func (l *Loop) endTasks() error {
	var err error
	for l.tasks.n > 0 {
		for _, t := range l.tasks.all() {
			t.self.Cancel()
		}
		if derr := l.runUntil(func() bool { return l.tasks.n == 0 }); derr != nil {
			err = cmp.Or(err, derr)
			for _, t := range l.tasks.all() {
				t.self.close()
			}
		}
	}
	return err
}

// nestedRun reports whether the calling goroutine runs a loop's code, from
// which Run, RunWith and Runner.Close must not be called: a coroutine's
// body, or Run, RunWith or a Runner closing its loop (a callback, a hook, a
// done callback). It must be called by Run, RunWith or Close directly. It looks at the caller's frames only,
// so that no other goroutine, and no other loop, has a say.
//
// Goroutine identity cannot answer the question: a task's body runs on an
// iter.Pull coroutine, not on the loop's goroutine. Nor can the loop's
// record of the task it is stepping, which only the goroutines of that loop
// may read: finding out whether the caller is one of them is the question.
// The frames can. Every coroutine body is entered through the function that
// coro.New wraps it in, whose frame (wherever the compiler inlines New,
// which renames the function) keeps New's source file; a plain generator's
// body, run by package gen directly, has no such frame.
func nestedRun() bool {
	return onStack(func(f runtime.Frame) bool {
		return strings.HasSuffix(f.File, coroFile) ||
			strings.HasPrefix(f.Function, "github.com/yieldfrom/asyncgo/asyncio.Run[") ||
			strings.HasPrefix(f.Function, "github.com/yieldfrom/asyncgo/asyncio.RunWith[") ||
			inFunction(f.Function, "github.com/yieldfrom/asyncgo/asyncio.(*Runner).close")
	})
}

// inFunction reports whether the frame of function name is fn's own or
// that of a function literal in it.
func inFunction(name, fn string) bool {
	return name == fn || strings.HasPrefix(name, fn+".")
}

// coroFile is the source file of coro.New, whose frame every coroutine
// body runs under.
var coroFile = func() string {
	_, file, _, _ := runtime.Caller(0)
	return file[:strings.LastIndex(file, "/asyncio/")] + "/coro/coroutine.go"
}()

// insideCoroutine reports whether the caller runs on a generator's
// coroutine: every generator body is entered through gen's core.run.
func insideCoroutine() bool {
	return onStack(func(f runtime.Frame) bool {
		return strings.HasPrefix(f.Function, "github.com/yieldfrom/asyncgo/gen.(*core[") && strings.HasSuffix(f.Function, "]).run")
	})
}

// onStack reports whether a frame of the stack of its caller's caller (Run,
// say, not including Run) satisfies match.
func onStack(match func(runtime.Frame) bool) bool {
	pcs := make([]uintptr, 64)
	for {
		n := runtime.Callers(4, pcs)
		if n < len(pcs) {
			pcs = pcs[:n]
			break
		}
		pcs = make([]uintptr, 2*len(pcs))
	}
	frames := runtime.CallersFrames(pcs)
	for {
		f, more := frames.Next()
		if match(f) {
			return true
		}
		if !more {
			return false
		}
	}
}
