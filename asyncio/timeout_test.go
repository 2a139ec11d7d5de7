package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/coro"
)

// isTimeout reports whether err is a timeout as Go code and Python code
// would both see it: ErrTimeout, context.DeadlineExceeded, and not a
// cancellation (Python's TimeoutError is no CancelledError).
func isTimeout(err error) bool {
	return errors.Is(err, asyncio.ErrTimeout) && errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, asyncio.ErrCanceled)
}

func TestTimeoutExpires(t *testing.T) {
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		now := clockOf(a)
		var scope *asyncio.TimeoutScope
		err := asyncio.Timeout(a, 2*time.Second, func(s *asyncio.TimeoutScope) error {
			scope = s
			_, err := asyncio.Await(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				defer log.add("work deferred")
				return 0, asyncio.Sleep(a, 10*time.Second)
			}))
			log.add("body: %v", err)
			return err
		})
		log.add("expired %v at %v", scope.Expired(), now())
		if !isTimeout(err) {
			return fmt.Errorf("Timeout = %v, want a timeout (ErrTimeout, DeadlineExceeded, not ErrCanceled)", err)
		}
		if n := asyncio.CurrentTask(a).Cancelling(); n != 0 {
			return fmt.Errorf("Cancelling() after the timeout = %d, want 0", n)
		}
		// The task goes on normally after the timeout.
		return asyncio.Sleep(a, time.Second)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := evLog{"work deferred", "body: canceled", "expired true at 2s"}
	if !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}

