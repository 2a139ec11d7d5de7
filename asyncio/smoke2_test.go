package asyncio_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

func TestSmoke2(t *testing.T) {
	ctx := context.Background()
	v, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
		return asyncio.WaitFor(a, slow(5), 2*time.Second)
	}), asyncio.WithVirtualTime())
	fmt.Println("waitfor:", v, err)
	v, err = asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
		inner := asyncio.CreateTask(a, slow(2))
		r, err := asyncio.WaitFor(a, asyncio.Async(func(a *asyncio.A) (int, error) { return asyncio.Shield(a, inner) }), time.Second)
		fmt.Println("shield timed out:", r, err, inner.Done())
		return asyncio.Await(a, inner)
	}), asyncio.WithVirtualTime())
	fmt.Println("shield:", v, err)
	_, err = asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
		ts := []*asyncio.Task[int]{asyncio.CreateTask(a, slow(3)), asyncio.CreateTask(a, slow(1)), asyncio.CreateTask(a, slow(2))}
		done, pending, err := asyncio.Wait(a, ts, asyncio.FirstCompleted, 0)
		fmt.Println("wait:", len(done), len(pending), err)
		for f, err := range asyncio.AsCompleted(a, ts, 0) {
			r, _ := f.Result()
			fmt.Println("completed", r, err)
		}
		return 0, nil
	}), asyncio.WithVirtualTime())
	fmt.Println("wait err:", err)
	v, err = asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
		return asyncio.ToThread(a, func(ctx context.Context) (int, error) { time.Sleep(10 * time.Millisecond); return 42, nil })
	}), asyncio.WithVirtualTime())
	fmt.Println("tothread:", v, err)
	v, err = asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
		return asyncio.WaitFor(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			return asyncio.ToThread(a, func(ctx context.Context) (int, error) { <-ctx.Done(); return 0, ctx.Err() })
		}), 30*time.Millisecond)
	}))
	fmt.Println("tothread timeout:", v, err)
	cctx, cancel := context.WithCancel(ctx)
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	v, err = asyncio.Run(cctx, asyncio.Async(func(a *asyncio.A) (int, error) {
		return 0, asyncio.Sleep(a, time.Hour)
	}))
	fmt.Println("ctx cancel:", v, err)
}
