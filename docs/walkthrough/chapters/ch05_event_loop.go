package chapters

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/coro"
)

func init() {
	Register(Chapter{
		Number: 5,
		Name:   "event-loop",
		Title:  "The event loop",
		Examples: []Example{
			{"hello", "Hello, world, one second apart", hello},
			{"mini-loop", "An event loop in forty lines", run(miniLoop)},
			{"leftovers", "Run cancels the tasks main leaves behind", leftovers},
			{"nested", "Run inside a running loop", nested},
		},
	})
}

// snippet: hello-main
func helloMain() *asyncio.Coro[struct{}] {
	return asyncio.AsyncErr(func(a *asyncio.A) error {
		fmt.Println("hello")
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		fmt.Println("world")
		return nil
	})
}

// end snippet

func hello(opts Options) error {
	// snippet: hello
	_, err := asyncio.Run(context.Background(), helloMain(), loopOpts(opts)...)
	// end snippet
	return err
}

// snippet: mini-sleep

// A miniSleep is the request a coroutine suspends with to sleep on
// miniRun's loop.
type miniSleep time.Duration

func miniMain() *coro.Coroutine[struct{}] {
	return coro.New(func(h *coro.Handle) (struct{}, error) {
		fmt.Println("hello")
		// Hand the request to the loop, and wait to be resumed.
		if _, err := h.Suspend(miniSleep(time.Second)); err != nil {
			return struct{}{}, err
		}
		fmt.Println("world")
		return struct{}{}, nil
	})
}

// end snippet

// snippet: mini-run

// miniRun runs main on a miniature event loop: a queue of coroutines ready
// to run, a list of sleeping ones, and a virtual clock.
func miniRun(main *coro.Coroutine[struct{}]) {
	type timer struct {
		when time.Duration
		c    *coro.Coroutine[struct{}]
	}
	var now time.Duration
	ready := []*coro.Coroutine[struct{}]{main}
	var timers []timer // earliest first
	for len(ready) > 0 || len(timers) > 0 {
		if len(ready) == 0 {
			t := timers[0]
			timers = timers[1:]
			fmt.Printf("loop: nothing is ready; the clock jumps to %v\n", t.when)
			now = t.when
			ready = append(ready, t.c)
		}
		c := ready[0]
		ready = ready[1:]
		fmt.Printf("loop: at %v, resuming main\n", now)
		request, suspended := c.Send(nil)
		switch {
		case !suspended:
			fmt.Println("loop: main returned")
		case request == nil:
			ready = append(ready, c)
		default:
			d := time.Duration(request.(miniSleep))
			fmt.Printf("loop: main sleeps until %v\n", now+d)
			timers = append(timers, timer{now + d, c})
			slices.SortStableFunc(timers, func(x, y timer) int { return int(x.when - y.when) })
		}
	}
}

// end snippet

func miniLoop() {
	// snippet: mini-loop
	miniRun(miniMain())
	// end snippet
}

func leftovers(opts Options) error {
	// snippet: leftovers
	forever := asyncio.AsyncErr(func(a *asyncio.A) error {
		fmt.Println("forever: started as", asyncio.CurrentTask(a).Name())
		err := asyncio.Sleep(a, 24*time.Hour)
		fmt.Println("forever: Sleep returned", err)
		return err
	})
	main := asyncio.Async(func(a *asyncio.A) (string, error) {
		fmt.Println("main: running as", asyncio.CurrentTask(a).Name())
		asyncio.CreateTask(a, forever)
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return "", err
		}
		fmt.Println("main: returning, with forever still asleep")
		return "main's result", nil
	})
	result, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	fmt.Printf("Run returned %q, %v\n", result, err)
	// end snippet
	return err
}

func nested(opts Options) error {
	// snippet: nested
	cell := asyncio.AsyncErr(func(a *asyncio.A) error {
		_, err := asyncio.Run(context.Background(), helloMain(), loopOpts(opts)...)
		fmt.Println("Run returned:", err)
		fmt.Println("errors.Is(err, asyncio.ErrNestedRun):", errors.Is(err, asyncio.ErrNestedRun))
		_, err = asyncio.Await(a, helloMain())
		return err
	})
	_, err := asyncio.Run(context.Background(), cell, loopOpts(opts)...)
	// end snippet
	return err
}
