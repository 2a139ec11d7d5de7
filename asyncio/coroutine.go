package asyncio

import (
	"fmt"

	"github.com/yieldfrom/asyncgo/coro"
)

// A is a coroutine's handle: the suspension point that every await inside
// an asyncio coroutine takes as its first argument, and through which the
// coroutine finds the task and loop running it. It is coro.Handle.
type A = coro.Handle

// A Coro is a coroutine returning T: what calling an async def function
// creates in Python. It is coro.Coroutine; create one with Async.
type Coro[T any] = coro.Coroutine[T]

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
	return c
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
