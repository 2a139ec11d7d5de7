package chapters

import (
	"context"
	"fmt"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

func init() {
	Register(Chapter{
		Number: 6,
		Name:   "tasks",
		Title:  "Tasks",
		Examples: []Example{
			{"countdown", "A coroutine awaited: one thing at a time", countdownExample},
			{"tasks", "Tasks A and B, everything, everywhere, all at once", tasks},
			{"timeline", "The same, with the loop's clock", tasksTimeline},
			{"no-await", "Tasks nobody awaits", tasksNoAwait},
		},
	})
}

// snippet: countdown-def
func countdown(taskName string, seconds int) *asyncio.Coro[struct{}] {
	return asyncio.AsyncErr(func(a *asyncio.A) error {
		for i := seconds; i > 0; i-- {
			fmt.Println(taskName, i)
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return err
			}
		}
		fmt.Println("done!")
		return nil
	})
}

// end snippet

func countdownExample(opts Options) error {
	// snippet: countdown
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		_, err := asyncio.Await(a, countdown("simple count", 4))
		return err
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

func tasks(opts Options) error {
	// snippet: tasks
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		// Scheduling and starting tasks
		taskA := asyncio.CreateTask(a, countdown("task A", 3))
		taskB := asyncio.CreateTask(a, countdown("task B", 2))

		// Doing something else while they run
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		fmt.Println("Everything, everywhere, all at once")

		// Awaiting for tasks to complete before ending main
		if _, err := asyncio.Await(a, taskA); err != nil {
			return err
		}
		_, err := asyncio.Await(a, taskB)
		return err
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

func tasksTimeline(opts Options) error {
	// snippet: timeline
	countdownAt := func(start time.Time, taskName string, seconds int) *asyncio.Coro[struct{}] {
		return asyncio.AsyncErr(func(a *asyncio.A) error {
			for i := seconds; i > 0; i-- {
				fmt.Println(since(a, start), taskName, i)
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return err
				}
			}
			fmt.Println(since(a, start), taskName, "done!")
			return nil
		})
	}
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		start := asyncio.GetRunningLoop(a).Time()
		taskA := asyncio.CreateTask(a, countdownAt(start, "task A", 3))
		taskB := asyncio.CreateTask(a, countdownAt(start, "task B", 2))
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		fmt.Println(since(a, start), "Everything, everywhere, all at once")
		if _, err := asyncio.Await(a, taskA); err != nil {
			return err
		}
		fmt.Println(since(a, start), "main: task A is done")
		if _, err := asyncio.Await(a, taskB); err != nil {
			return err
		}
		fmt.Println(since(a, start), "main: task B is done")
		return nil
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

func tasksNoAwait(opts Options) error {
	// snippet: no-await
	type taskPair struct{ a, b *asyncio.Task[struct{}] }
	main := asyncio.Async(func(a *asyncio.A) (taskPair, error) {
		taskA := asyncio.CreateTask(a, countdown("task A", 3))
		taskB := asyncio.CreateTask(a, countdown("task B", 2))
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return taskPair{}, err
		}
		fmt.Println("Everything, everywhere, all at once")
		return taskPair{taskA, taskB}, nil
	})
	tasks, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	if err != nil {
		return err
	}
	fmt.Println("task A cancelled:", tasks.a.Cancelled())
	fmt.Println("task B cancelled:", tasks.b.Cancelled())
	// end snippet
	return nil
}
