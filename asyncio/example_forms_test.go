package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// The examples of this file show the direct Go form of asyncio idioms that
// have no exact one (issue 14).

// runErr is asyncio.run(main()) on the virtual clock, for a main that
// returns nothing; an error is printed.
func runErr(main func(a *asyncio.A) error) {
	if _, err := asyncio.Run(context.Background(), asyncio.AsyncErr(main), asyncio.WithVirtualTime()); err != nil {
		fmt.Println("error:", err)
	}
}

// A gather is a future: start it, do something else, await it later, or
// cancel it, which cancels what it gathers.
//
//	g = asyncio.gather(slow(1), slow(2))
//	...
//	results = await g
func ExampleGatherFuture() {
	runErr(func(a *asyncio.A) error {
		g := asyncio.GatherFuture(a, after(time.Second, 1), after(2*time.Second, 2))
		fmt.Println("started; done:", g.Done())
		results, err := g.Await(a)
		fmt.Println(results, err)

		g = asyncio.GatherFuture(a, after(time.Second, 1), after(2*time.Second, 2))
		asyncio.Sleep(a, 0)
		g.Cancel()
		_, err = g.Await(a)
		fmt.Println(err, "cancelled:", g.Cancelled())
		return nil
	})
	// Output:
	// started; done: false
	// [1 2] <nil>
	// canceled cancelled: false
}

// Results of different types come back typed.
//
//	user, orders = await asyncio.gather(fetch_user(), fetch_orders())
func ExampleGather2() {
	fetchUser := asyncio.Async(func(a *asyncio.A) (string, error) {
		return asyncio.SleepResult(a, time.Second, "ann")
	})
	fetchOrders := asyncio.Async(func(a *asyncio.A) ([]int, error) {
		return asyncio.SleepResult(a, 2*time.Second, []int{7, 9})
	})
	runErr(func(a *asyncio.A) error {
		user, orders, err := asyncio.Gather2(a, fetchUser, fetchOrders)
		fmt.Println(user, orders, err)
		return err
	})
	// Output: ann [7 9] <nil>
}

// A slice of tasks goes into Gather whole.
//
//	results = await asyncio.gather(*tasks)
func ExampleAwaitables() {
	runErr(func(a *asyncio.A) error {
		var tasks []*asyncio.Task[int]
		for i := range 3 {
			tasks = append(tasks, asyncio.CreateTask(a, after(time.Duration(3-i)*time.Second, i)))
		}
		results, err := asyncio.Gather(a, asyncio.Awaitables(tasks)...)
		fmt.Println(results, err)
		return err
	})
	// Output: [0 1 2] <nil>
}

// Coroutines go to AsCompleted as tasks.
//
//	for c in asyncio.as_completed([slow(3), slow(1), slow(2)]):
//	    print(await c)
func ExampleCreateTasks() {
	runErr(func(a *asyncio.A) error {
		coros := []*asyncio.Coro[int]{after(3*time.Second, 3), after(time.Second, 1), after(2*time.Second, 2)}
		for t, err := range asyncio.AsCompleted(a, asyncio.CreateTasks(a, coros), asyncio.NoTimeout) {
			if err != nil {
				return err
			}
			fmt.Println(t.Result())
		}
		return nil
	})
	// Output:
	// 1 <nil>
	// 2 <nil>
	// 3 <nil>
}

// A coroutine that returns nothing, and error-only awaits as awaitables.
//
//	async def main():
//	    try:
//	        await asyncio.wait_for(event.wait(), 1)
//	    except TimeoutError:
//	        print("no event")
//	    asyncio.create_task(lock.acquire())
func ExampleAsyncErr() {
	runErr(func(a *asyncio.A) error {
		var event asyncio.Event
		if _, err := asyncio.WaitFor(a, asyncio.AsyncErr(event.Wait), time.Second); errors.Is(err, asyncio.ErrTimeout) {
			fmt.Println("no event:", err)
		}
		var lock asyncio.Lock
		t := asyncio.CreateTask(a, asyncio.AsyncErr(lock.Acquire))
		_, err := t.Await(a)
		fmt.Println("locked:", lock.Locked(), err)
		return nil
	})
	// Output:
	// no event: asyncio: timeout
	// locked: true <nil>
}

