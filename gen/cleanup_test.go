package gen_test

import (
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/yieldfrom/asyncgo/gen"
	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

// Python closes a generator when it is collected; these tests check that a
// dropped Generator is closed too: its body sees ErrGeneratorExit, its
// deferred calls run and its coroutine ends.

// startSuspended starts n generators, each of which counts its deferred
// call in deferred and its ErrGeneratorExit in exits, and returns them
// suspended.
func startSuspended(n int, deferred, exits *atomic.Int64) []*intGen {
	gens := make([]*intGen, n)
	for i := range gens {
		g := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
			defer deferred.Add(1)
			for i := 0; ; i++ {
				if _, err := y.Yield(i); err != nil {
					if errors.Is(err, gen.ErrGeneratorExit) {
						exits.Add(1)
					}
					return "", err
				}
			}
		})
		g.Next()
		g.Next()
		gens[i] = g
	}
	return gens
}

func TestDroppedGeneratorsAreClosed(t *testing.T) {
	const n = 1000
	before := settledGoroutines()
	var deferred, exits atomic.Int64
	gens := startSuspended(n, &deferred, &exits)
	if got := leaktest.Count(); got < before+n {
		t.Fatalf("goroutines with %d suspended generators = %d, want at least %d", n, got, before+n)
	}
	// Only now may the generators become unreachable: a collection while
	// they were being started would have closed some of them already.
	runtime.KeepAlive(gens)
	ok := eventually(func() bool {
		return deferred.Load() == n && leaktest.Count() <= before
	})
	if !ok {
		t.Errorf("after dropping %d suspended generators: %d deferred calls ran and %d goroutines are alive, want %d and at most %d",
			n, deferred.Load(), leaktest.Count(), n, before)
	}
	if got := exits.Load(); got != n {
		t.Errorf("bodies that saw ErrGeneratorExit = %d, want %d", got, n)
	}
}

// TestDroppedDuringResume drops a generator while its body is running: the
// garbage collector runs, and cleanups get time to run, before the body
// yields (or, for Close, returns). The generator must stay reachable for as
// long as its body runs, so that it is closed once, after it is suspended
// and unreachable, and never while it runs (which the race detector would
// report).
func TestDroppedDuringResume(t *testing.T) {
	collect := func() {
		for range 3 {
			runtime.GC()
			time.Sleep(time.Millisecond)
		}
	}
	// collectThenYield is the body for the first resume, yieldThenCollect
	// for the resumes after it.
	collectThenYield := func(y *gen.Yielder[int, int]) error {
		collect()
		_, err := y.Yield(1)
		return err
	}
	yieldThenCollect := func(y *gen.Yielder[int, int]) error {
		_, err := y.Yield(1)
		collect()
		return err
	}
	tests := []struct {
		name    string
		body    func(y *gen.Yielder[int, int]) error
		started bool            // whether the body is suspended at its Yield before last
		last    func(g *intGen) // the last call made on the generator
	}{
		{"Next", collectThenYield, false, func(g *intGen) { g.Next() }},
		{"Throw", yieldThenCollect, true, func(g *intGen) { g.Throw(errBoom) }},
		{"Close", yieldThenCollect, true, func(g *intGen) { g.Close() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var deferred atomic.Int64
			before := leaktest.Count()
			func() {
				g := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
					defer deferred.Add(1)
					return "", tt.body(y)
				})
				if tt.started {
					g.Next()
				}
				tt.last(g)
			}()
			if !eventually(func() bool { return deferred.Load() == 1 && leaktest.Count() <= before }) {
				t.Errorf("deferred calls run = %d, goroutines = %d, want 1 and at most %d",
					deferred.Load(), leaktest.Count(), before)
			}
		})
	}
}

// TestDroppedDelegation drops a generator suspended in a YieldFrom over an
// already-started subgenerator: closing the delegator closes the
// subgenerator first, on the runtime's goroutine too.
func TestDroppedDelegation(t *testing.T) {
	var order []string
	done := make(chan struct{})
	before := leaktest.Count()
	func() {
		sub := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
			defer func() { order = append(order, "sub") }()
			return countTo(10)(y)
		})
		sub.Next()
		g := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
			defer close(done)
			defer func() { order = append(order, "delegator") }()
			return gen.YieldFrom(y, sub)
		})
		g.Next()
	}()
	if !eventually(func() bool {
		select {
		case <-done:
			return leaktest.Count() <= before
		default:
			return false
		}
	}) {
		t.Fatalf("the dropped delegator was not closed (goroutines = %d, want at most %d)", leaktest.Count(), before)
	}
	if diff := cmp.Diff([]string{"sub", "delegator"}, order); diff != "" {
		t.Errorf("order of the deferred calls (-want +got):\n%s", diff)
	}
}

// BenchmarkStartAmongLive measures a generator's start (and close) while
// many others are alive and suspended, as an event loop's tasks are: each
// start registers the cleanup that closes the generator if it is dropped,
// next to those of the live generators sharing its span of memory (see
// gen's anchor type).
func BenchmarkStartAmongLive(b *testing.B) {
	const live = 20000
	b.ReportAllocs()
	gens := make([]*intGen, live)
	for i := range gens {
		gens[i] = gen.New(countTo(1 << 30))
		gens[i].Next()
	}
	i := 0
	for b.Loop() {
		g := gen.New(countTo(1 << 30))
		g.Next()
		gens[i].Close()
		gens[i] = g
		i = (i + 1) % live
	}
	b.StopTimer()
	for _, g := range gens {
		g.Close()
	}
}
