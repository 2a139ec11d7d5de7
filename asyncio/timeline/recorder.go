// Package timeline records which task of an event loop ran when, and what
// each one awaited in between, and draws it: as a Chrome trace (for
// Perfetto or chrome://tracing) and as an SVG picture, one lane per task,
// like the sync-versus-async diagrams of the asyncio lessons, but of your
// own program.
//
// A [Recorder] is installed on a run with asyncio.WithHooks:
//
//	rec := timeline.NewRecorder()
//	_, err := asyncio.Run(ctx, main(), asyncio.WithHooks(rec.Hooks()))
//	...
//	err = rec.WriteSVG(f, timeline.SVGOptions{Title: "gather"})
//	err = rec.WriteTrace(g) // open it in https://ui.perfetto.dev
//
// Times are the loop's clock times, measured from the moment the first task
// was created. On the virtual clock (asyncio.WithVirtualTime) a step takes
// no time at all, so the picture shows when tasks ran and waited, not how
// long their steps took; on the real clock it shows both.
//
// # Cost
//
// A loop without hooks pays nothing for them (one branch per step, lost in
// the noise of bench's BenchmarkSleep0). With a Recorder installed, a task
// step costs about twice as much (BenchmarkSleep0Traced: some 150 ns more
// per step, on top of 150 ns) and 48 bytes, which the recording keeps;
// a wait on anything but Sleep(a, 0) adds the formatting of what it awaits.
package timeline

