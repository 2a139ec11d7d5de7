package asyncio

import (
	"fmt"
	"reflect"

	"github.com/yieldfrom/asyncgo/coro"
)

// A resultFuture is a future-like object with a typed result: a *Future[T],
// a *Task[T], or a *GatheringFuture (whose T is a slice).
type resultFuture[T any] interface {
	waitable
	Result() (T, error)
}

// ensureFuture turns an awaitable into something the loop l can wait on:
// tasks and futures as they are, coroutines (and other awaitables) wrapped
// in a new task. It is Python's asyncio.ensure_future, and refuses as it
// does a task or future of another loop, with an error that call begins.
func ensureFuture[T any](l *Loop, aw coro.Awaitable[T], call string) (resultFuture[T], error) {
	switch v := aw.(type) {
	case *Task[T]:
		return v, sameLoop(l, &v.futureCore, call)
	case *Future[T]:
		return v, sameLoop(l, &v.futureCore, call)
	case *Coro[T]:
		return newTask(l, v), nil
	case *coro.Coroutine[T]:
		return newTask(l, (*Coro[T])(v)), nil
	case resultFuture[T]:
		return v, sameLoop(l, v.base(), call)
	}
	return newTask(l, (*Coro[T])(coro.New(aw.Await))), nil
}

// wrapped reports whether ensureFuture wraps aw in a new task, and if so
// whether aw has an identity by which Gather can tell that it was given
// twice: pointers do, values do not (two equal values may be two
// awaitables).
func wrapped[T any](aw coro.Awaitable[T]) (wraps, identified bool) {
	switch aw.(type) {
	case *Task[T], *Future[T], resultFuture[T]:
		return false, false
	case *Coro[T], *coro.Coroutine[T]:
		return true, true
	}
	return true, aw != nil && reflect.TypeOf(aw).Kind() == reflect.Pointer
}

// Awaitables returns the slice ws as a slice of Awaitable, so that a slice
// of tasks, coroutines or futures of one kind goes into Gather, GatherFuture
// or GatherReturnExceptions whole: Python's gather(*tasks) is
//
//	asyncio.Gather(a, asyncio.Awaitables(tasks)...)
//
// (Go's variadic arguments take a slice only of the parameter's own type.)
func Awaitables[T any, W coro.Awaitable[T]](ws []W) []Awaitable[T] {
	aws := make([]Awaitable[T], len(ws))
	for i, w := range ws {
		aws[i] = w
	}
	return aws
}

// Gather runs the awaitables concurrently and returns their results in
// argument order: Python's await asyncio.gather(*aws). Coroutines are
// wrapped in tasks, which start when the caller suspends. An awaitable
// given more than once is waited for once, and its result fills each of
// its places, as in Python. A task or future of another loop is refused
// with an error wrapping ErrDifferentLoop, before anything starts.
//
// If one of them fails (or is cancelled), Gather returns that first error
// at once and the others keep running, as in Python. Cancelling the task
// that awaits Gather cancels every awaitable that has not finished.
//
// Gather is GatherFuture awaited at once; see GatherFuture for the future
// itself, and Gather2, Gather3 and Gather4 for awaitables of different
// result types.
func Gather[T any](a *A, aws ...coro.Awaitable[T]) ([]T, error) {
	g, err := startGather(a, aws, false, "asyncio.Gather")
	if err != nil {
		return nil, err
	}
	return g.Await(a)
}

// GatherReturnExceptions runs the awaitables concurrently as Gather does,
// but waits for all of them: Python's gather(*aws, return_exceptions=True).
// It returns each one's result and error in argument order; errs[i] is a
// *CanceledError for a cancelled one. The final error is the gather's own:
// a *CanceledError if the awaiting task was cancelled, else nil.
func GatherReturnExceptions[T any](a *A, aws ...coro.Awaitable[T]) (results []T, errs []error, err error) {
	g, err := startGather(a, aws, true, "asyncio.GatherReturnExceptions")
	if err != nil {
		return nil, nil, err
	}
	if results, err = g.Await(a); err != nil {
		return nil, nil, err
	}
	return results, g.Errors(), nil
}

