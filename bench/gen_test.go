package bench_test

import (
	"iter"
	"strconv"
	"strings"
	"testing"

	"github.com/yieldfrom/asyncgo/gen"
	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

func TestMain(m *testing.M) { leaktest.Main(m) }

// naturals is an infinite sequence, so that a pull iterator over it never
// ends while it is being measured.
func naturals(yield func(int) bool) {
	for i := 0; yield(i); i++ {
	}
}

// BenchmarkPullNext measures one next of a raw iter.Pull iterator: one
// coroutine switch there and back, the floor for any resume.
func BenchmarkPullNext(b *testing.B) {
	b.ReportAllocs()
	next, stop := iter.Pull(naturals)
	defer stop()
	for b.Loop() {
		next()
	}
}

// BenchmarkPullCreateStop measures a whole iter.Pull life: create, one next,
// stop.
func BenchmarkPullCreateStop(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		next, stop := iter.Pull(naturals)
		next()
		stop()
	}
}

// echo is the body of the generator GenSend measures, and the leaf of the
// YieldFrom chains: it yields one more than it was sent, starting from 1 for
// the zero value that starts it. It returns when it is thrown into or
// closed.
func echo(y *gen.Yielder[int, int]) (gen.None, error) {
	v := 0
	for {
		var err error
		if v, err = y.Yield(v + 1); err != nil {
			return gen.None{}, err
		}
	}
}

// BenchmarkGenSend measures one Send round trip on a started generator: the
// cost of a resume, to set against PullNext.
func BenchmarkGenSend(b *testing.B) {
	b.ReportAllocs()
	g := gen.New(echo)
	v, _ := g.Next()
	for b.Loop() {
		v, _ = g.Send(v)
	}
	b.StopTimer()
	closeAll(b, g)
}

// BenchmarkGenLifecycle measures one generator from New to its end: start,
// one yield, return. It is the generator's PullCreateStop.
func BenchmarkGenLifecycle(b *testing.B) {
	b.ReportAllocs()
	body := func(y *gen.Yielder[int, gen.None]) (gen.None, error) {
		_, err := y.Yield(1)
		return gen.None{}, err
	}
	for b.Loop() {
		g := gen.New(body)
		g.Next()
		if _, ok := g.Next(); ok {
			b.Fatal("Next() after the only yield = _, true, want false")
		}
	}
}

// BenchmarkGenClose measures a generator that is abandoned after its first
// value: New, one Next, Close.
func BenchmarkGenClose(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		g := gen.New(echo)
		g.Next()
		if err := g.Close(); err != nil {
			b.Fatalf("Close() = %v, want nil", err)
		}
	}
}

// BenchmarkChanGenerator measures the generator of GenSend written as a Go
// programmer would without this package: a goroutine and two unbuffered
// channels, one round trip (send in, value out) per op.
func BenchmarkChanGenerator(b *testing.B) {
	b.ReportAllocs()
	in, out, done := make(chan int), make(chan int), make(chan struct{})
	go func() {
		defer close(done)
		v := 0
		for {
			out <- v + 1
			var ok bool
			if v, ok = <-in; !ok {
				return
			}
		}
	}()
	v := <-out
	for b.Loop() {
		in <- v
		v = <-out
	}
	b.StopTimer()
	close(in)
	<-done
}

var depths = []int{1, 10, 100}

