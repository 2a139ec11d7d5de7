package gen

import (
	"errors"
	"fmt"
	"runtime"
)

// A Yielder is a generator body's suspension point: the handle through which
// the body hands values out and receives what the caller sends in. The body
// receives it as its only argument and must not use it after returning or
// from any other goroutine: a Yield made there panics with an error wrapping
// ErrWrongGoroutine whenever the generator is not running at that moment.
//
// Inside the package, a Yielder is also the record of the coroutine that
// runs the body (and the bodies it delegates to inline): the fields below
// that are not the body's concern belong to that coroutine.
type Yielder[Y, S any] struct {
	// out is the function Yield suspends the coroutine with: the yield
	// function of the runner that executes the body (yield), or, while the
	// coroutine may not hand values out (see exiting) or is being asked
	// for its stack (see Generator.Callers), a function that does what
	// that case requires instead. Swapping out keeps those cases out of
	// Yield, which the compiler can then inline into the body: one call
	// frame fewer between a body and the coroutine switch, which saves a
	// mispredicted return on every resume (the switch leaves the processor's
	// return predictions pointing into the other stack). A body delegated to
	// inline by YieldFrom shares its host's Yielder, which is why a resume
	// costs the same at any delegation depth.
	//
	// While the coroutine is not running (the generator is suspended, or
	// its body has returned), out is strayYield, which reports a Yield made
	// from another goroutine; whatever resumes the coroutine sets it back
	// to yield first (see step). Checking the state in Yield instead would
	// push Yield over the inlining budget.
	out   func(bool) bool
	yield func(bool) bool

	// value is what the body hands out with Yield, from the Yield until the
	// resume that the coroutine suspended from takes it.
	value Y

	// next and stop are the iter.Pull functions of the coroutine that runs
	// the body: nil until the generator starts, and again once its body has
	// ended. The coroutine is the generator's own if pool is nil, and
	// otherwise that of r, a runner from pool. (Keeping them here rather
	// than only in r spares each resume a load, and a generator of its own
	// the allocation of a runner.)
	next func() (yielded, ok bool)
	stop func()
	r    *runner
	pool *Pool

	// in and inErr form the slot that a resume fills before it resumes the
	// coroutine, and empties once the coroutine has suspended again or
	// ended: it is empty whenever the coroutine is suspended. Yield returns
	// what is in it.
	in    S
	inErr error

	// state is the state of the generator that owns the coroutine.
	state State

	// probing is set while Generator.Callers is asking the suspended Yield
	// for its stack; see Generator.Callers.
	probing bool

	// panicked and panicVal hold a panic of the body, recovered by the
	// coroutine so that it can end cleanly, until whoever resumed it (or
	// the YieldFrom that delegates to it, see resume) raises it again.
	panicked bool
	panicVal any

	// depth is how many subgenerators YieldFrom is running inline on this
	// coroutine right now: 0 while only the generator's own body runs.
	depth int32

	// exiting is the depth of the innermost inline subgenerator that is being
	// closed by its delegator, or 0. PEP 380 turns a close (or a thrown
	// GeneratorExit) reaching a `yield from` into sub.close(), so once
	// ErrGeneratorExit has been delivered at depth d, the subgenerators at
	// depths 1..d are each inside their delegator's close: one that returns
	// makes its YieldFrom report ErrGeneratorExit, one that yields instead
	// is unwound and its YieldFrom reports ErrIgnoredClose, exactly what a
	// forwarded subgenerator's Close does. While it is not 0, out is
	// refuse, which unwinds the yielding subgenerator; see setExiting.
	exiting int32
	refuse  func(bool) bool

	// delegate is the coroutine of the started subgenerator that a
	// forwarding YieldFrom on this coroutine delegates to, while that
	// YieldFrom is suspended at its own Yield; nil otherwise. A resume
	// follows these links down to the innermost generator and resumes it
	// directly (see resume). caller is the link back up, set by the resume
	// that is passing through.
	delegate *Yielder[Y, S]
	caller   *Yielder[Y, S]

	// owner is whatever the generator's driver attached with SetOwner.
	owner any

	// cleanup reports the generator if it is watched and its handle is
	// dropped while it is suspended (see SetDropReport); it is stopped as
	// soon as the generator is closed.
	cleanup runtime.Cleanup
}

// Owner returns the value attached with SetOwner to the generator that owns
// this Yielder's coroutine, or nil. A subgenerator running inline shares its
// host's Yielder and so sees the host's owner: a driver can attach itself to
// the outermost generator and be found from any depth of delegation, as an
// event loop finds the task running a chain of awaits.
func (y *Yielder[Y, S]) Owner() any { return y.owner }

// Yield suspends the body and hands v to whoever resumed the generator. It
// returns when the generator is resumed again: with the value passed to Send
// (the zero value for Next) and a nil error, or with the error passed to
// Throw, or with ErrGeneratorExit when the generator is being closed.
//
// A body that handles a thrown error may yield again. A body that receives
// ErrGeneratorExit must return; if it yields again instead, that Yield does
// not return: the body is unwound, its deferred calls run, and Close reports
// ErrIgnoredClose (or, for a subgenerator that YieldFrom runs inline, that
// YieldFrom does).
//
// Yield must be called by the body, on the generator's coroutine. Called
// from another goroutine (or after the body returned) while the generator
// is not running, it panics there with an error wrapping
// ErrWrongGoroutine; the generator is left as it was.
func (y *Yielder[Y, S]) Yield(v Y) (S, error) {
	// Keep this within the compiler's inlining budget: see out.
	y.value = v
	for y.out(true) {
		if !y.probing {
			return y.in, y.inErr
		}
	}
	panic(unwind{})
}

