package asyncio_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// TestRunContextCancelledAsMainEnds cancels Run's context in main's last
// step: the cancellation reaches the loop after main has ended, while the
// shutdown waits for a task whose cleanup sleeps. That cancellation has
// nowhere to go, and the loop must not wait for it again: the cleanup's
// timer fires and Run returns, instead of hanging at the next idle moment.
func TestRunContextCancelledAsMainEnds(t *testing.T) {
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		_, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (int, error) {
			asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				if err := asyncio.Sleep(a, time.Hour); err != nil {
					return 0, asyncio.Sleep(a, time.Second) // a cleanup that takes time
				}
				return 0, nil
			}))
			if err := asyncio.Sleep(a, 0); err != nil {
				return 0, err
			}
			cancel()
			return 1, nil
		}), asyncio.WithVirtualTime(), asyncio.WithDiagnostics(io.Discard))
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run still waits for a cancellation that has arrived")
	}
}
