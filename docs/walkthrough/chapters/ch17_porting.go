package chapters

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/gen"
)

func init() {
	Register(Chapter{
		Number: 17,
		Name:   "porting",
		Title:  "Porting asyncio code",
		Examples: []Example{
			{"gather-future", "A gather as a future: callbacks added and removed, cancelled", portingGatherFuture},
			{"gather-kinds", "Mixed types, a slice of tasks, coroutines as completed", portingGatherKinds},
			{"awaitables", "Every await as an awaitable", portingAwaitables},
			{"nothing", "Coroutines that return nothing", portingNothing},
			{"timeouts", "No timeout and no time", portingTimeouts},
			{"errors", "Timeouts and cancellations as Go code sees them", portingErrors},
			{"agen", "anext with a default, sleep with a result, a generator's state", portingAgen},
			{"async-with", "async with, and try/finally around awaits", portingAsyncWith},
			{"except-star", "except* on a task group's errors", portingExceptStar},
			{"queues", "Per-client queues, slow clients evicted", portingQueues},
			{"background", "Background tasks: the loop keeps them", portingBackground},
			{"interrupt", "asyncio.run and Ctrl-C", portingInterrupt},
			{"interrupt-context", "Ctrl-C through signal.NotifyContext", portingInterruptContext},
		},
	})
}

// snippet: porting-after

// after returns value after the given time.
func after[T any](d time.Duration, value T) *asyncio.Coro[T] {
	return asyncio.Async(func(a *asyncio.A) (T, error) {
		return asyncio.SleepResult(a, d, value)
	})
}

// end snippet

// runMain is asyncio.run(main()) for the examples of this chapter.
func runMain(opts Options, main func(a *asyncio.A) error, more ...asyncio.Option) error {
	_, err := asyncio.Run(context.Background(), asyncio.AsyncErr(main), append(loopOpts(opts), more...)...)
	return err
}

func portingGatherFuture(opts Options) error {
	return runMain(opts, func(a *asyncio.A) error {
		// snippet: porting-gather-future
		g := asyncio.GatherFuture(a, after(time.Second, "a"), after(2*time.Second, "b"))
		report := func(*asyncio.GatheringFuture[string]) { fmt.Println("callback: done") }
		g.AddDoneCallback(report)
		if !g.Done() {
			fmt.Println("started, not done yet")
		}
		results, err := g.Await(a)
		if err != nil {
			return err
		}
		fmt.Println(results[0], results[1])

		g = asyncio.GatherFuture(a, after(time.Second, "a"), after(2*time.Second, "b"))
		cb := g.AddDoneCallback(report)
		g.RemoveDoneCallback(cb)
		asyncio.Sleep(a, 0)
		g.Cancel()
		if _, err := g.Await(a); errors.Is(err, asyncio.ErrCanceled) && !g.Cancelled() {
			fmt.Println("CancelledError, though g.cancelled() is false")
		}
		// end snippet
		return nil
	})
}

func portingGatherKinds(opts Options) error {
	return runMain(opts, func(a *asyncio.A) error {
		// snippet: porting-gather-kinds
		user, orders, err := asyncio.Gather2(a, after(time.Second, "ann"), after(2*time.Second, []int{7, 9}))
		if err != nil {
			return err
		}
		fmt.Println(user, orders[0], orders[1])

		var tasks []*asyncio.Task[int]
		for i := range 3 {
			tasks = append(tasks, asyncio.CreateTask(a, after(time.Duration(3-i)*time.Second, i)))
		}
		results, err := asyncio.Gather(a, asyncio.Awaitables(tasks)...)
		if err != nil {
			return err
		}
		fmt.Println(results[0], results[1], results[2])

		coros := []*asyncio.Coro[int]{after(3*time.Second, 3), after(time.Second, 1), after(2*time.Second, 2)}
		for t, err := range asyncio.AsCompleted(a, asyncio.CreateTasks(a, coros), asyncio.NoTimeout) {
			if err != nil {
				return err
			}
			r, _ := t.Result()
			fmt.Println("completed:", r)
		}
		// end snippet
		return nil
	})
}

