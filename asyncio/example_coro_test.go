package asyncio_test

import (
	"fmt"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// A program awaits a coroutine, or hands it to one task, and may ask its
// state; a coroutine it will not run it closes. Resuming it is the task's
// business: a Coro has no Send.
func ExampleCoro() {
	run(func(a *asyncio.A) (struct{}, error) {
		c := slow(1)
		fmt.Println(c.State())
		task := asyncio.CreateTask(a, c) // the task owns c from here on
		_, err := c.Await(a)             // a typo for task.Await(a)
		fmt.Println(err)
		v, err := task.Await(a)
		fmt.Println(v, err, c.State())

		unused := slow(2)
		fmt.Println(unused.Close(), unused.State())
		return struct{}{}, nil
	})
	// Output:
	// GEN_CREATED
	// coroutine is being awaited already
	// About to sleep for 1 seconds
	// Slept for 1 seconds
	// 1 <nil> GEN_CLOSED
	// <nil> GEN_CLOSED
}
