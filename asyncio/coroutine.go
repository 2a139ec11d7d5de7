package asyncio

import (
	"fmt"

	"github.com/yieldfrom/asyncgo/coro"
	"github.com/yieldfrom/asyncgo/gen"
)

// A is a coroutine's handle: the suspension point that every await inside
// an asyncio coroutine takes as its first argument, and through which the
// coroutine finds the task and loop running it. It is coro.Handle.
type A = coro.Handle

// A Coro is a coroutine returning T: what calling an async def function
// creates in Python. Create one with Async. A program awaits it (Await, or
// the package function Await), hands it to a task (CreateTask, Gather...),
// asks its State, or Closes one it will not run; driving it (sending,
// throwing) belongs to the task that runs it, so those methods of the
// underlying coro.Coroutine are not among a Coro's.
//
// A coroutine has one owner: the first task made of it, or the coroutine
// awaiting it. Awaiting it again, or making another task of it, is an
// error (coro.ErrReused once it has finished, coro.ErrAwaitedAlready
// before), as Python's RuntimeError("cannot reuse already awaited
// coroutine"); it never resumes the coroutine. Its methods must be called
// on its loop's goroutine.
type Coro[T any] coro.Coroutine[T]

// An Awaitable is anything a coroutine can await: a Coro, a Task, a Future,
// or a type of your own. It is coro.Awaitable, so that a slice of them for
// Gather needs no other import.
type Awaitable[T any] = coro.Awaitable[T]

// Async returns a coroutine that runs body when awaited or run as a task:
// the Go form of an async def function's body.
//
//	async def slow(t):            func slow(t int) *asyncio.Coro[int] {
//	    await asyncio.sleep(t)        return asyncio.Async(func(a *asyncio.A) (int, error) {
//	    return t                          err := asyncio.Sleep(a, time.Duration(t)*time.Second)
//	                                      return t, err
//	                                  })
//	                              }
//
// In debug mode (WithDebug) the loop remembers coroutines created by its
// tasks and reports those never awaited or scheduled when it closes.
func Async[T any](body func(a *A) (T, error)) *Coro[T] {
	c := coro.New(body)
	if debugLoops.n.Load() > 0 {
		noteCoroutine(c.State)
	}
	return (*Coro[T])(c)
}

// AsyncErr returns a coroutine that runs body, for a body that returns
// only an error: the Go form of an async def that returns nothing. Its
// result is struct{}, so it goes wherever a coroutine does (Run,
// CreateTask, a task group, Gather) with no struct{}{} in the body:
//
//	async def worker(q):          func worker(q *asyncio.Queue[int]) *asyncio.Coro[struct{}] {
//	    await q.join()                return asyncio.AsyncErr(func(a *asyncio.A) error {
//	                                      return q.Join(a)
//	                                  })
//	                              }
//
// It also makes an awaitable of any await that returns only an error, a
// method value most often, for WaitFor, CreateTask, Gather or Shield:
//
//	asyncio.WaitFor(a, asyncio.AsyncErr(event.Wait), time.Second)  # wait_for(event.wait(), 1)
//	asyncio.CreateTask(a, asyncio.AsyncErr(lock.Acquire))          # create_task(lock.acquire())
//
// as Async does for an await that returns a value (asyncio.Async(q.Get)
// is Python's q.get()). The awaits of this kind are Event.Wait,
// Lock.Acquire, Semaphore.Acquire, Condition.Wait, Queue.Join,
// StreamWriter.Drain, StreamWriter.WaitClosed, Server.WaitClosed and
// Server.ServeForever; Sleep has SleepCoro.
func AsyncErr(body func(a *A) error) *Coro[struct{}] {
	return Async(func(a *A) (struct{}, error) { return struct{}{}, body(a) })
}

func (c *Coro[T]) coro() *coro.Coroutine[T] { return (*coro.Coroutine[T])(c) }

// Await runs the coroutine inline, on behalf of the coroutine whose handle
// is a, and returns its result: Python's await coro. It costs a function
// call. Awaiting a coroutine that has finished is an error wrapping
// coro.ErrReused; awaiting one that is running, suspended, or owned by a
// task is an error wrapping coro.ErrAwaitedAlready (await the task
// instead).
func (c *Coro[T]) Await(a *A) (T, error) { return c.coro().Await(a) }

// State reports the coroutine's state: gen.Created until it is awaited or
// its task first runs, gen.Running or gen.Suspended while it runs (a
// coroutine awaited inline has the state of the one awaiting it), and
// gen.Closed once it has finished. It is Python's
// inspect.getcoroutinestate.
func (c *Coro[T]) State() gen.State { return c.coro().State() }

// Close discards a coroutine that will not be run, so that debug mode does
// not report it as never awaited: Python's coro.close() of a coroutine
// never awaited. Closing a closed coroutine does nothing. A coroutine that a
// task owns, or that runs, belongs to its driver: Close then changes
// nothing and returns an error wrapping coro.ErrAwaitedAlready (cancel its
// task instead).
func (c *Coro[T]) Close() error {
	cc := c.coro()
	switch {
	case cc.State() == gen.Closed:
		return nil
	case cc.State() != gen.Created || cc.Owner() != nil:
		return fmt.Errorf("asyncio.Coro.Close: %w", coro.ErrAwaitedAlready)
	}
	return cc.Close()
}

// Await waits for aw (a coroutine, Task or Future, or any coro.Awaitable)
// and returns its result: Python's await. A coroutine runs inline, at the
// cost of a function call; a task or future suspends the current task until
// it is done.
func Await[T any](a *A, aw coro.Awaitable[T]) (T, error) { return aw.Await(a) }

// currentTask returns the task whose coroutine a belongs to.
func currentTask(a *A) (*taskCore, error) {
	if t, ok := a.Owner().(*taskCore); ok {
		return t, nil
	}
	return nil, ErrNoRunningLoop
}

// GetRunningLoop returns the loop running the coroutine a belongs to:
// Python's asyncio.get_running_loop(). It panics with an error wrapping
// ErrNoRunningLoop if no task drives that coroutine.
func GetRunningLoop(a *A) *Loop {
	t, err := currentTask(a)
	if err != nil {
		panic(fmt.Errorf("asyncio.GetRunningLoop: %w", err))
	}
	return t.loop
}

// CurrentTask returns the task running the coroutine a belongs to, or nil:
// Python's asyncio.current_task().
func CurrentTask(a *A) AnyTask {
	t, err := currentTask(a)
	if err != nil {
		return nil
	}
	return t.self
}
