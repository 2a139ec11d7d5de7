// Package coro provides coroutines, Python's async def functions, built the
// way Python built them: as generators (package gen) that yield suspension
// requests, with await as yield from.
//
// # Coroutines are generators
//
// A [Coroutine] is a [gen.Generator] whose body gets a [Handle] instead of a
// Yielder and returns (T, error). It yields only when it has to wait: the
// value it yields is a suspension request ("wake me after 3 seconds", "wake
// me when this future is done", or nil for "let the others run"), and what
// it is resumed with is the driver's answer. The driver is whatever calls
// [Coroutine.Send]: a task of an event loop, [RoundRobin], or a test.
//
//	c := coro.New(func(h *coro.Handle) (string, error) {
//		fmt.Println("started")
//		if err := coro.Yield(h); err != nil { // await asyncio.sleep(0)
//			return "", err
//		}
//		return "done", nil
//	})
//	c.Send(nil)       // prints started; c is suspended at its Yield
//	c.Send(nil)       // c returns: ok is false
//	c.Result()        // "done", nil
//
// [Handle.Suspend] is the one primitive that suspends: it hands a request out
// and returns what comes back in, the value sent or the error thrown. [Yield]
// is Suspend(nil). Everything else suspends by awaiting something that, at
// the bottom, calls Suspend.
//
// # Await is yield from
//
// Python's await is yield from (PEP 380, PEP 492): every request the awaited
// coroutine yields goes out to the driver, every value sent and every error
// thrown goes in to it, closing the awaiter closes it first, and the value of
// the await is its return value. [Await] is the same:
//
//	x, err := coro.Await(h, other)   // x = await other
//
// Errors travel the chain as values: an error thrown into the outermost
// coroutine (a cancellation, say) is returned by the innermost Suspend, the
// body there may handle it and go on, and an error a body returns is the
// error of the await that was running it, and so on up. [Coroutine.Close]
// delivers [gen.ErrGeneratorExit] at the innermost await; each level returns,
// its deferred calls run innermost first, and every await on the way up
// reports ErrGeneratorExit, even one whose coroutine swallowed it and
// returned a value, as PEP 380 requires.
//
// # The inline path: await costs O(1)
//
// In CPython every level of an await chain is its own frame object, and
// a resume travels down the chain: the driver sends to the outermost
// coroutine, which sends to the one it awaits, and so on to the bottom, and
// the request climbs back up the same way. A resume of a coroutine suspended
// 100 awaits deep does 100 times the forwarding of one suspended 1 deep
// (CPython 3.11: about 80–120 ns at depth 1, about 4 µs at depth 100, some
// 40 ns a level).
//
// Go's coroutines (the iter.Pull machinery under gen) are stackful: a
// coroutine's whole call stack is suspended at once, however deep the
// suspension point is. So a coroutine that has not started yet and is
// awaited does not get a coroutine of its own: its body runs inline, as a
// plain function call on the awaiting coroutine's stack, with the awaiter's
// Handle. Its Suspend suspends the one coroutine the chain runs on, and the
// next resume lands directly in it, with no forwarding at any level. A
// resume costs the same at depth 100 as at depth 1.
//
// The observable semantics are PEP 380's: the same requests reach the
// driver, the same errors reach the same awaits, and Close runs the same
// deferred calls in the same order. Even [Coroutine.State] agrees: a
// coroutine being awaited inline reports its awaiter's state (Running while
// the chain runs, Suspended while it is suspended), which is what
// inspect.getcoroutinestate reports for it in Python too.
//
// Coroutine awaits always take this path: Python allows only a coroutine
// that has not started to be awaited ("cannot reuse already awaited
// coroutine" for a finished one, "coroutine is being awaited already" for a
// suspended one, [ErrReused] and [ErrAwaitedAlready] here), and that is the
// case that runs inline.
//
// The benchmarks in package bench measure both costs. On a shared two-vCPU
// AMD EPYC virtual machine (Go 1.26, medians of 5 runs), BenchmarkAwaitDepth
// resumes a coroutine suspended 1, 10 or 100 awaits deep in 102–105 ns, the
// same at every depth, with no allocation. BenchmarkAwaitCall, creating and
// awaiting a coroutine that returns at once, takes 221 ns and three
// allocations (248 B: gen's generator state, its handle, and the closure
// with which New turns panics into errors), where BenchmarkPlainCall, the
// same work as a function call, takes 3 ns: an await is cheap to resume,
// not to create, so a helper that never suspends is better written as a
// plain function.
//
// # Writing an awaitable
//
// Anything with an Await(h *Handle) (T, error) method is an [Awaitable], as
// anything with __await__ is awaitable in Python. Its Await runs on the
// awaiting coroutine's stack: it suspends with h.Suspend (or awaits other
// awaitables) as often as it needs, returns an error thrown in at a
// suspension unless it can handle it, and finally returns its result.
//
//	// A question is a request the driver answers by sending the answer.
//	type question string
//
//	type ask struct{}
//
//	func (ask) Await(h *coro.Handle) (string, error) {
//		first, err := h.Suspend(question("first name?"))
//		if err != nil {
//			return "", err
//		}
//		last, err := h.Suspend(question("last name?"))
//		if err != nil {
//			return "", err
//		}
//		return fmt.Sprintf("%s %s", first, last), nil
//	}
//
//	name, err := coro.Await(h, ask{})
//
// This is how the event loop's futures are built: the request is the future,
// the task that drives the coroutine adds a done callback to it, and the
// callback resumes the coroutine with the future's result.
//
// # Python side by side
//
//	Python                                  Go
//	async def f(): ...  c = f()             c := coro.New(func(h *coro.Handle) (T, error) { ... })
//	x = await aw                            x, err := coro.Await(h, aw)
//	await asyncio.sleep(0)                  err := coro.Yield(h)
//	v = yield req   (inside __await__)      v, err := h.Suspend(req)
//	class A: def __await__(self): ...       func (A) Await(h *coro.Handle) (T, error)
//	req = c.send(v)                         req, ok := c.Send(v)
//	except StopIteration as e: e.value      ok == false; c.Result()
//	raise inside the body                   return zero, err
//	c.throw(exc)                            c.Throw(err)
//	c.close()                               c.Close()
//	GeneratorExit                           gen.ErrGeneratorExit
//	inspect.getcoroutinestate(c)            c.State()
//	  CORO_CREATED, CORO_RUNNING,             gen.Created, gen.Running,
//	  CORO_SUSPENDED, CORO_CLOSED             gen.Suspended, gen.Closed
//	RuntimeError: cannot reuse already      ErrReused (from Await; Send and
//	  awaited coroutine                       Throw panic with it)
//	RuntimeError: coroutine is being        ErrAwaitedAlready
//	  awaited already
//	RuntimeError: coroutine ignored         gen.ErrIgnoredClose
//	  GeneratorExit
//	TypeError: can't send non-None value    Send panics with gen.ErrJustStarted
//	  to a just-started coroutine
//	ValueError: coroutine already executing the call panics with gen.ErrRunning
//	an exception escaping the body          a panic: the error is a *PanicError
//	  (with its traceback)                    (with its stack)
//
// States print under gen's names (GEN_SUSPENDED); the values are the same
// four. Where Python leaves a coroutine that ignored GeneratorExit suspended
// for the garbage collector, Go unwinds it at once, running its deferred
// calls.
//
// # Panics
//
// A panic in a body does not unwind the driver: it ends the coroutine with a
// [*PanicError] holding the panic value and the stack at the moment of the
// panic. The error then travels up the await chain like any other, so the
// top of a chain 50 awaits deep reports the innermost function's stack. If
// the panic value is an error, errors.Is and errors.As see through to it.
//
// # Lightweight threads from generators
//
// A coroutine that suspends gives control back to its driver, and a driver
// can keep several coroutines going by resuming them in turn: cooperative
// multitasking is a queue and a loop, as David Beazley's generator
// schedulers showed. [RoundRobin] is that loop, and nothing else: it runs the
// lesson's
//
//	async def fun_a():
//	    print("Running coroutine *a*.")
//	    await asyncio.sleep(0)
//	    print("Back in *a*.")
//	    return "result from *a*"
//
//	await asyncio.gather(fun_a(), fun_b())
//
// as coro.RoundRobin(funA, funB), with the same output, on the calling
// goroutine and with no event loop. Coroutines under RoundRobin may only
// [Yield]; a request it cannot serve (a timer, which needs a clock) is
// answered with an error wrapping errors.ErrUnsupported, thrown in at that
// await. The event loop of package asyncio is the same loop with timers,
// futures and I/O added.
package coro
