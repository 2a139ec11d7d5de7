package asyncio_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// A diffRun interprets a diffProgram with this package, on the virtual
// clock (one tick is a second), and records the same trace as the
// program's Python rendering prints.
type diffRun struct {
	p        diffProgram
	trace    []string
	stopped  bool // the trace has ended (see State.spawning in diffPrelude)
	mainDone bool
	tasks    map[int]*asyncio.Task[int]
	tg       *asyncio.TaskGroup // inside a group's body
	q        *asyncio.Queue[int]
	lock     asyncio.Lock
	sem      *asyncio.Semaphore
	event    asyncio.Event
	loop     *asyncio.Loop
	start    time.Time
}

// A diffError is what a raise statement raises: Python's E("pN").
type diffError struct{ n int }

func (e *diffError) Error() string { return fmt.Sprintf("E(p%d)", e.n) }

// interpretDiff runs the program given as JSON and returns its trace.
func interpretDiff(program string) ([]string, error) {
	r := &diffRun{tasks: map[int]*asyncio.Task[int]{}}
	if err := json.Unmarshal([]byte(program), &r.p); err != nil {
		return nil, err
	}
	r.q = asyncio.NewQueue[int](r.p.QueueSize)
	r.sem = asyncio.NewSemaphore(2)
	main := asyncio.Async(func(a *asyncio.A) (int, error) {
		r.loop = asyncio.GetRunningLoop(a)
		r.start = r.loop.Time()
		defer func() { r.mainDone = true }()
		return asyncio.Await(a, r.fn(0))
	})
	v, err := asyncio.Run(context.Background(), main, asyncio.WithVirtualTime(), asyncio.WithDiagnostics(io.Discard))
	if !r.stopped {
		var deadlock *asyncio.DeadlockError
		switch {
		case errors.As(err, &deadlock):
			r.trace = append(r.trace, "deadlock")
		case err != nil:
			r.trace = append(r.trace, "end main -> "+diffDesc(err, false))
		default:
			r.trace = append(r.trace, "end main -> "+strconv.Itoa(v))
		}
	}
	return r.trace, nil
}

func (r *diffRun) say(i int, format string, args ...any) {
	if r.stopped {
		return
	}
	at := r.loop.Time().Sub(r.start) / time.Second
	r.trace = append(r.trace, fmt.Sprintf("%d f%d %s", at, i, fmt.Sprintf(format, args...)))
}

// spawning ends the trace if main has ended: Run lets tasks created from
// then on run to their end, asyncio.run leaves them pending.
func (r *diffRun) spawning(i int) {
	if r.mainDone && !r.stopped {
		r.say(i, "spawn after main: trace ends")
		r.stopped = true
	}
}

// fn returns a coroutine running function j: Python's fj().
func (r *diffRun) fn(j int) *asyncio.Coro[int] {
	return asyncio.Async(func(a *asyncio.A) (int, error) {
		v, ret, err := r.block(a, j, r.p.Funcs[j])
		if err != nil {
			return 0, err
		}
		if !ret {
			v = j
		}
		return v, nil
	})
}

// block runs b as part of function i. It returns the value of a return
// statement (ret true), or the error raised.
func (r *diffRun) block(a *asyncio.A, i int, b []diffStmt) (v int, ret bool, err error) {
	for _, s := range b {
		if v, ret, err = r.stmt(a, i, s); ret || err != nil {
			return v, ret, err
		}
	}
	return 0, false, nil
}

func ticks(n int) time.Duration { return time.Duration(n) * time.Second }

// isException reports whether Python's except Exception catches err: any
// error but a cancellation.
func isException(err error) bool { return err != nil && !errors.Is(err, asyncio.ErrCanceled) }

