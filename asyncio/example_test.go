package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// The examples of this file are the lessons' programs, line for line, run
// on the virtual clock so that their sleeps take no time. Each prints what
// the Python program prints, with Go's formatting of lists.

// slow is the lessons' coroutine:
//
//	async def slow(t: int) -> int:
//	    print(f"About to sleep for {t} seconds")
//	    await asyncio.sleep(t)
//	    print(f"Slept for {t} seconds")
//	    return t
func slow(t int) *asyncio.Coro[int] {
	return asyncio.Async(func(a *asyncio.A) (int, error) {
		fmt.Printf("About to sleep for %d seconds\n", t)
		if err := asyncio.Sleep(a, time.Duration(t)*time.Second); err != nil {
			return 0, err // cancellation arrives here, as CancelledError would
		}
		fmt.Printf("Slept for %d seconds\n", t)
		return t, nil
	})
}

// countdown is the countdown coroutine of the lessons:
//
//	async def countdown(task_name, seconds):
//	    for i in range(seconds, 0, -1):
//	        print(task_name, i)
//	        await asyncio.sleep(1)
//	    print("done!")
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

// run is asyncio.run(main()) on the virtual clock; an error is printed.
func run[T any](main func(a *asyncio.A) (T, error)) {
	if _, err := asyncio.Run(context.Background(), asyncio.Async(main), asyncio.WithVirtualTime()); err != nil {
		fmt.Println("error:", err)
	}
}

// The first lesson: gather runs its arguments concurrently and returns
// their results in argument order.
//
//	await asyncio.gather(slow(3), slow(1), slow(2))
func ExampleGather() {
	run(func(a *asyncio.A) (struct{}, error) {
		results, err := asyncio.Gather(a, slow(3), slow(1), slow(2))
		fmt.Println(results)
		return struct{}{}, err
	})
	// Output:
	// About to sleep for 3 seconds
	// About to sleep for 1 seconds
	// About to sleep for 2 seconds
	// Slept for 1 seconds
	// Slept for 2 seconds
	// Slept for 3 seconds
	// [3 1 2]
}

// The countdown lesson's gather version:
//
//	async def main():
//	    await asyncio.gather(countdown("task A", 4), countdown("task B", 3))
//	    await asyncio.sleep(1)
//	    print("Everything, everywhere, all at once")
func ExampleGather_countdown() {
	run(func(a *asyncio.A) (struct{}, error) {
		if _, err := asyncio.Gather(a, countdown("task A", 4), countdown("task B", 3)); err != nil {
			return struct{}{}, err
		}
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return struct{}{}, err
		}
		fmt.Println("Everything, everywhere, all at once")
		return struct{}{}, nil
	})
	// Output:
	// task A 4
	// task B 3
	// task A 3
	// task B 2
	// task A 2
	// task B 1
	// task A 1
	// done!
	// done!
	// Everything, everywhere, all at once
}

// Lightweight threads from generators: each coroutine runs until its
// await, then the other gets its turn.
//
//	async def fun_a():
//	    print("Running coroutine *a*.")
//	    await asyncio.sleep(0)
//	    print("Back in *a*.")
//	    return "result from *a*"
//
//	await asyncio.gather(fun_a(), fun_b())
func ExampleGather_sleepZero() {
	fun := func(name string) *asyncio.Coro[string] {
		return asyncio.Async(func(a *asyncio.A) (string, error) {
			fmt.Printf("Running coroutine *%s*.\n", name)
			if err := asyncio.Sleep(a, 0); err != nil {
				return "", err
			}
			fmt.Printf("Back in *%s*.\n", name)
			return fmt.Sprintf("result from *%s*", name), nil
		})
	}
	run(func(a *asyncio.A) (struct{}, error) {
		results, err := asyncio.Gather(a, fun("a"), fun("b"))
		fmt.Printf("%q\n", results)
		return struct{}{}, err
	})
	// Output:
	// Running coroutine *a*.
	// Running coroutine *b*.
	// Back in *a*.
	// Back in *b*.
	// ["result from *a*" "result from *b*"]
}

