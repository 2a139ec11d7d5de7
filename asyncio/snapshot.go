package asyncio

import (
	"fmt"
	"runtime"
	"strings"
)

// A TaskInfo describes one task in a Snapshot.
type TaskInfo struct {
	// Name is the task's name; Parent the name of the task that created it
	// ("" for the main task).
	Name, Parent string
	// State is "running", "ready", "waiting", "done" or "cancelled".
	State string
	// Awaiting describes what a waiting task is suspended on.
	Awaiting string
	// AwaitChain is a waiting task's stack, innermost first.
	AwaitChain []runtime.Frame
	// CreatedAt is the stack that created the task (debug mode only).
	CreatedAt []runtime.Frame
}

// A TaskTree is a snapshot of a loop's live tasks, parents before their
// children; its String draws it as a tree, like Python 3.14's
// `python -m asyncio pstree`.
type TaskTree []TaskInfo

// Snapshot returns every live task of the loop running a: its parent, its
// state and its await chain. It is the in-process counterpart of Python
// 3.14's `python -m asyncio ps`.
func Snapshot(a *A) TaskTree {
	t, err := currentTask(a)
	if err != nil {
		return nil
	}
	l := t.loop
	var tree TaskTree
	for _, c := range l.tasks.all() {
		info := TaskInfo{Name: c.Name(), CreatedAt: userFrames(c.creationSite())}
		if c.parent != nil {
			info.Parent = c.parent.Name()
		}
		switch {
		case c == l.current:
			info.State = "running"
			info.AwaitChain = userFrames(callersOutside(2))
		case c.waitingOn != nil:
			info.State = "waiting"
			info.Awaiting = c.Awaiting()
			info.AwaitChain = c.awaitChain()
		default:
			info.State = "ready"
		}
		tree = append(tree, info)
	}
	return tree
}

// String draws the tree: each task under its parent, with its state, what
// it awaits and the innermost frame of its await chain.
func (tree TaskTree) String() string {
	// A parent is created before its children, so each task's parent is the
	// latest earlier task of that name: names need not be unique, and the
	// tree cannot loop.
	children := make([][]int, len(tree))
	var roots []int
	latest := map[string]int{}
	for i, t := range tree {
		if p, ok := latest[t.Parent]; ok && t.Parent != "" {
			children[p] = append(children[p], i)
		} else {
			roots = append(roots, i)
		}
		latest[t.Name] = i
	}
	var b strings.Builder
	var draw func(i int, indent string)
	draw = func(i int, indent string) {
		t := tree[i]
		fmt.Fprintf(&b, "%s%s [%s]", indent, t.Name, t.State)
		if t.Awaiting != "" {
			fmt.Fprintf(&b, " awaiting %s", t.Awaiting)
		}
		if f, ok := firstUserFrame(t.AwaitChain); ok {
			fmt.Fprintf(&b, " at %s:%d", f.File, f.Line)
		}
		b.WriteString("\n")
		for _, c := range children[i] {
			draw(c, indent+"  ")
		}
	}
	for _, r := range roots {
		draw(r, "")
	}
	return b.String()
}

// firstUserFrame returns the innermost frame outside this package: the
// line of the caller's code that is waiting.
func firstUserFrame(chain []runtime.Frame) (runtime.Frame, bool) {
	for _, f := range chain {
		if !strings.HasPrefix(f.Function, modulePath+"asyncio.") {
			return f, true
		}
	}
	return runtime.Frame{}, false
}
