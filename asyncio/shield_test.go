package asyncio_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/coro"
)

func TestShieldProtectsFromAwaiterCancellation(t *testing.T) {
	tests := []struct {
		name  string
		inner func(a *asyncio.A, log *evLog) coro.Awaitable[string]
		want  evLog
	}{
		{
			name: "task",
			inner: func(a *asyncio.A, log *evLog) coro.Awaitable[string] {
				return asyncio.CreateTask(a, sleepLogged(log, "inner", 2*time.Second))
			},
			want: evLog{"awaiter: canceled", "inner done", "inner deferred"},
		},
		{
			name: "coroutine",
			inner: func(a *asyncio.A, log *evLog) coro.Awaitable[string] {
				return sleepLogged(log, "inner", 2*time.Second)
			},
			want: evLog{"awaiter: canceled", "inner done", "inner deferred"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log evLog
			err := vrun0(func(a *asyncio.A) error {
				inner := tt.inner(a, &log)
				awaiter := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (string, error) {
					return asyncio.Shield(a, inner)
				}))
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return err
				}
				awaiter.Cancel()
				_, err := awaiter.Await(a)
				log.add("awaiter: %v", err)
				if !awaiter.Cancelled() {
					return fmt.Errorf("awaiter = %v, want cancelled", awaiter)
				}
				return asyncio.Sleep(a, 2*time.Second)
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(log, tt.want) {
				t.Errorf("log = %v, want %v", log, tt.want)
			}
		})
	}
}

func TestShieldInnerCancelledPropagates(t *testing.T) {
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		inner := asyncio.CreateTask(a, sleepLogged(&log, "inner", 5*time.Second))
		awaiter := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (string, error) {
			v, err := asyncio.Shield(a, inner)
			if errors.Is(err, asyncio.ErrCanceled) {
				log.add("awaiter saw cancel")
			}
			return v, err
		}))
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		inner.Cancel()
		if _, err := awaiter.Await(a); !errors.Is(err, asyncio.ErrCanceled) || !awaiter.Cancelled() {
			return fmt.Errorf("await awaiter = %v (Cancelled %v), want ErrCanceled (true)", err, awaiter.Cancelled())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (evLog{"inner: canceled", "inner deferred", "awaiter saw cancel"}); !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}

func TestShieldResult(t *testing.T) {
	errK := errors.New("k")
	tests := []struct {
		name    string
		inner   func(a *asyncio.A) coro.Awaitable[string]
		want    string
		wantErr error
	}{
		{"coroutine", func(a *asyncio.A) coro.Awaitable[string] { return after(time.Second, "v") }, "v", nil},
		{"error", func(a *asyncio.A) coro.Awaitable[string] { return failAfter[string](time.Second, errK) }, "", errK},
		{"done task", func(a *asyncio.A) coro.Awaitable[string] {
			task := asyncio.CreateTask(a, after(0, "quick"))
			_ = asyncio.Sleep(a, 100*time.Millisecond)
			return task
		}, "quick", nil},
		{"future", func(a *asyncio.A) coro.Awaitable[string] {
			l := asyncio.GetRunningLoop(a)
			f := asyncio.NewFuture[string](l)
			l.CallLater(time.Second, func() { f.SetResult("fut") })
			return f
		}, "fut", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := vrun(func(a *asyncio.A) (string, error) {
				return asyncio.Shield(a, tt.inner(a))
			})
			if got != tt.want || err != tt.wantErr {
				t.Errorf("Shield = %q, %v; want %q, %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestShieldUnderWaitFor(t *testing.T) {
	// Python: wait_for(shield(task), 1) times out, the task survives and
	// can still be awaited for its result.
	var log evLog
	got, err := vrun(func(a *asyncio.A) (string, error) {
		inner := asyncio.CreateTask(a, sleepLogged(&log, "survivor", 2*time.Second))
		_, err := asyncio.WaitFor(a, asyncio.Async(func(a *asyncio.A) (string, error) {
			return asyncio.Shield(a, inner)
		}), time.Second)
		log.add("timeout %v, inner done %v", isTimeout(err), inner.Done())
		return inner.Await(a)
	})
	if got != "survivor" || err != nil {
		t.Errorf("await inner = %q, %v; want survivor, nil", got, err)
	}
	want := evLog{"timeout true, inner done false", "survivor done", "survivor deferred"}
	if !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}

// TestShieldFuture checks Python's asyncio.shield(aw) as a future: its
// cancellation (by WaitFor's timeout here) leaves aw running, and no longer
// listens to aw; a shield of a done awaitable is done at once.
func TestShieldFuture(t *testing.T) {
	err := vrun0(func(a *asyncio.A) error {
		inner := asyncio.CreateTask(a, after(2*time.Second, 7))
		outer := asyncio.ShieldFuture(a, inner)
		_, err := asyncio.WaitFor(a, outer, time.Second)
		if !errors.Is(err, asyncio.ErrTimeout) || !outer.Cancelled() || inner.Done() {
			t.Errorf("WaitFor(ShieldFuture(inner), 1s) = %v, outer cancelled %v, inner done %v; want a timeout, true, false", err, outer.Cancelled(), inner.Done())
		}
		if v, err := inner.Await(a); v != 7 || err != nil {
			t.Errorf("inner = %v, %v; want 7, nil", v, err)
		}
		done := asyncio.ShieldFuture(a, inner)
		if v, err := done.Result(); !done.Done() || v != 7 || err != nil {
			t.Errorf("ShieldFuture(done task) = %v, %v, done %v; want 7, nil, done", v, err, done.Done())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
