package asyncio_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// A Runner keeps its loop, and what is on it, from one RunWith to the
// next: a task the first starts is still running in the second, and
// Close cancels it, reporting it as Run reports the tasks main left.
func ExampleRunner() {
	r := asyncio.NewRunner(asyncio.WithVirtualTime(), asyncio.WithDiagnostics(os.Stdout))
	defer r.Close()
	ctx := context.Background()

	var ticks int
	_, err := asyncio.RunWith(r, ctx, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		ticker := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			for {
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return struct{}{}, err
				}
				ticks++
			}
		}))
		ticker.SetName("ticker")
		return struct{}{}, nil
	}))
	fmt.Println("first run:", ticks, "ticks", err)

	got, err := asyncio.RunWith(r, ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
		err := asyncio.Sleep(a, 3500*time.Millisecond)
		return ticks, err
	}))
	fmt.Println("second run:", got, "ticks", err)
	fmt.Println("Close:", r.Close())
	// Output:
	// first run: 0 ticks <nil>
	// second run: 3 ticks <nil>
	// asyncio: task ticker was still pending when the Runner closed, awaiting <sleep>; it was cancelled
	// Close: <nil>
}