// The task group lesson:
//
//	async with asyncio.TaskGroup() as tg:
//	    res1 = tg.create_task(slow(3))
//	    res2 = tg.create_task(slow(1))
//	    res3 = tg.create_task(slow(2))
//
//	print(res1.result(), res2.result(), res3.result())
func ExampleWithTaskGroup() {
	run(func(a *asyncio.A) (struct{}, error) {
		var res1, res2, res3 *asyncio.Task[int]
		err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			res1 = asyncio.CreateTask(tg, slow(3))
			res2 = asyncio.CreateTask(tg, slow(1))
			res3 = asyncio.CreateTask(tg, slow(2))
			return nil
		})
		if err != nil {
			return struct{}{}, err
		}
		r1, _ := res1.Result()
		r2, _ := res2.Result()
		r3, _ := res3.Result()
		fmt.Println(r1, r2, r3)
		return struct{}{}, nil
	})
	// Output:
	// About to sleep for 3 seconds
	// About to sleep for 1 seconds
	// About to sleep for 2 seconds
	// Slept for 1 seconds
	// Slept for 2 seconds
	// Slept for 3 seconds
	// 3 1 2
}

// runtimeError is Python's RuntimeError, to catch by kind as except* RuntimeError does.
type runtimeError struct{ msg string }

func (e *runtimeError) Error() string { return e.msg }

// Grouped errors, the task group lesson's second part:
//
//	async def busted(s: str) -> None:
//	    raise RuntimeError(s)
//
//	try:
//	    async with asyncio.TaskGroup() as tg:
//	        tg.create_task(busted("First error"))
//	        tg.create_task(busted("Second error"))
//	except* RuntimeError as error_group:
//	    print(error_group.exceptions)
func ExampleWithTaskGroup_errors() {
	busted := func(s string) *asyncio.Coro[struct{}] {
		return asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			return struct{}{}, &runtimeError{s}
		})
	}
	isRuntimeError := func(err error) bool {
		var re *runtimeError
		return errors.As(err, &re)
	}
	run(func(a *asyncio.A) (struct{}, error) {
		err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			asyncio.CreateTask(tg, busted("First error"))
			asyncio.CreateTask(tg, busted("Second error"))
			return nil
		})
		var eg *asyncio.ExceptionGroup
		if !errors.As(err, &eg) {
			return struct{}{}, err
		}
		errorGroup, rest := eg.Split(isRuntimeError) // except* RuntimeError as error_group
		if errorGroup != nil {
			fmt.Println(errorGroup.Exceptions)
		}
		if rest != nil {
			return struct{}{}, rest // what except* does not catch goes on
		}
		return struct{}{}, nil
	})
	// Output:
	// [First error Second error]
}

// The first program of the "Async in Python" lesson:
//
//	async def main():
//	    print("hello")
//	    await asyncio.sleep(1)
//	    print("world")
//
//	asyncio.run(main())
func ExampleRun() {
	main := asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		fmt.Println("hello")
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return struct{}{}, err
		}
		fmt.Println("world")
		return struct{}{}, nil
	})
	if _, err := asyncio.Run(context.Background(), main, asyncio.WithVirtualTime()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// hello
	// world
}

// The coroutines lesson:
//
//	async def main():
//	    await countdown("simple count", 4)
//
//	asyncio.run(main())
func ExampleSleep() {
	run(func(a *asyncio.A) (struct{}, error) {
		return asyncio.Await(a, countdown("simple count", 4))
	})
	// Output:
	// simple count 4
	// simple count 3
	// simple count 2
	// simple count 1
	// done!
}

// The tasks lesson:
//
//	async def main():
//	    # Scheduling and starting tasks
//	    taskA = asyncio.create_task(countdown("task A", 3))
//	    taskB = asyncio.create_task(countdown("task B", 2))
//
//	    # Doing something else while they run
//	    await asyncio.sleep(1)
//	    print("Everything, everywhere, all at once")
//
//	    # Awaiting for tasks to complete before ending main()
//	    await taskA
//	    await taskB
func ExampleCreateTask() {
	run(func(a *asyncio.A) (struct{}, error) {
		taskA := asyncio.CreateTask(a, countdown("task A", 3))
		taskB := asyncio.CreateTask(a, countdown("task B", 2))

		if err := asyncio.Sleep(a, time.Second); err != nil {
			return struct{}{}, err
		}
		fmt.Println("Everything, everywhere, all at once")

		if _, err := asyncio.Await(a, taskA); err != nil {
			return struct{}{}, err
		}
		return asyncio.Await(a, taskB)
	})
	// Output:
	// task A 3
	// task B 2
	// Everything, everywhere, all at once
	// task A 2
	// task B 1
	// task A 1
	// done!
	// done!
}

// Timeouts:
//
//	try:
//	    async with asyncio.timeout(2):
//	        await slow(3)
//	except TimeoutError:
//	    print("slow(3) timed out")
//	print(await asyncio.wait_for(slow(1), 2))
func ExampleTimeout() {
	run(func(a *asyncio.A) (struct{}, error) {
		err := asyncio.Timeout(a, 2*time.Second, func(*asyncio.TimeoutScope) error {
			_, err := asyncio.Await(a, slow(3))
			return err
		})
		if errors.Is(err, asyncio.ErrTimeout) {
			fmt.Println("slow(3) timed out")
		}
		v, err := asyncio.WaitFor(a, slow(1), 2*time.Second)
		fmt.Println(v)
		return struct{}{}, err
	})
	// Output:
	// About to sleep for 3 seconds
	// slow(3) timed out
	// About to sleep for 1 seconds
	// Slept for 1 seconds
	// 1
}