// GatherFuture starts running the awaitables concurrently, as Gather does,
// and returns the future of their results without waiting for it: Python's
// g = asyncio.gather(*aws). The future can be awaited later, cancelled
// (which cancels the awaitables not yet done), inspected, given done
// callbacks, and passed to Wait, AsCompleted, WaitFor, Shield or another
// Gather. A call that Gather would refuse (a task or future of another
// loop) returns a future already done with that error. It panics if a
// belongs to no task of a running loop, as CreateTask does.
func GatherFuture[T any](a *A, aws ...coro.Awaitable[T]) *GatheringFuture[T] {
	return gatherFuture(a, aws, false, "asyncio.GatherFuture")
}

// GatherFutureReturnExceptions is GatherFuture for Python's g =
// asyncio.gather(*aws, return_exceptions=True): the future waits for every
// awaitable, its Result has no error unless it was cancelled, and its
// Errors method gives each awaitable's error.
func GatherFutureReturnExceptions[T any](a *A, aws ...coro.Awaitable[T]) *GatheringFuture[T] {
	return gatherFuture(a, aws, true, "asyncio.GatherFutureReturnExceptions")
}

func gatherFuture[T any](a *A, aws []coro.Awaitable[T], returnExceptions bool, call string) *GatheringFuture[T] {
	t, err := currentTask(a)
	if err != nil {
		panic(fmt.Errorf("%s: %w", call, err))
	}
	g, err := startGather(a, aws, returnExceptions, call)
	if err != nil {
		g = &GatheringFuture[T]{}
		g.loop = t.loop
		g.finish(err)
	}
	return g
}

// Gather2 runs two awaitables of different result types concurrently and
// returns both results: Python's x, y = await asyncio.gather(fx(), fy()).
// It is Gather in every other respect: the first error comes back at once,
// and cancelling the awaiting task cancels both.
func Gather2[T1, T2 any](a *A, x coro.Awaitable[T1], y coro.Awaitable[T2]) (T1, T2, error) {
	var v1 T1
	var v2 T2
	g, err := startMixed(a, func(l *Loop) error {
		err := checkArgs(l, []coro.Awaitable[T1]{x}, "asyncio.Gather2", nil)
		return checkArgs(l, []coro.Awaitable[T2]{y}, "asyncio.Gather2", err)
	}, func(g *gatherCore) {
		addChildren(g, []coro.Awaitable[T1]{x}, "asyncio.Gather2")
		addChildren(g, []coro.Awaitable[T2]{y}, "asyncio.Gather2")
	})
	if err == nil {
		err = g.await(a)
	}
	if err != nil {
		return v1, v2, err
	}
	v1, _ = childResult[T1](g, 0)
	v2, _ = childResult[T2](g, 1)
	return v1, v2, nil
}

// Gather3 is Gather2 for three awaitables: Python's x, y, z = await
// asyncio.gather(fx(), fy(), fz()).
func Gather3[T1, T2, T3 any](a *A, x coro.Awaitable[T1], y coro.Awaitable[T2], z coro.Awaitable[T3]) (T1, T2, T3, error) {
	var v1 T1
	var v2 T2
	var v3 T3
	g, err := startMixed(a, func(l *Loop) error {
		err := checkArgs(l, []coro.Awaitable[T1]{x}, "asyncio.Gather3", nil)
		err = checkArgs(l, []coro.Awaitable[T2]{y}, "asyncio.Gather3", err)
		return checkArgs(l, []coro.Awaitable[T3]{z}, "asyncio.Gather3", err)
	}, func(g *gatherCore) {
		addChildren(g, []coro.Awaitable[T1]{x}, "asyncio.Gather3")
		addChildren(g, []coro.Awaitable[T2]{y}, "asyncio.Gather3")
		addChildren(g, []coro.Awaitable[T3]{z}, "asyncio.Gather3")
	})
	if err == nil {
		err = g.await(a)
	}
	if err != nil {
		return v1, v2, v3, err
	}
	v1, _ = childResult[T1](g, 0)
	v2, _ = childResult[T2](g, 1)
	v3, _ = childResult[T3](g, 2)
	return v1, v2, v3, nil
}

