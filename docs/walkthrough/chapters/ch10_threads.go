package chapters

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/coro"
)

func init() {
	Register(Chapter{
		Number: 10,
		Name:   "threads",
		Title:  "Threads",
		Examples: []Example{
			{"pipe", "A blocking read in a thread; the loop goes on", threadPipe},
			{"cancel", "A cancelled task cancels its worker's context", threadCancel},
			{"cpu", "CPU-bound work on every core", threadCPU},
		},
	})
}

func threadPipe(opts Options) error {
	// snippet: pipe
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		r, w, err := os.Pipe()
		if err != nil {
			return err
		}
		defer r.Close()
		defer w.Close()

		reader := asyncio.AsyncErr(func(a *asyncio.A) error {
			fmt.Println("reader: waiting for a line, in a thread")
			line, err := asyncio.ToThread(a, func(context.Context) (string, error) {
				buf := make([]byte, 100)
				n, err := r.Read(buf) // blocks the worker's goroutine, not the loop
				return string(buf[:n]), err
			})
			if err != nil {
				return err
			}
			fmt.Println("reader: got:", line)
			return nil
		})
		writer := asyncio.AsyncErr(func(a *asyncio.A) error {
			fmt.Println("writer: the loop is free while the reader blocks")
			_, err := w.Write([]byte("hello through the pipe"))
			return err
		})

		_, err = asyncio.Gather(a, reader, writer)
		return err
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

func threadCancel(opts Options) error {
	// snippet: thread-cancel
	var workerSaw error // set by the worker; Run waits for it before returning
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		fetch := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (string, error) {
			return asyncio.ToThread(a, func(ctx context.Context) (string, error) {
				select { // a slow request, say, that stops when its context is done
				case <-time.After(time.Hour):
					return "the page", nil
				case <-ctx.Done():
					workerSaw = context.Cause(ctx)
					return "", ctx.Err()
				}
			})
		}))
		if err := asyncio.Sleep(a, 0); err != nil { // let fetch start its worker
			return err
		}
		fmt.Println("main: cancelling the fetch")
		fetch.Cancel("no longer needed")
		_, err := asyncio.Await(a, fetch)
		fmt.Println("main: the fetch ended with", err)
		return nil
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	fmt.Println("after Run: the worker saw", workerSaw)
	// end snippet
	return err
}

// snippet: count-primes

// countPrimes counts the primes in [lo, hi) by trial division: pure CPU
// work.
func countPrimes(lo, hi int) int {
	count := 0
	for n := max(lo, 2); n < hi; n++ {
		d := 2
		for d*d <= n && n%d != 0 {
			d++
		}
		if d*d > n {
			count++
		}
	}
	return count
}

// end snippet

func threadCPU(opts Options) error {
	// snippet: cpu
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		const limit = 100_000
		n := runtime.GOMAXPROCS(0) // how many goroutines run in parallel: the cores, by default
		var chunks []coro.Awaitable[int]
		for i := range n {
			lo, hi := limit*i/n, limit*(i+1)/n
			chunks = append(chunks, asyncio.Async(func(a *asyncio.A) (int, error) {
				return asyncio.ToThread(a, func(context.Context) (int, error) {
					return countPrimes(lo, hi), nil
				})
			}))
		}
		counts, err := asyncio.Gather(a, chunks...)
		if err != nil {
			return err
		}
		total := 0
		for _, c := range counts {
			total += c
		}
		fmt.Println(total, "primes below", limit)
		return nil
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}
