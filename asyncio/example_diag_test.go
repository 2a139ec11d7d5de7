package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// A test acts once the code under test has settled: here, once the workers
// have drained the queue and wait for more, and before the virtual clock
// moves on to the ticker's next tick.
func ExampleWaitAllTasksBlocked() {
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		loop := asyncio.GetRunningLoop(a)
		start := loop.Time()
		var q asyncio.Queue[string]
		done := 0
		for range 2 {
			asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				for {
					if _, err := q.Get(a); err != nil {
						return 0, err
					}
					done++
					q.TaskDone()
				}
			}))
		}
		ticker := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			return 0, asyncio.Sleep(a, time.Minute)
		}))
		for _, job := range []string{"a", "b", "c"} {
			if err := q.PutNowait(job); err != nil {
				return 0, err
			}
		}
		if err := asyncio.WaitAllTasksBlocked(a); err != nil {
			return 0, err
		}
		fmt.Printf("settled after %v: %d jobs done, %d queued\n", loop.Time().Sub(start), done, q.Qsize())
		for _, t := range asyncio.AllTasks(a) {
			if t != asyncio.CurrentTask(a) {
				t.Cancel()
			}
		}
		_, err := ticker.Await(a)
		fmt.Println("ticker:", err)
		return 0, nil
	}), asyncio.WithVirtualTime())
	fmt.Println(err)
	// Output:
	// settled after 0s: 3 jobs done, 0 queued
	// ticker: canceled
	// <nil>
}

// Snapshot shows the tree of live tasks, what each awaits and where: the
// in-process form of Python 3.14's python -m asyncio pstree.
func ExampleSnapshot() {
	_, _ = asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		asyncio.CurrentTask(a).SetName("main")
		fetch := asyncio.Async(func(a *asyncio.A) (int, error) { return 1, asyncio.Sleep(a, time.Second) })
		crawler := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) ([]int, error) {
			return asyncio.Gather(a, fetch)
		}))
		crawler.SetName("crawler")
		if err := asyncio.WaitAllTasksBlocked(a); err != nil {
			return 0, err
		}
		for _, t := range asyncio.Snapshot(a) {
			// t.AwaitChain holds the frames; String draws the tree with
			// their file:line.
			fmt.Println(strings.TrimSpace(fmt.Sprintf("%-8s parent=%-10q %-7s %s", t.Name, t.Parent, t.State, t.Awaiting)))
		}
		_, err := crawler.Await(a)
		return 0, err
	}), asyncio.WithVirtualTime())
	// Output:
	// main     parent=""         running
	// crawler  parent="main"     waiting <gather pending>
	// Task-3   parent="crawler"  waiting <sleep>
}

// Two tasks that take two locks in opposite orders deadlock. asyncio would
// hang; on the virtual clock, a closed world, Run returns a *DeadlockError
// naming the tasks, what each waits for (Error adds each one's await chain)
// and the cycle.
func ExampleDeadlockError() {
	var accounts, audit asyncio.Lock
	both := func(first, second *asyncio.Lock) *asyncio.Coro[int] {
		return asyncio.Async(func(a *asyncio.A) (int, error) {
			if err := first.Acquire(a); err != nil {
				return 0, err
			}
			defer first.Release()
			if err := asyncio.Sleep(a, time.Millisecond); err != nil {
				return 0, err
			}
			if err := second.Acquire(a); err != nil {
				return 0, err
			}
			defer second.Release()
			return 1, nil
		})
	}
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		asyncio.CurrentTask(a).SetName("main")
		transfer := asyncio.CreateTask(a, both(&accounts, &audit))
		transfer.SetName("transfer")
		report := asyncio.CreateTask(a, both(&audit, &accounts))
		report.SetName("report")
		if _, err := transfer.Await(a); err != nil {
			return 0, err
		}
		return report.Await(a)
	}), asyncio.WithVirtualTime())

	var deadlock *asyncio.DeadlockError
	if errors.As(err, &deadlock) {
		for _, t := range deadlock.Tasks {
			fmt.Printf("%s awaits %s\n", t.Name, t.Awaiting)
		}
		fmt.Println("cycles:", deadlock.Cycles)
	}
	// Output:
	// main awaits <Task transfer pending>
	// transfer awaits <Lock.Acquire pending: waiting for the lock held by report>
	// report awaits <Lock.Acquire pending: waiting for the lock held by transfer>
	// cycles: [[transfer report]]
}

// Under WithStrictLeaks a task left running when main returns is an error;
// it was cancelled, and its deferred calls ran.
func ExampleWithStrictLeaks() {
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		heartbeat := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			defer fmt.Println("heartbeat: stopped")
			for {
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return 0, err
				}
			}
		}))
		heartbeat.SetName("heartbeat")
		return 0, asyncio.Sleep(a, 3*time.Second) // the bug: heartbeat is never stopped
	}), asyncio.WithVirtualTime(), asyncio.WithStrictLeaks())
	fmt.Println(err)
	// Output:
	// heartbeat: stopped
	// asyncio: leaks:
	// 	task heartbeat was still pending when main returned, awaiting <sleep>; it was cancelled
}
