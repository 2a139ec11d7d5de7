package gen

import (
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
)

// A DropReport describes a generator that became unreachable while it was
// suspended: a Generator that was dropped without being run to its end or
// closed. See SetDropReport.
type DropReport struct {
	// Callers are the program counters of the body's call stack where it
	// is suspended, innermost first, as Generator.Callers returns them.
	Callers []uintptr

	// g is the dropped generator, for the package's tests to close.
	g droppable
}

// String describes the drop and the body's stack, a function and its file
// and line for each frame, as a panic's trace does.
func (d DropReport) String() string {
	var b strings.Builder
	b.WriteString("gen: generator dropped while suspended")
	if len(d.Callers) == 0 {
		return b.String()
	}
	frames := runtime.CallersFrames(d.Callers)
	for {
		f, more := frames.Next()
		fmt.Fprintf(&b, "\n%s\n\t%s:%d", f.Function, f.File, f.Line)
		if !more {
			return b.String()
		}
	}
}

// dropReport is the function SetDropReport set, or nil.
var dropReport atomic.Pointer[func(DropReport)]

// SetDropReport makes report the function that is told of generators
// dropped while suspended, and returns the one it replaces (nil if there
// was none). A nil report stops the reports.
//
// A generator that starts while a report function is set, and has no owner
// (see Generator.SetOwner), is watched: if it becomes unreachable while it
// is suspended, a garbage collection finds it and the report function set
// at that moment, if any, is called with a DropReport, on a goroutine
// started for that call. So report must be safe for concurrent use; it may
// block, and it may be called after the code that dropped the generator
// has moved on. Watching costs each such generator a runtime.AddCleanup,
// removed when it ends; generators started while no report function is
// set cost nothing and are never reported.
//
// The dropped generator itself is left as it is: its body is not resumed,
// its deferred calls never run, and it keeps its coroutine (a parked
// goroutine) for the life of the program, as an iter.Pull coroutine whose
// stop is never called does. Ending it is the job of the code that started
// it: run it to its end, Close it, or range over All, which closes a
// generator when the loop stops early. Tests and debugging tools set a
// report function to find the code that forgets to.
func SetDropReport(report func(DropReport)) (previous func(DropReport)) {
	var p *func(DropReport)
	if report != nil {
		p = &report
	}
	if old := dropReport.Swap(p); old != nil {
		return *old
	}
	return nil
}

// A droppable is a generator's core, as its drop is reported. The cleanup
// function is not generic, so that registering it does not allocate a
// closure over a generic dictionary.
type droppable interface {
	callers() []uintptr
	close() error
}

// watch registers the cleanup that reports g if it is dropped while it is
// suspended. The cleanup is attached to an anchor, which only the handle
// refers to: the body's coroutine refers to g's core, which must not keep
// the handle reachable.
func watch[Y, S, R any](g *Generator[Y, S, R]) {
	g.anchor = new(anchor)
	g.c.y.cleanup = runtime.AddCleanup(g.anchor, dropped, droppable(g.c))
}

// dropped is the cleanup of a watched generator whose handle has become
// unreachable while it was suspended (its cleanup is stopped as soon as it
// ends, and Send, Throw, Close and Callers keep the handle reachable while
// they resume it). It runs on the runtime's cleanup goroutine, where no code
// but the runtime's may run: the report goes to a goroutine of its own.
func dropped(d droppable) {
	if dropReport.Load() != nil {
		go reportDrop(d)
	}
}

// reportDrop calls the report function with d's report. Reading d's stack
// resumes its coroutine for a moment without running any of its body's
// code; see Generator.Callers.
func reportDrop(d droppable) {
	if report := dropReport.Load(); report != nil {
		(*report)(DropReport{Callers: d.callers(), g: d})
	}
}