// A GatheringFuture is the future of a gather: Python's _GatheringFuture,
// what asyncio.gather returns. GatherFuture makes one. It is done when
// every awaitable is, or (unless it returns exceptions) as soon as one
// fails. Cancelling it cancels the awaitables instead, and it ends when
// they do, with a cancellation error; as in Python, Cancelled then reports
// false, the gather having ended with an error rather than been cancelled
// itself, and so it does when one of the awaitables cancels itself. Its
// methods must be called on its loop's goroutine.
type GatheringFuture[T any] struct {
	gatherCore
	results []T
	errs    []error
}

// gatherCore is what a gather of any result types shares: the children, the
// count of those done, and how the gather ends.
type gatherCore struct {
	futureCore
	children         []waitable // one per argument
	distinct         int        // children that are not repeats
	returnExceptions bool
	finished         int
	cancelRequested  bool

	// seen maps the awaitables wrapped in tasks while the gather starts to
	// their tasks, so that one given twice is run once.
	seen map[any]waitable
}

// checkArgs returns prev if it is an error, and otherwise checks that aws
// can be gathered on l: that the tasks and futures among them are l's.
func checkArgs[T any](l *Loop, aws []coro.Awaitable[T], call string, prev error) error {
	if prev != nil {
		return prev
	}
	for _, aw := range aws {
		if wraps, _ := wrapped(aw); !wraps {
			if _, err := ensureFuture(l, aw, call); err != nil {
				return err
			}
		}
	}
	return nil
}

// addChildren makes the futures of aws children of g, wrapping
// coroutines in tasks.
func addChildren[T any](g *gatherCore, aws []coro.Awaitable[T], call string) {
	// One array holds these children's callbacks: one allocation for them,
	// not one per child.
	callbacks := make([]gatherChild, 0, len(aws))
	for _, aw := range aws {
		_, identified := wrapped(aw)
		if identified {
			if f, ok := g.seen[aw]; ok {
				g.children = append(g.children, f)
				continue
			}
		}
		f, _ := ensureFuture(g.loop, aw, call)
		if identified {
			if g.seen == nil {
				g.seen = make(map[any]waitable, len(aws))
			}
			g.seen[aw] = f
		}
		callbacks = append(callbacks, gatherChild{g: g, i: len(g.children)})
		g.children = append(g.children, f)
		f.base().addCallback(&callbacks[len(callbacks)-1])
		g.distinct++
	}
}

// startGather starts a gather of aws for the function named call.
func startGather[T any](a *A, aws []coro.Awaitable[T], returnExceptions bool, call string) (*GatheringFuture[T], error) {
	t, err := currentTask(a)
	if err != nil {
		return nil, err
	}
	// Every argument is checked before any is wrapped in a task, so that a
	// refused call starts nothing.
	if err := checkArgs(t.loop, aws, call, nil); err != nil {
		return nil, err
	}
	g := &GatheringFuture[T]{}
	g.loop = t.loop
	g.returnExceptions = returnExceptions
	g.children = make([]waitable, 0, len(aws))
	addChildren(&g.gatherCore, aws, call)
	g.started()
	return g, nil
}

// startMixed starts a gather of awaitables of different types: check
// refuses them before anything starts, add makes them children.
func startMixed(a *A, check func(*Loop) error, add func(*gatherCore)) (*gatherCore, error) {
	t, err := currentTask(a)
	if err != nil {
		return nil, err
	}
	if err := check(t.loop); err != nil {
		return nil, err
	}
	g := &gatherCore{}
	g.loop = t.loop
	add(g)
	g.started()
	return g, nil
}

// started ends the start of the gather.
func (g *gatherCore) started() {
	g.seen = nil
	if len(g.children) == 0 {
		g.finish(nil)
	}
}

// childResult returns the result of g's child i.
func childResult[T any](g *gatherCore, i int) (T, error) {
	return g.children[i].(resultFuture[T]).Result()
}

// gatherChild is the done callback of one child.
type gatherChild struct {
	g *gatherCore
	i int
}

