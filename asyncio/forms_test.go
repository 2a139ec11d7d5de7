package asyncio_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/gen"
)

// py formats v as Python's print would: True/False, None, lists with
// commas, strings quoted inside lists.
func py(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case error:
		return py(v.Error())
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice {
		return fmt.Sprint(v)
	}
	var items []string
	for i := range rv.Len() {
		e := rv.Index(i).Interface()
		switch e := e.(type) {
		case string:
			items = append(items, "'"+e+"'")
		case error:
			items = append(items, "'"+e.Error()+"'")
		default:
			if e == nil || rv.Index(i).Kind() == reflect.Interface && rv.Index(i).IsNil() {
				items = append(items, "None")
				continue
			}
			items = append(items, py(e))
		}
	}
	return "[" + strings.Join(items, ", ") + "]"
}

// formsTranscript runs each idiom of issue 14 in its Go form, printing
// what testdata/forms.py, its Python twin, prints.
func formsTranscript(t *testing.T) string {
	var out strings.Builder
	p := func(args ...any) {
		s := make([]string, len(args))
		for i, a := range args {
			if str, ok := a.(string); ok {
				s[i] = str
			} else {
				s[i] = py(a)
			}
		}
		fmt.Fprintln(&out, strings.Join(s, " "))
	}
	const U = time.Second
	child := func(d time.Duration, v int, cancelSelf bool) *asyncio.Coro[int] {
		return asyncio.Async(func(a *asyncio.A) (int, error) {
			if err := asyncio.Sleep(a, d*U); err != nil {
				return 0, err
			}
			if cancelSelf {
				return 0, &asyncio.CanceledError{}
			}
			return v, nil
		})
	}
	msg := func(err error) string {
		var ce *asyncio.CanceledError
		if errors.As(err, &ce) {
			return ce.Message
		}
		return "not a cancellation: " + fmt.Sprint(err)
	}
	err := vrun0(func(a *asyncio.A) error {
		// A gather is a future: cancelling it cancels its children.
		g := asyncio.GatherFuture(a, child(1, 1, false), child(2, 2, false))
		asyncio.Sleep(a, 0)
		p("gather cancel:", g.Cancel("stop"))
		if _, err := g.Await(a); errors.Is(err, asyncio.ErrCanceled) {
			p("gather awaited: cancelled", msg(err))
		}
		p("gather done", g.Done(), "cancelled", g.Cancelled())

		g = asyncio.GatherFuture(a, child(1, 1, true), child(2, 2, false))
		if _, err := g.Await(a); errors.Is(err, asyncio.ErrCanceled) {
			p("self-cancel awaited: cancelled")
		}
		p("self-cancel done", g.Done(), "cancelled", g.Cancelled(),
			"exception is a cancellation", errors.Is(g.Exception(), asyncio.ErrCanceled))

		g = asyncio.GatherFuture(a, child(1, 1, false), child(1, 2, false))
		cb := g.AddDoneCallback(func(g *asyncio.GatheringFuture[int]) {
			r, _ := g.Result()
			p("callback 1", r)
		})
		g.AddDoneCallback(func(g *asyncio.GatheringFuture[int]) {
			r, _ := g.Result()
			p("callback 2", r)
		})
		p("removed", g.RemoveDoneCallback(cb))
		p("removed again", g.RemoveDoneCallback(cb))
		r, _ := g.Await(a)
		p("gather result", r)
		asyncio.Sleep(a, 0)

		g = asyncio.GatherFuture(a, child(1, 1, false), child(2, 2, false))
		done, pending, _ := asyncio.Wait(a, []*asyncio.GatheringFuture[int]{g}, asyncio.AllCompleted, 0)
		p("wait timeout=0:", len(done), "done", len(pending), "pending")
		done, _, _ = asyncio.Wait(a, []*asyncio.GatheringFuture[int]{g}, asyncio.AllCompleted, asyncio.NoTimeout)
		r, _ = g.Result()
		p("wait:", len(done), "done", r)
		g = asyncio.GatherFuture(a, child(1, 1, false))
		if _, err := asyncio.WaitFor(a, asyncio.ShieldFuture(a, g), U/2); errors.Is(err, asyncio.ErrTimeout) {
			p("shielded gather timed out; gather done", g.Done())
		}
		r, _ = g.Await(a)
		p("shielded gather result", r)

		boom := asyncio.Async(func(a *asyncio.A) (int, error) { return 0, errors.New("boom") })
		g = asyncio.GatherFutureReturnExceptions(a, child(1, 1, false), boom)
		r, _ = g.Await(a)
		p("return exceptions:", []any{r[0], nil}, g.Errors())
		g = asyncio.GatherFutureReturnExceptions(a, child(1, 1, false), child(1, 2, false))
		asyncio.Sleep(a, 0)
		g.Cancel()
		if _, err := g.Await(a); errors.Is(err, asyncio.ErrCanceled) {
			p("return exceptions, cancelled: cancelled", g.Cancelled())
		}
		g = asyncio.GatherFuture[int](a)
		r, _ = g.Await(a)
		p("empty gather done", g.Done(), r)

		// Results of different types.
		user := asyncio.Async(func(a *asyncio.A) (string, error) { return asyncio.SleepResult(a, U, "ann") })
		orders := asyncio.Async(func(a *asyncio.A) ([]int, error) { return asyncio.SleepResult(a, 2*U, []int{1, 2}) })
		name, items, err := asyncio.Gather2(a, user, orders)
		if err != nil {
			return err
		}
		p("mixed:", name, items)

		// Coroutines into AsCompleted, through CreateTasks.
		coros := []*asyncio.Coro[int]{child(3, 3, false), child(1, 1, false), child(2, 2, false)}
		names := map[int]string{1: "fast", 2: "mid", 3: "slow"}
		for task, err := range asyncio.AsCompleted(a, asyncio.CreateTasks(a, coros), asyncio.NoTimeout) {
			if err != nil {
				return err
			}
			v, _ := task.Result()
			p("as completed:", names[v])
		}

		// Every await as one expression.
		var ev asyncio.Event
		if _, err := asyncio.WaitFor(a, asyncio.AsyncErr(ev.Wait), U); errors.Is(err, asyncio.ErrTimeout) {
			p("event wait timed out")
		}
		var lock asyncio.Lock
		lock.Acquire(a)
		acq := asyncio.CreateTask(a, asyncio.AsyncErr(lock.Acquire))
		asyncio.Sleep(a, 0)
		p("second acquire waiting", !acq.Done())
		lock.Release()
		acq.Await(a)
		p("second acquire done", lock.Locked())
		q := asyncio.NewQueue[int](0)
		q.PutNowait(7)
		v, _ := asyncio.WaitFor(a, asyncio.Async(q.Get), U)
		p("queue get", v)
		if _, err := asyncio.WaitFor(a, asyncio.SleepCoro(2*U), U); errors.Is(err, asyncio.ErrTimeout) {
			p("sleep timed out")
		}

		// Timeouts: NoTimeout is none, 0 is no time.
		task := asyncio.CreateTask(a, child(1, 1, false))
		done2, pending2, _ := asyncio.Wait(a, []*asyncio.Task[int]{task}, asyncio.AllCompleted, 0)
		p("wait timeout=0:", len(done2), "done", len(pending2), "pending")
		done2, pending2, _ = asyncio.Wait(a, []*asyncio.Task[int]{task}, asyncio.AllCompleted, asyncio.NoTimeout)
		p("wait timeout=None:", len(done2), "done", len(pending2), "pending")
		task = asyncio.CreateTask(a, child(1, 1, false))
		if _, err := asyncio.WaitFor(a, task, 0); errors.Is(err, asyncio.ErrTimeout) {
			p("wait_for timeout=0: timed out, task cancelled", task.Cancelled())
		}
		v, _ = asyncio.WaitFor(a, child(1, 5, false), asyncio.NoTimeout)
		p("wait_for timeout=None:", v)

		// Cancel without a message.
		task = asyncio.CreateTask(a, child(1, 1, false))
		asyncio.Sleep(a, 0)
		task.Cancel()
		if _, err := task.Await(a); errors.Is(err, asyncio.ErrCanceled) {
			p("cancel(): message", "'"+msg(err)+"'")
		}

		// An async generator's state, anext with a default, sleep with a
		// result.
		ag := asyncio.NewAsyncGenerator(func(a *asyncio.A, yield func(any) (any, error)) error {
			if _, err := yield(1); err != nil {
				return err
			}
			if err := asyncio.Sleep(a, U); err != nil {
				return err
			}
			_, err := yield(2)
			return err
		})
		p("agen running", ag.Running(), "finished", ag.State() == gen.Closed)
		x, _ := ag.ANextDefault(a, "default")
		p("anext", x)
		nxt := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (any, error) { return ag.ANextDefault(a, "default") }))
		asyncio.Sleep(a, 0)
		p("agen running while it awaits", ag.Running())
		x, _ = nxt.Await(a)
		p("anext", x)
		x, _ = ag.ANextDefault(a, "default")
		p("anext", x)
		p("agen running", ag.Running(), "finished", ag.State() == gen.Closed)
		s, _ := asyncio.SleepResult(a, U, "result")
		p("sleep result", s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// TestFormsLikeCPython checks the Go form of each idiom of issue 14
// against the transcript of its Python twin, testdata/forms.py (the same
// under CPython 3.11.7, 3.12.1 and 3.13.0: the gather future's
// cancelled() is False after cancel() in all three, CPython issue 85071),
// and against CPython itself where python3 is installed.
func TestFormsLikeCPython(t *testing.T) {
	got := formsTranscript(t)
	want := `gather cancel: True
gather awaited: cancelled stop
gather done True cancelled False
self-cancel awaited: cancelled
self-cancel done True cancelled False exception is a cancellation True
removed True
removed again False
callback 2 [1, 2]
gather result [1, 2]
wait timeout=0: 0 done 1 pending
wait: 1 done [1, 2]
shielded gather timed out; gather done False
shielded gather result [1]
return exceptions: [1, None] [None, 'boom']
return exceptions, cancelled: cancelled False
empty gather done True []
mixed: ann [1, 2]
as completed: fast
as completed: mid
as completed: slow
event wait timed out
second acquire waiting True
second acquire done True
queue get 7
sleep timed out
wait timeout=0: 0 done 1 pending
wait timeout=None: 1 done 0 pending
wait_for timeout=0: timed out, task cancelled True
wait_for timeout=None: 5
cancel(): message ''
agen running False finished False
anext 1
agen running while it awaits True
anext 2
anext default
agen running False finished True
sleep result result
`
	if got != want {
		t.Errorf("Go transcript:\n%s\nwant:\n%s", got, want)
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not on the PATH: the Go transcript was checked against the recorded CPython one only")
	}
	// On the walkthrough's virtual clock for Python, which jumps to the next
	// timer as WithVirtualTime does: the twin's seconds pass at once.
	cmd := exec.Command(python, "testdata/forms.py")
	cmd.Env = append(os.Environ(), "PYTHONPATH=../docs/internal/mdsync/pyclock")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python3 testdata/forms.py: %v\n%s", err, out)
	}
	if string(out) != got {
		t.Errorf("CPython's transcript:\n%s\ndiffers from Go's:\n%s", out, got)
	}
}

// TestEveryAwaitIsAnAwaitable checks, at compile time above all, that each
// await of the package becomes an awaitable in one expression, as the
// package doc says: AsyncErr of the error-only ones, Async of the others.
func TestEveryAwaitIsAnAwaitable(t *testing.T) {
	var (
		ev   asyncio.Event
		lock asyncio.Lock
		sem  = asyncio.NewSemaphore(1)
		bsem = asyncio.NewBoundedSemaphore(1)
		cond = asyncio.NewCondition(nil)
		q    = asyncio.NewQueue[int](0)
		bar  = asyncio.NewBarrier(1)
		w    *asyncio.StreamWriter
		r    *asyncio.StreamReader
		srv  *asyncio.Server
		ag   = asyncio.NewAsyncGenerator(func(*asyncio.A, func(int) (struct{}, error)) error { return nil })
	)
	errOnly := map[string]*asyncio.Coro[struct{}]{
		"Event.Wait":               asyncio.AsyncErr(ev.Wait),
		"Lock.Acquire":             asyncio.AsyncErr(lock.Acquire),
		"Semaphore.Acquire":        asyncio.AsyncErr(sem.Acquire),
		"BoundedSemaphore.Acquire": asyncio.AsyncErr(bsem.Acquire),
		"Condition.Wait":           asyncio.AsyncErr(cond.Wait),
		"Queue.Join":               asyncio.AsyncErr(q.Join),
		"StreamWriter.Drain":       asyncio.AsyncErr(w.Drain),
		"StreamWriter.WaitClosed":  asyncio.AsyncErr(w.WaitClosed),
		"Server.WaitClosed":        asyncio.AsyncErr(srv.WaitClosed),
		"Server.ServeForever":      asyncio.AsyncErr(srv.ServeForever),
		"SleepCoro":                asyncio.SleepCoro(time.Second),
	}
	valued := map[string]interface{ Close() error }{
		"Queue.Get":             asyncio.Async(q.Get),
		"Barrier.Wait":          asyncio.Async(bar.Wait),
		"AsyncGenerator.ANext":  asyncio.Async(ag.ANext),
		"StreamReader.ReadLine": asyncio.Async(r.ReadLine),
	}
	for name, c := range errOnly {
		if c.State() != gen.Created {
			t.Errorf("%s as an awaitable is %v, want a coroutine not yet run", name, c.State())
		}
		valued[name] = c
	}
	for name, c := range valued {
		if err := c.Close(); err != nil {
			t.Errorf("%s as an awaitable: Close = %v, want nil", name, err)
		}
	}
}
