package bench_test

import (
	"runtime"
	"strconv"
	"sync"
	"testing"
)

// The benchmarks of this file are the event loop's baselines: the work of
// loop_test.go's benchmarks done the way a Go programmer would without an
// event loop, with goroutines, channels and sync.WaitGroup. Their goroutines
// run on every P (GOMAXPROCS), while the loop runs its tasks on one
// goroutine; run with -cpu 1 to compare on one P.

// BenchmarkGoroutineYield measures one runtime.Gosched: goroutines=N
// goroutines share out the b.N calls, as Sleep0's tasks share out their
// steps. Every goroutine is started and waits at a gate before the timing
// begins; its exit is timed but not counted as an op.
func BenchmarkGoroutineYield(b *testing.B) {
	for _, n := range taskCounts {
		b.Run("goroutines="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			n := min(n, b.N) // as in Sleep0
			var started, finished sync.WaitGroup
			gate := make(chan struct{})
			for i := range n {
				k := stepsFor(b.N, n, i)
				started.Add(1)
				finished.Go(func() {
					started.Done()
					<-gate
					for range k {
						runtime.Gosched()
					}
				})
			}
			started.Wait()
			b.ResetTimer()
			close(gate)
			finished.Wait()
			b.StopTimer()
		})
	}
}

// BenchmarkGoroutineSpawn measures one trivial goroutine's whole life: a go
// statement whose function stores its result and returns, waited for with a
// sync.WaitGroup in batches of spawnBatch. It is Spawn's baseline.
func BenchmarkGoroutineSpawn(b *testing.B) {
	b.ReportAllocs()
	results := make([]int, spawnBatch)
	var wg sync.WaitGroup
	for done := 0; done < b.N; {
		n := min(spawnBatch, b.N-done)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = 1
			}()
		}
		wg.Wait()
		done += n
	}
}

// BenchmarkChanPingPong measures one round trip of a value between two
// goroutines over two unbuffered channels: FuturePingPong's baseline.
func BenchmarkChanPingPong(b *testing.B) {
	b.ReportAllocs()
	ping, pong := make(chan int), make(chan int)
	var wg sync.WaitGroup
	var got int
	wg.Go(func() {
		for v := range ping {
			pong <- v + 1
		}
	})
	wg.Go(func() {
		v := 0
		for range b.N {
			ping <- v
			v = <-pong
		}
		close(ping)
		got = v
	})
	wg.Wait()
	b.StopTimer()
	if got != b.N {
		b.Errorf("after %d round trips, value = %d, want %d", b.N, got, b.N)
	}
}

// BenchmarkIdleGoroutineMemory measures what a blocked goroutine costs in
// memory (B/goroutine): idleCount goroutines are started and each blocks
// receiving from the same channel; the growth of HeapInuse+StackInuse,
// measured after a garbage collection, is divided by idleCount. Then the
// channel is closed and every goroutine ends. It is IdleTaskMemory's
// baseline; one op is one batch.
func BenchmarkIdleGoroutineMemory(b *testing.B) {
	b.ReportAllocs()
	var heap, stack float64
	for range b.N {
		release := make(chan struct{})
		var started, finished sync.WaitGroup
		before := inUse()
		for range idleCount {
			started.Add(1)
			finished.Go(func() {
				started.Done()
				<-release
			})
		}
		started.Wait()
		h, s := perUnit(before, inUse(), idleCount)
		heap, stack = heap+h, stack+s
		close(release)
		finished.Wait()
	}
	reportMemory(b, heap, stack, "goroutine")
}
