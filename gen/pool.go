package gen

import (
	"iter"
	"runtime"
	"sync"
)

// A Pool keeps the coroutines of generators that have ended, so that
// generators that start later run their bodies on them instead of each
// creating an iter.Pull coroutine of its own. Creating one is most of what
// a short-lived generator costs (a goroutine and six allocations); taking
// one from a pool is a few nanoseconds.
//
// A generator given a pool with SetPool takes a coroutine from it when it
// starts and gives it back when its body ends (a body unwound because it
// ignored a close does not give it back: its coroutine ends with it). The
// pool keeps what it is given until it is closed, or until the coroutines
// have been idle through two garbage collections, as sync.Pool keeps its
// items: an idle coroutine is a parked goroutine, with its stack. A
// coroutine that the garbage collector reaps, or the pool's Close stops,
// ends at once.
//
// Pooling is visible from outside, as goroutines that outlive the
// generators that ran on them, so it is only ever asked for: a generator
// given no pool creates a coroutine of its own when it starts and stops it
// as soon as its body ends, leaving nothing behind. A driver that starts
// many short-lived generators, such as an event loop, gives them a pool of
// its own and closes it when it stops.
//
// The zero Pool is ready to use. A Pool is safe for concurrent use.
type Pool struct {
	mu sync.Mutex
	// idle holds the coroutines given back since the last garbage
	// collection, aged those that were idle through it: the next one stops
	// them.
	idle, aged []*runner
	// aging is set while a garbage collection is to age the pool.
	aging  bool
	closed bool
}

// Close stops the pool's idle coroutines and makes the pool stop every
// coroutine given back to it later instead of keeping it. Generators still
// running keep their coroutines until they end. Close is idempotent.
func (p *Pool) Close() {
	p.mu.Lock()
	p.closed = true
	idle, aged := p.idle, p.aged
	p.idle, p.aged = nil, nil
	p.mu.Unlock()
	stopAll(idle)
	stopAll(aged)
}

// get returns an idle coroutine, or a new one when the pool has none.
func (p *Pool) get() *runner {
	p.mu.Lock()
	if r := pop(&p.idle); r != nil {
		p.mu.Unlock()
		return r
	}
	r := pop(&p.aged)
	p.mu.Unlock()
	if r == nil {
		r = newRunner()
	}
	return r
}

// put takes back r, whose body has ended.
func (p *Pool) put(r *runner) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		r.stop()
		return
	}
	p.idle = append(p.idle, r)
	if !p.aging {
		p.aging = true
		ageAtNextGC(p)
	}
	p.mu.Unlock()
}

// age runs after a garbage collection: it stops the coroutines that were
// idle through the one before, and marks those idle now to be stopped by the
// next, unless they are taken meanwhile.
func (p *Pool) age() {
	p.mu.Lock()
	stale := p.aged
	p.aged, p.idle = p.idle, nil
	p.aging = len(p.aged) > 0
	if p.aging {
		ageAtNextGC(p)
	}
	p.mu.Unlock()
	stopAll(stale)
}

// A gcMarker is an object made to be collected: the cleanup attached to it
// runs after the next garbage collection. It is 16 bytes, the smallest size
// that the runtime does not pack with other objects (whose cleanups may then
// never run).
type gcMarker struct{ _ [16]byte }

func ageAtNextGC(p *Pool) {
	runtime.AddCleanup(new(gcMarker), (*Pool).age, p)
}

func pop(rs *[]*runner) *runner {
	n := len(*rs)
	if n == 0 {
		return nil
	}
	r := (*rs)[n-1]
	(*rs)[n-1] = nil
	*rs = (*rs)[:n-1]
	return r
}

func stopAll(rs []*runner) {
	for _, r := range rs {
		r.stop()
	}
}

// A runner is a pool's coroutine, which runs generator bodies, one after
// another. Between bodies it is idle, suspended in its loop.
//
// It hands out no values: a body's Yield leaves its value in its Yielder
// (which is what lets one runner serve generators of every type) and
// reports true; the loop reports false when the body has ended, and the
// runner is idle.
type runner struct {
	next func() (yielded, ok bool)
	stop func()

	// body is the generator body the runner is to run next.
	body body
}

// A body is a generator's core, as the runner that runs it sees it.
type body interface {
	run(yield func(bool) bool)
}

func newRunner() *runner {
	r := new(runner)
	r.next, r.stop = iter.Pull(r.loop)
	return r
}

// loop runs bodies until the runner is stopped. It is the sequence
// iter.Pull makes the coroutine of.
func (r *runner) loop(yield func(bool) bool) {
	for {
		b := r.body
		r.body = nil
		b.run(yield)
		if !yield(false) {
			return
		}
	}
}