func (r *diffRun) stmt(a *asyncio.A, i int, s diffStmt) (int, bool, error) {
	var err error
	switch s.Op {
	case "print":
		r.say(i, "p%d", s.N)
	case "sleep":
		err = asyncio.Sleep(a, ticks(s.N))
	case "spawn":
		r.spawning(i)
		r.tasks[s.Slot] = asyncio.CreateTask(a, r.fn(s.N))
		r.say(i, "spawn %d", s.Slot)
	case "tgspawn":
		r.tasks[s.Slot] = asyncio.CreateTask(r.tg, r.fn(s.N))
		r.say(i, "spawn %d", s.Slot)
	case "await":
		t, ok := r.tasks[s.Slot]
		if !ok {
			r.say(i, "await %d: none", s.Slot)
			break
		}
		var v int
		if v, err = asyncio.Await(a, t); err == nil {
			r.say(i, "await %d -> %d", s.Slot, v)
		}
	case "cancel":
		t, ok := r.tasks[s.Slot]
		if !ok {
			r.say(i, "cancel %d: none", s.Slot)
			break
		}
		r.say(i, "cancel %d -> %t", s.Slot, t.Cancel(s.Msg))
	case "call":
		var v int
		if v, err = asyncio.Await(a, r.fn(s.N)); err == nil {
			r.say(i, "call f%d -> %d", s.N, v)
		}
	case "gather":
		r.spawning(i)
		aws := make([]asyncio.Awaitable[int], len(s.Fns))
		for k, f := range s.Fns {
			aws[k] = r.fn(f)
		}
		var got []string
		if s.Flag {
			var vs []int
			var errs []error
			if vs, errs, err = asyncio.GatherReturnExceptions(a, aws...); err == nil {
				for k, v := range vs {
					if errs[k] != nil {
						got = append(got, diffDesc(errs[k], false))
					} else {
						got = append(got, strconv.Itoa(v))
					}
				}
			}
		} else {
			var vs []int
			if vs, err = asyncio.Gather(a, aws...); err == nil {
				for _, v := range vs {
					got = append(got, strconv.Itoa(v))
				}
			}
		}
		if err == nil {
			r.say(i, "gather -> [%s]", strings.Join(got, ", "))
		}
	case "waitfor":
		var v int
		if v, err = asyncio.WaitFor(a, r.fn(s.N), ticks(s.D)); err == nil {
			r.say(i, "wait_for f%d -> %d", s.N, v)
		}
	case "timeout":
		var v int
		var ret bool
		err = asyncio.Timeout(a, ticks(s.D), func(*asyncio.TimeoutScope) error {
			var err error
			v, ret, err = r.block(a, i, s.Body)
			return err
		})
		if err == nil && ret {
			return v, true, nil
		}
		if err == nil {
			r.say(i, "timeout ok")
		}
	case "group":
		err = asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			r.tg = tg
			_, _, err := r.block(a, i, s.Body)
			return err
		})
		r.tg = nil
		switch {
		case err == nil:
			r.say(i, "group ok")
		case isException(err):
			r.say(i, "group -> %s", diffDesc(err, true))
			err = nil
		}
	case "put", "get", "wait":
		var v int
		err = asyncio.Timeout(a, ticks(s.D), func(*asyncio.TimeoutScope) error {
			var err error
			switch s.Op {
			case "put":
				err = r.q.Put(a, s.N)
			case "get":
				v, err = r.q.Get(a)
			default:
				err = r.event.Wait(a)
			}
			return err
		})
		switch {
		case err != nil && errors.Is(err, asyncio.ErrTimeout):
			r.say(i, "%s timed out", s.Op)
			err = nil
		case err != nil:
		case s.Op == "put":
			r.say(i, "put %d", s.N)
		case s.Op == "get":
			r.say(i, "get -> %d", v)
		default:
			r.say(i, "event")
		}
	case "lock":
		if err = r.lock.Acquire(a); err != nil {
			break
		}
		r.say(i, "locked")
		v, ret, err := r.block(a, i, s.Body)
		if rerr := r.lock.Release(); rerr != nil {
			return 0, false, rerr
		}
		return v, ret, err
	case "sem":
		if err = r.sem.Acquire(a); err != nil {
			break
		}
		r.say(i, "acquired")
		v, ret, err := r.block(a, i, s.Body)
		r.sem.Release()
		return v, ret, err
	case "set":
		r.event.Set()
		r.say(i, "set")
	case "clear":
		r.event.Clear()
		r.say(i, "clear")
	case "except":
		v, ret, err := r.block(a, i, s.Body)
		if !isException(err) {
			return v, ret, err
		}
		r.say(i, "caught %s", diffDesc(err, true))
		return r.block(a, i, s.Else)
	case "cancelled":
		v, ret, err := r.block(a, i, s.Body)
		if err == nil || !errors.Is(err, asyncio.ErrCanceled) {
			return v, ret, err
		}
		r.say(i, "caught %s", diffDesc(err, s.Show))
		if v, ret, herr := r.block(a, i, s.Else); ret || herr != nil {
			return v, ret, herr
		}
		if s.Flag {
			return s.N, true, nil
		}
		return 0, false, err
	case "finally":
		v, ret, err := r.block(a, i, s.Body)
		r.say(i, "finally")
		if v2, ret2, err2 := r.block(a, i, s.Else); ret2 || err2 != nil {
			return v2, ret2, err2
		}
		return v, ret, err
	case "raise":
		return 0, false, &diffError{s.N}
	case "return":
		return s.N, true, nil
	default:
		panic("diffRun.stmt: unknown op " + s.Op)
	}
	return 0, false, err
}

// diffDesc describes err as desc in diffPrelude describes the Python
// exception: the message of a cancellation only if show.
func diffDesc(err error, show bool) string {
	if g, ok := err.(*asyncio.ExceptionGroup); ok {
		var ms []string
		for _, e := range g.Exceptions {
			ms = append(ms, diffDesc(e, true))
		}
		return "group[" + strings.Join(ms, ", ") + "]"
	}
	var ce *asyncio.CanceledError
	var de *diffError
	switch {
	case errors.Is(err, asyncio.ErrTimeout):
		return "timeout"
	case errors.As(err, &ce):
		if show && ce.Message != "" {
			return "cancelled(" + ce.Message + ")"
		}
		return "cancelled"
	case errors.As(err, &de):
		return de.Error()
	}
	return fmt.Sprintf("other %T: %v", err, err)
}
