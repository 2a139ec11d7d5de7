package asyncio

import (
	"bytes"
	"fmt"
	"runtime"
	"strconv"
	"strings"
)

// awaitChain returns the frames of the task's await chain, innermost first,
// with the runtime's and the generator machinery's frames left out: for a
// suspended task, where it is paused and every await above it.
func (t *taskCore) awaitChain() []runtime.Frame {
	if t.done() {
		return nil
	}
	return userFrames(t.self.callers())
}

// userFrames resolves pcs and keeps the frames a reader of a report cares
// about: their own code and the asyncio calls it awaits in.
func userFrames(pcs []uintptr) []runtime.Frame {
	if len(pcs) == 0 {
		return nil
	}
	var out []runtime.Frame
	frames := runtime.CallersFrames(pcs)
	for {
		f, more := frames.Next()
		if !machinery(f.Function) {
			out = append(out, f)
		}
		if !more {
			return out
		}
	}
}

const modulePath = "github.com/yieldfrom/asyncgo/"

func machinery(fn string) bool {
	switch {
	case strings.HasPrefix(fn, "runtime."), strings.HasPrefix(fn, "iter."),
		strings.HasPrefix(fn, modulePath+"gen."), strings.HasPrefix(fn, modulePath+"coro."):
		return true
	case strings.HasPrefix(fn, modulePath+"asyncio."):
		// Keep the exported calls a user made (asyncio.Sleep, (*Lock).Acquire),
		// drop the loop's own plumbing.
		name := fn[len(modulePath+"asyncio."):]
		name = strings.TrimPrefix(strings.TrimPrefix(name, "(*"), "(")
		return name == "" || name[0] < 'A' || name[0] > 'Z' || strings.Contains(name, ".func")
	}
	return false
}

func formatFrame(f runtime.Frame) string {
	return fmt.Sprintf("%s (%s:%d)", f.Function, f.File, f.Line)
}

// callersOutside returns the stack of its caller's caller (skip frames up),
// for a task's creation site.
func callersOutside(skip int) []uintptr {
	pcs := make([]uintptr, 32)
	return pcs[:runtime.Callers(skip+1, pcs)]
}

// goroutineID returns the calling goroutine's ID. Go hides it on purpose;
// debug mode alone needs it, to tell the loop's goroutine from others, and
// pays the cost of reading it from the stack header.
func goroutineID() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		b = b[:i]
	}
	id, _ := strconv.ParseUint(string(b), 10, 64)
	return id
}