// Python's shield(aw) as a future, in one expression: the timeout cancels
// the shield, not the task.
//
//	await asyncio.wait_for(asyncio.shield(task), 1)
func ExampleShieldFuture() {
	runErr(func(a *asyncio.A) error {
		task := asyncio.CreateTask(a, after(2*time.Second, "saved"))
		_, err := asyncio.WaitFor(a, asyncio.ShieldFuture(a, task), time.Second)
		fmt.Println(err)
		fmt.Println(task.Await(a))
		return nil
	})
	// Output:
	// asyncio: timeout
	// saved <nil>
}

// Sleep as an awaitable of its own: Python's asyncio.sleep(d) passed to
// wait_for.
func ExampleSleepCoro() {
	runErr(func(a *asyncio.A) error {
		_, err := asyncio.WaitFor(a, asyncio.SleepCoro(2*time.Second), time.Second)
		fmt.Println(err)
		return nil
	})
	// Output: asyncio: timeout
}

// asyncio.sleep(d, result)
func ExampleSleepResult() {
	runErr(func(a *asyncio.A) error {
		fmt.Println(asyncio.SleepResult(a, time.Second, "woke"))
		return nil
	})
	// Output: woke <nil>
}

// A callback removed by the registration AddDoneCallback returned:
// Python's fut.remove_done_callback(cb).
func ExampleFuture_RemoveDoneCallback() {
	runErr(func(a *asyncio.A) error {
		f := asyncio.NewFuture[int](asyncio.GetRunningLoop(a))
		cb := f.AddDoneCallback(func(f *asyncio.Future[int]) { fmt.Println("removed callback ran") })
		f.AddDoneCallback(func(f *asyncio.Future[int]) { fmt.Println("callback ran") })
		fmt.Println("removed:", f.RemoveDoneCallback(cb))
		f.SetResult(1)
		return asyncio.Sleep(a, 0)
	})
	// Output:
	// removed: true
	// callback ran
}

// anext(agen, default), and the generator's state read without resuming it.
func ExampleAsyncGenerator_ANextDefault() {
	runErr(func(a *asyncio.A) error {
		ag := asyncio.NewAsyncGenerator(func(a *asyncio.A, yield func(string) (struct{}, error)) error {
			_, err := yield("only")
			return err
		})
		fmt.Println(ag.State())
		for range 2 {
			fmt.Println(ag.ANextDefault(a, "default"))
		}
		fmt.Println(ag.State(), ag.Running())
		return nil
	})
	// Output:
	// GEN_CREATED
	// only <nil>
	// default <nil>
	// GEN_CLOSED false
}

// No timeout is NoTimeout, in every timed call; 0 is no time.
//
//	done, pending = await asyncio.wait(tasks, timeout=None)
//	done, pending = await asyncio.wait(tasks, timeout=0)
func ExampleNoTimeout() {
	runErr(func(a *asyncio.A) error {
		tasks := []*asyncio.Task[int]{asyncio.CreateTask(a, after(time.Second, 1))}
		done, pending, _ := asyncio.Wait(a, tasks, asyncio.AllCompleted, 0)
		fmt.Println("timeout 0:", len(done), "done,", len(pending), "pending")
		done, pending, _ = asyncio.Wait(a, tasks, asyncio.AllCompleted, asyncio.NoTimeout)
		fmt.Println("NoTimeout:", len(done), "done,", len(pending), "pending")
		return nil
	})
	// Output:
	// timeout 0: 0 done, 1 pending
	// NoTimeout: 1 done, 0 pending
}

// The future of gather(..., return_exceptions=True): each awaitable's
// error beside the results.
func ExampleGatherFutureReturnExceptions() {
	runErr(func(a *asyncio.A) error {
		g := asyncio.GatherFutureReturnExceptions(a, after(time.Second, 1), failAfter[int](time.Second, errors.New("boom")))
		results, err := g.Await(a)
		fmt.Println(results, g.Errors(), err)
		return nil
	})
	// Output: [1 0] [<nil> boom] <nil>
}

// A cancellation is a context.Canceled to Go code, as a timeout is a
// context.DeadlineExceeded; task.Cancel() needs no message.
func ExampleErrCanceled() {
	runErr(func(a *asyncio.A) error {
		task := asyncio.CreateTask(a, after(time.Second, 1))
		asyncio.Sleep(a, 0)
		task.Cancel()
		_, err := task.Await(a)
		fmt.Println(err, errors.Is(err, asyncio.ErrCanceled), errors.Is(err, context.Canceled))
		_, err = asyncio.WaitFor(a, after(time.Hour, 1), time.Second)
		fmt.Println(err, errors.Is(err, context.DeadlineExceeded))
		return nil
	})
	// Output:
	// canceled true true
	// asyncio: timeout true
}
