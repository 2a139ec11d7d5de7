package chapters

import (
	"context"
	"fmt"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/coro"
)

func init() {
	Register(Chapter{
		Number: 4,
		Name:   "coroutines",
		Title:  "Coroutines",
		Examples: []Example{
			{"by-hand", "A coroutine driven by hand", run(coroByHand)},
			{"round-robin", "Lightweight threads, with no event loop", run(coroRoundRobin)},
			{"await", "Await is yield from", run(coroAwait)},
			{"await-twice", "A coroutine runs once", coroAwaitTwice},
			{"gather", "The same coroutines on the event loop", coroGather},
		},
	})
}

// snippet: funs
func funA() *asyncio.Coro[string] {
	return asyncio.Async(func(a *asyncio.A) (string, error) {
		fmt.Println("Running coroutine *a*.")
		if err := asyncio.Sleep(a, 0); err != nil {
			return "", err
		}
		fmt.Println("Back in *a*.")
		return "result from *a*", nil
	})
}

func funB() *asyncio.Coro[string] {
	return asyncio.Async(func(a *asyncio.A) (string, error) {
		fmt.Println("Running coroutine *b*.")
		if err := asyncio.Sleep(a, 0); err != nil {
			return "", err
		}
		fmt.Println("Back in *b*.")
		return "result from *b*", nil
	})
}

// end snippet

func coroByHand() {
	// snippet: by-hand
	c := (*coro.Coroutine[string])(funA()) // the driver's view of it
	fmt.Println("state:", c.State())
	request, ok := c.Send(nil)
	fmt.Println("Send returned", request, ok, "state:", c.State())
	request, ok = c.Send(nil)
	fmt.Println("Send returned", request, ok, "state:", c.State())
	fmt.Println(c.Result())
	// end snippet
}

func coroRoundRobin() {
	// snippet: round-robin
	a, b := (*coro.Coroutine[string])(funA()), (*coro.Coroutine[string])(funB())
	results, err := coro.RoundRobin(a, b)
	if err != nil {
		fmt.Println(err)
	}
	fmt.Println(results)
	// end snippet
}

// snippet: both
func both() *asyncio.Coro[string] {
	return asyncio.Async(func(a *asyncio.A) (string, error) {
		ra, err := asyncio.Await(a, funA())
		if err != nil {
			return "", err
		}
		rb, err := asyncio.Await(a, funB())
		if err != nil {
			return "", err
		}
		return ra + ", " + rb, nil
	})
}

// end snippet

func coroAwait() {
	// snippet: await
	c := (*coro.Coroutine[string])(both())
	for _, ok := c.Send(nil); ok; _, ok = c.Send(nil) {
		fmt.Println("driver: the coroutine suspended; resuming it")
	}
	result, err := c.Result()
	if err != nil {
		fmt.Println(err)
	}
	fmt.Println("result:", result)
	// end snippet
}

func coroAwaitTwice(opts Options) error {
	// snippet: await-twice
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		c := funA()
		fmt.Println(asyncio.Await(a, c))
		_, err := asyncio.Await(a, c)
		fmt.Println("the second Await returned", err)
		return nil
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

func coroGather(opts Options) error {
	// snippet: gather
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		results, err := asyncio.Gather(a, funA(), funB())
		if err != nil {
			return err
		}
		fmt.Println(results)
		return nil
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}
