package asyncio_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// TestScopeEndsOnPanic panics in the body of each function that runs a
// body in a scope (Python's async with), recovers the panic in the same
// task, and checks that the scope was ended as Python's __aexit__ ends it
// on any exception: a Timeout's timer no longer cancels the task, a
// TaskGroup's tasks have been cancelled and waited for, a generator under
// Aclosing has been closed; and the task's cancellation count is back to
// what it was.
func TestScopeEndsOnPanic(t *testing.T) {
	tests := []struct {
		name string
		// scope runs a scope whose body panics (after the scope has
		// cancelled it, if expire), having set *check to a check of what
		// must hold once the panic is recovered.
		scope func(a *asyncio.A, expire bool, check *func() error)
	}{
		{"Timeout", func(a *asyncio.A, expire bool, check *func() error) {
			_ = asyncio.Timeout(a, 10*time.Millisecond, func(*asyncio.TimeoutScope) error {
				if expire {
					_ = asyncio.Sleep(a, time.Hour)
				}
				panic("body")
			})
		}},
		{"WithTaskGroup", func(a *asyncio.A, expire bool, check *func() error) {
			ended := 0
			*check = func() error {
				if ended != 2 {
					return fmt.Errorf("%d of the group's 2 tasks ended, want 2", ended)
				}
				return nil
			}
			_ = asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
				for range 2 {
					asyncio.CreateTask(tg, asyncio.Async(func(a *asyncio.A) (int, error) {
						defer func() { ended++ }()
						return 0, asyncio.Sleep(a, time.Hour)
					}))
				}
				if err := asyncio.Sleep(a, 0); err != nil {
					return err
				}
				if expire {
					tg.Cancel()
					_ = asyncio.Sleep(a, time.Hour)
				}
				panic("body")
			})
		}},
		{"Aclosing", func(a *asyncio.A, expire bool, check *func() error) {
			closed := false
			*check = func() error {
				if !closed {
					return errors.New("the generator was not closed")
				}
				return nil
			}
			ag := asyncio.NewAsyncGenerator(func(a *asyncio.A, yield func(int) (int, error)) error {
				defer func() { closed = true }()
				for i := 0; ; i++ {
					if _, err := yield(i); err != nil {
						return err
					}
				}
			})
			_ = asyncio.Aclosing(a, ag, func() error {
				if _, err := ag.ANext(a); err != nil {
					return err
				}
				panic("body")
			})
		}},
	}
	for _, tt := range tests {
		for _, expire := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/expire=%v", tt.name, expire), func(t *testing.T) {
				err := vrun0(func(a *asyncio.A) error {
					task := asyncio.CurrentTask(a)
					var check func() error
					p := func() (p any) {
						defer func() { p = recover() }()
						tt.scope(a, expire, &check)
						return nil
					}()
					if p != "body" {
						return fmt.Errorf("recovered %v, want the body's panic", p)
					}
					if n := task.Cancelling(); n != 0 {
						return fmt.Errorf("after the panic: Cancelling() = %d, want 0", n)
					}
					if check != nil {
						if err := check(); err != nil {
							return err
						}
					}
					if err := asyncio.Sleep(a, time.Second); err != nil {
						return fmt.Errorf("Sleep after the panic: %w", err)
					}
					return nil
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
	}
}