// yieldTo is Yield for a forwarding YieldFrom that hands out v, a value of
// the started subgenerator whose coroutine is sub: while suspended, it
// leaves the link by which a resume goes straight down to sub.
func (y *Yielder[Y, S]) yieldTo(v Y, sub *Yielder[Y, S]) (S, error) {
	if y.state != Running {
		// Leave the link alone: it would send the generator's next
		// resume to sub.
		strayYield(true)
	}
	if y.exiting > 0 {
		// out would refuse v (see setExiting); the link must not be
		// left behind when it does.
		panic(ignoredClose{y.exiting})
	}
	y.delegate = sub
	y.value = v
	for y.out(true) {
		if !y.probing {
			y.delegate = nil
			return y.in, y.inErr
		}
	}
	y.delegate = nil
	panic(unwind{})
}

// setExiting sets exiting to d, and out to match.
func (y *Yielder[Y, S]) setExiting(d int32) {
	y.exiting = d
	if d == 0 {
		y.out = y.yield
		return
	}
	if y.refuse == nil {
		y.refuse = func(bool) bool {
			// Handing the value out would let an inline subgenerator
			// ignore its close unnoticed, where a forwarded one's Close
			// would unwind it instead.
			panic(ignoredClose{y.exiting})
		}
	}
	y.out = y.refuse
}

// clear empties the slot, which a resume filled, once the coroutine has
// suspended again (or ended): the body has taken what was in it, which the
// generator must not keep alive.
func (y *Yielder[Y, S]) clear() {
	var zero S
	y.in, y.inErr = zero, nil
}

// resume resumes the suspended coroutine y with v, or with err, and returns
// what it yields, or false once its body has ended. A panic of the body is
// left in y.panicked for the caller to raise.
//
// If direct is set and y is suspended in a forwarding YieldFrom, resume
// does not resume y to have its YieldFrom forward v to the subgenerator (and
// that one to its own, and so on, as CPython does): it follows the delegate
// links down to the innermost generator that is suspended at a Yield of its
// own and resumes that one, marking every level in between Running, as
// Python reports them while a resume passes through. A resume then costs
// one coroutine switch at any depth, plus a few stores per level. When the
// innermost generator yields, so do all the levels above it. When it ends,
// the level above it is resumed to collect its result: its YieldFrom finds
// the subgenerator closed and returns its Result, or raises its panic again
// in that level's body, so that deferred calls and recovers run at every
// level in order, as with forwarding. That level may yield, or end too, and
// so on up to y.
//
// A level whose subgenerator is not suspended (it was finished, or is being
// resumed, by a direct call) stops the descent: it is resumed with v and its
// YieldFrom forwards it, as it always would.
func (y *Yielder[Y, S]) resume(v S, err error, direct bool) (Y, bool) {
	t := y
	if direct {
		for d := t.delegate; d != nil && d.state == Suspended; d = t.delegate {
			t.state = Running
			d.caller = t
			t = d
		}
	}
	t.in, t.inErr = v, err
	if err != nil && t.depth > 0 && errors.Is(err, ErrGeneratorExit) {
		// The close reaches the innermost inline subgenerator.
		t.setExiting(t.depth)
	}
	for {
		out, ok := t.step()
		if t == y {
			return out, ok
		}
		up := t.caller
		t.caller = nil
		t = up
		if ok {
			for {
				t.state = Suspended
				if t == y {
					return out, true
				}
				up := t.caller
				t.caller = nil
				t = up
			}
		}
	}
}

// step resumes the coroutine once.
func (y *Yielder[Y, S]) step() (Y, bool) {
	y.state = Running
	if y.exiting == 0 {
		// Otherwise out is refuse, which must stay; see setExiting.
		y.out = y.yield
	}
	yielded, _ := y.next()
	y.clear()
	if yielded {
		y.state = Suspended
		y.out = strayYield
		return y.take(), true
	}
	y.ended()
	var zero Y
	return zero, false
}

// take returns the value the body yielded, which the generator must not
// keep alive once it is handed out.
func (y *Yielder[Y, S]) take() Y {
	v := y.value
	var zero Y
	y.value = zero
	return v
}

// ended records that the body has ended, and gives its runner back to its
// pool, or stops it.
func (y *Yielder[Y, S]) ended() {
	y.state = Closed
	// A closed generator has nothing left to clean up: dropping the record
	// now keeps the span's list of records short (see Generator).
	y.cleanup.Stop()
	y.release(true)
}

// release lets go of the coroutine, which the pool gets back if reuse is
// set and there is a pool, and which stops otherwise: when release returns,
// a generator without a pool has no coroutine left. The Yielder forgets the
// coroutine's yield too: a body that kept its Yielder and yielded after its
// end would otherwise suspend whichever generator's body a pool's runner
// runs next.
func (y *Yielder[Y, S]) release(reuse bool) {
	if reuse && y.r != nil {
		y.pool.put(y.r)
	} else {
		// The body, unwinding, may yield: it finds yield stopped.
		y.out = y.yield
		y.stop()
	}
	y.next, y.stop, y.r = nil, nil, nil
	y.out, y.yield = strayYield, nil
}

// strayYield is the out of a Yielder whose coroutine is not running: a
// Yield that calls it was made on another goroutine (or after the body
// returned), which it tells, instead of iter.Pull's own "yield called again
// before next" or a nil dereference.
func strayYield(bool) bool {
	panic(fmt.Errorf("gen.Yielder.Yield: %w", ErrWrongGoroutine))
}

// repanic raises again the panic the body ended with, if it did.
func (y *Yielder[Y, S]) repanic() {
	if y.panicked {
		y.raise()
	}
}

func (y *Yielder[Y, S]) raise() {
	p := y.panicVal
	y.panicked, y.panicVal = false, nil
	panic(p)
}
