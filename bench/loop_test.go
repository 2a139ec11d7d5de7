package bench_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/coro"
)

// The benchmarks of this file measure the event loop of package asyncio,
// always on the virtual clock, so that no figure includes a real wait. Each
// runs its work inside one asyncio.Run; the loop's setup and shutdown, and
// the first step of every task (which starts its coroutine), are left out of
// the timing. baseline_test.go measures the same work done with goroutines.
//
// Task bodies run on coroutines, not on the benchmark's goroutine, so they
// report failures with b.Error or by returning an error, never b.Fatal.

// taskCounts are the numbers of tasks that Sleep0 runs side by side, and of
// goroutines that GoroutineYield does.
var taskCounts = []int{1, 100, 10000, 100000}

// stepsFor returns the share of total that worker i of n takes on: total/n,
// one more for the first total%n workers, so that the shares add up to total.
func stepsFor(total, n, i int) int {
	k := total / n
	if i < total%n {
		k++
	}
	return k
}

// runVirtual runs main as the main task of a loop on the virtual clock and
// fails the benchmark if it does not end with a nil error.
func runVirtual[T any](b *testing.B, main func(a *asyncio.A) (T, error)) T {
	b.Helper()
	v, err := asyncio.Run(context.Background(), asyncio.Async(main), asyncio.WithVirtualTime())
	if err != nil {
		b.Fatalf("asyncio.Run() = _, %v, want nil", err)
	}
	return v
}

// startAll suspends the main task once, so that every task it has just
// created takes its first step (starting its coroutine, up to its first
// await) before the measurement begins: tasks run in the order they became
// ready and main was queued behind them, so when Sleep returns they all
// have. It then collects the garbage of the setup, so that no collection it
// made necessary falls inside the timed region.
func startAll(a *asyncio.A) error {
	err := asyncio.Sleep(a, 0)
	runtime.GC()
	return err
}

// sumAll checks that the results of the tasks add up to want, the number of
// ops the benchmark measured.
func sumAll(results []int, want int) error {
	sum := 0
	for _, v := range results {
		sum += v
	}
	if sum != want {
		return fmt.Errorf("tasks did %d ops in all, want %d", sum, want)
	}
	return nil
}

// A crowd is the set of tasks a benchmark's main task waits for. Waiting
// for it costs nothing per task, where Gather would register a callback
// and fill a result slot for each inside the timed region.
type crowd struct {
	left int
	err  error
	done *asyncio.Future[struct{}]
}

// newCrowd returns an empty crowd on the loop running a.
func newCrowd(a *asyncio.A) *crowd {
	return &crowd{done: asyncio.NewFuture[struct{}](asyncio.GetRunningLoop(a))}
}

// spawn creates a task that runs body and then leaves the crowd, keeping
// the first error a body returns.
func (c *crowd) spawn(a *asyncio.A, body func(a *asyncio.A) error) {
	c.left++
	asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		err := body(a)
		if c.err == nil {
			c.err = err
		}
		if c.left--; c.left == 0 {
			_ = c.done.SetResult(struct{}{})
		}
		return struct{}{}, err
	}))
}

// wait suspends the task running a until every task of the crowd has
// ended, and returns the first error one of them returned.
func (c *crowd) wait(a *asyncio.A) error {
	if _, err := c.done.Await(a); err != nil {
		return err
	}
	return c.err
}

// BenchmarkSleep0 measures one task step: a task suspended in Sleep(a, 0) is
// resumed by the loop and suspends in Sleep(a, 0) again. It is the event
// loop's PullNext: the cost of scheduling, on top of the coroutine switch.
// The b.N steps are shared out among tasks=N tasks, which all wait in the
// ready queue, so each loop iteration runs N steps. After its share each
// task parks on an Event, and the last to park stops the timer, so that the
// tasks' ends (which destroy their coroutines) are not timed: with 100,000
// tasks and a short benchtime they would outweigh the steps.
// GoroutineYield is the same work as runtime.Gosched loops.
func BenchmarkSleep0(b *testing.B) {
	for _, n := range taskCounts {
		b.Run("tasks="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			// While the benchmark harness probes with a small b.N, fewer
			// tasks than n run, so that every task takes a step and the
			// parking of idle tasks is not charged to a handful of ops.
			n := min(n, b.N)
			runVirtual(b, func(a *asyncio.A) (struct{}, error) {
				tasks, steps, parked := newCrowd(a), 0, 0
				// A future made before the timing, rather than an Event, so
				// that parking allocates no waiter inside the timed region.
				release := asyncio.NewFuture[struct{}](asyncio.GetRunningLoop(a))
				for i := range n {
					k := stepsFor(b.N, n, i)
					tasks.spawn(a, func(a *asyncio.A) error {
						if err := asyncio.Sleep(a, 0); err != nil { // the untimed first step ends here
							return err
						}
						for range k {
							if err := asyncio.Sleep(a, 0); err != nil {
								return err
							}
						}
						steps += k
						if parked++; parked == n {
							b.StopTimer()
							return release.SetResult(struct{}{})
						}
						_, err := release.Await(a)
						return err
					})
				}
				if err := startAll(a); err != nil {
					return struct{}{}, err
				}
				b.ResetTimer()
				if err := tasks.wait(a); err != nil {
					return struct{}{}, err
				}
				if steps != b.N {
					return struct{}{}, fmt.Errorf("tasks took %d steps in all, want %d", steps, b.N)
				}
				return struct{}{}, nil
			})
		})
	}
}

