//go:build unix

package asyncio_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// Python's example of create_subprocess_exec: run a command, read what it
// prints, wait for it.
//
//	async def run(cmd):
//	    proc = await asyncio.create_subprocess_exec(
//	        *cmd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
//	    stdout, stderr = await proc.communicate()
//	    print(f"{cmd!r} exited with {proc.returncode}")
//	    if stdout:
//	        print(f"[stdout]\n{stdout.decode()}")
func ExampleCreateSubprocessExec() {
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		p, err := asyncio.CreateSubprocessExec(a, "echo", []string{"hello", "world"},
			asyncio.WithStdout(asyncio.Pipe), asyncio.WithStderr(asyncio.Pipe))
		if err != nil {
			return struct{}{}, err
		}
		stdout, _, err := p.Communicate(a, nil)
		if err != nil {
			return struct{}{}, err
		}
		code, _ := p.Returncode()
		fmt.Printf("echo exited with %d\n[stdout]\n%s", code, stdout)
		return struct{}{}, nil
	}))
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// echo exited with 0
	// [stdout]
	// hello world
}

// Cancelling a task that waits for a child does not kill the child, in Go
// as in Python. A task that wants it dead kills it, and waits for it, when
// it is cancelled:
//
//	try:
//	    await proc.wait()
//	except asyncio.CancelledError:
//	    proc.kill()
//	    await proc.wait()
//	    raise
func ExampleProcess_Kill() {
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		p, err := asyncio.CreateSubprocessExec(a, "sleep", []string{"60"})
		if err != nil {
			return struct{}{}, err
		}
		waiter := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			code, err := p.Wait(a)
			if errors.Is(err, asyncio.ErrCanceled) {
				p.Kill()
				// The cancellation has been delivered: this wait is not
				// cancelled.
				code, _ := p.Wait(a)
				fmt.Println("waiter: cancelled; the child was killed, returncode", code)
			}
			return code, err
		}))
		if err := asyncio.Sleep(a, 0); err != nil {
			return struct{}{}, err
		}
		waiter.Cancel("")
		_, err = waiter.Await(a)
		fmt.Println("main: the waiter ended with", err)
		return struct{}{}, nil
	}))
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// waiter: cancelled; the child was killed, returncode -9
	// main: the waiter ended with canceled
}
