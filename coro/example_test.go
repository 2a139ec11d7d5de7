package coro_test

import (
	"errors"
	"fmt"

	"github.com/yieldfrom/asyncgo/coro"
)

// A coroutine driven by hand, as Python drives one with send:
//
//	async def greet():
//	    print("started")
//	    await asyncio.sleep(0)
//	    print("resumed")
//	    return "done"
//
//	c = greet()                      # CORO_CREATED
//	c.send(None)                     # prints started; CORO_SUSPENDED
//	c.send(None)                     # prints resumed; raises StopIteration("done")
func ExampleNew() {
	c := coro.New(func(h *coro.Handle) (string, error) {
		fmt.Println("started")
		if err := coro.Yield(h); err != nil {
			return "", err
		}
		fmt.Println("resumed")
		return "done", nil
	})
	fmt.Println(c.State())
	c.Send(nil)
	fmt.Println(c.State())
	_, ok := c.Send(nil)
	fmt.Println(ok, c.State())
	fmt.Println(c.Result())
	// Output:
	// GEN_CREATED
	// started
	// GEN_SUSPENDED
	// resumed
	// false GEN_CLOSED
	// done <nil>
}

// add returns a coroutine that suspends once, then returns x + y:
//
//	async def add(x, y):
//	    await asyncio.sleep(0)
//	    return x + y
func add(x, y int) *coro.Coroutine[int] {
	return coro.New(func(h *coro.Handle) (int, error) {
		if err := coro.Yield(h); err != nil {
			return 0, err
		}
		return x + y, nil
	})
}

// Awaiting is yield from: the awaited coroutine's suspensions are the
// awaiter's, and its result is the value of the await.
//
//	async def total():
//	    a = await add(1, 2)
//	    b = await add(a, 10)
//	    return b
func ExampleAwait() {
	total := coro.New(func(h *coro.Handle) (int, error) {
		a, err := coro.Await(h, add(1, 2))
		if err != nil {
			return 0, err
		}
		return coro.Await(h, add(a, 10))
	})
	steps := 0
	for _, ok := total.Send(nil); ok; _, ok = total.Send(nil) {
		steps++
	}
	fmt.Println("suspended", steps, "times")
	fmt.Println(total.Result())
	// Output:
	// suspended 2 times
	// 13 <nil>
}

// The lesson's lightweight threads from generators:
//
//	async def fun_a():
//	    print("Running coroutine *a*.")
//	    await asyncio.sleep(0)
//	    print("Back in *a*.")
//	    return "result from *a*"
//
//	async def fun_b(): ...   # the same, with *b*
//
//	await asyncio.gather(fun_a(), fun_b())
//
// RoundRobin needs no event loop: each coroutine runs until it suspends,
// then the next one runs.
func ExampleRoundRobin() {
	funA := coro.New(func(h *coro.Handle) (string, error) {
		fmt.Println("Running coroutine *a*.")
		if err := coro.Yield(h); err != nil {
			return "", err
		}
		fmt.Println("Back in *a*.")
		return "result from *a*", nil
	})
	funB := coro.New(func(h *coro.Handle) (string, error) {
		fmt.Println("Running coroutine *b*.")
		if err := coro.Yield(h); err != nil {
			return "", err
		}
		fmt.Println("Back in *b*.")
		return "result from *b*", nil
	})
	results, err := coro.RoundRobin(funA, funB)
	if err != nil {
		fmt.Println(err)
	}
	fmt.Println(results)
	// Output:
	// Running coroutine *a*.
	// Running coroutine *b*.
	// Back in *a*.
	// Back in *b*.
	// [result from *a* result from *b*]
}

// An error thrown into a coroutine is the error of the await it is
// suspended at; the body may handle it and go on:
//
//	async def careful():
//	    try:
//	        await asyncio.sleep(0)
//	    except ValueError as e:
//	        print("handled", e)
//	    await asyncio.sleep(0)
//	    return "done"
//
//	c = careful(); c.send(None)
//	c.throw(ValueError("boom"))    # prints handled boom; c is suspended again
func ExampleCoroutine_Throw() {
	errBoom := errors.New("boom")
	c := coro.New(func(h *coro.Handle) (string, error) {
		if err := coro.Yield(h); errors.Is(err, errBoom) {
			fmt.Println("handled", err)
		} else if err != nil {
			return "", err
		}
		if err := coro.Yield(h); err != nil {
			return "", err
		}
		return "done", nil
	})
	c.Send(nil)
	_, suspended := c.Throw(errBoom)
	fmt.Println("suspended again:", suspended)
	c.Send(nil)
	fmt.Println(c.Result())
	// Output:
	// handled boom
	// suspended again: true
	// done <nil>
}

// A question is the suspension request of an ask: the driver answers it by
// sending the answer in.
type question string

// An ask is a user-defined awaitable, as a Python class with __await__:
// awaiting it asks the driver two questions and returns the answers joined.
//
//	class Ask:
//	    def __await__(self):
//	        first = yield "first name?"
//	        last = yield "last name?"
//	        return f"{first} {last}"
type ask struct{}

func (ask) Await(h *coro.Handle) (string, error) {
	first, err := h.Suspend(question("first name?"))
	if err != nil {
		return "", err
	}
	last, err := h.Suspend(question("last name?"))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s %s", first, last), nil
}

func ExampleAwaitable() {
	greet := coro.New(func(h *coro.Handle) (string, error) {
		name, err := coro.Await(h, ask{})
		if err != nil {
			return "", err
		}
		return "Hello, " + name, nil
	})
	answers := map[question]string{"first name?": "Ada", "last name?": "Lovelace"}
	req, ok := greet.Send(nil)
	for ok {
		q := req.(question)
		fmt.Println("driver was asked:", q)
		req, ok = greet.Send(answers[q])
	}
	fmt.Println(greet.Result())
	// Output:
	// driver was asked: first name?
	// driver was asked: last name?
	// Hello, Ada Lovelace <nil>
}
