package asyncio

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/yieldfrom/asyncgo/gen"
)

// A LeakError is what Run returns under WithStrictLeaks when main returned
// while other tasks were still pending (they were cancelled and awaited) or
// child processes still running (they were killed and reaped), or, in debug
// mode, when coroutines were created but never awaited or scheduled.
type LeakError struct {
	// Reports describe each leak, one per line.
	Reports []string
}

// Error lists the leaks.
func (e *LeakError) Error() string {
	return "asyncio: leaks:\n\t" + strings.Join(e.Reports, "\n\t")
}

// pendingReports describes the tasks still pending when the loop is shut
// down; when says when that is ("main returned").
func (l *Loop) pendingReports(when string) []string {
	var reports []string
	for _, t := range l.tasks.all() {
		r := fmt.Sprintf("task %s was still pending when %s", t.Name(), when)
		if aw := t.Awaiting(); aw != "" {
			r += ", awaiting " + aw
		}
		if site := creationSite(t); site != "" {
			r += "; created at " + site
		}
		reports = append(reports, r+"; it was cancelled")
	}
	return reports
}

func creationSite(t *taskCore) string {
	if f, ok := firstUserFrame(userFrames(t.creationSite())); ok {
		return formatFrame(f)
	}
	return ""
}

// An unawaitedCoro is a coroutine created while a debug-mode loop stepped
// a task, remembered until the loop closes to report it if it never ran.
type unawaitedCoro struct {
	state     func() gen.State
	createdAt []uintptr
}

// debugLoops are the loops running in debug mode, which want to hear of
// every coroutine created while they step a task.
var debugLoops struct {
	n     atomic.Int64
	mu    sync.Mutex
	loops map[*Loop]struct{}
}

func (l *Loop) registerDebug() (unregister func()) {
	debugLoops.mu.Lock()
	if debugLoops.loops == nil {
		debugLoops.loops = map[*Loop]struct{}{}
	}
	debugLoops.loops[l] = struct{}{}
	debugLoops.mu.Unlock()
	debugLoops.n.Add(1)
	return func() {
		debugLoops.n.Add(-1)
		debugLoops.mu.Lock()
		delete(debugLoops.loops, l)
		debugLoops.mu.Unlock()
	}
}

// noteCoroutine records a new coroutine with the debug loop that is
// stepping a task right now. A coroutine is a plain value with no handle to
// its loop, so the loop is found by elimination: if several debug loops
// step tasks at this instant, the coroutine is not recorded, which can only
// hide a report, never invent one.
func noteCoroutine(state func() gen.State) {
	debugLoops.mu.Lock()
	defer debugLoops.mu.Unlock()
	var owner *Loop
	for l := range debugLoops.loops {
		if l.debugStepping.Load() {
			if owner != nil {
				return
			}
			owner = l
		}
	}
	if owner == nil {
		return
	}
	if len(owner.unawaited) >= owner.pruneUnawaited {
		// Forget the coroutines that have started, so that a long debug run
		// keeps only the suspects, not every coroutine it ever made.
		kept := owner.unawaited[:0]
		for _, c := range owner.unawaited {
			if c.state() == gen.Created {
				kept = append(kept, c)
			}
		}
		clear(owner.unawaited[len(kept):])
		owner.unawaited = kept
		owner.pruneUnawaited = max(64, 2*len(kept))
	}
	owner.unawaited = append(owner.unawaited, unawaitedCoro{state: state, createdAt: callersOutside(3)})
}

// unawaitedReports describes the recorded coroutines that never started.
func (l *Loop) unawaitedReports() []string {
	debugLoops.mu.Lock()
	records := l.unawaited
	l.unawaited = nil
	debugLoops.mu.Unlock()
	var reports []string
	for _, c := range records {
		if c.state() != gen.Created {
			continue
		}
		r := "coroutine was never awaited"
		// The innermost user frame is most often a coroutine function (one
		// that returns Async(...)); its caller is the line missing an await.
		var sites []string
		for _, f := range userFrames(c.createdAt) {
			if !strings.HasPrefix(f.Function, modulePath+"asyncio.") && len(sites) < 2 {
				sites = append(sites, formatFrame(f))
			}
		}
		if len(sites) > 0 {
			r += "; created at " + strings.Join(sites, ", called from ")
		}
		reports = append(reports, r)
	}
	return reports
}