import (
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// A Kind tells what a task was doing during a Span.
type Kind uint8

const (
	// Running is a step: the loop was resuming the task's coroutine.
	Running Kind = iota
	// Waiting is the time between two steps, or between a task's creation
	// and its first step: the task was suspended on what Span.Awaiting
	// names, or ready and waiting for its turn.
	Waiting
)

// String returns "running" or "waiting".
func (k Kind) String() string {
	if k == Running {
		return "running"
	}
	return "waiting"
}

// A Span is a stretch of a task's life: one step, or one wait.
type Span struct {
	Kind Kind
	// Start and End are loop clock times measured from the start of the
	// recording. End is the start of the task's next step (the wake-up) for
	// a wait.
	Start, End time.Duration
	// Awaiting is what a waiting task was suspended on, as
	// asyncio.AnyTask.Awaiting describes it ("<sleep>", "<Task Task-2
	// pending>"); "" for a step, and for a task that was ready to run: one
	// that had just been created, or had yielded with Sleep(a, 0).
	Awaiting string
}

// A Task is the recorded life of one task: its steps and its waits, in
// order, from its creation to its end.
type Task struct {
	// Name is the task's name when it was last seen.
	Name string
	// Spawned is when the task was created; Exited when it ended, if Done.
	Spawned, Exited time.Duration
	// Done reports whether the task ended during the recording.
	Done bool
	// Err is the error the task ended with, if it failed or was cancelled.
	Err error
	// Spans are the task's steps and waits, in time order, without gaps:
	// each begins where the one before ended.
	Spans []Span
}

// A Recorder records the steps and waits of the tasks of one Run, through
// the hooks it gives to asyncio.WithHooks. Create one with NewRecorder.
//
// The loop calls the hooks on its own goroutine; read the recording
// (Tasks, WriteTrace, WriteSVG) after Run has returned, or from the run's
// own tasks. A Recorder is meant for one Run: a second Run adds its tasks
// to the same recording, with times measured from the first.
//
// Recording costs two spans per task step, 24 bytes each, kept in blocks
// that never move, so that a long recording grows without copying.
type Recorder struct {
	started bool
	origin  time.Time
	last    time.Duration // the latest time seen
	records []*record
	index   map[asyncio.AnyTask]*record
	hooks   asyncio.Hooks

	// strings holds each distinct Awaiting once; spans refer to it by
	// index, so that they hold no pointer for the garbage collector to
	// scan. strings[0] is "".
	strings  []string
	interned map[string]uint32

	// The task of the latest hook call: a step's AfterStep follows its
	// BeforeStep, so this saves the second map lookup of every step.
	lastTask asyncio.AnyTask
	lastRec  *record
}

// A record is what the Recorder knows of one task.
type record struct {
	Task  // without its Spans, which are in spans
	spans spanList
}

// A span is a Span as recorded, without pointers.
type span struct {
	start, end time.Duration
	awaiting   uint32 // an index in Recorder.strings
	kind       Kind
}

// A spanList is an append-only list of spans, in blocks that double in
// size up to maxBlock and are never copied.
type spanList struct {
	blocks [][]span
	n      int
}

const maxBlock = 4096

func (l *spanList) push(s span) {
	if len(l.blocks) == 0 || len(l.blocks[len(l.blocks)-1]) == cap(l.blocks[len(l.blocks)-1]) {
		size := 8
		if len(l.blocks) > 0 {
			size = min(2*cap(l.blocks[len(l.blocks)-1]), maxBlock)
		}
		l.blocks = append(l.blocks, make([]span, 0, size))
	}
	b := &l.blocks[len(l.blocks)-1]
	*b = append(*b, s)
	l.n++
}

// last returns the latest span, or nil if there is none.
func (l *spanList) last() *span {
	if l.n == 0 {
		return nil
	}
	b := l.blocks[len(l.blocks)-1]
	return &b[len(b)-1]
}

// beforeLast returns the span before the latest, or nil.
func (l *spanList) beforeLast() *span {
	switch b := l.blocks; {
	case l.n < 2:
		return nil
	case len(b[len(b)-1]) > 1:
		last := b[len(b)-1]
		return &last[len(last)-2]
	default:
		prev := b[len(b)-2]
		return &prev[len(prev)-1]
	}
}

// pop removes the latest span.
func (l *spanList) pop() {
	b := &l.blocks[len(l.blocks)-1]
	*b = (*b)[:len(*b)-1]
	if len(*b) == 0 {
		l.blocks = l.blocks[:len(l.blocks)-1]
	}
	l.n--
}

// NewRecorder returns a Recorder that has recorded nothing yet.
func NewRecorder() *Recorder {
	r := &Recorder{
		index:    map[asyncio.AnyTask]*record{},
		strings:  []string{""},
		interned: map[string]uint32{"": 0},
	}
	r.hooks = asyncio.Hooks{
		TaskSpawned: r.spawned,
		BeforeStep:  r.beforeStep,
		AfterStep:   r.afterStep,
		TaskExited:  r.exited,
	}
	return r
}

// Hooks returns the hooks to install with asyncio.WithHooks. Every call
// returns the same hooks.
func (r *Recorder) Hooks() *asyncio.Hooks { return &r.hooks }

// Tasks returns the recorded tasks in the order they were created. A task
// still running when Tasks is called has its last span end at the latest
// time the Recorder has seen. The result is a copy: changing it does not
// change the recording.
func (r *Recorder) Tasks() []Task {
	out := make([]Task, len(r.records))
	for i, rec := range r.records {
		t := rec.Task
		t.Spans = make([]Span, 0, rec.spans.n)
		for _, b := range rec.spans.blocks {
			for _, s := range b {
				t.Spans = append(t.Spans, Span{Kind: s.kind, Start: s.start, End: s.end, Awaiting: r.strings[s.awaiting]})
			}
		}
		if !t.Done && len(t.Spans) > 0 {
			t.Spans[len(t.Spans)-1].End = r.last
		}
		out[i] = t
	}
	return out
}

// Duration returns the time from the start of the recording to the latest
// event it holds.
func (r *Recorder) Duration() time.Duration { return r.last }

func (r *Recorder) since(at time.Time) time.Duration {
	if !r.started {
		r.started, r.origin = true, at
	}
	d := at.Sub(r.origin)
	r.last = max(r.last, d)
	return d
}

func (r *Recorder) intern(s string) uint32 {
	if s == "" {
		return 0
	}
	i, ok := r.interned[s]
	if !ok {
		i = uint32(len(r.strings))
		r.strings = append(r.strings, s)
		r.interned[s] = i
	}
	return i
}

// record returns the record of t, making it if t was created before the
// Recorder was installed (it cannot be, with WithHooks, but a record is
// better than a panic).
func (r *Recorder) record(at time.Duration, t asyncio.AnyTask) *record {
	if t == r.lastTask {
		return r.lastRec
	}
	rec, ok := r.index[t]
	if !ok {
		rec = &record{Task: Task{Name: t.Name(), Spawned: at}}
		rec.spans.push(span{kind: Waiting, start: at, end: at})
		r.index[t] = rec
		r.records = append(r.records, rec)
	}
	r.lastTask, r.lastRec = t, rec
	return rec
}

// switchTo ends the task's current span at d and starts one of kind k.
func (rec *record) switchTo(d time.Duration, k Kind, awaiting uint32) {
	if s := rec.spans.last(); s != nil {
		s.end = d
	}
	rec.spans.push(span{kind: k, start: d, end: d, awaiting: awaiting})
}

func (r *Recorder) spawned(at time.Time, t asyncio.AnyTask) {
	r.record(r.since(at), t)
}

func (r *Recorder) beforeStep(at time.Time, t asyncio.AnyTask) {
	d := r.since(at)
	r.record(d, t).switchTo(d, Running, 0)
}

func (r *Recorder) afterStep(at time.Time, t asyncio.AnyTask) {
	d := r.since(at)
	rec := r.record(d, t)
	rec.Name = t.Name()
	if rec.Done {
		// A task that ends in a step exits before that step's AfterStep:
		// exited has closed its last span already.
		return
	}
	rec.switchTo(d, Waiting, r.intern(t.Awaiting()))
}

func (r *Recorder) exited(at time.Time, t asyncio.AnyTask) {
	d := r.since(at)
	rec := r.record(d, t)
	rec.Name = t.Name()
	rec.Done, rec.Exited = true, d
	rec.Err = t.Exception()
	if s, prev := rec.spans.last(), rec.spans.beforeLast(); prev != nil && prev.kind == Running && *s == (span{kind: Waiting, start: d, end: d}) {
		// An AfterStep before the exit opened a wait that never was.
		rec.spans.pop()
	}
	if s := rec.spans.last(); s != nil {
		s.end = d
	}
}