func (c *gatherChild) run() {
	g := c.g
	g.finished++
	if g.done() {
		return
	}
	err := g.children[c.i].base().err
	if !g.returnExceptions && err != nil {
		g.finish(err)
		return
	}
	if g.finished == g.distinct {
		if g.cancelRequested {
			// Python: however it was asked to, the gather ends with an
			// error, so that its awaiter sees a cancellation, but is not
			// cancelled itself.
			if !isCancellation(err) {
				err = newCanceledError("")
			}
			g.finish(err)
			return
		}
		g.finish(nil)
	}
}

// cancel cancels the children rather than the gathering itself, which ends
// when they do: Python's _GatheringFuture.cancel.
func (g *gatherCore) cancel(msg string) bool {
	if g.done() {
		return false
	}
	cancelledSome := false
	for _, c := range g.children {
		if c.cancel(msg) {
			cancelledSome = true
		}
	}
	if cancelledSome {
		g.cancelRequested = true
	}
	return cancelledSome
}

// await waits for the gathering, with its own cancel in force.
func (g *gatherCore) await(a *A) error {
	if err := awaitFuture(a, g); err != nil {
		return err
	}
	return g.err
}

func (g *gatherCore) String() string { return describeFuture("gather", &g.futureCore) }

// Done reports whether the gather has ended.
func (g *GatheringFuture[T]) Done() bool { return g.done() }

// Cancelled reports whether the gather was cancelled as a future is. It
// never is: cancelling it cancels its awaitables, and it ends with their
// cancellation as its error (see GatheringFuture), as in Python.
func (g *GatheringFuture[T]) Cancelled() bool { return g.state == cancelled }

// Cancel cancels the awaitables not yet done, with an optional message:
// Python's gather(...).cancel(msg). It reports whether it cancelled any;
// false if the gather is done, or all its awaitables are. More than one
// message is a misuse, and panics.
func (g *GatheringFuture[T]) Cancel(msg ...string) bool {
	return g.cancel(oneMessage("asyncio.GatheringFuture.Cancel", msg))
}

// Result returns the results in argument order once the gather is done,
// or the error it ended with: the first failure (without return
// exceptions) or its cancellation. For a pending gather the error wraps
// ErrInvalidState. It is Python's gather(...).result().
func (g *GatheringFuture[T]) Result() ([]T, error) {
	if g.state == pending {
		return nil, fmt.Errorf("%w: result is not set", ErrInvalidState)
	}
	if g.err != nil {
		return nil, g.err
	}
	if g.results == nil {
		g.results = make([]T, len(g.children))
		for i := range g.children {
			g.results[i], _ = childResult[T](&g.gatherCore, i)
		}
	}
	return g.results, nil
}

// Errors returns each awaitable's error in argument order (nil for those
// that returned a value, a *CanceledError for a cancelled one) once the
// gather has ended without an error of its own, and nil otherwise: the
// exceptions among the results of Python's gather(...,
// return_exceptions=True).
func (g *GatheringFuture[T]) Errors() []error {
	if g.state == pending || g.err != nil {
		return nil
	}
	if g.errs == nil {
		g.errs = make([]error, len(g.children))
		for i, c := range g.children {
			g.errs[i] = c.base().err
		}
	}
	return g.errs
}

// Exception returns the error the gather ended with, nil if it has results,
// or an error wrapping ErrInvalidState if it is pending.
func (g *GatheringFuture[T]) Exception() error {
	_, err := g.Result()
	return err
}

// AddDoneCallback arranges for fn to be called with the gather, on the
// loop, once it is done; see Future.AddDoneCallback.
func (g *GatheringFuture[T]) AddDoneCallback(fn func(*GatheringFuture[T])) *DoneCallback {
	return g.addDoneCallback(func() { fn(g) })
}

// Await suspends the task running a until the gather is done and returns
// its results: Python's await g. Cancelling the awaiting task cancels the
// gather, and so its awaitables.
func (g *GatheringFuture[T]) Await(a *A) ([]T, error) {
	if err := g.await(a); err != nil {
		return nil, err
	}
	return g.Result()
}

var _ AnyFuture = (*GatheringFuture[int])(nil)
