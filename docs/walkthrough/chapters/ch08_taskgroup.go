package chapters

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

func init() {
	Register(Chapter{
		Number: 8,
		Name:   "taskgroup",
		Title:  "Task groups",
		Examples: []Example{
			{"taskgroup", "slow(3), slow(1), slow(2) in a task group", taskGroup},
			{"errors", "Grouped errors, split as except* does", taskGroupErrors},
			{"cancel-siblings", "A failure cancels the rest of the group", cancelSiblings},
			{"gather-error", "Gather, by contrast, leaves the rest running", gatherError},
		},
	})
}

func taskGroup(opts Options) error {
	// snippet: taskgroup
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		var res1, res2, res3 *asyncio.Task[int]
		err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			res1 = asyncio.CreateTask(tg, slow(3))
			res2 = asyncio.CreateTask(tg, slow(1))
			res3 = asyncio.CreateTask(tg, slow(2))
			return nil
		})
		if err != nil {
			return err
		}

		r1, _ := res1.Result()
		r2, _ := res2.Result()
		r3, _ := res3.Result()
		fmt.Println(r1, r2, r3)
		return nil
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

// snippet: busted

// A runtimeError stands for Python's RuntimeError.
type runtimeError struct{ msg string }

func (e *runtimeError) Error() string { return e.msg }

func isRuntimeError(err error) bool {
	var re *runtimeError
	return errors.As(err, &re)
}

func busted(s string) *asyncio.Coro[struct{}] {
	return asyncio.AsyncErr(func(a *asyncio.A) error {
		return &runtimeError{s}
	})
}

// end snippet

func taskGroupErrors(opts Options) error {
	// snippet: errors
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			asyncio.CreateTask(tg, busted("First error"))
			asyncio.CreateTask(tg, busted("Second error"))
			return nil
		})
		// except* RuntimeError as error_group:
		var group *asyncio.ExceptionGroup
		if !errors.As(err, &group) {
			return err
		}
		errorGroup, rest := group.Split(isRuntimeError)
		if errorGroup != nil {
			fmt.Println(errorGroup.Exceptions)
		}
		if rest != nil {
			return rest // what except* does not match goes on up
		}
		return nil
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

// snippet: fail-after
func failAfter(t int, s string) *asyncio.Coro[int] {
	return asyncio.Async(func(a *asyncio.A) (int, error) {
		if err := asyncio.Sleep(a, time.Duration(t)*time.Second); err != nil {
			return 0, err
		}
		return 0, &runtimeError{s}
	})
}

// end snippet

func cancelSiblings(opts Options) error {
	// snippet: cancel-siblings
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		start := asyncio.GetRunningLoop(a).Time()
		var slow3 *asyncio.Task[int]
		err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			slow3 = asyncio.CreateTask(tg, slow(3))
			asyncio.CreateTask(tg, failAfter(1, "boom"))
			return nil
		})
		fmt.Println(err)
		fmt.Println("after", since(a, start))
		fmt.Println("slow(3) cancelled:", slow3.Cancelled())
		return nil
	})
	// end snippet
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	return err
}

func gatherError(opts Options) error {
	// snippet: gather-error
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		start := asyncio.GetRunningLoop(a).Time()
		_, err := asyncio.Gather(a, slow(3), failAfter(1, "boom"))
		fmt.Println("Gather returned", err, "after", since(a, start))
		return asyncio.Sleep(a, 3*time.Second)
	})
	// end snippet
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	return err
}