// spawnBatch is how many tasks Spawn gathers at a time, and how many
// goroutines GoroutineSpawn waits for at a time.
const spawnBatch = 1000

// one is the body of the trivial task that Spawn creates: it returns at once.
func one(*asyncio.A) (int, error) { return 1, nil }

// BenchmarkSpawn measures one trivial task's whole life: its coroutine is
// made with Async, wrapped in a task with CreateTask, started by the loop,
// returns at once, and its result is collected by a Gather of its batch of
// spawnBatch tasks. PullCreateStop is the floor; GoroutineSpawn is the same
// work with go statements and a sync.WaitGroup.
func BenchmarkSpawn(b *testing.B) {
	b.ReportAllocs()
	runVirtual(b, func(a *asyncio.A) (struct{}, error) {
		batch := make([]coro.Awaitable[int], 0, spawnBatch)
		b.ResetTimer()
		for done := 0; done < b.N; {
			n := min(spawnBatch, b.N-done)
			batch = batch[:0]
			for range n {
				batch = append(batch, asyncio.CreateTask(a, asyncio.Async(one)))
			}
			results, err := asyncio.Gather(a, batch...)
			if err != nil {
				return struct{}{}, err
			}
			if err := sumAll(results, n); err != nil {
				return struct{}{}, err
			}
			done += n
		}
		b.StopTimer()
		return struct{}{}, nil
	})
}

// A ping is one hop of FuturePingPong: the value handed over, and the future
// in which the other side is to answer (nil: stop).
type ping struct {
	v     int
	reply *asyncio.Future[ping]
}

// BenchmarkFuturePingPong measures one round trip of a value between two
// tasks through futures: the pinger sets the future the ponger awaits, the
// ponger wakes and sets the future the pinger awaits, and the pinger wakes.
// That is two task steps and two wake-ups through done callbacks.
//
// Every hop uses a new future: an asyncio.Future is done once and cannot be
// reset (Python's cannot either), so each message carries the future of its
// answer, as a channel of reply channels would. Two futures are allocated per
// round trip and they are part of what is measured. ChanPingPong is the same
// exchange between two goroutines over unbuffered channels.
func BenchmarkFuturePingPong(b *testing.B) {
	b.ReportAllocs()
	runVirtual(b, func(a *asyncio.A) (struct{}, error) {
		l := asyncio.GetRunningLoop(a)
		// Each future's result holds the next one, so whatever still held
		// the first future would keep every future of the run alive: the
		// pinger takes it out of first, and the ponger lets go of it after
		// its first hop.
		first := asyncio.NewFuture[ping](l)
		ponger := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			in := first // the untimed first step ends awaiting it
			for {
				m, err := in.Await(a)
				if err != nil {
					return 0, err
				}
				if m.reply == nil {
					return m.v, nil
				}
				in = asyncio.NewFuture[ping](l)
				if err := m.reply.SetResult(ping{m.v + 1, in}); err != nil {
					return 0, err
				}
			}
		}))
		pinger := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			if err := asyncio.Sleep(a, 0); err != nil { // the untimed first step ends here
				return 0, err
			}
			out, v := first, 0
			first = nil
			for range b.N {
				reply := asyncio.NewFuture[ping](l)
				if err := out.SetResult(ping{v, reply}); err != nil {
					return 0, err
				}
				m, err := reply.Await(a)
				if err != nil {
					return 0, err
				}
				v, out = m.v, m.reply
			}
			return v, out.SetResult(ping{v: v})
		}))
		if err := startAll(a); err != nil {
			return struct{}{}, err
		}
		b.ResetTimer()
		v, err := pinger.Await(a)
		b.StopTimer()
		if err != nil {
			return struct{}{}, err
		}
		w, err := ponger.Await(a)
		if err != nil {
			return struct{}{}, err
		}
		if v != b.N || w != b.N {
			return struct{}{}, fmt.Errorf("after %d round trips, pinger has %d and ponger %d, want %d", b.N, v, w, b.N)
		}
		return struct{}{}, nil
	})
}

// timerTasks is how many tasks Timers keeps sleeping at once.
const timerTasks = 100_000

