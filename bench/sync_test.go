package bench_test

import (
	"fmt"
	"testing"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// BenchmarkQueuePingPong measures one round trip of a value between two
// tasks through two unbounded asyncio queues: ping puts, pong gets and puts
// back, ping gets. Its baseline is BenchmarkChanPingPong, the same with two
// goroutines and unbuffered channels.
func BenchmarkQueuePingPong(b *testing.B) {
	b.ReportAllocs()
	runVirtual(b, func(a *asyncio.A) (struct{}, error) {
		there, back := asyncio.NewQueue[int](0), asyncio.NewQueue[int](0)
		pong := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			for {
				v, err := there.Get(a)
				if err != nil || v < 0 {
					return 0, err
				}
				if err := back.Put(a, v+1); err != nil {
					return 0, err
				}
			}
		}))
		if err := startAll(a); err != nil {
			return struct{}{}, err
		}
		v := 0
		b.ResetTimer()
		for range b.N {
			if err := there.Put(a, v); err != nil {
				return struct{}{}, err
			}
			var err error
			if v, err = back.Get(a); err != nil {
				return struct{}{}, err
			}
		}
		b.StopTimer()
		if v != b.N {
			return struct{}{}, fmt.Errorf("after %d round trips the value is %d", b.N, v)
		}
		if err := there.Put(a, -1); err != nil {
			return struct{}{}, err
		}
		_, err := pong.Await(a)
		return struct{}{}, err
	})
}

// lockers is how many tasks BenchmarkLockHandoff passes the lock among.
const lockers = 100

// BenchmarkLockHandoff measures one hand-off of an asyncio.Lock among 100
// tasks that each acquire it, yield to the loop while holding it (so that
// the others queue up), and release it: per acquisition, the FIFO wake-up of
// the next waiter and its step.
func BenchmarkLockHandoff(b *testing.B) {
	b.ReportAllocs()
	runVirtual(b, func(a *asyncio.A) (struct{}, error) {
		var lock asyncio.Lock
		c := newCrowd(a)
		for i := range lockers {
			steps := stepsFor(b.N, lockers, i)
			c.spawn(a, func(a *asyncio.A) error {
				for range steps {
					if err := lock.Acquire(a); err != nil {
						return err
					}
					if err := asyncio.Sleep(a, 0); err != nil {
						return err
					}
					if err := lock.Release(); err != nil {
						return err
					}
				}
				return nil
			})
		}
		if err := startAll(a); err != nil {
			return struct{}{}, err
		}
		b.ResetTimer()
		err := c.wait(a)
		b.StopTimer()
		return struct{}{}, err
	})
}
