// Package gen provides generators that can be sent values: Python's
// generator protocol (next, send, throw, close, a return value, yield from)
// for Go, built on [iter.Pull].
//
// An [iter.Seq] only hands values out. A [Generator] is a paused function
// that hands values out and, at the same point, takes values, errors and a
// request to stop back in, and that hands over a result when it returns.
// That is what Python's coroutines were first made of, and what this
// module's coroutines and event loop are made of; it is also useful on its
// own, wherever Python would write a generator.
//
// # Generators
//
// [New] turns a function, the body, into a generator. The body receives a
// [Yielder]: each [Yielder.Yield] hands a value out and suspends the body
// until the generator is resumed. What the body returns becomes the
// generator's [Generator.Result]:
//
//	countdown := gen.New(func(y *gen.Yielder[int, gen.None]) (string, error) {
//		for n := 3; n > 0; n-- {
//			if _, err := y.Yield(n); err != nil {
//				return "", err
//			}
//		}
//		return "liftoff", nil
//	})
//	for v := range countdown.All() {
//		fmt.Println(v) // 3, 2, 1
//	}
//	r, err := countdown.Result() // "liftoff", nil
//
// Nothing runs until the first resume. [Generator.Next] runs the body up to
// its next Yield and returns the value yielded and true, or the zero value
// and false once the body has returned. [Generator.All] wraps Next in an
// [iter.Seq], so that a generator can be ranged over; a loop that stops
// early closes the generator, as Go iterators clean up after themselves.
// [FromSeq] goes the other way, and [Take] cuts a sequence short, as
// itertools.islice does.
//
// The type parameters say what flows where: Y out of Yield, S into it, and R
// out of the body when it returns. [None] stands for "nothing", as Python's
// None does: a generator that is only iterated has S = None.
//
// A generator is always in one of four states, which [Generator.State]
// reports under the names inspect.getgeneratorstate uses: [Created] before
// the first resume, [Running] while its body executes, [Suspended] at a
// Yield, and [Closed] once the body has ended, however it ended.
//
// # Sending values in
//
// [Generator.Send] resumes the body with a value, which the Yield the body
// is suspended at returns: Python's x = yield v. The first resume starts
// the body, which has no Yield waiting yet, so it must carry the zero value
// (Next is Send of the zero value); anything else panics with an error
// wrapping [ErrJustStarted]. That is why a coroutine is primed with one Next:
//
//	averager := gen.New(func(y *gen.Yielder[float64, float64]) (gen.None, error) {
//		var total, count, average float64
//		for {
//			term, err := y.Yield(average)
//			if err != nil {
//				return gen.None{}, err
//			}
//			total, count = total+term, count+1
//			average = total / count
//		}
//	})
//	averager.Next()   // runs to the first Yield
//	averager.Send(10) // 10, true
//	averager.Send(30) // 20, true
//
// # Throw and Close
//
// Yield's error result is where Python's exceptions raised at a yield
// arrive. [Generator.Throw] makes the pending Yield return the error: the
// body may handle it and yield again, and Throw returns that value; or it
// may return, usually with that error, which Result then reports.
//
// [Generator.Close] makes the pending Yield return [ErrGeneratorExit]. The
// body should return; its deferred calls run, as Python's finally blocks
// do, and Close returns nil, or the body's error if it failed some other
// way. A body that yields again instead is unwound (its deferred calls
// still run) and Close returns [ErrIgnoredClose]: Close never hangs. So the
// usual body hands any error it is given back:
//
//	if _, err := y.Yield(v); err != nil {
//		return zero, err // thrown into, or closed
//	}
//
// Throwing into or closing a generator that has not started ends it without
// running its body; doing so to a closed generator changes nothing.
//
// A generator that has started holds a coroutine until its body ends, so
// end every generator you start: run it to its end, Close it, or range
// over All, which closes it when the loop stops early. CPython closes a
// generator it collects; a dropped generator here is never resumed behind
// the program's back, on a goroutine of the runtime's: like an iter.Pull
// coroutine whose stop is never called, it keeps its coroutine and its
// deferred calls never run. [SetDropReport] reports such generators, to
// find the code that drops them.
//
// A body that panics ends its generator: the call that resumed it panics
// with the same value, the generator is Closed, and Result reports an error
// wrapping [ErrPanicked]. A body that resumes its own generator makes that
// call panic with an error wrapping [ErrRunning].
//
// To unwind a body that may not go on (one that ignored a close), gen
// panics with a value of its own, which only gen recovers. Code that
// recovers panics inside bodies must panic again with any value for which
// [IsUnwind] is true.
//
// A body must Yield on its own coroutine: a Yield (or an await, which is
// one) made from a goroutine the body started panics there with an error
// wrapping [ErrWrongGoroutine].
//
// # Delegation with YieldFrom
//
// [YieldFrom] is Python's r = yield from sub (PEP 380). Whatever sub yields
// goes out through the caller's generator; whatever is sent or thrown into
// the caller goes on to sub; closing the caller closes sub first; and
// YieldFrom returns sub's result:
//
//	report := gen.New(func(y *gen.Yielder[string, int]) (gen.None, error) {
//		for round := 1; ; round++ {
//			sum, err := gen.YieldFrom(y, total()) // sum = yield from total()
//			if err != nil {
//				return gen.None{}, err
//			}
//			if _, err := y.Yield(fmt.Sprintf("round %d: %d", round, sum)); err != nil {
//				return gen.None{}, err
//			}
//		}
//	})
//
// As PEP 380 specifies, when the caller is being closed and sub returns
// without an error, YieldFrom still reports ErrGeneratorExit, so that the
// caller ends too; when sub ignores the close, YieldFrom reports
// ErrIgnoredClose, which the caller may handle.
//
// How YieldFrom delegates depends on sub. A sub that has not started runs
// inline: its body executes on the caller's coroutine, through the
// caller's Yielder, so nothing is forwarded and a resume costs the same
// however deep the chain of delegations is. Meanwhile sub reports its
// caller's state, and resuming it directly panics with ErrRunning. A sub
// that has already started keeps its own coroutine. CPython forwards each
// resume to it level by level; here a Send or a Throw goes straight down
// to the innermost generator of the chain, and the levels in between are
// resumed only when the one below them ends, to take its result (or its
// panic) and go on. Only Close goes down level by level, as PEP 380 closes
// each sub in turn. A program observes the same values, results, errors,
// panics, states and deferred calls either way.
//
// A driver, such as an event loop's task, attaches itself to the generator
// it runs with [Generator.SetOwner]; every body, at any depth of inline
// delegation, finds it with [Yielder.Owner].
//
// # Cost
//
// A generator gets its coroutine on its first resume (a sub run inline
// never gets one): an [iter.Pull] of its own (a goroutine and six
// allocations), which is stopped as soon as its body ends, so that a
// generator that has ended leaves nothing behind. Creating a generator and
// running it to its end costs that iter.Pull, two more small allocations
// and the switches: about 1.5 times a bare iter.Pull's whole life (create,
// one next, stop). A driver that starts many short generators, such as an
// event loop, gives them a [Pool]: a start then takes a coroutine that an
// earlier generator gave back, in a few nanoseconds. A generator started
// while a drop report is set (see [SetDropReport]) costs a
// runtime.AddCleanup too, removed as soon as it ends.
//
// A resume is one coroutine switch there and back, with no allocation: in
// the benchmarks of the bench package (medians of 5 runs on a shared
// two-vCPU AMD EPYC virtual machine, Go 1.26), a Send costs 86 ns, 1.2
// times a raw iter.Pull next, and a fifth of a round trip through a
// goroutine and two channels. Through a chain of
// delegations, a Send costs the same at any depth when the subs ran inline
// (86 ns at depths 1 and 100), and about 2.5 ns more per level when they
// had started before (114 ns at depth 1, 367 ns at depth 100), where
// CPython forwards the resume through every level.
//
// # Correspondence with Python
//
//	Python                                         Go
//	def g(): ... yield v ...                       gen.New(func(y *gen.Yielder[Y, S]) (R, error) { ... y.Yield(v) ... })
//	x = yield v                                    x, err := y.Yield(v)
//	next(g)                                        g.Next()
//	g.send(v)                                      g.Send(v)
//	g.throw(exc)                                   g.Throw(err)
//	g.close()                                      g.Close()
//	return v; StopIteration.value                  return v, nil; g.Result()
//	finally:                                       defer
//	GeneratorExit                                  ErrGeneratorExit
//	RuntimeError: generator ignored GeneratorExit  ErrIgnoredClose
//	ValueError: generator already executing        ErrRunning
//	TypeError: can't send non-None value ...       ErrJustStarted
//	inspect.getgeneratorstate(g)                   g.State()
//	GEN_CREATED, GEN_RUNNING, ...                  Created, Running, Suspended, Closed
//	r = yield from sub                             r, err := gen.YieldFrom(y, sub)
//	for v in g:                                    for v := range g.All()
//	itertools.islice(it, n)                        gen.Take(seq, n)
//	None                                           None
//
// Where Go makes the two differ: Throw into a closed generator returns
// false instead of raising the error again; a body that ignores a close is
// unwound rather than left suspended; Result keeps the body's return value
// for as long as the generator lives, while Python hands it over once, in
// StopIteration; a range over All that stops early closes the generator
// (and so does Take, once it has its values), where breaking out of a
// Python for loop, or islice, leaves it suspended; and a dropped generator
// is reported, if asked, rather than closed by the collector.
package gen
