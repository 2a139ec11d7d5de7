package asyncio

import (
	"context"
	"fmt"
	"runtime/trace"
	"strconv"

	"github.com/yieldfrom/asyncgo/coro"
	"github.com/yieldfrom/asyncgo/gen"
)

// An AnyTask is a Task of any result type: what CurrentTask and AllTasks
// return. Every *Task[T] is one.
type AnyTask interface {
	// Name returns the task's name.
	Name() string
	// SetName renames the task.
	SetName(name string)
	// Done reports whether the task has finished.
	Done() bool
	// Cancelled reports whether the task ended cancelled.
	Cancelled() bool
	// Cancel requests the task's cancellation; see Task.Cancel.
	Cancel(msg ...string) bool
	// Cancelling returns the number of pending cancellation requests.
	Cancelling() int
	// Uncancel withdraws one cancellation request; see Task.Uncancel.
	Uncancel() int
	// Exception returns the error the task ended with.
	Exception() error
	// String describes the task.
	String() string

	// Awaiting describes what the task is suspended on, or "" if it is
	// ready, running or done.
	Awaiting() string

	close()
	callers() []uintptr
}

// taskCore is the part of a task that does not depend on its result type:
// what the loop, diagnostics and AllTasks work with.
type taskCore struct {
	futureCore
	self AnyTask

	// waitingOn is what the task is suspended on (Python's _fut_waiter), nil
	// while it is ready or running.
	waitingOn waitable

	// mustCancel is set when a cancellation could not be delivered through
	// waitingOn: the next step throws a CanceledError into the coroutine,
	// with the request's message (see cancelMessage).
	mustCancel bool
	cancelling bool // inside Cancel, passing the request to waitingOn
	cancels    int  // cancellation requests not withdrawn by Uncancel

	id     int
	parent *taskCore

	prev, next *taskCore // the loop's list of live tasks

	extra *taskExtra
}

// taskExtra is the part of a task that most tasks never use, allocated
// when one first is: a task that is only created, run and awaited (the
// common case, which a program may do a million times) is smaller for it.
type taskExtra struct {
	name      string
	cancelMsg string

	ctx       context.Context
	ctxCancel context.CancelFunc

	createdAt []uintptr // debug mode only

	// throw is the error the next step throws into the coroutine instead
	// of resuming it: why its last request could not be waited for.
	throw error
}

// more returns the task's extra part, allocating it if need be.
func (t *taskCore) more() *taskExtra {
	if t.extra == nil {
		t.extra = new(taskExtra)
	}
	return t.extra
}

// creationSite returns where the task was created, recorded in debug mode.
func (t *taskCore) creationSite() []uintptr {
	if t.extra == nil {
		return nil
	}
	return t.extra.createdAt
}

// cancelMessage returns the message of the latest cancellation request.
func (t *taskCore) cancelMessage() string {
	if t.extra == nil {
		return ""
	}
	return t.extra.cancelMsg
}

// cancelContext cancels the task's Context, if it has handed one out.
func (t *taskCore) cancelContext() {
	if t.extra != nil && t.extra.ctxCancel != nil {
		t.extra.ctxCancel()
	}
}

// A Task runs a coroutine on the loop, concurrently with other tasks:
// Python's asyncio.Task. Create one with CreateTask. Awaiting it waits for
// its result. The loop keeps every task alive until it ends, whether or not
// anyone holds on to it. Its methods must be called on the loop's goroutine.
type Task[T any] struct {
	taskCore
	coro   *coro.Coroutine[T]
	result T
}

// CreateTask wraps c in a task and schedules its first step: Python's
// asyncio.create_task(c) when s is a coroutine's handle, and
// tg.create_task(c) when s is a TaskGroup. The task starts running when its
// creator next suspends.
//
// The task owns c from the call on: c must not be awaited or handed to
// another task afterwards (see Coro). A c that has finished already makes
// a task that fails with coro.ErrReused, and one that has started, or that
// another task owns, a task that fails with coro.ErrAwaitedAlready, as
// Python's RuntimeError("cannot reuse already awaited coroutine"); either
// fails where its first step would have been, without touching c.
func CreateTask[T any, S *A | *TaskGroup](s S, c *Coro[T]) *Task[T] {
	switch s := any(s).(type) {
	case *A:
		parent, err := currentTask(s)
		if err != nil {
			panic(fmt.Errorf("asyncio.CreateTask: %w", err))
		}
		return newTask(parent.loop, c)
	case *TaskGroup:
		if err := s.checkOpen(); err != nil {
			c.Close()
			panic(err)
		}
		t := newTask(s.loop, c)
		s.join(&t.taskCore)
		return t
	}
	panic("unreachable")
}

