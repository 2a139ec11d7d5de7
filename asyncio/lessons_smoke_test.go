package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/coro"
)

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

func countdown(name string, seconds int) *asyncio.Coro[struct{}] {
	return asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		for i := seconds; i > 0; i-- {
			fmt.Println(name, i)
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return struct{}{}, err
			}
		}
		fmt.Println("done!")
		return struct{}{}, nil
	})
}

func TestSmokeLessons(t *testing.T) {
	ctx := context.Background()
	start := time.Now()
	got, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) ([]int, error) {
		return asyncio.Gather(a, slow(3), slow(1), slow(2))
	}), asyncio.WithVirtualTime())
	fmt.Println(got, err)
	_, err = asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		var r1, r2, r3 *asyncio.Task[int]
		err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			r1 = asyncio.CreateTask(tg, slow(3))
			r2 = asyncio.CreateTask(tg, slow(1))
			r3 = asyncio.CreateTask(tg, slow(2))
			return nil
		})
		v1, _ := r1.Result()
		v2, _ := r2.Result()
		v3, _ := r3.Result()
		fmt.Println(v1, v2, v3)
		return struct{}{}, err
	}), asyncio.WithVirtualTime())
	fmt.Println(err)
	busted := func(s string) *asyncio.Coro[struct{}] {
		return asyncio.Async(func(a *asyncio.A) (struct{}, error) { return struct{}{}, errors.New(s) })
	}
	_, err = asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			asyncio.CreateTask(tg, busted("First error"))
			asyncio.CreateTask(tg, busted("Second error"))
			return nil
		})
		var eg *asyncio.ExceptionGroup
		if errors.As(err, &eg) {
			fmt.Println(eg.Exceptions)
			return struct{}{}, nil
		}
		return struct{}{}, err
	}), asyncio.WithVirtualTime())
	fmt.Println(err)
	_, err = asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		ta := asyncio.CreateTask(a, countdown("task A", 3))
		tb := asyncio.CreateTask(a, countdown("task B", 2))
		asyncio.Sleep(a, time.Second)
		fmt.Println("Everything, everywhere, all at once")
		asyncio.Await(a, ta)
		asyncio.Await(a, tb)
		return struct{}{}, nil
	}), asyncio.WithVirtualTime())
	fmt.Println(err)
	_, err = asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		_, err := asyncio.Gather(a, countdown("task A", 4), countdown("task B", 3))
		asyncio.Sleep(a, time.Second)
		fmt.Println("Everything, everywhere, all at once")
		return struct{}{}, err
	}), asyncio.WithVirtualTime())
	fmt.Println(err)
	_, err = asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
		f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
		return asyncio.Await(a, f)
	}), asyncio.WithVirtualTime())
	fmt.Println("deadlock:", err)
	_, err = asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
		return asyncio.Run(ctx, slow(1))
	}), asyncio.WithVirtualTime())
	fmt.Println("nested:", err)
	_, err = asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
		var m map[int]int
		m[0] = 1
		return 0, nil
	}), asyncio.WithVirtualTime())
	var pe *coro.PanicError
	fmt.Println("panic:", errors.As(err, &pe))
	fmt.Println(time.Since(start))
}
