package asyncio

import (
	"fmt"
	"runtime/pprof"
	"runtime/trace"
	"time"

	"github.com/yieldfrom/asyncgo/coro"
)

// A stepProbe carries what the instrumentation of one task step needs from
// before the step to after it. The zero value means "not instrumented", so
// that a plain loop pays one branch per step.
type stepProbe struct {
	active    bool
	firstStep bool
	region    *trace.Region
	start     time.Time // real time, for debug mode's slow-step check
}

// beforeStep runs the hooks, opens a runtime/trace region named after the
// task, and, in debug mode, starts the slow-step stopwatch and gives a
// task's coroutine pprof labels naming it.
func (l *Loop) beforeStep(t *taskCore, firstStep bool) stepProbe {
	p := stepProbe{active: true, firstStep: firstStep}
	if trace.IsEnabled() {
		p.region = trace.StartRegion(l.ctx, "asyncio task "+t.Name())
	}
	if h := l.cfg.hooks; h != nil && h.BeforeStep != nil {
		l.callTaskHook("BeforeStep", h.BeforeStep, t)
	}
	if l.cfg.debug {
		if firstStep {
			// The task's coroutine is created by this step and inherits the
			// labels of the goroutine that creates it: the loop's.
			pprof.SetGoroutineLabels(pprof.WithLabels(l.ctx, pprof.Labels("asyncio.task", t.Name())))
		}
		l.debugStepping.Store(true)
		// Slow steps are about real time spent holding the loop, whatever
		// clock the loop runs on, so this reads the wall clock on purpose.
		p.start = time.Now()
	}
	return p
}

func (l *Loop) afterStep(t *taskCore, p stepProbe) {
	if l.cfg.debug {
		l.debugStepping.Store(false)
		if p.firstStep {
			pprof.SetGoroutineLabels(l.ctx)
		}
		if d := time.Since(p.start); d >= l.cfg.slowStep {
			where := "it ended"
			if f, ok := firstUserFrame(t.awaitChain()); ok {
				where = "it stopped at " + formatFrame(f)
			}
			fmt.Fprintf(l.cfg.diagnostics, "asyncio: slow step: %s held the loop for %v (%s)\n", t.Name(), d.Round(time.Millisecond), where)
		}
	}
	if h := l.cfg.hooks; h != nil && h.AfterStep != nil {
		l.callTaskHook("AfterStep", h.AfterStep, t)
	}
	if p.region != nil {
		p.region.End()
	}
}

func (l *Loop) taskSpawned(t *taskCore) {
	if l.cfg.debug {
		t.more().createdAt = callersOutside(3)
	}
	if h := l.cfg.hooks; h != nil && h.TaskSpawned != nil {
		l.callTaskHook("TaskSpawned", h.TaskSpawned, t)
	}
}

func (l *Loop) taskExited(t *taskCore) {
	if h := l.cfg.hooks; h != nil && h.TaskExited != nil {
		l.callTaskHook("TaskExited", h.TaskExited, t)
	}
}

func (l *Loop) idle() {
	if h := l.cfg.hooks; h != nil && h.LoopIdle != nil {
		defer l.recoverHook("LoopIdle")
		h.LoopIdle(l.Time())
	}
}

// callTaskHook calls a hook about t, reporting a panic as recoverHook does.
func (l *Loop) callTaskHook(name string, hook func(time.Time, AnyTask), t *taskCore) {
	defer l.recoverHook(name)
	hook(l.Time(), t.self)
}

// recoverHook reports a panic of the hook called name instead of letting
// it unwind the loop, as recoverCallback does for callbacks; it must be
// deferred directly.
func (l *Loop) recoverHook(name string) {
	if p := recover(); p != nil {
		fmt.Fprintf(l.cfg.diagnostics, "asyncio: exception in hook %s: %v\n", name, coro.NewPanicError(p))
	}
}

// checkGoroutine panics, in debug mode, when a loop method that must run on
// the loop is called from elsewhere: from a goroutine that is neither the
// loop's own (callbacks) nor a coroutine while the loop steps a task.
func (l *Loop) checkGoroutine(method string) {
	if !l.cfg.debug {
		return
	}
	if l.current != nil && insideCoroutine() || l.current == nil && goroutineID() == l.goroutine {
		return
	}
	panic(fmt.Sprintf("asyncio.Loop.%s: called from a goroutine that is not running the loop; use CallSoonThreadsafe", method))
}