// CreateTasks wraps each coroutine of cs in a task, as CreateTask does, and
// returns the tasks in order: Python's [create_task(c) for c in cs]. It is
// how coroutines go to AsCompleted and Wait, which take futures (as
// Python's as_completed wraps the coroutines it is given in tasks):
//
//	for t, err := range asyncio.AsCompleted(a, asyncio.CreateTasks(a, coros), asyncio.NoTimeout) {
func CreateTasks[T any, S *A | *TaskGroup](s S, cs []*Coro[T]) []*Task[T] {
	ts := make([]*Task[T], len(cs))
	for i, c := range cs {
		ts[i] = CreateTask(s, c)
	}
	return ts
}

func newTask[T any](l *Loop, c *Coro[T]) *Task[T] {
	if c == nil {
		panic("asyncio.CreateTask: nil coroutine")
	}
	t := &Task[T]{coro: c.coro()}
	t.loop = l
	t.self = t
	l.taskCount++
	t.id = l.taskCount
	t.parent = l.current
	// The task owns the coroutine from now on, not from its first step: a
	// second task of it, or an await of it, made before that step must not
	// become a second driver.
	var startErr error
	switch {
	case c.State() == gen.Closed:
		startErr = coro.ErrReused
	case c.State() != gen.Created || t.coro.Owner() != nil:
		startErr = coro.ErrAwaitedAlready
	default:
		t.coro.SetOwner(&t.taskCore)
		t.coro.SetPool(&l.runners)
	}
	l.tasks.add(&t.taskCore)
	if startErr != nil {
		// A coroutine that cannot be run fails its task where its first
		// step would have been, without touching the coroutine; the steps
		// of every other task need not check for it.
		l.ready.push(&Handle{loop: l, fn: func() {
			if t.state == pending {
				t.end(startErr)
			}
		}})
	} else {
		l.ready.push(t)
	}
	if l.instrumented {
		l.taskSpawned(&t.taskCore)
	}
	return t
}

// run takes one step of the task: Python's Task.__step.
func (t *Task[T]) run() {
	if t.state != pending {
		return
	}
	l := t.loop
	woke := t.waitingOn
	t.waitingOn = nil
	var req any
	var suspended bool
	l.current = &t.taskCore
	var probe stepProbe
	if l.instrumented || trace.IsEnabled() {
		probe = l.beforeStep(&t.taskCore, t.coro.State() == gen.Created)
	}
	// The generator's methods are called directly: the coroutine's are
	// generic wrappers the compiler does not inline, and this is the hottest
	// call of the loop.
	g := (*gen.Generator[any, any, T])(t.coro)
	switch {
	case t.mustCancel:
		t.mustCancel = false
		if t.extra != nil {
			t.extra.throw = nil // Python: the cancellation replaces it
		}
		if woke != nil && isCancellation(woke.base().err) {
			// What the task awaited was cancelled (by an earlier Cancel,
			// whose message it carries): Python's __step keeps a
			// CancelledError it is woken with, and so does the await.
			req, suspended = g.Send(nil)
		} else {
			req, suspended = g.Throw(newCanceledError(t.cancelMessage()))
		}
	case t.extra == nil || t.extra.throw == nil:
		req, suspended = g.Send(nil)
	default:
		err := t.extra.throw
		t.extra.throw = nil
		req, suspended = g.Throw(err)
	}
	l.current = nil
	if probe.active {
		defer l.afterStep(&t.taskCore, probe)
	}
	if !suspended {
		var err error
		t.result, err = t.coro.Result()
		if t.mustCancel && err == nil {
			// Cancelled during its last step (by itself, say): Python's
			// "Task is cancelled right before coro stops".
			t.mustCancel = false
			err = newCanceledError(t.cancelMessage())
		}
		t.end(err)
		return
	}
	switch r := req.(type) {
	case nil:
		l.ready.push(t)
	case waitable:
		f := r.base()
		if f.loop != l {
			t.badYield(fmt.Errorf("asyncio: task %s awaited a future %w", t.Name(), ErrDifferentLoop))
			return
		}
		if f == &t.futureCore {
			t.badYield(fmt.Errorf("asyncio: task %s: %w", t.Name(), ErrAwaitSelf))
			return
		}
		t.waitingOn = r
		f.addCallback(t)
		if t.mustCancel && t.passOn(t.cancelMessage()) {
			t.mustCancel = false
		}
	default:
		t.badYield(fmt.Errorf("asyncio: task %s got bad yield: %v", t.Name(), req))
	}
}

