package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// TestRunStopsWorkersNobodyWaitsFor starts workers that wait for their
// context and that no task waits for when Run shuts down: one whose future
// was never awaited, and one shielded from the cancellation of the task
// that awaited it. Run waits for its workers, so it must tell them to stop,
// or it never returns.
func TestRunStopsWorkersNobodyWaitsFor(t *testing.T) {
	tests := []struct {
		name  string
		start func(a *asyncio.A, worker func(context.Context) (int, error)) error
	}{
		{"future never awaited", func(a *asyncio.A, worker func(context.Context) (int, error)) error {
			asyncio.RunInExecutor(asyncio.GetRunningLoop(a), worker)
			return nil
		}},
		{"shielded from its task's cancellation", func(a *asyncio.A, worker func(context.Context) (int, error)) error {
			asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				return asyncio.Shield(a, asyncio.RunInExecutor(asyncio.GetRunningLoop(a), worker))
			}))
			return asyncio.Sleep(a, 0)
		}},
	}
	for _, tt := range tests {
		for _, virtual := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/virtual=%v", tt.name, virtual), func(t *testing.T) {
				stopped := make(chan error, 10)
				worker := func(ctx context.Context) (int, error) {
					<-ctx.Done()
					stopped <- ctx.Err()
					return 0, ctx.Err()
				}
				done := make(chan error, 1)
				go func() {
					opts := []asyncio.Option{asyncio.WithDiagnostics(io.Discard)}
					if virtual {
						opts = append(opts, asyncio.WithVirtualTime())
					}
					_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
						return 0, tt.start(a, worker)
					}), opts...)
					done <- err
				}()
				select {
				case <-done:
				case <-time.After(5 * time.Second):
					t.Fatal("Run still waits for a worker that waits for its context")
				}
				if err := <-stopped; !errors.Is(err, context.Canceled) {
					t.Errorf("the worker's context ended with %v, want context.Canceled", err)
				}
			})
		}
	}
}
