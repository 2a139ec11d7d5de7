// Package asyncio is Python's asyncio for Go: an event loop that runs
// coroutines as tasks, with futures, Gather, task groups, timeouts,
// cancellation, synchronisation primitives, queues, async generators and
// TCP streams, built on the send-capable generators of package gen and the
// coroutines of package coro.
//
// Code runs in the order you read it, and only awaits interleave: all the
// tasks of a Run take turns on one goroutine, so they need no locks between
// awaits.
//
//	func slow(t int) *asyncio.Coro[int] {
//		return asyncio.Async(func(a *asyncio.A) (int, error) {
//			fmt.Printf("About to sleep for %d seconds\n", t)
//			if err := asyncio.Sleep(a, time.Duration(t)*time.Second); err != nil {
//				return 0, err // cancellation arrives here
//			}
//			fmt.Printf("Slept for %d seconds\n", t)
//			return t, nil
//		})
//	}
//
//	got, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) ([]int, error) {
//		return asyncio.Gather(a, slow(3), slow(1), slow(2))
//	}))
//	// got == [3 1 2]
//
// # Coroutines and awaiting
//
// A coroutine is made with [Async] from a body that receives its handle,
// an [*A], and returns a value and an error. Every await takes the handle
// first: [Await](a, x) waits for a coroutine, [Task] or [Future]; [Sleep],
// [Gather], [WaitFor] and the rest are awaits too. Awaiting a coroutine runs
// it inline, on the awaiting task's own stack, so an await costs about a
// function call and a task suspended a hundred awaits deep resumes as fast
// as one suspended at the top.
//
// # Errors and cancellation
//
// Errors are values. A cancelled task sees a [*CanceledError] (matching
// [ErrCanceled]) returned by the await it is suspended at; it may handle it
// and go on, or return it. A panic inside a task becomes that task's error,
// a [*coro.PanicError] with the panic's stack; the loop and the other tasks
// carry on. Task groups report several failures as one [*ExceptionGroup],
// which works with errors.Is and errors.As and splits by kind as except*.
// A task that returns a cancellation, or an error wrapping one (%w), ends
// cancelled; a group is a failure even when it holds a cancellation, as in
// Python, although errors.Is finds the cancellation inside it.
//
// # Time
//
// The loop reads time from a [Clock]. [RealClock] is the default;
// [WithVirtualTime] runs on a [VirtualClock], which jumps straight to the
// next timer whenever nothing is ready, so that tests and examples that
// sleep for seconds finish at once, with the same output every time. While
// outside work ([ToThread], sockets) is in flight, the virtual clock jumps
// only once the loop has been idle for a short real-time threshold
// ([WithIdleThreshold], Trio's autojump): work that answers within it is
// waited for, work that stays silent does not freeze time. A connection
// whose two ends belong to the same loop is outside work only while bytes
// are on their way between them.
//
// # Synchronisation and queues
//
// [Lock], [Event], [Condition], [Semaphore], [BoundedSemaphore] and
// [Barrier] are Python's, down to the order in which waiters are served;
// [Queue], [PriorityQueue] and [LifoQueue] carry values between tasks with
// backpressure. Their zero values work where Python's constructors take no
// arguments. They are needed less than with threads: between two awaits,
// nothing else runs.
//
// # Outside the loop
//
// [Run] takes a context.Context: cancelling it cancels the main task.
// [Context] gives a task a context.Context for ordinary Go APIs, cancelled
// with the task. [ToThread] runs blocking Go code on a goroutine of its own
// and hands its result back through the loop's thread-safe inbox; the
// function's context is cancelled if the awaiting task is.
//
// [CreateSubprocessExec] and [CreateSubprocessShell] start child processes
// whose pipes are streams like a connection's; a goroutine waits for each
// child and tells the loop when it exits. Children still running when Run
// returns are killed, reaped and reported.
//
// Any goroutine that holds the loop may call [Loop.CallSoonThreadsafe], so
// on the real clock an idle loop waits, as asyncio does, and reports tasks
// blocked with nothing pending to its diagnostics writer after a while
// ([WithStallThreshold]). Where a deadlock can be proven (on the virtual
// clock, whose goroutines that will call in are registered with
// [Loop.RegisterExternal], or under [WithStrictDeadlocks]), Run returns a
// [*DeadlockError] listing what every task waits for, instead of hanging.
//
// # Correspondence with Python
//
// Python names become MixedCaps; awaits take the handle first; exceptions
// become returned errors.
//
//	Python                              Go
//	async def f(): ...                  func f() *asyncio.Coro[T] { return asyncio.Async(func(a *asyncio.A) (T, error) {...}) }
//	await x                             asyncio.Await(a, x)
//	asyncio.run(main())                 asyncio.Run(ctx, main())
//	asyncio.sleep(d)                    asyncio.Sleep(a, d)
//	asyncio.create_task(c)              asyncio.CreateTask(a, c)
//	asyncio.gather(*aws)                asyncio.Gather(a, aws...)
//	gather(..., return_exceptions=True) asyncio.GatherReturnExceptions(a, aws...)
//	async with asyncio.TaskGroup() as tg asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {...})
//	tg.create_task(c)                   asyncio.CreateTask(tg, c)
//	asyncio.timeout(d)                  asyncio.Timeout(a, d, func(*asyncio.TimeoutScope) error {...})
//	asyncio.timeout_at(when)            asyncio.TimeoutAt(a, when, ...)
//	asyncio.wait_for(aw, d)             asyncio.WaitFor(a, aw, d)
//	asyncio.shield(aw)                  asyncio.Shield(a, aw)
//	asyncio.wait(fs, return_when=...)   asyncio.Wait(a, fs, asyncio.FirstCompleted, timeout)
//	asyncio.as_completed(fs)            for f, err := range asyncio.AsCompleted(a, fs, timeout)
//	asyncio.to_thread(fn)               asyncio.ToThread(a, fn)
//	loop.run_in_executor(None, fn)      asyncio.RunInExecutor(loop, fn)
//	asyncio.get_running_loop()          asyncio.GetRunningLoop(a)
//	asyncio.current_task()              asyncio.CurrentTask(a)
//	asyncio.all_tasks()                 asyncio.AllTasks(a)
//	loop.create_future()                asyncio.NewFuture[T](loop)
//	loop.call_soon / call_later / call_at  loop.CallSoon / CallLater / CallAt
//	loop.call_soon_threadsafe           loop.CallSoonThreadsafe
//	loop.time()                         loop.Time()
//	task.cancel(msg)                    task.Cancel(msg)
//	task.cancelling() / uncancel()      task.Cancelling() / Uncancel()
//	fut.result() / exception()          fut.Result() / Exception()
//	fut.set_result / set_exception      fut.SetResult / SetException
//	async def with yield                asyncio.NewAsyncGenerator(func(a, yield) error {...})
//	async for x in agen                 for x, err := range agen.All(a)
//	anext / asend / athrow / aclose     agen.ANext / ASend / AThrow / AClose
//	contextlib.aclosing(agen)           asyncio.Aclosing(a, agen, func() error {...})
//	asyncio.open_connection(host, port) asyncio.OpenConnection(a, host, port)
//	asyncio.start_server(cb, host, port) asyncio.StartServer(a, handler, host, port)
//	reader.read(n) / readline()         r.Read(a, n) / r.ReadLine(a)
//	reader.readexactly(n) / readuntil() r.ReadExactly(a, n) / r.ReadUntil(a, sep)
//	writer.write(b); await drain()      w.Write(b); w.Drain(a)
//	writer.close(); await wait_closed() w.Close(); w.WaitClosed(a)
//	server.serve_forever() / close()    srv.ServeForever(a) / srv.Close()
//	asyncio.create_subprocess_exec(prog, *args)  asyncio.CreateSubprocessExec(a, prog, args, opts...)
//	asyncio.create_subprocess_shell(cmd)  asyncio.CreateSubprocessShell(a, cmd, opts...)
//	stdin=/stdout=/stderr= PIPE, DEVNULL, STDOUT, None  WithStdin/WithStdout/WithStderr(Pipe, DevNull, Stdout, Inherit)
//	cwd= / env= / limit=                WithDir(dir) / WithEnv(env) / WithPipeLimit(n)
//	proc.pid / proc.returncode          p.Pid / p.Returncode()
//	proc.stdin / stdout / stderr        p.Stdin (*StreamWriter) / p.Stdout / p.Stderr (*StreamReader)
//	await proc.wait()                   p.Wait(a) (*SignaledError if a signal ended it)
//	await proc.communicate(input)       p.Communicate(a, input)
//	proc.send_signal / terminate / kill  p.SendSignal(sig) / p.Terminate() / p.Kill()
//	IncompleteReadError                 *IncompleteReadError (matches io.EOF)
//	LimitOverrunError                   *LimitOverrunError
//	asyncio.Lock()                      asyncio.Lock{} (Acquire(a), Release, Locked)
//	asyncio.Event()                     asyncio.Event{} (Wait(a), Set, Clear, IsSet)
//	asyncio.Condition(lock)             asyncio.NewCondition(lock) (Wait, WaitFor, Notify, NotifyAll)
//	asyncio.Semaphore(n)                asyncio.NewSemaphore(n)
//	asyncio.BoundedSemaphore(n)         asyncio.NewBoundedSemaphore(n)
//	asyncio.Barrier(n)                  asyncio.NewBarrier(n)
//	asyncio.Queue(maxsize)              asyncio.NewQueue[T](maxsize) (Put(a, v), Get(a), TaskDone, Join)
//	asyncio.PriorityQueue / LifoQueue   asyncio.NewPriorityQueue[T](maxsize, less) / NewLifoQueue[T]
//	queue.shutdown(immediate)           q.Shutdown(immediate)
//	QueueEmpty / QueueFull / QueueShutDown  ErrQueueEmpty / ErrQueueFull / ErrQueueShutDown
//	BrokenBarrierError                  ErrBrokenBarrier
//	CancelledError                      ErrCanceled, *CanceledError
//	TimeoutError                        ErrTimeout
//	InvalidStateError                   ErrInvalidState
//	coro.close() / getcoroutinestate(c) c.Close() / c.State()
//	"cannot reuse already awaited coroutine"  coro.ErrReused, coro.ErrAwaitedAlready
//	"await wasn't used with future"     ErrStrayResume
//	"The future belongs to a different loop"  ErrDifferentLoop
//	ExceptionGroup, except*             *ExceptionGroup, Split
//	StopAsyncIteration                  ErrStopAsyncIteration
package asyncio
