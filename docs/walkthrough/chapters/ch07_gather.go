package chapters

import (
	"context"
	"fmt"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

func init() {
	Register(Chapter{
		Number: 7,
		Name:   "gather",
		Title:  "Gather",
		Examples: []Example{
			{"slow", "slow(3), slow(1), slow(2), gathered", gatherSlow},
			{"one-by-one", "Awaited one by one: 6 seconds", gatherOneByOne},
			{"together", "Gathered: 3 seconds", gatherTogether},
			{"countdown", "Two countdowns, gathered", gatherCountdown},
			{"mixed", "Results of different types", gatherMixed},
		},
	})
}

// snippet: slow

// slow is an "async" function, like a generator.
func slow(t int) *asyncio.Coro[int] {
	return asyncio.Async(func(a *asyncio.A) (int, error) {
		fmt.Printf("About to sleep for %d seconds\n", t)
		if err := asyncio.Sleep(a, time.Duration(t)*time.Second); err != nil {
			return 0, err
		}
		fmt.Printf("Slept for %d seconds\n", t)
		return t, nil
	})
}

// end snippet

func gatherSlow(opts Options) error {
	// snippet: slow-gather
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		// Gather runs its arguments concurrently when awaited on
		results, err := asyncio.Gather(a, slow(3), slow(1), slow(2))
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

func gatherOneByOne(opts Options) error {
	// snippet: one-by-one
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		start := asyncio.GetRunningLoop(a).Time()
		var results []int
		for _, t := range []int{3, 1, 2} {
			r, err := asyncio.Await(a, slow(t))
			if err != nil {
				return err
			}
			results = append(results, r)
		}
		fmt.Println(results, "after", since(a, start))
		return nil
	})
	// end snippet
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	return err
}

func gatherTogether(opts Options) error {
	// snippet: together
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		start := asyncio.GetRunningLoop(a).Time()
		results, err := asyncio.Gather(a, slow(3), slow(1), slow(2))
		if err != nil {
			return err
		}
		fmt.Println(results, "after", since(a, start))
		return nil
	})
	// end snippet
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	return err
}

func gatherCountdown(opts Options) error {
	// snippet: gather-countdown
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		// Running and awaiting multiple coroutines
		if _, err := asyncio.Gather(a, countdown("task A", 4), countdown("task B", 3)); err != nil {
			return err
		}

		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		fmt.Println("Everything, everywhere, all at once")
		return nil
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

// snippet: mixed-fetch
func fetchUser() *asyncio.Coro[string] {
	return asyncio.Async(func(a *asyncio.A) (string, error) {
		return asyncio.SleepResult(a, time.Second, "ann")
	})
}

func fetchOrders() *asyncio.Coro[[]int] {
	return asyncio.Async(func(a *asyncio.A) ([]int, error) {
		return asyncio.SleepResult(a, 2*time.Second, []int{7, 9})
	})
}

// end snippet

func gatherMixed(opts Options) error {
	// snippet: mixed
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		user, orders, err := asyncio.Gather2(a, fetchUser(), fetchOrders())
		if err != nil {
			return err
		}
		fmt.Println(user, orders)
		return nil
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}
