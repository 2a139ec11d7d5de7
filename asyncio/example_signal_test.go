//go:build unix

package asyncio_test

import (
	"context"
	"fmt"
	"os"
	"syscall"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// A signal handler runs on the loop, as a callback: here it sets an Event
// that main waits for. The program sends the signal to itself, as `kill
// -USR1 PID` would.
func ExampleLoop_AddSignalHandler() {
	main := asyncio.Async(func(a *asyncio.A) (string, error) {
		loop := asyncio.GetRunningLoop(a)
		var reload asyncio.Event
		if err := loop.AddSignalHandler(syscall.SIGUSR1, reload.Set); err != nil {
			return "", err
		}
		defer loop.RemoveSignalHandler(syscall.SIGUSR1)
		if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
			return "", err
		}
		if err := reload.Wait(a); err != nil {
			return "", err
		}
		return "reloading the configuration", nil
	})
	fmt.Println(asyncio.Run(context.Background(), main, asyncio.WithVirtualTime()))
	// Output:
	// reloading the configuration <nil>
}