// badYield makes the task's next step throw err, as Python's Task throws
// RuntimeError into a coroutine that yields something it cannot wait for:
// the coroutine may handle it and go on awaiting.
func (t *Task[T]) badYield(err error) {
	t.more().throw = err
	t.loop.ready.push(t)
}

// close ends a task that refused to end when cancelled: its coroutine is
// closed, so its deferred calls run, and the task ends cancelled. A task
// whose coroutine is still running was stepped when runtime.Goexit unwound
// its coroutine (and then Run): its deferred calls have run, and its
// coroutine cannot be resumed.
func (t *Task[T]) close() {
	if t.done() {
		return
	}
	// What the task waited on is not waited on any more: the close makes the
	// coroutine leave it, and a waiter it leaves may serve another task.
	t.waitingOn = nil
	// A coroutine still Running lost its goroutine to a panic or
	// runtime.Goexit in the step under way (see Loop.abandon): there is
	// nothing left to resume.
	if t.owns() && t.coro.State() != gen.Running {
		t.coro.Close()
	}
	t.end(newCanceledError("closed at loop shutdown"))
}

func (t *Task[T]) end(err error) {
	if isCancellation(err) {
		t.state = cancelled
		t.err = err
		t.scheduleCallbacks()
	} else {
		t.finish(err)
	}
	t.cancelContext()
	t.loop.tasks.remove(&t.taskCore)
	if t.loop.instrumented {
		t.loop.taskExited(&t.taskCore)
	}
}

// Name returns the task's name: "Task-N" unless SetName changed it.
func (t *taskCore) Name() string {
	e := t.more()
	if e.name == "" {
		// Formatted on demand: most tasks are never asked their name.
		e.name = "Task-" + strconv.Itoa(t.id)
	}
	return e.name
}

// SetName renames the task.
func (t *taskCore) SetName(name string) { t.more().name = name }

// Done reports whether the task has finished: returned, failed or was
// cancelled.
func (t *taskCore) Done() bool { return t.done() }

// Cancelled reports whether the task ended cancelled: its coroutine
// returned a cancellation, or an error that wraps one (%w). An
// *ExceptionGroup that holds one is a failure, as in Python.
func (t *taskCore) Cancelled() bool { return t.state == cancelled }

// Cancel requests that the task be cancelled, with an optional message:
// Python's Task.cancel() and Task.cancel(msg). More than one message is a
// misuse, and panics. The cancellation is delivered as a
// *CanceledError at the task's innermost await: if the task waits on a
// future or another task, that is cancelled; otherwise the error is thrown
// in at its next step. A task in an await cycle (it awaits a task that, in
// the end, awaits it) stops waiting and takes the cancellation itself; the
// others of the cycle then see its cancellation. The task may handle it and
// go on; a task that returns a value afterwards ends with that value.
// Cancel reports false if the task has already finished. Each call counts
// as one request (see Cancelling and Uncancel). The task's Context is
// cancelled at once.
func (t *taskCore) Cancel(msg ...string) bool {
	return t.cancelWith(oneMessage("asyncio.Task.Cancel", msg))
}

func (t *taskCore) cancelWith(msg string) bool {
	if t.done() {
		return false
	}
	if t.cancelling {
		// The request came back round an await cycle (the task awaits a
		// task that, in the end, awaits it): passed on again, it would go
		// round for ever, and what the task awaits can never end, so
		// cancelling it delivers nothing. It is the same request, not a
		// new one: the task stops waiting, and passOn has it take the
		// request at its next step.
		t.waitingOn.base().removeCallbacks(func(c runnable) bool { return any(c) == any(t.self) })
		t.waitingOn = nil
		t.loop.ready.push(t.self.(runnable))
		return true
	}
	t.cancels++
	t.cancelContext()
	if t.waitingOn != nil && t.passOn(msg) {
		return true
	}
	t.mustCancel = true
	if msg != "" || t.extra != nil {
		// The common request has no message: it needs no extra part.
		t.more().cancelMsg = msg
	}
	return true
}

