package chapters

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/coro"
)

func init() {
	Register(Chapter{
		Number: 14,
		Name:   "when-things-go-wrong",
		Title:  "When things go wrong",
		Examples: []Example{
			{"cancel", "Cancelling a task", wrongCancel},
			{"timeout", "Timeout and WaitFor", wrongTimeout},
			{"deadlock", "A deadlock, reported instead of hanging", wrongDeadlock},
			{"panic", "A panic in a task", wrongPanic},
		},
	})
}

// snippet: sleeper
func sleeper() *asyncio.Coro[struct{}] {
	return asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		defer fmt.Println("sleeper: deferred call")
		fmt.Println("sleeper: starting a long sleep")
		if err := asyncio.Sleep(a, time.Hour); err != nil {
			var cancelled *asyncio.CanceledError
			if errors.As(err, &cancelled) {
				fmt.Println("sleeper: cancelled, with the message", cancelled.Message)
			}
			return struct{}{}, err // let it go on up
		}
		fmt.Println("sleeper: woke up")
		return struct{}{}, nil
	})
}

// end snippet

func wrongCancel(opts Options) error {
	// snippet: cancel
	main := asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		t := asyncio.CreateTask(a, sleeper())
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return struct{}{}, err
		}
		fmt.Println("main: cancelling the sleeper")
		t.Cancel("enough")
		_, err := asyncio.Await(a, t)
		fmt.Println("main: the sleeper ended with", err)
		fmt.Println("main: errors.Is(err, asyncio.ErrCanceled):", errors.Is(err, asyncio.ErrCanceled))
		fmt.Println("main: t.Cancelled():", t.Cancelled())
		return struct{}{}, nil
	})
	// end snippet
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	return err
}

func wrongTimeout(opts Options) error {
	// snippet: timeout
	main := asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		err := asyncio.Timeout(a, 2*time.Second, func(*asyncio.TimeoutScope) error {
			_, err := asyncio.Await(a, slow(5))
			return err
		})
		fmt.Println("Timeout returned", err)
		fmt.Println("errors.Is(err, asyncio.ErrTimeout):", errors.Is(err, asyncio.ErrTimeout))
		fmt.Println("errors.Is(err, asyncio.ErrCanceled):", errors.Is(err, asyncio.ErrCanceled))

		v, err := asyncio.WaitFor(a, slow(1), 2*time.Second)
		fmt.Println("WaitFor returned", v, err)
		v, err = asyncio.WaitFor(a, slow(3), 2*time.Second)
		fmt.Println("WaitFor returned", v, err)
		return struct{}{}, nil
	})
	// end snippet
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	return err
}

// snippet: deadlock-main
func consumer(reply *asyncio.Future[string]) *asyncio.Coro[string] {
	return asyncio.Async(func(a *asyncio.A) (string, error) {
		return asyncio.Await(a, reply) // nobody will ever set it
	})
}

func deadlockMain() *asyncio.Coro[string] {
	return asyncio.Async(func(a *asyncio.A) (string, error) {
		reply := asyncio.NewFuture[string](asyncio.GetRunningLoop(a))
		t := asyncio.CreateTask(a, consumer(reply))
		t.SetName("consumer")
		return asyncio.Await(a, t)
	})
}

// end snippet

func wrongDeadlock(opts Options) error {
	// snippet: deadlock
	_, err := asyncio.Run(context.Background(), deadlockMain(), loopOpts(opts)...)
	var deadlock *asyncio.DeadlockError
	if !errors.As(err, &deadlock) {
		return err
	}
	headline, _, _ := strings.Cut(err.Error(), "\n")
	fmt.Println(headline)
	for _, t := range deadlock.Tasks {
		fmt.Println(t.Name, "awaits", t.Awaiting)
		for _, f := range t.AwaitChain {
			if name, ok := chapterFunc(f.Function); ok {
				fmt.Println("    in", name)
			}
		}
	}
	// end snippet
	return nil
}

// chapterFunc returns the name of the function of this package that fn, a
// function's full name from a stack frame, is or is a closure of:
// "consumer" for ".../chapters.consumer.func1". The deadlock example prints
// these names only, because the rest of a frame (the file's path, the line,
// the frames inside asyncio) differs from one checkout or edit to the next.
func chapterFunc(fn string) (string, bool) {
	fn, ok := strings.CutPrefix(path.Base(fn), "chapters.")
	if !ok {
		return "", false
	}
	// A closure is named after its function, and after the function that
	// function was inlined into: chapters.outer.inner.func1.
	parts := strings.Split(fn, ".")
	for len(parts) > 1 && strings.HasPrefix(parts[len(parts)-1], "func") {
		parts = parts[:len(parts)-1]
	}
	return parts[len(parts)-1], true
}

// snippet: average

// average returns the mean of xs, rounded down. Given no numbers, it
// divides by zero, which panics.
func average(xs []int) int {
	sum := 0
	for _, x := range xs {
		sum += x
	}
	return sum / len(xs)
}

// end snippet

func wrongPanic(opts Options) error {
	// snippet: panic
	main := asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		t := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			return average(nil), nil
		}))
		_, err := asyncio.Await(a, t)
		first, _, _ := strings.Cut(err.Error(), "\n")
		fmt.Println("the task failed:", first)
		var p *coro.PanicError
		if errors.As(err, &p) {
			fmt.Println("the stack names average:", bytes.Contains(p.Stack, []byte("chapters.average(")))
		}
		fmt.Println("main carries on")
		return struct{}{}, nil
	})
	// end snippet
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	return err
}