func TestTimeoutNotExpired(t *testing.T) {
	errBody := errors.New("body")
	tests := []struct {
		name string
		body error
	}{
		{"nil", nil},
		{"error", errBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := vrun0(func(a *asyncio.A) error {
				var scope *asyncio.TimeoutScope
				err := asyncio.Timeout(a, 5*time.Second, func(s *asyncio.TimeoutScope) error {
					scope = s
					if err := asyncio.Sleep(a, time.Second); err != nil {
						return err
					}
					return tt.body
				})
				if err != tt.body || scope.Expired() {
					return fmt.Errorf("Timeout = %v (Expired %v), want %v (false)", err, scope.Expired(), tt.body)
				}
				// The timer is gone: sleeping past the old deadline is fine.
				return asyncio.Sleep(a, 10*time.Second)
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
}

func TestTimeoutReschedule(t *testing.T) {
	// Python: timeout(2), reschedule to now+4 / now+1 / None, sleep(3).
	tests := []struct {
		name        string
		reschedule  time.Duration // 0: no deadline
		wantTimeout bool
		wantAt      time.Duration
	}{
		{"extend", 4 * time.Second, false, 3 * time.Second},
		{"shorten", time.Second, true, time.Second},
		{"remove", 0, false, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var at time.Duration
			err := vrun0(func(a *asyncio.A) error {
				now := clockOf(a)
				l := asyncio.GetRunningLoop(a)
				err := asyncio.Timeout(a, 2*time.Second, func(s *asyncio.TimeoutScope) error {
					var when time.Time
					if tt.reschedule > 0 {
						when = l.Time().Add(tt.reschedule)
					}
					s.Reschedule(when)
					if got := s.When(); !got.Equal(when) {
						return fmt.Errorf("When() = %v, want %v", got, when)
					}
					return asyncio.Sleep(a, 3*time.Second)
				})
				at = now()
				return err
			})
			if isTimeout(err) != tt.wantTimeout || (!tt.wantTimeout && err != nil) {
				t.Errorf("Timeout = %v, want timeout %v", err, tt.wantTimeout)
			}
			if at != tt.wantAt {
				t.Errorf("Timeout returned at %v, want %v", at, tt.wantAt)
			}
		})
	}
}

func TestTimeoutAtZeroIsNone(t *testing.T) {
	// Python: timeout_at(None) never expires until rescheduled.
	var at time.Duration
	err := vrun0(func(a *asyncio.A) error {
		now := clockOf(a)
		l := asyncio.GetRunningLoop(a)
		err := asyncio.TimeoutAt(a, time.Time{}, func(s *asyncio.TimeoutScope) error {
			if !s.When().IsZero() {
				return fmt.Errorf("When() = %v, want the zero time", s.When())
			}
			if err := asyncio.Sleep(a, time.Hour); err != nil {
				return err
			}
			s.Reschedule(l.Time().Add(time.Second))
			return asyncio.Sleep(a, 5*time.Second)
		})
		at = now()
		return err
	})
	if !isTimeout(err) || at != time.Hour+time.Second {
		t.Errorf("TimeoutAt(zero) then Reschedule = %v at %v, want a timeout at 1h0m1s", err, at)
	}
}

func TestTimeoutAtPast(t *testing.T) {
	err := vrun0(func(a *asyncio.A) error {
		l := asyncio.GetRunningLoop(a)
		return asyncio.TimeoutAt(a, l.Time().Add(-5*time.Second), func(*asyncio.TimeoutScope) error {
			return asyncio.Sleep(a, time.Second)
		})
	})
	if !isTimeout(err) {
		t.Errorf("TimeoutAt(past) = %v, want a timeout", err)
	}
}

func TestTimeoutZero(t *testing.T) {
	// Python: timeout(0) schedules its expiry with call_soon, so the very
	// first await of the body is cancelled, even a sleep(0); a body that
	// never awaits is not.
	var log evLog
	err := vrun0(func(a *asyncio.A) error {
		err := asyncio.Timeout(a, 0, func(*asyncio.TimeoutScope) error {
			if err := asyncio.Sleep(a, 0); err != nil {
				return err
			}
			log.add("after sleep(0)")
			return asyncio.Sleep(a, time.Second)
		})
		if !isTimeout(err) {
			return fmt.Errorf("Timeout(0) = %v, want a timeout", err)
		}
		err = asyncio.Timeout(a, 0, func(*asyncio.TimeoutScope) error { return nil })
		if err != nil {
			return fmt.Errorf("Timeout(0) with no await = %v, want nil", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 0 {
		t.Errorf("log = %v, want nothing: the first await is cancelled", log)
	}
}

func TestTimeoutNested(t *testing.T) {
	t.Run("inner expires", func(t *testing.T) {
		var log evLog
		err := vrun0(func(a *asyncio.A) error {
			now := clockOf(a)
			return asyncio.Timeout(a, 10*time.Second, func(outer *asyncio.TimeoutScope) error {
				err := asyncio.Timeout(a, time.Second, func(*asyncio.TimeoutScope) error {
					return asyncio.Sleep(a, 5*time.Second)
				})
				log.add("inner timeout %v at %v, outer expired %v", isTimeout(err), now(), outer.Expired())
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return err
				}
				log.add("outer fine at %v", now())
				return nil
			})
		})
		if err != nil {
			t.Fatalf("outer Timeout = %v, want nil", err)
		}
		want := evLog{"inner timeout true at 1s, outer expired false", "outer fine at 2s"}
		if !slices.Equal(log, want) {
			t.Errorf("log = %v, want %v", log, want)
		}
	})
	t.Run("outer expires", func(t *testing.T) {
		// Python: the inner scope sees a plain cancellation and passes it
		// on; only the outer one turns it into a timeout.
		var log evLog
		err := vrun0(func(a *asyncio.A) error {
			now := clockOf(a)
			var inner *asyncio.TimeoutScope
			err := asyncio.Timeout(a, time.Second, func(*asyncio.TimeoutScope) error {
				err := asyncio.Timeout(a, 10*time.Second, func(s *asyncio.TimeoutScope) error {
					inner = s
					return asyncio.Sleep(a, 5*time.Second)
				})
				if isTimeout(err) {
					log.add("inner saw timeout")
				} else if errors.Is(err, asyncio.ErrCanceled) {
					log.add("inner saw cancel")
				}
				return err
			})
			if !isTimeout(err) {
				return fmt.Errorf("outer Timeout = %v, want a timeout", err)
			}
			log.add("outer timeout at %v, inner expired %v", now(), inner.Expired())
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := evLog{"inner saw cancel", "outer timeout at 1s, inner expired false"}
		if !slices.Equal(log, want) {
			t.Errorf("log = %v, want %v", log, want)
		}
	})
}

func TestTimeoutOutsideCancellation(t *testing.T) {
	// Python: a cancellation from outside during the timeout stays a
	// cancellation.
	err := vrun0(func(a *asyncio.A) error {
		victim := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			return 0, asyncio.Timeout(a, 10*time.Second, func(*asyncio.TimeoutScope) error {
				return asyncio.Sleep(a, 5*time.Second)
			})
		}))
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		victim.Cancel("outside")
		_, err := victim.Await(a)
		if !canceledWith(err, "outside") || errors.Is(err, asyncio.ErrTimeout) || !victim.Cancelled() {
			return fmt.Errorf("await victim = %v (Cancelled %v), want *CanceledError \"outside\" (true)", err, victim.Cancelled())
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestTimeoutBodySwallowsCancellation(t *testing.T) {
	// Python: a body that catches the CancelledError ends the scope without
	// an error; the scope still reports it expired, and can no longer be
	// rescheduled.
	var scope *asyncio.TimeoutScope
	err := vrun0(func(a *asyncio.A) error {
		return asyncio.Timeout(a, time.Second, func(s *asyncio.TimeoutScope) error {
			scope = s
			_ = asyncio.Sleep(a, 5*time.Second)
			return nil
		})
	})
	if err != nil || !scope.Expired() {
		t.Fatalf("Timeout = %v (Expired %v), want nil (true)", err, scope.Expired())
	}
	defer func() {
		p := recover()
		if s, ok := p.(string); !ok || !strings.HasPrefix(s, "asyncio.TimeoutScope.Reschedule:") {
			t.Errorf("Reschedule after expiry panicked with %v, want an asyncio.TimeoutScope.Reschedule message", p)
		}
	}()
	scope.Reschedule(time.Time{})
}

func TestWaitFor(t *testing.T) {
	errK := errors.New("k")
	tests := []struct {
		name    string
		d       time.Duration
		aw      func(a *asyncio.A, log *evLog) coro.Awaitable[string]
		want    string
		wantErr error // ErrTimeout: a timeout
		wantAt  time.Duration
		wantLog evLog
	}{
		{
			name:    "coroutine in time",
			d:       2 * time.Second,
			aw:      func(a *asyncio.A, log *evLog) coro.Awaitable[string] { return sleepLogged(log, "a", time.Second) },
			want:    "a",
			wantAt:  time.Second,
			wantLog: evLog{"a done", "a deferred"},
		},
		{
			name:    "coroutine too slow",
			d:       2 * time.Second,
			aw:      func(a *asyncio.A, log *evLog) coro.Awaitable[string] { return sleepLogged(log, "b", 5*time.Second) },
			wantErr: asyncio.ErrTimeout,
			wantAt:  2 * time.Second,
			wantLog: evLog{"b: canceled", "b deferred"},
		},
		{
			name: "task too slow is cancelled",
			d:    time.Second,
			aw: func(a *asyncio.A, log *evLog) coro.Awaitable[string] {
				return asyncio.CreateTask(a, sleepLogged(log, "c", 5*time.Second))
			},
			wantErr: asyncio.ErrTimeout,
			wantAt:  time.Second,
			wantLog: evLog{"c: canceled", "c deferred"},
		},
		{
			name: "future too slow is cancelled",
			d:    time.Second,
			aw: func(a *asyncio.A, log *evLog) coro.Awaitable[string] {
				f := asyncio.NewFuture[string](asyncio.GetRunningLoop(a))
				f.AddDoneCallback(func(f *asyncio.Future[string]) { log.add("future cancelled %v", f.Cancelled()) })
				return f
			},
			wantErr: asyncio.ErrTimeout,
			wantAt:  time.Second,
			wantLog: evLog{"future cancelled true"},
		},
		{
			name:    "error inside",
			d:       5 * time.Second,
			aw:      func(a *asyncio.A, log *evLog) coro.Awaitable[string] { return failAfter[string](time.Second, errK) },
			wantErr: errK,
			wantAt:  time.Second,
		},
		{
			name: "zero on a coroutine never starts it",
			d:    0,
			aw: func(a *asyncio.A, log *evLog) coro.Awaitable[string] {
				return asyncio.Async(func(a *asyncio.A) (string, error) { log.add("started"); return "x", nil })
			},
			wantErr: asyncio.ErrTimeout,
		},
		{
			name: "zero on a done task",
			d:    0,
			aw: func(a *asyncio.A, log *evLog) coro.Awaitable[string] {
				task := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (string, error) { return "done", nil }))
				_ = asyncio.Sleep(a, 0)
				return task
			},
			want: "done",
		},
		{
			name: "negative on a running task cancels it",
			d:    -time.Second,
			aw: func(a *asyncio.A, log *evLog) coro.Awaitable[string] {
				task := asyncio.CreateTask(a, sleepLogged(log, "d", 5*time.Second))
				_ = asyncio.Sleep(a, 0)
				return task
			},
			wantErr: asyncio.ErrTimeout,
			wantLog: evLog{"d: canceled", "d deferred"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log evLog
			var at time.Duration
			got, err := vrun(func(a *asyncio.A) (string, error) {
				aw := tt.aw(a, &log)
				now := clockOf(a)
				v, err := asyncio.WaitFor(a, aw, tt.d)
				at = now()
				if n := asyncio.CurrentTask(a).Cancelling(); n != 0 {
					return "", fmt.Errorf("Cancelling() after WaitFor = %d, want 0", n)
				}
				return v, err
			})
			switch {
			case tt.wantErr == asyncio.ErrTimeout:
				if !isTimeout(err) {
					t.Errorf("WaitFor = %q, %v; want a timeout", got, err)
				}
			case err != tt.wantErr || got != tt.want:
				t.Errorf("WaitFor = %q, %v; want %q, %v", got, err, tt.want, tt.wantErr)
			}
			if at != tt.wantAt {
				t.Errorf("WaitFor returned at %v, want %v", at, tt.wantAt)
			}
			if !slices.Equal(log, tt.wantLog) {
				t.Errorf("log = %v, want %v", log, tt.wantLog)
			}
		})
	}
}

func TestWaitForCancelledFromOutside(t *testing.T) {
	err := vrun0(func(a *asyncio.A) error {
		var inner *asyncio.Task[int]
		waiter := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			inner = asyncio.CreateTask(a, after(10*time.Second, 1))
			return asyncio.WaitFor(a, inner, 5*time.Second)
		}))
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		waiter.Cancel()
		_, err := waiter.Await(a)
		if !errors.Is(err, asyncio.ErrCanceled) || errors.Is(err, asyncio.ErrTimeout) || !inner.Cancelled() {
			return fmt.Errorf("await waiter = %v, inner cancelled %v; want a cancellation, true", err, inner.Cancelled())
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestTimeoutAfterHandledCancellation(t *testing.T) {
	// Python 3.13's test_timeout_after_cancellation,
	// test_cancel_in_timeout_after_cancellation and
	// test_nested_timeout_in_finally: a Timeout tells its own expiry from
	// other cancellations by the count of requests it found on entry, so a
	// request still standing from earlier changes nothing.
	tests := []struct {
		name string
		body func(a *asyncio.A) error
		want func(error) bool
	}{
		{"expiry after a handled cancellation", func(a *asyncio.A) error {
			asyncio.CurrentTask(a).Cancel()
			_ = asyncio.Sleep(a, time.Second)
			return asyncio.Timeout(a, 0, func(*asyncio.TimeoutScope) error {
				return asyncio.Sleep(a, time.Second)
			})
		}, isTimeout},
		{"a cancel inside, after a handled cancellation", func(a *asyncio.A) error {
			asyncio.CurrentTask(a).Cancel()
			_ = asyncio.Sleep(a, time.Second)
			return asyncio.Timeout(a, time.Second, func(*asyncio.TimeoutScope) error {
				asyncio.CurrentTask(a).Cancel()
				return asyncio.Sleep(a, 2*time.Second)
			})
		}, func(err error) bool {
			return errors.Is(err, asyncio.ErrCanceled) && !errors.Is(err, asyncio.ErrTimeout)
		}},
		{"a timeout in the cleanup of an expired one", func(a *asyncio.A) error {
			var inner error
			outer := asyncio.Timeout(a, 10*time.Millisecond, func(*asyncio.TimeoutScope) error {
				err := asyncio.Sleep(a, time.Second)
				inner = asyncio.Timeout(a, 10*time.Millisecond, func(*asyncio.TimeoutScope) error {
					return asyncio.Sleep(a, 10*time.Second)
				})
				return err
			})
			if !isTimeout(inner) {
				return fmt.Errorf("inner Timeout = %v, want ErrTimeout", inner)
			}
			return outer
		}, isTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := vrun0(tt.body); !tt.want(err) {
				t.Errorf("Timeout = %v", err)
			}
		})
	}
}
