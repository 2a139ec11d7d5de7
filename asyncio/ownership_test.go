package asyncio_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/coro"
)

// A coroutine has one owner, taken at CreateTask: a second task of it fails
// without resuming it, so the first task's Sleep is not cut short.
func TestCreateTaskTwiceOneDriver(t *testing.T) {
	err := vrun0(func(a *asyncio.A) error {
		c := after(time.Hour, 1)
		first := asyncio.CreateTask(a, c)
		second := asyncio.CreateTask(a, c)
		if v, err := second.Await(a); !errors.Is(err, coro.ErrAwaitedAlready) {
			return fmt.Errorf("second task of one coroutine = %v, %v; want coro.ErrAwaitedAlready", v, err)
		}
		if err := asyncio.Sleep(a, time.Minute); err != nil {
			return err
		}
		if first.Done() {
			v, err := first.Result()
			return fmt.Errorf("first task done after a minute of its hour's sleep: %v, %v", v, err)
		}
		if v, err := first.Await(a); v != 1 || err != nil {
			return fmt.Errorf("first task = %v, %v; want 1, nil", v, err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// The lock: two tasks of one coroutine must not both hold it.
func TestCreateTaskTwiceLockHeldOnce(t *testing.T) {
	var lock asyncio.Lock
	holders := 0
	err := vrun0(func(a *asyncio.A) error {
		c := asyncio.Async(func(a *asyncio.A) (int, error) {
			if err := lock.Acquire(a); err != nil {
				return 0, err
			}
			holders++
			defer func() { holders--; lock.Release() }()
			if holders > 1 {
				return 0, fmt.Errorf("%d holders of one lock", holders)
			}
			return 0, asyncio.Sleep(a, time.Second)
		})
		blocker := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			if err := lock.Acquire(a); err != nil {
				return 0, err
			}
			defer lock.Release()
			return 0, asyncio.Sleep(a, time.Millisecond)
		}))
		tasks := []coro.Awaitable[int]{blocker, asyncio.CreateTask(a, c), asyncio.CreateTask(a, c)}
		_, errs, err := asyncio.GatherReturnExceptions(a, tasks...)
		if err != nil {
			return err
		}
		if errs[0] != nil || errs[1] != nil || !errors.Is(errs[2], coro.ErrAwaitedAlready) {
			return fmt.Errorf("errors = %v, want nil, nil, coro.ErrAwaitedAlready", errs)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// Python's gather wraps each distinct awaitable once and fills every slot
// naming it with its one result.
func TestGatherSameAwaitableTwice(t *testing.T) {
	runs := 0
	body := func(v int) func(a *asyncio.A) (int, error) {
		return func(a *asyncio.A) (int, error) {
			runs++
			start := asyncio.GetRunningLoop(a).Time()
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return 0, err
			}
			if slept := asyncio.GetRunningLoop(a).Time().Sub(start); slept != time.Second {
				return 0, fmt.Errorf("Sleep(1s) returned after %v", slept)
			}
			return v, nil
		}
	}
	boom := errors.New("boom")
	err := vrun0(func(a *asyncio.A) error {
		c := asyncio.Async(body(1))
		got, err := asyncio.Gather(a, c, c, asyncio.Async(body(2)), c)
		if want := []int{1, 1, 2, 1}; err != nil || !slices.Equal(got, want) {
			return fmt.Errorf("Gather(c, c, d, c) = %v, %v; want %v, nil", got, err, want)
		}
		if runs != 2 {
			return fmt.Errorf("bodies ran %d times, want 2", runs)
		}
		task := asyncio.CreateTask(a, asyncio.Async(body(3)))
		if got, err := asyncio.Gather[int](a, task, task); err != nil || !slices.Equal(got, []int{3, 3}) {
			return fmt.Errorf("Gather(t, t) = %v, %v; want [3 3], nil", got, err)
		}
		own := &ownAwaitable{v: 4}
		if got, err := asyncio.Gather[int](a, own, own); err != nil || !slices.Equal(got, []int{4, 4}) || own.runs != 1 {
			return fmt.Errorf("Gather(p, p) of an awaitable of its own = %v, %v after %d runs; want [4 4], nil after 1", got, err, own.runs)
		}
		f := failAfter[int](time.Second, boom)
		vs, errs, err := asyncio.GatherReturnExceptions(a, f, f)
		if err != nil || len(vs) != 2 || !errors.Is(errs[0], boom) || !errors.Is(errs[1], boom) {
			return fmt.Errorf("GatherReturnExceptions(f, f) = %v, %v, %v; want boom twice", vs, errs, err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// An ownAwaitable is an awaitable of a program's own, which counts its
// awaits.
type ownAwaitable struct {
	v, runs int
}

func (o *ownAwaitable) Await(a *asyncio.A) (int, error) {
	o.runs++
	return o.v, asyncio.Sleep(a, time.Second)
}

// Gather(c, c) cancelled cancels the one task and reports the cancellation.
func TestGatherSameCoroutineCancelled(t *testing.T) {
	err := vrun0(func(a *asyncio.A) error {
		c := after(time.Hour, 1)
		g := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) ([]int, error) {
			return asyncio.Gather(a, c, c)
		}))
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		g.Cancel("stop")
		if _, err := g.Await(a); !errors.Is(err, asyncio.ErrCanceled) {
			return fmt.Errorf("cancelled Gather(c, c) = %v, want ErrCanceled", err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// Issue 13, item 21: awaiting inline a coroutine that a task owns (a typo
// for awaiting the task) fails that await; the task runs undisturbed.
func TestAwaitCoroutineATaskOwns(t *testing.T) {
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("Run panicked: %v", p)
		}
	}()
	err := vrun0(func(a *asyncio.A) error {
		c := after(time.Second, 1)
		task := asyncio.CreateTask(a, c)
		if v, err := asyncio.Await(a, c); !errors.Is(err, coro.ErrAwaitedAlready) {
			return fmt.Errorf("Await of a coroutine a task owns = %v, %v; want coro.ErrAwaitedAlready", v, err)
		}
		if v, err := task.Await(a); v != 1 || err != nil {
			return fmt.Errorf("task = %v, %v; want 1, nil", v, err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// Issue 13, item 3: a Coro's methods are what a program may do with a
// coroutine; Send, Throw, SetOwner and SetPool belong to its driver.
func TestCoroMethods(t *testing.T) {
	typ := reflect.TypeFor[*asyncio.Coro[int]]()
	var got []string
	for i := range typ.NumMethod() {
		got = append(got, typ.Method(i).Name)
	}
	if want := []string{"Await", "Close", "State"}; !slices.Equal(got, want) {
		t.Errorf("methods of *asyncio.Coro = %v, want %v", got, want)
	}
	var _ asyncio.Awaitable[int] = (*asyncio.Coro[int])(nil)
}

// No misuse of a coroutine escapes Run as a panic: each is an error of the
// call that made it.
func TestCoroutineMisuseIsAnError(t *testing.T) {
	cases := []struct {
		name string
		// misuse does something wrong with c, which the task holder runs;
		// it returns the error of the wrong call.
		misuse func(a *asyncio.A, c *asyncio.Coro[int]) error
	}{
		{"Close of a coroutine a task runs", func(a *asyncio.A, c *asyncio.Coro[int]) error {
			return c.Close()
		}},
		{"Await of a coroutine a task runs", func(a *asyncio.A, c *asyncio.Coro[int]) error {
			_, err := c.Await(a)
			return err
		}},
		{"CreateTask of a coroutine a task runs", func(a *asyncio.A, c *asyncio.Coro[int]) error {
			_, err := asyncio.CreateTask(a, c).Await(a)
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// The holder runs c as its task's coroutine, or awaits it
			// inline from its own.
			for _, inline := range []bool{false, true} {
				err := vrun0(func(a *asyncio.A) error {
					c := after(time.Second, 1)
					held := c
					if inline {
						held = asyncio.Async(c.Await)
					}
					holder := asyncio.CreateTask(a, held)
					if err := asyncio.Sleep(a, 0); err != nil {
						return err
					}
					if err := tc.misuse(a, c); !errors.Is(err, coro.ErrAwaitedAlready) {
						return fmt.Errorf("misuse (inline %t) = %v, want coro.ErrAwaitedAlready", inline, err)
					}
					if v, err := holder.Await(a); v != 1 || err != nil {
						return fmt.Errorf("holder (inline %t) = %v, %v; want 1, nil", inline, v, err)
					}
					return nil
				})
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
}

// A coroutine that closes or awaits itself, or makes a task of itself,
// gets an error, not a panic.
func TestCoroutineMisusesItself(t *testing.T) {
	cases := []struct {
		name   string
		misuse func(a *asyncio.A, self *asyncio.Coro[int]) error
	}{
		{"Close", func(a *asyncio.A, self *asyncio.Coro[int]) error { return self.Close() }},
		{"Await", func(a *asyncio.A, self *asyncio.Coro[int]) error { _, err := self.Await(a); return err }},
		{"CreateTask", func(a *asyncio.A, self *asyncio.Coro[int]) error {
			_, err := asyncio.CreateTask(a, self).Await(a)
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, inline := range []bool{false, true} {
				err := vrun0(func(a *asyncio.A) error {
					var self *asyncio.Coro[int]
					self = asyncio.Async(func(a *asyncio.A) (int, error) {
						if err := tc.misuse(a, self); !errors.Is(err, coro.ErrAwaitedAlready) {
							return 0, fmt.Errorf("misuse = %v, want coro.ErrAwaitedAlready", err)
						}
						return 1, nil
					})
					var v int
					var err error
					if inline {
						v, err = self.Await(a)
					} else {
						v, err = asyncio.CreateTask(a, self).Await(a)
					}
					if v != 1 || err != nil {
						return fmt.Errorf("coroutine (inline %t) = %v, %v; want 1, nil", inline, v, err)
					}
					return nil
				})
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
}

// Under many schedules, coroutines handed to several tasks, gathered
// several times and awaited besides each run once, under one driver: no
// sleep is cut short and the lock they share never has two holders.
func TestOneDriverUnderSeeds(t *testing.T) {
	for seed := range uint64(50) {
		rng := rand.New(rand.NewPCG(seed, 0))
		var lock asyncio.Lock
		holders := 0
		runs := make([]int, 8)
		body := func(i int, d time.Duration) func(a *asyncio.A) (int, error) {
			return func(a *asyncio.A) (int, error) {
				runs[i]++
				if err := lock.Acquire(a); err != nil {
					return 0, err
				}
				defer lock.Release()
				if holders++; holders > 1 {
					return 0, fmt.Errorf("%d holders of the lock", holders)
				}
				defer func() { holders-- }()
				start := asyncio.GetRunningLoop(a).Time()
				if err := asyncio.Sleep(a, d); err != nil {
					return 0, err
				}
				if slept := asyncio.GetRunningLoop(a).Time().Sub(start); slept != d {
					return 0, fmt.Errorf("Sleep(%v) returned after %v", d, slept)
				}
				return i, nil
			}
		}
		err := vrun0(func(a *asyncio.A) error {
			cs := make([]*asyncio.Coro[int], len(runs))
			for i := range cs {
				cs[i] = asyncio.Async(body(i, time.Duration(1+rng.IntN(3))*time.Second))
			}
			var aws []asyncio.Awaitable[int]
			for range 3 * len(cs) {
				c := cs[rng.IntN(len(cs))]
				switch rng.IntN(3) {
				case 0:
					aws = append(aws, asyncio.CreateTask(a, c))
				case 1:
					aws = append(aws, c)
				case 2:
					if _, err := c.Await(a); !errors.Is(err, coro.ErrAwaitedAlready) && !errors.Is(err, coro.ErrReused) && err != nil {
						return err
					}
				}
			}
			_, errs, err := asyncio.GatherReturnExceptions(a, aws...)
			if err != nil {
				return err
			}
			for _, err := range errs {
				if err != nil && !errors.Is(err, coro.ErrAwaitedAlready) && !errors.Is(err, coro.ErrReused) {
					return err
				}
			}
			return nil
		}, asyncio.WithSeed(seed))
		if err != nil {
			t.Errorf("seed %d: %v", seed, err)
		}
		for i, n := range runs {
			if n > 1 {
				t.Errorf("seed %d: coroutine %d ran %d times, want at most once", seed, i, n)
			}
		}
	}
}
