package asyncio

import (
	"reflect"

	"github.com/yieldfrom/asyncgo/coro"
)

// A resultFuture is a future-like object with a typed result: a *Future[T]
// or a *Task[T].
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
	}
	return newTask(l, (*Coro[T])(coro.New(aw.Await))), nil
}

// wrapped reports whether ensureFuture wraps aw in a new task, and if so
// whether aw has an identity by which Gather can tell that it was given
// twice: pointers do, values do not (two equal values may be two
// awaitables).
func wrapped[T any](aw coro.Awaitable[T]) (wraps, identified bool) {
	switch aw.(type) {
	case *Task[T], *Future[T]:
		return false, false
	case *Coro[T], *coro.Coroutine[T]:
		return true, true
	}
	return true, aw != nil && reflect.TypeOf(aw).Kind() == reflect.Pointer
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
func Gather[T any](a *A, aws ...coro.Awaitable[T]) ([]T, error) {
	g, err := startGather(a, aws, false)
	if err != nil {
		return nil, err
	}
	if _, err := g.Await(a); err != nil {
		return nil, err
	}
	return g.results, nil
}

// GatherReturnExceptions runs the awaitables concurrently as Gather does,
// but waits for all of them: Python's gather(*aws, return_exceptions=True).
// It returns each one's result and error in argument order; errs[i] is a
// *CanceledError for a cancelled one. The final error is the gather's own:
// a *CanceledError if the awaiting task was cancelled, else nil.
func GatherReturnExceptions[T any](a *A, aws ...coro.Awaitable[T]) (results []T, errs []error, err error) {
	g, err := startGather(a, aws, true)
	if err != nil {
		return nil, nil, err
	}
	if _, err := g.Await(a); err != nil {
		return nil, nil, err
	}
	return g.results, g.errs, nil
}

// gathering is Python's _GatheringFuture: the future Gather awaits, done
// when its children are.
type gathering[T any] struct {
	Future[[]T]
	children         []resultFuture[T] // one per argument
	distinct         int               // children that are not repeats
	returnExceptions bool
	finished         int
	cancelRequested  bool
	results          []T
	errs             []error
}

func startGather[T any](a *A, aws []coro.Awaitable[T], returnExceptions bool) (*gathering[T], error) {
	t, err := currentTask(a)
	if err != nil {
		return nil, err
	}
	call := "asyncio.Gather"
	if returnExceptions {
		call = "asyncio.GatherReturnExceptions"
	}
	// Every argument is checked before any is wrapped in a task, so that a
	// refused call starts nothing.
	for _, aw := range aws {
		if wraps, _ := wrapped(aw); !wraps {
			if _, err := ensureFuture(t.loop, aw, call); err != nil {
				return nil, err
			}
		}
	}
	g := &gathering[T]{returnExceptions: returnExceptions}
	g.loop = t.loop
	g.children = make([]resultFuture[T], len(aws))
	// One array holds every child's callback: one allocation per Gather,
	// not one per child.
	callbacks := make([]gatherChild[T], len(aws))
	// Tasks and futures given twice are harmless (a callback each); an
	// awaitable wrapped twice would make two tasks of one coroutine.
	var taskOf map[any]resultFuture[T]
	for i, aw := range aws {
		_, identified := wrapped(aw)
		if identified {
			if f, ok := taskOf[aw]; ok {
				g.children[i] = f
				continue
			}
		}
		f, _ := ensureFuture(t.loop, aw, call)
		if identified {
			if taskOf == nil {
				taskOf = make(map[any]resultFuture[T], len(aws))
			}
			taskOf[aw] = f
		}
		g.children[i] = f
		callbacks[g.distinct] = gatherChild[T]{g: g, i: i}
		f.base().addCallback(&callbacks[g.distinct])
		g.distinct++
	}
	if len(aws) == 0 {
		g.collect()
	}
	return g, nil
}

// gatherChild is the done callback of one child.
type gatherChild[T any] struct {
	g *gathering[T]
	i int
}

func (c *gatherChild[T]) run() {
	g := c.g
	g.finished++
	if g.done() {
		return
	}
	child := g.children[c.i]
	if !g.returnExceptions {
		if _, err := child.Result(); err != nil {
			g.finish(err)
			return
		}
	}
	if g.finished == g.distinct {
		if g.cancelRequested {
			_, err := child.Result()
			if !isCancellation(err) {
				err = newCanceledError("")
			}
			g.finish(err)
			return
		}
		g.collect()
	}
}

func (g *gathering[T]) collect() {
	g.results = make([]T, len(g.children))
	g.errs = make([]error, len(g.children))
	for i, c := range g.children {
		g.results[i], g.errs[i] = c.Result()
	}
	g.finish(nil)
}

// cancel cancels the children rather than the gathering itself, which ends
// when they do: Python's _GatheringFuture.cancel.
func (g *gathering[T]) cancel(msg string) bool {
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

// Await waits for the gathering, with its own cancel in force.
func (g *gathering[T]) Await(a *A) ([]T, error) {
	if !g.done() {
		if err := suspendOn(a, g); err != nil {
			return nil, err
		}
	}
	return g.results, g.err
}

func (g *gathering[T]) String() string { return describeFuture("gather", &g.futureCore) }
