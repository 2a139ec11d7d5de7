package asyncio_test

import (
	"context"
	"fmt"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// A goroutine outside the loop (a callback-based Go API, say) hands the
// loop its results through CallSoonThreadsafe. On the real clock the loop
// would wait for it anyway; on the virtual clock, a closed world, it must
// know that the goroutine will call: RegisterExternal before starting it,
// release after its last call. Unregistered, a goroutine slower than the
// idle threshold would find Run already returned with a *DeadlockError.
func ExampleLoop_RegisterExternal() {
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		loop := asyncio.GetRunningLoop(a)
		results := asyncio.NewQueue[string](0)
		release := loop.RegisterExternal()
		go func() {
			defer release()
			for _, s := range []string{"one", "two", "three", ""} {
				_ = loop.CallSoonThreadsafe(func() { _ = results.PutNowait(s) })
			}
		}()
		for {
			s, err := results.Get(a)
			if err != nil || s == "" {
				return struct{}{}, err
			}
			fmt.Println("got", s)
		}
	}), asyncio.WithVirtualTime())
	fmt.Println("Run:", err)
	// Output:
	// got one
	// got two
	// got three
	// Run: <nil>
}
