package asyncio

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
)

// running counts the loops inside Run, across the process, so that the
// stack inspection of insideRunningLoop is only paid when one exists.
var running atomic.Int64

// Run runs main as the first task of a new event loop until it finishes,
// and returns its result: Python's asyncio.run(main()).
//
// Cancelling ctx cancels the main task. Before Run returns, every other
// task still pending is cancelled and awaited, and Run waits for outside
// work (ToThread calls, sockets, senders registered with
// Loop.RegisterExternal and not released yet) to come back: when Run
// returns, no task, coroutine or goroutine it started is left. A
// registration never released keeps Run from returning.
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
// Calling Run from code that a running loop is executing returns
// ErrNestedRun: await instead.
func Run[T any](ctx context.Context, main *Coro[T], opts ...Option) (T, error) {
	var zero T
	if main == nil {
		return zero, errors.New("asyncio.Run: nil coroutine")
	}
	if running.Load() > 0 && insideCoroutine() {
		main.Close()
		return zero, ErrNestedRun
	}
	running.Add(1)
	defer running.Add(-1)

	l := newLoop(newConfig(opts), ctx)
	if l.cfg.debug {
		defer l.registerDebug()()
	}
	t := newTask(l, main)
	stop := context.AfterFunc(ctx, func() {
		_ = l.CallSoonThreadsafe(func() {
			l.ctxDelivered = true
			t.Cancel("")
		})
	})
	err := l.runUntil(t.done)
	if err == nil && l.ready.len() > 0 {
		// asyncio.run stops the loop from main's done callback, which runs
		// one iteration after main's last step, together with whatever that
		// step made ready: a task created by main's last step takes its
		// first step before it is cancelled.
		err = l.runOnce(oneIteration)
	}
	if stop() {
		l.ctxDelivered = true // no cancellation is on its way any more
	}
	var leaks []string
	if err == nil {
		leaks = l.pendingReports()
	}
	if serr := l.shutdown(); err == nil {
		err = serr
	}
	if l.cfg.debug {
		leaks = append(leaks, l.unawaitedReports()...)
	}
	var leakErr error
	if len(leaks) > 0 {
		if l.cfg.strictLeaks {
			leakErr = &LeakError{Reports: leaks}
		} else {
			for _, r := range leaks {
				fmt.Fprintln(l.cfg.diagnostics, "asyncio: "+r)
			}
		}
	}
	if err != nil {
		return zero, errors.Join(err, leakErr)
	}
	result, err := t.Result()
	if err != nil && errors.Is(err, ErrCanceled) && ctx.Err() != nil {
		err = fmt.Errorf("%w (%w)", err, context.Cause(ctx))
	}
	if leakErr != nil {
		err = errors.Join(err, leakErr)
	}
	return result, err
}

// shutdown cancels the tasks still pending, runs the loop until they have
// ended, waits for outside work to come back, and closes the inbox and the
// pool of coroutines. Tasks
// that refuse to end (they catch the cancellation and wait forever) are
// closed: their deferred calls run and their coroutines are released.
func (l *Loop) shutdown() error {
	var err error
	l.closeServers()
	for _, t := range l.tasks.all() {
		t.self.Cancel("")
	}
	if derr := l.runUntil(func() bool { return l.tasks.n == 0 }); derr != nil {
		err = derr
		for _, t := range l.tasks.all() {
			t.self.close()
		}
	}
	if len(l.asyncGens) > 0 {
		closer := newTask(l, Async(func(a *A) (struct{}, error) {
			for ag := range l.asyncGens {
				_ = ag.aclose(a)
				delete(l.asyncGens, ag)
			}
			return struct{}{}, nil
		}))
		if derr := l.runUntil(closer.done); derr != nil && err == nil {
			err = derr
		}
	}
	l.closeStreams()
	for l.outside > 0 {
		_ = l.runOnce(oneIteration)
	}
	l.closeInbox()
	for l.ready.len() > 0 {
		l.ready.pop().run()
	}
	l.runners.Close()
	return err
}

// insideCoroutine reports whether the caller runs on a generator's
// coroutine. A task's body runs on an iter.Pull coroutine, not on the loop's
// goroutine, so goroutine identity cannot say whether Run is being called
// from inside a running loop; the frames can: every coroutine body is
// entered through gen's core.run. (A coroutine driven by hand on another
// goroutine while some loop runs would be refused too; that is the price of
// not paying a goroutine-ID lookup on every task step.)
func insideCoroutine() bool {
	pcs := make([]uintptr, 256)
	for {
		n := runtime.Callers(2, pcs)
		if n < len(pcs) {
			pcs = pcs[:n]
			break
		}
		pcs = make([]uintptr, 2*len(pcs))
	}
	frames := runtime.CallersFrames(pcs)
	for {
		f, more := frames.Next()
		if strings.HasPrefix(f.Function, "github.com/yieldfrom/asyncgo/gen.(*core[") && strings.HasSuffix(f.Function, "]).run") {
			return true
		}
		if !more {
			return false
		}
	}
}