// BenchmarkYieldFrom measures one Send through a chain of depth delegating
// generators, each already started when its parent delegates to it, so that
// YieldFrom forwards every resume level by level: CPython's cost model, O(depth).
//
// The chain is built from the leaf up. Priming protocol: each new level is
// started with Next before the next level delegates to it; that Next reaches
// the leaf through every level already built (YieldFrom on a started
// generator begins with sub.Next, as PEP 380 does), the leaf receives 0 and
// yields 1, and the 1 comes back up. Every priming Next must return 1; every
// level except the top is then suspended inside a forwarding YieldFrom on its
// own coroutine, which the goroutine count confirms.
func BenchmarkYieldFrom(b *testing.B) {
	for _, depth := range depths {
		b.Run("depth="+strconv.Itoa(depth), func(b *testing.B) {
			b.ReportAllocs()
			before := busyCoroutines()
			chain := []*gen.Generator[int, int, gen.None]{gen.New(echo)}
			b.Cleanup(func() { closeChain(chain) })
			if v, _ := chain[0].Next(); v != 1 {
				b.Fatalf("leaf: Next() = %d, want 1", v)
			}
			for level := 1; level <= depth; level++ {
				g := delegateTo(chain[level-1])
				if v, _ := g.Next(); v != 1 {
					b.Fatalf("level %d: priming Next() = %d, want 1", level, v)
				}
				chain = append(chain, g)
			}
			if got, want := busyCoroutines()-before, depth+1; got != want {
				b.Fatalf("chain of depth %d runs on %d coroutines, want %d (one per level: forwarding)", depth, got, want)
			}
			sendThrough(b, chain)
		})
	}
}

// BenchmarkYieldFromInline measures one Send through a chain of depth
// delegating generators built from generators that have not started, so that
// YieldFrom runs each body inline on the top generator's coroutine: the leaf
// yields straight to the caller, at any depth.
func BenchmarkYieldFromInline(b *testing.B) {
	for _, depth := range depths {
		b.Run("depth="+strconv.Itoa(depth), func(b *testing.B) {
			b.ReportAllocs()
			before := busyCoroutines()
			chain := []*gen.Generator[int, int, gen.None]{gen.New(echo)}
			b.Cleanup(func() { closeChain(chain) })
			for level := 1; level <= depth; level++ {
				chain = append(chain, delegateTo(chain[level-1]))
			}
			if v, _ := chain[depth].Next(); v != 1 {
				b.Fatalf("Next() = %d, want 1", v)
			}
			if got := busyCoroutines() - before; got != 1 {
				b.Fatalf("chain of depth %d runs on %d coroutines, want 1 (inline)", depth, got)
			}
			sendThrough(b, chain)
		})
	}
}

// delegateTo returns a generator whose body is return (yield from sub).
func delegateTo(sub *gen.Generator[int, int, gen.None]) *gen.Generator[int, int, gen.None] {
	return gen.New(func(y *gen.Yielder[int, int]) (gen.None, error) {
		return gen.YieldFrom(y, sub)
	})
}

// busyCoroutines counts the goroutines that hold a generator body, running
// or suspended: the coroutines of generators that have started and not
// ended. Idle coroutines, which a pool keeps and a garbage collection may
// stop at any moment, and every other goroutine (a benchmark's workers on
// their way out) are left out, so that the difference between two counts
// is how many coroutines a chain runs on.
func busyCoroutines() int {
	n := 0
	for _, g := range leaktest.Goroutines() {
		if strings.Contains(g, "/gen.(*core[...]).run(") {
			n++
		}
	}
	return n
}

// sendThrough measures Send on the top of chain, whose leaf is echo, checks
// that every value made the round trip, and closes the chain.
func sendThrough(b *testing.B, chain []*gen.Generator[int, int, gen.None]) {
	top := chain[len(chain)-1]
	v, n := 1, 1
	for b.Loop() {
		v, _ = top.Send(v)
		n++
	}
	b.StopTimer()
	if v != n {
		b.Errorf("after %d Sends, value = %d, want %d", n-1, v, n)
	}
	closeAll(b, top)
	for i, g := range chain {
		if s := g.State(); s != gen.Closed {
			b.Errorf("level %d: State() after closing the top = %v, want %v", i, s, gen.Closed)
		}
	}
}

// closeChain closes whatever a failed benchmark left of chain, top first so
// that each level closes the one it delegates to. Closing a closed
// generator does nothing, so it is harmless after sendThrough.
func closeChain(chain []*gen.Generator[int, int, gen.None]) {
	for i := len(chain) - 1; i >= 0; i-- {
		_ = chain[i].Close()
	}
}

func closeAll(b *testing.B, g *gen.Generator[int, int, gen.None]) {
	if err := g.Close(); err != nil {
		b.Errorf("Close() = %v, want nil", err)
	}
}
