package asyncio

import (
	"fmt"
	"runtime"
	"strings"
)

// A DeadlockError is what Run returns when its loop can never make progress
// again: no task or callback is ready, no timer is pending, and no outside
// work is in flight, so every live task waits for something that cannot
// happen. asyncio would hang forever here.
//
// The loop can prove that only where it knows every goroutine that may
// still call CallSoonThreadsafe: on the virtual clock (a test's closed
// world), once nothing has arrived for the idle threshold (see
// WithIdleThreshold), or under WithStrictDeadlocks. On the real clock an
// idle loop waits, as asyncio does, and reports tasks that stay blocked to
// the diagnostics writer instead (see WithStallThreshold). Goroutines that
// will call in are made known with Loop.RegisterExternal.
type DeadlockError struct {
	// Tasks are the blocked tasks, in creation order.
	Tasks []BlockedTask
	// Cycles are the wait-for cycles among them: each lists task names, a
	// task waiting for the next (for a lock it holds, or for it to finish),
	// the last waiting for the first.
	Cycles [][]string
}

// A BlockedTask is one task of a DeadlockError: what it waits for and how
// it got there.
type BlockedTask struct {
	// Name is the task's name.
	Name string
	// Awaiting describes what the task is suspended on.
	Awaiting string
	// AwaitChain is the task's stack, innermost first: the await it is
	// suspended at and every await above it.
	AwaitChain []runtime.Frame
	// CreatedAt is the stack that created the task, recorded in debug mode
	// only.
	CreatedAt []runtime.Frame
}

// Error lists the blocked tasks, with their await chains, and the cycles.
func (e *DeadlockError) Error() string {
	return e.report("asyncio: deadlock: no task can run, no timer is pending and no outside work is in flight")
}

// report is the text of Error under another first line.
func (e *DeadlockError) report(header string) string {
	var b strings.Builder
	b.WriteString(header)
	for _, c := range e.Cycles {
		fmt.Fprintf(&b, "\n\tcycle: %s -> %s", strings.Join(c, " -> "), c[0])
	}
	for _, t := range e.Tasks {
		fmt.Fprintf(&b, "\n\t%s awaits %s", t.Name, t.Awaiting)
		for _, f := range t.AwaitChain {
			fmt.Fprintf(&b, "\n\t\tat %s", formatFrame(f))
		}
		if f, ok := firstUserFrame(t.CreatedAt); ok {
			fmt.Fprintf(&b, "\n\t\tcreated at %s", formatFrame(f))
		}
	}
	return b.String()
}

// stalled waits when nothing is ready, no timer is pending and no known
// outside work is in flight: only a goroutine that the loop does not know
// of can still call in. It returns a *DeadlockError where that is proven
// not to happen (strict deadlocks, or the virtual clock's closed world once
// nothing has arrived for the idle threshold); on the real clock it waits,
// and reports the blocked tasks once the stall threshold has passed.
func (l *Loop) stalled() error {
	switch {
	case l.cfg.strictDeadlocks:
		return l.deadlock()
	case l.clock.closedWorld():
		if !l.waitWake(l.cfg.idleThreshold) {
			return l.deadlock()
		}
	case l.cfg.stallThreshold <= 0:
		l.waitWake(-1)
	default:
		if !l.waitWake(l.cfg.stallThreshold) {
			report := l.deadlock().report(fmt.Sprintf("asyncio: stalled for %v: no task can run, no timer is pending and no known outside work is in flight;\n"+
				"unless a goroutine will still call CallSoonThreadsafe (register it with Loop.RegisterExternal), these tasks are deadlocked:", l.cfg.stallThreshold))
			fmt.Fprintln(l.cfg.diagnostics, report)
			l.waitWake(-1)
		}
	}
	return nil
}

func (l *Loop) deadlock() *DeadlockError {
	e := &DeadlockError{}
	tasks := l.tasks.all()
	for _, t := range tasks {
		aw := t.Awaiting()
		if aw == "" {
			aw = "nothing (it never resumed)"
		}
		e.Tasks = append(e.Tasks, BlockedTask{
			Name:       t.Name(),
			Awaiting:   aw,
			AwaitChain: t.awaitChain(),
			CreatedAt:  userFrames(t.creationSite()),
		})
	}
	e.Cycles = waitCycles(tasks)
	return e
}

// A holder is what a task can wait for that another task must release: a
// Lock held by its owner. A task waiting for a Task waits for that task.
type holder interface {
	heldBy() *taskCore
}

// blockedBy returns the task that t waits for, if one does.
func blockedBy(t *taskCore) *taskCore {
	if t.waitingOn == nil {
		return nil
	}
	if h, ok := t.waitingOn.(holder); ok {
		return h.heldBy()
	}
	if h, ok := t.waitingOn.base().reason.(holder); ok {
		return h.heldBy()
	}
	return nil
}

// waitCycles finds the cycles of the wait-for graph, where each task has at
// most one outgoing edge, so that following edges from every task finds
// each cycle once.
func waitCycles(tasks []*taskCore) [][]string {
	var cycles [][]string
	seen := map[*taskCore]bool{}
	for _, start := range tasks {
		onPath := map[*taskCore]int{}
		var path []*taskCore
		for t := start; t != nil && !seen[t]; t = blockedBy(t) {
			if i, ok := onPath[t]; ok {
				var names []string
				for _, c := range path[i:] {
					names = append(names, c.Name())
				}
				cycles = append(cycles, names)
				break
			}
			onPath[t] = len(path)
			path = append(path, t)
		}
		for _, t := range path {
			seen[t] = true
		}
	}
	return cycles
}

// heldBy makes a task a holder: awaiting it waits for it.
func (t *taskCore) heldBy() *taskCore { return t }