func portingAwaitables(opts Options) error {
	return runMain(opts, func(a *asyncio.A) error {
		// snippet: porting-awaitables
		q := asyncio.NewQueue[string](0)
		if _, err := asyncio.WaitFor(a, asyncio.Async(q.Get), time.Second); errors.Is(err, asyncio.ErrTimeout) {
			fmt.Println("q.get(): timed out")
		}

		var event asyncio.Event
		asyncio.GetRunningLoop(a).CallLater(time.Second, event.Set)
		if _, err := asyncio.WaitFor(a, asyncio.AsyncErr(event.Wait), 2*time.Second); err != nil {
			return err
		}
		fmt.Println("event.wait(): set")

		var lock asyncio.Lock
		if _, err := asyncio.CreateTask(a, asyncio.AsyncErr(lock.Acquire)).Await(a); err != nil {
			return err
		}
		if lock.Locked() {
			fmt.Println("lock.acquire() in a task: locked")
		}

		task := asyncio.CreateTask(a, after(2*time.Second, "saved"))
		if _, err := asyncio.WaitFor(a, asyncio.ShieldFuture(a, task), time.Second); errors.Is(err, asyncio.ErrTimeout) {
			saved, err := task.Await(a)
			if err != nil {
				return err
			}
			fmt.Println("shield(task): timed out;", saved)
		}

		if _, err := asyncio.WaitFor(a, asyncio.SleepCoro(2*time.Second), time.Second); errors.Is(err, asyncio.ErrTimeout) {
			fmt.Println("sleep(2): timed out")
		}
		// end snippet
		return nil
	})
}

// snippet: porting-nothing

func greet(name string, delay time.Duration) *asyncio.Coro[struct{}] {
	return asyncio.AsyncErr(func(a *asyncio.A) error {
		if err := asyncio.Sleep(a, delay); err != nil {
			return err
		}
		fmt.Println("hello,", name)
		return nil
	})
}

func greetAll(a *asyncio.A) error {
	task := asyncio.CreateTask(a, greet("task", time.Second))
	if _, err := asyncio.Gather(a, greet("gather 1", 2*time.Second), greet("gather 2", 3*time.Second)); err != nil {
		return err
	}
	err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
		asyncio.CreateTask(tg, greet("group", time.Second))
		return nil
	})
	if err != nil {
		return err
	}
	_, err = task.Await(a)
	return err
}

// end snippet

func portingNothing(opts Options) error {
	return runMain(opts, greetAll)
}

func portingTimeouts(opts Options) error {
	return runMain(opts, func(a *asyncio.A) error {
		// snippet: porting-timeouts
		tasks := []*asyncio.Task[string]{asyncio.CreateTask(a, after(time.Second, "x"))}
		done, pending, _ := asyncio.Wait(a, tasks, asyncio.AllCompleted, 0)
		fmt.Println("timeout=0:", len(done), "done,", len(pending), "pending")
		done, pending, _ = asyncio.Wait(a, tasks, asyncio.AllCompleted, asyncio.NoTimeout)
		fmt.Println("timeout=None:", len(done), "done,", len(pending), "pending")

		if _, err := asyncio.WaitFor(a, after(time.Second, "y"), 0); errors.Is(err, asyncio.ErrTimeout) {
			fmt.Println("wait_for(..., 0): timed out at once")
		}
		y, err := asyncio.WaitFor(a, after(time.Second, "y"), asyncio.NoTimeout)
		if err != nil {
			return err
		}
		fmt.Println("wait_for(..., None):", y)
		// end snippet
		return nil
	})
}

func portingErrors(opts Options) error {
	return runMain(opts, func(a *asyncio.A) error {
		// snippet: porting-errors
		_, err := asyncio.WaitFor(a, after(2*time.Second, "x"), time.Second)
		if errors.Is(err, context.DeadlineExceeded) { // as errors.Is(err, asyncio.ErrTimeout)
			fmt.Println("TimeoutError")
		}

		task := asyncio.CreateTask(a, after(2*time.Second, "x"))
		asyncio.Sleep(a, 0)
		task.Cancel()
		if _, err := task.Await(a); errors.Is(err, context.Canceled) { // as errors.Is(err, asyncio.ErrCanceled)
			fmt.Println("CancelledError")
		}
		// end snippet
		return nil
	})
}

