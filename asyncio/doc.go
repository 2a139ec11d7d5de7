// Package asyncio is Python's asyncio for Go: an event loop that runs
// coroutines as tasks, with futures, Gather, task groups, timeouts,
// cancellation, synchronisation primitives, queues, async generators,
// streams over TCP, TLS and Unix sockets, UDP datagrams, subprocesses and
// signal handlers, built on the send-capable generators of package gen and
// the coroutines of package coro.
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
// ([WithIdleThreshold], [DefaultIdleThreshold], Trio's autojump): work that answers within it is
// waited for, work that stays silent does not freeze time. A connection
// whose two ends belong to the same loop is outside work only while bytes
// are on their way between them; a datagram endpoint
// ([CreateDatagramEndpoint]) only while a task waits in RecvFrom.
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
// # Streams, sockets and datagrams
//
// [OpenConnection] and [StartServer] give a task a [*StreamReader] and a
// [*StreamWriter] over TCP, as Python's streams do: reads wait for bytes,
// and [StreamWriter.Drain] waits while the peer is slow to take them.
// [WithTLS] makes either side speak TLS ([WithServerHostname],
// [WithTLSHandshakeTimeout]); [StreamWriter.StartTLS] upgrades a connection
// after a plaintext greeting, as STARTTLS does, and [StreamWriter.ExtraInfo]
// says what was negotiated. [OpenUnixConnection] and [StartUnixServer] do
// the same over Unix domain sockets. With [WithReusePort], several loops,
// each on a goroutine of its own, accept on one port: one loop per core.
// [CreateDatagramEndpoint] sends and receives UDP datagrams through a
// [*DatagramEndpoint] whose queues are bounded ([WithDatagramQueue]), and
// [GetAddrInfo] and [GetNameInfo] resolve names without holding up the
// loop. On Linux the loop polls its sockets itself (epoll), as Python's
// selector loop does, and reads and writes only those that are ready; on
// other systems goroutines read them and report to the loop. Either way a
// socket is written by the loop only when it takes the bytes at once, so a
// slow peer never holds up the other tasks, and an idle connection costs
// no goroutine on Linux.
//
// # Outside the loop
//
// [Run] takes a context.Context: cancelling it cancels the main task. A
// [Runner] keeps one loop for several runs ([RunWith]), and Run is a Runner
// used once. [Loop.AddSignalHandler] runs a handler of an OS signal on the
// loop, and [WithInterrupt] gives Run asyncio.run's handling of Ctrl-C.
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
// on the real clock an idle loop waits, as asyncio does, and after a while
// ([WithStallThreshold], [DefaultStallThreshold]) writes a stall report of
// the tasks blocked with nothing pending, with their await chains, to its
// diagnostics writer ([WithDiagnostics]); it goes on waiting. Where a
// deadlock can be proven (on the virtual clock, whose goroutines that will
// call in are registered with [Loop.RegisterExternal], or under
// [WithStrictDeadlocks]), Run returns a [*DeadlockError] listing what every
// task waits for, instead of hanging.
//
// # Awaitables in one expression
//
// Python passes any await to wait_for, create_task, gather or shield as one
// expression: the coroutine or future it awaits. In Go an await is a call
// that takes the handle, so its awaitable is made apart: [Async] of a
// method value that returns a value and an error (asyncio.Async(q.Get) is
// q.get(), asyncio.Async(agen.ANext) is anext(agen)), [AsyncErr] of one
// that returns only an error (asyncio.AsyncErr(event.Wait) is
// event.wait(), and the same for Lock.Acquire, Queue.Join,
// StreamWriter.Drain, StreamWriter.WaitClosed...), [SleepCoro] for
// asyncio.sleep(d), [ShieldFuture] for asyncio.shield(aw) and
// [GatherFuture] for asyncio.gather(...). [AsyncErr] is also the form of an
// async def that returns nothing. An await that takes arguments besides the
// handle needs a closure: q.put(v) is asyncio.AsyncErr(func(a *asyncio.A)
// error { return q.Put(a, v) }). A slice of tasks or coroutines goes into
// Gather through [Awaitables], and coroutines into AsCompleted and Wait
// through [CreateTasks].
//
// # Timeouts
//
// Every call that takes a timeout ([WaitFor], [Timeout], [Wait],
// [AsCompleted]) spells Python's None [NoTimeout], and takes 0 (or less) for
// no time at all, as Python does.
//
// # Correspondence with Python
//
// Python names become MixedCaps; awaits take the handle first; exceptions
// become returned errors.
//
//	Python                              Go
//	async def f(): ...                  func f() *asyncio.Coro[T] { return asyncio.Async(func(a *asyncio.A) (T, error) {...}) }
//	async def f(): (returns nothing)    func f() *asyncio.Coro[struct{}] { return asyncio.AsyncErr(func(a *asyncio.A) error {...}) }
//	q.get() / event.wait() as awaitables  asyncio.Async(q.Get) / asyncio.AsyncErr(event.Wait)
//	await x                             asyncio.Await(a, x)
//	coro.close() / getcoroutinestate(c)  c.Close() / c.State()
//	asyncio.run(main())                 asyncio.Run(ctx, main())
//	asyncio.run(main(), debug=True)     asyncio.Run(ctx, main(), asyncio.WithDebug())
//	asyncio.run's Ctrl-C handling       asyncio.Run(ctx, main(), asyncio.WithInterrupt())
//	with asyncio.Runner() as runner:    r := asyncio.NewRunner(opts...); defer r.Close()
//	runner.run(main())                  asyncio.RunWith(r, ctx, main())
//	runner.get_loop() / close()         r.Loop() / r.Close()
//	asyncio.sleep(d)                    asyncio.Sleep(a, d)
//	asyncio.sleep(d, result)            asyncio.SleepResult(a, d, result)
//	asyncio.sleep(d) as an awaitable    asyncio.SleepCoro(d)
//	asyncio.create_task(c)              asyncio.CreateTask(a, c)
//	[create_task(c) for c in coros]     asyncio.CreateTasks(a, coros)
//	await asyncio.gather(*aws)          asyncio.Gather(a, aws...)
//	await asyncio.gather(*tasks)        asyncio.Gather(a, asyncio.Awaitables(tasks)...)
//	x, y = await gather(fx(), fy())     x, y, err := asyncio.Gather2(a, fx(), fy()) (and Gather3)
//	gather(..., return_exceptions=True)  asyncio.GatherReturnExceptions(a, aws...)
//	g = asyncio.gather(*aws)            g := asyncio.GatherFuture(a, aws...) (*GatheringFuture: Await, Cancel, Result...)
//	g = gather(..., return_exceptions=True)  asyncio.GatherFutureReturnExceptions(a, aws...) (g.Errors())
//	async with asyncio.TaskGroup() as tg  asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {...})
//	tg.create_task(c)                   asyncio.CreateTask(tg, c)
//	asyncio.timeout(d)                  asyncio.Timeout(a, d, func(*asyncio.TimeoutScope) error {...})
//	asyncio.timeout_at(when)            asyncio.TimeoutAt(a, when, ...)
//	asyncio.wait_for(aw, d)             asyncio.WaitFor(a, aw, d)
//	timeout=None / timeout=0            asyncio.NoTimeout / 0
//	await asyncio.shield(aw)            asyncio.Shield(a, aw)
//	asyncio.shield(aw) as a future      asyncio.ShieldFuture(a, aw)
//	asyncio.wait(fs, return_when=...)   asyncio.Wait(a, fs, asyncio.FirstCompleted, timeout)
//	asyncio.as_completed(fs)            for f, err := range asyncio.AsCompleted(a, fs, timeout)
//	asyncio.as_completed(coros)         asyncio.AsCompleted(a, asyncio.CreateTasks(a, coros), timeout)
//	asyncio.to_thread(fn)               asyncio.ToThread(a, fn)
//	loop.run_in_executor(None, fn)      asyncio.RunInExecutor(loop, fn)
//	asyncio.get_running_loop()          asyncio.GetRunningLoop(a)
//	asyncio.current_task()              asyncio.CurrentTask(a)
//	asyncio.all_tasks()                 asyncio.AllTasks(a)
//	loop.create_future()                asyncio.NewFuture[T](loop)
//	loop.call_soon / call_later / call_at  loop.CallSoon / CallLater / CallAt
//	loop.call_soon_threadsafe           loop.CallSoonThreadsafe
//	loop.time()                         loop.Time()
//	loop.add_signal_handler(sig, fn)    loop.AddSignalHandler(sig, fn)
//	loop.remove_signal_handler(sig)     loop.RemoveSignalHandler(sig)
//	task.cancel() / cancel(msg)         task.Cancel() / task.Cancel(msg)
//	task.cancelling() / uncancel()      task.Cancelling() / Uncancel()
//	fut.result() / exception()          fut.Result() / Exception()
//	fut.set_result / set_exception      fut.SetResult / SetException
//	fut.add_done_callback(fn)           cb := fut.AddDoneCallback(fn) (a *DoneCallback)
//	fut.remove_done_callback(fn)        fut.RemoveDoneCallback(cb)
//	async def with yield                asyncio.NewAsyncGenerator(func(a, yield) error {...})
//	async for x in agen                 for x, err := range agen.All(a)
//	anext / asend / athrow / aclose     agen.ANext / ASend / AThrow / AClose
//	anext(agen, default)                agen.ANextDefault(a, def)
//	agen.ag_running / getasyncgenstate  agen.Running() / agen.State()
//	contextlib.aclosing(agen)           asyncio.Aclosing(a, agen, func() error {...})
//	asyncio.open_connection(host, port)  asyncio.OpenConnection(a, host, port)
//	asyncio.start_server(cb, host, port)  asyncio.StartServer(a, handler, host, port)
//	asyncio.open_unix_connection(path)  asyncio.OpenUnixConnection(a, path)
//	asyncio.start_unix_server(cb, path)  asyncio.StartUnixServer(a, handler, path)
//	open_connection(..., limit=n)       OpenConnection(..., WithStreamLimit(n))
//	open_connection(..., local_addr=, happy_eyeballs_delay=)  OpenConnection(..., WithLocalAddr(h, p), WithHappyEyeballsDelay(d))
//	start_server(..., reuse_address=, reuse_port=, backlog=)  StartServer(..., WithReuseAddress(b), WithReusePort(), WithBacklog(n))
//	open_connection(..., ssl=ctx, server_hostname=h, ssl_handshake_timeout=d)  OpenConnection(a, host, port, WithTLS(cfg), WithServerHostname(h), WithTLSHandshakeTimeout(d))
//	start_server(..., ssl=ctx)          StartServer(a, handler, host, port, WithTLS(cfg))
//	await writer.start_tls(ctx)         w.StartTLS(a, cfg)
//	server.sockets[0].getsockname()     srv.Addr() (TCP) / srv.ListenAddr()
//	server.serve_forever() / close()    srv.ServeForever(a) / srv.Close()
//	reader.read(n) / readline()         r.Read(a, n) / r.ReadLine(a)
//	reader.readexactly(n) / readuntil()  r.ReadExactly(a, n) / r.ReadUntil(a, sep)
//	writer.write(b); await drain()      w.Write(b); w.Drain(a)
//	writer.close(); await wait_closed()  w.Close(); w.WaitClosed(a)
//	writer.transport.abort()            w.Abort()
//	writer.get_extra_info(name)         w.ExtraInfo() (LocalAddr, RemoteAddr, TLS, PeerCertificate)
//	IncompleteReadError                 *IncompleteReadError (matches io.EOF)
//	LimitOverrunError                   *LimitOverrunError
//	loop.create_datagram_endpoint(f, local_addr=, remote_addr=)  asyncio.CreateDatagramEndpoint(a, WithLocalAddr(h, p), WithRemoteAddr(h, p))
//	  reuse_port=True, allow_broadcast=True  WithReusePort(), WithAllowBroadcast(); WithDatagramQueue(n) bounds the queues
//	protocol.datagram_received(data, addr)  data, addr, err := e.RecvFrom(a)
//	protocol.error_received(exc)        the err of RecvFrom; e.Dropped() counts what overflowed
//	transport.sendto(data, addr)        e.SendTo(data, addr) (ErrSendQueueFull)
//	transport.close()                   e.Close() (ErrEndpointClosed)
//	get_extra_info('sockname' / 'peername')  e.LocalAddr() / e.RemoteAddr()
//	loop.getaddrinfo(host, port, ...)   asyncio.GetAddrInfo(a, network, host, port) ([]netip.AddrPort)
//	loop.getnameinfo((addr, port))      asyncio.GetNameInfo(a, addr); WithResolver(r)
//	asyncio.create_subprocess_exec(prog, *args)  asyncio.CreateSubprocessExec(a, prog, args, opts...)
//	asyncio.create_subprocess_shell(cmd)  asyncio.CreateSubprocessShell(a, cmd, opts...)
//	stdin=/stdout=/stderr= PIPE, DEVNULL, STDOUT, None  WithStdin/WithStdout/WithStderr(Pipe, DevNull, Stdout, Inherit)
//	cwd= / env= / limit=                WithDir(dir) / WithEnv(env) / WithPipeLimit(n)
//	proc.pid / proc.returncode          p.Pid / p.Returncode()
//	proc.stdin / stdout / stderr        p.Stdin (*StreamWriter) / p.Stdout / p.Stderr (*StreamReader)
//	await proc.wait()                   p.Wait(a) (*SignaledError if a signal ended it)
//	await proc.communicate(input)       p.Communicate(a, input)
//	proc.send_signal / terminate / kill  p.SendSignal(sig) / p.Terminate() / p.Kill()
//	asyncio.Lock()                      asyncio.Lock{} (Acquire(a), Release, Locked)
//	asyncio.Event()                     asyncio.Event{} (Wait(a), Set, Clear, IsSet)
//	asyncio.Condition(lock)             asyncio.NewCondition(lock) (Wait, WaitFor, Notify, NotifyAll)
//	asyncio.Semaphore(n)                asyncio.NewSemaphore(n)
//	asyncio.BoundedSemaphore(n)         asyncio.NewBoundedSemaphore(n)
//	asyncio.Barrier(n)                  asyncio.NewBarrier(n)
//	asyncio.Queue(maxsize)              asyncio.NewQueue[T](maxsize) (Put(a, v), Get(a), TaskDone, Join)
//	asyncio.PriorityQueue / LifoQueue   asyncio.NewPriorityQueue[T](maxsize, less) / NewLifoQueue[T]
//	queue.shutdown(immediate)           q.Shutdown(immediate)
//	CancelledError                      ErrCanceled, *CanceledError (match context.Canceled)
//	TimeoutError                        ErrTimeout (matches context.DeadlineExceeded)
//	InvalidStateError                   ErrInvalidState
//	KeyboardInterrupt (asyncio.run)     ErrInterrupted
//	ExceptionGroup, except*             *ExceptionGroup, Split
//	StopAsyncIteration                  ErrStopAsyncIteration
//	QueueEmpty / QueueFull / QueueShutDown  ErrQueueEmpty / ErrQueueFull / ErrQueueShutDown
//	BrokenBarrierError                  ErrBrokenBarrier
//	"no running event loop"             ErrNoRunningLoop
//	"asyncio.run() cannot be called from a running event loop"  ErrNestedRun
//	"Runner is closed"                  ErrRunnerClosed
//	"This event loop is already running"  ErrLoopRunning
//	"Event loop is closed"              ErrLoopClosed
//	"Task cannot await on itself"       ErrAwaitSelf
//	"await wasn't used with future"     ErrStrayResume
//	"The future belongs to a different loop"  ErrDifferentLoop
//	"cannot reuse already awaited coroutine"  coro.ErrReused, coro.ErrAwaitedAlready
//	"Lock is not acquired."             ErrNotLocked
//	"BoundedSemaphore released too many times"  ErrTooManyReleases
//	"task_done() called too many times"  ErrTooManyTaskDone
//	"Set of Tasks/Futures is empty."    ErrNoFutures
//	"Invalid return_when value"         ErrInvalidReturnWhen
//	"asynchronous generator is already running"  ErrAsyncGenRunning
//	"async generator ignored GeneratorExit"  ErrAsyncGenIgnoredExit
package asyncio