// passOn passes a cancellation request to what the task waits on (Python's
// _fut_waiter.cancel), and reports whether that took it. It did not if the
// request came back to the task round an await cycle: the task then waits
// no more, and must take the request itself at its next step.
func (t *taskCore) passOn(msg string) bool {
	t.cancelling = true
	took := t.waitingOn.cancel(msg)
	t.cancelling = false
	return took && t.waitingOn != nil
}

func (t *Task[T]) cancel(msg string) bool { return t.cancelWith(msg) }

// Cancelling returns the number of cancellation requests not yet withdrawn
// by Uncancel: Python's Task.cancelling().
func (t *taskCore) Cancelling() int { return t.cancels }

// Uncancel withdraws one cancellation request and returns how many remain:
// Python's Task.uncancel(). Timeouts and task groups use it to tell their
// own cancellations from the caller's. When none remain, a cancellation not
// yet delivered is dropped, as in Python 3.13.
func (t *taskCore) Uncancel() int {
	if t.cancels > 0 {
		t.cancels--
		if t.cancels == 0 {
			t.mustCancel = false
			// The Context handed out while a request stood is cancelled for
			// good; the task is not cancelled any more, so the next Context
			// call makes a live one (after a Timeout that expired, say).
			if t.extra != nil {
				t.extra.ctx, t.extra.ctxCancel = nil, nil
			}
		}
	}
	return t.cancels
}

// Exception returns the error the task ended with (a *CanceledError if it
// was cancelled), nil if it returned normally, or an error wrapping
// ErrInvalidState if it is still running.
func (t *taskCore) Exception() error {
	if !t.done() {
		return fmt.Errorf("%w: task is not done", ErrInvalidState)
	}
	return t.err
}

// Result returns what the task's coroutine returned once the task is done;
// see Future.Result.
func (t *Task[T]) Result() (T, error) { return outcome(&t.futureCore, t.result) }

// Await suspends the task running a until t is done and returns t's
// result: Python's await task. Cancelling the awaiting task cancels t too,
// as in Python; use Shield to prevent that. A task awaiting itself gets
// ErrAwaitSelf, and a task of another loop an error wrapping
// ErrDifferentLoop.
func (t *Task[T]) Await(a *A) (T, error) {
	if err := awaitFuture(a, t); err != nil {
		var zero T
		return zero, err
	}
	return t.Result()
}

// AddDoneCallback arranges for fn to be called with the task, on the loop,
// once the task is done; see Future.AddDoneCallback.
func (t *Task[T]) AddDoneCallback(fn func(*Task[T])) *DoneCallback {
	return t.addDoneCallback(func() { fn(t) })
}

func (t *Task[T]) callers() []uintptr {
	if !t.owns() {
		return nil
	}
	return t.coro.Callers()
}

// owns reports whether the task drives its coroutine: a task made of a
// coroutine that had another driver fails without touching it.
func (t *Task[T]) owns() bool { return t.coro.Owner() == any(&t.taskCore) }

// Awaiting describes what the task is suspended on (a future, a task, a
// sleep, a lock...), or "" if it is ready, running or done.
func (t *taskCore) Awaiting() string {
	if t.waitingOn == nil || t.done() {
		return ""
	}
	return fmt.Sprint(t.waitingOn)
}

// Coro returns the coroutine the task runs: Python's Task.get_coro().
func (t *Task[T]) Coro() *Coro[T] { return (*Coro[T])(t.coro) }

// String describes the task, its name and state, for diagnostics.
func (t *taskCore) String() string {
	return describeFuture("Task "+t.Name(), &t.futureCore)
}

// Context returns a context.Context for the task running a, to hand to
// ordinary Go APIs (net/http, database/sql): it is cancelled as soon as the
// task is cancelled or ends, and it is derived from the context given to
// Run. Outside a task it returns an already cancelled context.
func Context(a *A) context.Context {
	t, err := currentTask(a)
	if err != nil {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(err)
		return ctx
	}
	e := t.more()
	if e.ctx == nil {
		e.ctx, e.ctxCancel = context.WithCancel(t.loop.ctx)
		if t.cancels > 0 || t.done() {
			e.ctxCancel()
		}
	}
	return e.ctx
}

var _ coro.Awaitable[int] = (*Task[int])(nil)