// snippet: porting-agen

func ticks(n int) *asyncio.AsyncGenerator[any, struct{}] {
	return asyncio.NewAsyncGenerator(func(a *asyncio.A, yield func(any) (struct{}, error)) error {
		for i := range n {
			v, err := asyncio.SleepResult(a, time.Second, i)
			if err != nil {
				return err
			}
			if _, err := yield(v); err != nil {
				return err
			}
		}
		return nil
	})
}

func nextTicks(a *asyncio.A) error {
	ag := ticks(2)
	x, _ := ag.ANextDefault(a, "end")
	y, _ := ag.ANextDefault(a, "end")
	z, err := ag.ANextDefault(a, "end")
	if err != nil {
		return err
	}
	fmt.Println(x, y, z)
	if !ag.Running() && ag.State() == gen.Closed {
		fmt.Println("finished, not running")
	}
	return nil
}

// end snippet

func portingAgen(opts Options) error {
	return runMain(opts, nextTicks)
}

// snippet: porting-async-with

func limited(name string, lock *asyncio.Lock, sem *asyncio.Semaphore) *asyncio.Coro[struct{}] {
	return asyncio.AsyncErr(func(a *asyncio.A) error {
		if err := sem.Acquire(a); err != nil {
			return err
		}
		defer sem.Release()
		fmt.Println(name, "has a permit")
		defer fmt.Println(name, "gives its permit back")
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		if err := lock.Acquire(a); err != nil {
			return err
		}
		defer lock.Release()
		fmt.Println(name, "has the lock")
		return asyncio.Sleep(a, time.Second)
	})
}

func workers(a *asyncio.A) error {
	lock, sem := new(asyncio.Lock), asyncio.NewSemaphore(2)
	var tasks []*asyncio.Task[struct{}]
	for _, name := range []string{"A", "B", "C"} {
		tasks = append(tasks, asyncio.CreateTask(a, limited(name, lock, sem)))
	}
	if err := asyncio.Sleep(a, 1500*time.Millisecond); err != nil {
		return err
	}
	tasks[1].Cancel()
	_, _, err := asyncio.GatherReturnExceptions(a, asyncio.Awaitables(tasks)...)
	return err
}

// end snippet

func portingAsyncWith(opts Options) error {
	return runMain(opts, workers)
}

// snippet: porting-except-star

func fail(delay time.Duration, err error) *asyncio.Coro[struct{}] {
	return asyncio.AsyncErr(func(a *asyncio.A) error {
		if err := asyncio.Sleep(a, delay); err != nil {
			return err
		}
		return err
	})
}

var (
	errValue = errors.New("bad value")
	errKey   = errors.New("k")
)

func failTogether(a *asyncio.A) error {
	err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
		asyncio.CreateTask(tg, fail(time.Second, errValue))
		asyncio.CreateTask(tg, fail(time.Second, errKey))
		return nil
	})
	var eg *asyncio.ExceptionGroup
	if !errors.As(err, &eg) {
		return err
	}
	values, rest := eg.Split(func(err error) bool { return errors.Is(err, errValue) })
	if values != nil {
		fmt.Println("ValueError:", values.Exceptions[0])
	}
	keys, rest := rest.Split(func(err error) bool { return errors.Is(err, errKey) })
	if keys != nil {
		fmt.Println("KeyError:", len(keys.Exceptions))
	}
	if rest != nil {
		return rest
	}
	return nil
}

// end snippet

func portingExceptStar(opts Options) error {
	return runMain(opts, failTogether)
}

// snippet: porting-queues

// A hub sends what is published to each client through a queue of its
// own, and evicts a client whose queue is full.
type hub struct {
	clients map[string]*subscriber
	order   []string // the clients in the order they joined, as Python's dict keeps them
}

type subscriber struct {
	queue *asyncio.Queue[string]
	task  *asyncio.Task[struct{}]
}

