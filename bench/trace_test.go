package bench_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/asyncio/timeline"
	"github.com/yieldfrom/asyncgo/coro"
)

// The benchmarks of this file measure what watching the loop costs: the
// work of BenchmarkSleep0/tasks=100 (one task step per op, a hundred tasks
// in the ready queue) with hooks installed. Set against BenchmarkSleep0
// itself, they give the price of tracing when it is on, and show that it
// is nothing when it is off.

// tracedTasks is the number of tasks the benchmarks of this file run side
// by side: BenchmarkSleep0's middle case.
const tracedTasks = 100

// sleep0With is BenchmarkSleep0's body for n tasks, on a loop run with opts
// (and the virtual clock): b.N steps of Sleep(a, 0), shared out among the
// tasks, timed from the tasks' second step to their end.
func sleep0With(b *testing.B, n int, opts ...asyncio.Option) {
	b.ReportAllocs()
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		tasks := make([]coro.Awaitable[int], n)
		for i := range n {
			k := b.N / n
			if i < b.N%n {
				k++
			}
			tasks[i] = asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				if err := asyncio.Sleep(a, 0); err != nil { // the untimed first step ends here
					return 0, err
				}
				for range k {
					if err := asyncio.Sleep(a, 0); err != nil {
						return 0, err
					}
				}
				return k, nil
			}))
		}
		if err := asyncio.Sleep(a, 0); err != nil { // every task takes its first step
			return struct{}{}, err
		}
		b.ResetTimer()
		_, err := asyncio.Gather(a, tasks...)
		b.StopTimer()
		return struct{}{}, err
	}), append([]asyncio.Option{asyncio.WithVirtualTime()}, opts...)...)
	if err != nil {
		b.Fatalf("asyncio.Run() = _, %v, want nil", err)
	}
}

// BenchmarkSleep0Traced is BenchmarkSleep0/tasks=100 with a
// timeline.Recorder installed: one task step, recorded as a step and a
// wait.
func BenchmarkSleep0Traced(b *testing.B) {
	b.Run("tasks="+strconv.Itoa(tracedTasks), func(b *testing.B) {
		rec := timeline.NewRecorder()
		sleep0With(b, tracedTasks, asyncio.WithHooks(rec.Hooks()))
	})
}

// BenchmarkSleep0Hooked is BenchmarkSleep0/tasks=100 with hooks installed
// that are all nil: the loop takes its instrumented path, and calls
// nothing. Against BenchmarkSleep0 it is the cost of that path; against
// BenchmarkSleep0Traced, the cost of recording.
func BenchmarkSleep0Hooked(b *testing.B) {
	b.Run("tasks="+strconv.Itoa(tracedTasks), func(b *testing.B) {
		sleep0With(b, tracedTasks, asyncio.WithHooks(&asyncio.Hooks{}))
	})
}

// BenchmarkSleep0Plain is BenchmarkSleep0/tasks=100 through this file's
// code, with no hooks, so that the three can be compared in one run:
// go test -run '^$' -bench 'Sleep0(Plain|Hooked|Traced)' -count 10 ./bench/
func BenchmarkSleep0Plain(b *testing.B) {
	b.Run("tasks="+strconv.Itoa(tracedTasks), func(b *testing.B) {
		sleep0With(b, tracedTasks)
	})
}
