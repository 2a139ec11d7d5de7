package chapters

import (
	"context"
	"fmt"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

func init() {
	Register(Chapter{
		Number: 12,
		Name:   "async-generators",
		Title:  "Async generators",
		Examples: []Example{
			{"ticker", "A ticker, iterated with range", agenTicker},
			{"asend", "Values sent in with ASend", agenASend},
			{"break", "Breaking out, then AClose", agenBreak},
			{"left-open", "Left open: closed when Run ends", agenLeftOpen},
			{"aclosing", "Aclosing closes it for you", agenAclosing},
		},
	})
}

// snippet: ticker-def

// ticker yields 0, 1, ..., n-1, one a second.
func ticker(n int) *asyncio.AsyncGenerator[int, struct{}] {
	return asyncio.NewAsyncGenerator(func(a *asyncio.A, yield func(int) (struct{}, error)) error {
		defer fmt.Println("ticker: cleaned up")
		for i := range n {
			if _, err := yield(i); err != nil {
				return err
			}
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return err
			}
		}
		return nil
	})
}

// end snippet

func agenTicker(opts Options) error {
	// snippet: ticker
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		start := asyncio.GetRunningLoop(a).Time()
		for v, err := range ticker(3).All(a) {
			if err != nil {
				return err
			}
			fmt.Printf("%v: tick %d\n", since(a, start), v)
		}
		fmt.Printf("%v: the loop is over\n", since(a, start))
		return nil
	})
	// end snippet
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	return err
}

// snippet: running-total

// runningTotal yields the total of the numbers sent to it so far; adding
// each takes a second.
func runningTotal() *asyncio.AsyncGenerator[int, int] {
	return asyncio.NewAsyncGenerator(func(a *asyncio.A, yield func(int) (int, error)) error {
		total := 0
		for {
			n, err := yield(total)
			if err != nil {
				return err
			}
			if err := asyncio.Sleep(a, time.Second); err != nil { // adding takes a while
				return err
			}
			total += n
		}
	})
}

// end snippet

func agenASend(opts Options) error {
	// snippet: asend
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		start := asyncio.GetRunningLoop(a).Time()
		acc := runningTotal()
		total, err := acc.ANext(a) // runs the body to its first yield
		if err != nil {
			return err
		}
		fmt.Printf("%v: %d\n", since(a, start), total)
		for _, n := range []int{10, 5} {
			total, err = acc.ASend(a, n)
			if err != nil {
				return err
			}
			fmt.Printf("%v: %d\n", since(a, start), total)
		}
		return acc.AClose(a)
	})
	// end snippet
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	return err
}

func agenBreak(opts Options) error {
	// snippet: break
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		t := ticker(10)
		for v, err := range t.All(a) {
			if err != nil {
				return err
			}
			fmt.Println("tick", v)
			if v == 1 {
				break
			}
		}
		fmt.Println("main: out of the loop; the ticker waits at its yield")
		if err := t.AClose(a); err != nil {
			return err
		}
		fmt.Println("main: closed it")
		return nil
	})
	// end snippet
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	return err
}

func agenLeftOpen(opts Options) error {
	// snippet: left-open
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		t := ticker(10)
		for v, err := range t.All(a) {
			if err != nil {
				return err
			}
			fmt.Println("tick", v)
			if v == 1 {
				break
			}
		}
		fmt.Println("main: returning, with the ticker still open")
		return nil
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	fmt.Println("Run returned")
	// end snippet
	return err
}

func agenAclosing(opts Options) error {
	// snippet: aclosing
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		t := ticker(10)
		err := asyncio.Aclosing(a, t, func() error {
			for v, err := range t.All(a) {
				if err != nil {
					return err
				}
				fmt.Println("tick", v)
				if v == 1 {
					break
				}
			}
			return nil
		})
		fmt.Println("main: Aclosing returned", err)
		return err
	})
	// end snippet
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	return err
}