func (h *hub) join(a *asyncio.A, name string, delay time.Duration) {
	q := asyncio.NewQueue[string](2)
	task := asyncio.CreateTask(a, h.deliver(name, q, delay))
	h.clients[name] = &subscriber{q, task}
	h.order = append(h.order, name)
}

func (h *hub) deliver(name string, q *asyncio.Queue[string], delay time.Duration) *asyncio.Coro[struct{}] {
	return asyncio.AsyncErr(func(a *asyncio.A) error {
		defer fmt.Println(name, "leaves")
		for {
			msg, err := q.Get(a)
			if err != nil {
				return err
			}
			if err := asyncio.Sleep(a, delay); err != nil { // a slow client is slow to write to
				return err
			}
			fmt.Println(name, "got", msg)
		}
	})
}

func (h *hub) publish(msg string) {
	for _, name := range h.order {
		c, ok := h.clients[name]
		if !ok {
			continue
		}
		if err := c.queue.PutNowait(msg); errors.Is(err, asyncio.ErrQueueFull) {
			fmt.Println("evicting", name)
			delete(h.clients, name)
			c.task.Cancel()
		}
	}
}

func publishAll(a *asyncio.A) error {
	h := &hub{clients: map[string]*subscriber{}}
	h.join(a, "fast", 100*time.Millisecond)
	h.join(a, "slow", 10*time.Second)
	for i := range 5 {
		h.publish(fmt.Sprintf("m%d", i))
		if err := asyncio.Sleep(a, 500*time.Millisecond); err != nil {
			return err
		}
	}
	for _, c := range h.clients {
		c.task.Cancel()
	}
	return asyncio.Sleep(a, 0)
}

// end snippet

func portingQueues(opts Options) error {
	return runMain(opts, publishAll)
}

// snippet: porting-background

func tick(name string) *asyncio.Coro[struct{}] {
	return asyncio.AsyncErr(func(a *asyncio.A) error {
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		fmt.Println(name, "ran")
		return nil
	})
}

func background(a *asyncio.A) error {
	for _, name := range []string{"a", "b"} {
		asyncio.CreateTask(a, tick(name)) // the loop keeps its tasks until they end
	}
	if err := asyncio.Sleep(a, 2*time.Second); err != nil {
		return err
	}
	fmt.Println(len(asyncio.AllTasks(a))-1, "left")
	return nil
}

// end snippet

func portingBackground(opts Options) error {
	return runMain(opts, background)
}

// interrupt sends this process a SIGINT, as Ctrl-C does.
func interrupt() {
	p, err := os.FindProcess(os.Getpid())
	if err == nil {
		err = p.Signal(os.Interrupt)
	}
	if err != nil {
		fmt.Println("interrupt:", err)
	}
}

// snippet: porting-serve-until-interrupted

func serve(a *asyncio.A) error {
	asyncio.GetRunningLoop(a).CallLater(time.Second, interrupt)
	defer fmt.Println("cleaning up")
	fmt.Println("serving until Ctrl-C")
	return new(asyncio.Event).Wait(a) // forever
}

// end snippet

// contextOpts are loopOpts for a run that waits for a signal that cancels
// its context. The loop has no signal handler then, and knows of no
// outside work in flight: on the virtual clock, it would report a deadlock
// once it has waited the idle threshold for something to arrive. It waits
// up to a second of real time instead; the signal arrives at once.
func contextOpts(opts Options) []asyncio.Option {
	return append(loopOpts(opts), asyncio.WithIdleThreshold(time.Second))
}

func portingInterrupt(opts Options) error {
	// snippet: porting-interrupt
	_, err := asyncio.Run(context.Background(), asyncio.AsyncErr(serve), append(loopOpts(opts), asyncio.WithInterrupt())...)
	if errors.Is(err, asyncio.ErrInterrupted) {
		fmt.Println("interrupted")
		return nil
	}
	// end snippet
	return err
}

func portingInterruptContext(opts Options) error {
	// snippet: porting-interrupt-context
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	_, err := asyncio.Run(ctx, asyncio.AsyncErr(serve), contextOpts(opts)...)
	if errors.Is(err, context.Canceled) {
		fmt.Println("interrupted:", context.Cause(ctx))
		return nil
	}
	// end snippet
	return err
}