// BenchmarkTimers measures one timer: the loop finds nothing ready, jumps
// the virtual clock to the earliest of timerTasks pending timers, and
// resumes the task that set it, which sets another one and suspends again.
// The timers are Sleeps of random virtual durations (up to a second, from a
// seeded math/rand/v2 generator, drawn inside the timed loop: a few ns);
// every task sets its first one before the timing begins, so the loop's
// timer heap holds 100,000 timers whatever b.N is. Once b.N timers have
// fired (and their tasks have set b.N more), the timing stops and the tasks
// end as their timers fire. ns/timer is ns/op, reported by name.
func BenchmarkTimers(b *testing.B) {
	b.ReportAllocs()
	rng := rand.New(rand.NewPCG(1, 2))
	duration := func() time.Duration { return 1 + time.Duration(rng.Int64N(int64(time.Second))) }
	runVirtual(b, func(a *asyncio.A) (struct{}, error) {
		tasks, fired := newCrowd(a), 0
		for range timerTasks {
			tasks.spawn(a, func(a *asyncio.A) error {
				for {
					if err := asyncio.Sleep(a, duration()); err != nil {
						return err
					}
					// The timing stops at the wake-up after the b.N-th, so
					// that b.N wake-ups and the b.N Sleeps they make are in it.
					if fired++; fired == b.N+1 {
						b.StopTimer()
					}
					if fired > b.N {
						return nil
					}
				}
			})
		}
		if err := startAll(a); err != nil { // every task has set its first timer
			return struct{}{}, err
		}
		b.ResetTimer()
		return struct{}{}, tasks.wait(a)
	})
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/timer")
}

// idleCount is how many suspended tasks IdleTaskMemory holds at once, and
// how many blocked goroutines IdleGoroutineMemory does.
const idleCount = 100_000

// memory is what the heap and the goroutine stacks hold.
type memory struct{ heap, stack int64 }

// inUse returns HeapInuse and StackInuse after a garbage collection.
func inUse() memory {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return memory{int64(ms.HeapInuse), int64(ms.StackInuse)}
}

// perUnit is what each of n units added to the heap and stacks between
// before and after, in bytes.
func perUnit(before, after memory, n int) (heap, stack float64) {
	return float64(after.heap-before.heap) / float64(n), float64(after.stack-before.stack) / float64(n)
}

// BenchmarkIdleTaskMemory measures what a suspended task costs in memory
// (B/task): idleCount tasks are created and started, and each waits on the
// same asyncio.Future; the growth of HeapInuse+StackInuse, measured after a
// garbage collection, is divided by idleCount. It counts the task, its
// coroutine and the goroutine stack under it, and its entry among the
// future's done callbacks. Then the future is set, every task ends, and the
// last one to end wakes the main task, so that Run finishes cleanly.
//
// One op is one batch of idleCount tasks; its time includes three garbage
// collections and is not a figure to compare. IdleGoroutineMemory is the
// same measure for goroutines blocked on a channel.
func BenchmarkIdleTaskMemory(b *testing.B) {
	b.ReportAllocs()
	var heap, stack float64
	for range b.N {
		runVirtual(b, func(a *asyncio.A) (struct{}, error) {
			l := asyncio.GetRunningLoop(a)
			release := asyncio.NewFuture[struct{}](l)
			allDone := asyncio.NewFuture[struct{}](l)
			left := idleCount
			// One body for every task, and no slice of them: nothing is held
			// per task but what the loop itself holds.
			body := func(a *asyncio.A) (struct{}, error) {
				_, err := release.Await(a)
				if left--; left == 0 {
					_ = allDone.SetResult(struct{}{})
				}
				return struct{}{}, err
			}
			before := inUse()
			for range idleCount {
				asyncio.CreateTask(a, asyncio.Async(body))
			}
			if err := startAll(a); err != nil {
				return struct{}{}, err
			}
			h, s := perUnit(before, inUse(), idleCount)
			heap, stack = heap+h, stack+s
			if err := release.SetResult(struct{}{}); err != nil {
				return struct{}{}, err
			}
			_, err := allDone.Await(a)
			return struct{}{}, err
		})
	}
	reportMemory(b, heap, stack, "task")
}

// reportMemory reports the heap and stack bytes summed over b.N batches as
// averages per unit: B/unit for both, and heapB/unit and stackB/unit apart.
func reportMemory(b *testing.B, heap, stack float64, unit string) {
	n := float64(b.N)
	b.ReportMetric((heap+stack)/n, "B/"+unit)
	b.ReportMetric(heap/n, "heapB/"+unit)
	b.ReportMetric(stack/n, "stackB/"+unit)
}

// BenchmarkSleep0IdleSocket is Sleep0/tasks=1 with an idle connection
// open: on Linux the loop polls its sockets between batches of callbacks,
// less and less often while they have nothing, so that a step pays no
// system call of its own.
func BenchmarkSleep0IdleSocket(b *testing.B) {
	b.ReportAllocs()
	runVirtual(b, func(a *asyncio.A) (struct{}, error) {
		srv, err := asyncio.StartServer(a, echoUntilEOF, "127.0.0.1", 0)
		if err != nil {
			return struct{}{}, err
		}
		r, w, err := asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port)
		if err != nil {
			return struct{}{}, err
		}
		if err := roundTrip(a, r, w, echoMessage()); err != nil { // the handler waits in Read
			return struct{}{}, err
		}
		b.ResetTimer()
		for range b.N {
			if err := asyncio.Sleep(a, 0); err != nil {
				return struct{}{}, err
			}
		}
		b.StopTimer()
		w.Close()
		if err := w.WaitClosed(a); err != nil {
			return struct{}{}, err
		}
		srv.Close()
		return struct{}{}, srv.WaitClosed(a)
	})
}