// Shield keeps a task running when whoever awaits it gives up:
//
//	task = asyncio.create_task(slow(2))
//	try:
//	    await asyncio.wait_for(asyncio.shield(task), 1)
//	except TimeoutError:
//	    print("gave up waiting; the task goes on")
//	print(await task)
func ExampleShield() {
	run(func(a *asyncio.A) (struct{}, error) {
		task := asyncio.CreateTask(a, slow(2))
		_, err := asyncio.WaitFor(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			return asyncio.Shield(a, task)
		}), time.Second)
		if errors.Is(err, asyncio.ErrTimeout) {
			fmt.Println("gave up waiting; the task goes on")
		}
		v, err := asyncio.Await(a, task)
		fmt.Println(v)
		return struct{}{}, err
	})
	// Output:
	// About to sleep for 2 seconds
	// gave up waiting; the task goes on
	// Slept for 2 seconds
	// 2
}

// Waiting for the first of several tasks, then for the rest:
//
//	tasks = [asyncio.create_task(slow(t)) for t in (3, 1, 2)]
//	done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
//	print(len(done), "done,", len(pending), "pending")
//	done, pending = await asyncio.wait(pending)
//	print(len(done), "done,", len(pending), "pending")
func ExampleWait() {
	run(func(a *asyncio.A) (struct{}, error) {
		var tasks []*asyncio.Task[int]
		for _, t := range []int{3, 1, 2} {
			tasks = append(tasks, asyncio.CreateTask(a, slow(t)))
		}
		done, pending, err := asyncio.Wait(a, tasks, asyncio.FirstCompleted, asyncio.NoTimeout)
		if err != nil {
			return struct{}{}, err
		}
		fmt.Println(len(done), "done,", len(pending), "pending")
		done, pending, err = asyncio.Wait(a, pending, asyncio.AllCompleted, asyncio.NoTimeout)
		fmt.Println(len(done), "done,", len(pending), "pending")
		return struct{}{}, err
	})
	// Output:
	// About to sleep for 3 seconds
	// About to sleep for 1 seconds
	// About to sleep for 2 seconds
	// Slept for 1 seconds
	// 1 done, 2 pending
	// Slept for 2 seconds
	// Slept for 3 seconds
	// 2 done, 0 pending
}

// Results in the order they arrive:
//
//	tasks = [asyncio.create_task(slow(t)) for t in (3, 1, 2)]
//	for f in asyncio.as_completed(tasks):
//	    print("got", await f)
func ExampleAsCompleted() {
	run(func(a *asyncio.A) (struct{}, error) {
		var tasks []*asyncio.Task[int]
		for _, t := range []int{3, 1, 2} {
			tasks = append(tasks, asyncio.CreateTask(a, slow(t)))
		}
		for f, err := range asyncio.AsCompleted(a, tasks, asyncio.NoTimeout) {
			if err != nil {
				return struct{}{}, err
			}
			v, err := f.Result()
			if err != nil {
				return struct{}{}, err
			}
			fmt.Println("got", v)
		}
		return struct{}{}, nil
	})
	// Output:
	// About to sleep for 3 seconds
	// About to sleep for 1 seconds
	// About to sleep for 2 seconds
	// Slept for 1 seconds
	// got 1
	// Slept for 2 seconds
	// got 2
	// Slept for 3 seconds
	// got 3
}

// Blocking work on goroutines, the results back on the loop:
//
//	def square(n):
//	    time.sleep(0.001)
//	    return n * n
//
//	print(await asyncio.gather(*(asyncio.to_thread(square, n) for n in (1, 2, 3))))
func ExampleToThread() {
	square := func(n int) *asyncio.Coro[int] {
		return asyncio.Async(func(a *asyncio.A) (int, error) {
			return asyncio.ToThread(a, func(ctx context.Context) (int, error) {
				time.Sleep(time.Millisecond) // blocking: it would stop the loop
				return n * n, nil
			})
		})
	}
	run(func(a *asyncio.A) (struct{}, error) {
		squares, err := asyncio.Gather(a, square(1), square(2), square(3))
		fmt.Println(squares)
		return struct{}{}, err
	})
	// Output:
	// [1 4 9]
}
