package gen_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/yieldfrom/asyncgo/gen"
)

// oneShot returns a generator on p that yields v once and returns.
func oneShot[Y any](p *gen.Pool, v Y) *gen.Generator[Y, gen.None, gen.None] {
	g := gen.New(func(y *gen.Yielder[Y, gen.None]) (gen.None, error) {
		_, err := y.Yield(v)
		return gen.None{}, err
	})
	g.SetPool(p)
	return g
}

// drain runs g to its end and returns what it yielded.
func drain[Y any](g *gen.Generator[Y, gen.None, gen.None]) []Y {
	var out []Y
	for v := range g.All() {
		out = append(out, v)
	}
	return out
}

func TestPoolReusesCoroutines(t *testing.T) {
	p := new(gen.Pool)
	defer p.Close()
	before := coroutines()
	// Generators of different types take turns on one coroutine.
	for i := range 100 {
		if got := drain(oneShot(p, i)); len(got) != 1 || got[0] != i {
			t.Fatalf("generator %d yielded %v, want [%d]", i, got, i)
		}
		if got := drain(oneShot(p, "s")); len(got) != 1 || got[0] != "s" {
			t.Fatalf("string generator %d yielded %v, want [s]", i, got)
		}
	}
	if got := coroutines() - before; got != 1 {
		t.Errorf("200 generators run one after another left %d goroutines, want 1 (the pool's idle coroutine)", got)
	}
	p.Close()
	if got := coroutines(); got != before {
		t.Errorf("after Close: %d coroutines, want %d", got, before)
	}
}

func TestPoolKeepsAsManyAsRanAtOnce(t *testing.T) {
	p := new(gen.Pool)
	defer p.Close()
	before := coroutines()
	const n = 10
	for range 3 {
		gens := make([]*gen.Generator[int, gen.None, gen.None], n)
		for i := range gens {
			gens[i] = oneShot(p, i)
			gens[i].Next()
		}
		if got := coroutines() - before; got != n {
			t.Fatalf("%d suspended generators run on %d goroutines, want %d", n, got, n)
		}
		for _, g := range gens {
			if _, ok := g.Next(); ok {
				t.Fatal("second Next() = _, true, want false")
			}
		}
	}
}

func TestPoolAfterPanicAndIgnoredClose(t *testing.T) {
	p := new(gen.Pool)
	defer p.Close()
	before := coroutines()

	panicky := gen.New(func(y *gen.Yielder[int, gen.None]) (gen.None, error) {
		panic("boom")
	})
	panicky.SetPool(p)
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want boom", r)
			}
		}()
		panicky.Next()
	}()
	// The coroutine the panicking body ran on serves the next generator.
	if got := drain(oneShot(p, 7)); len(got) != 1 || got[0] != 7 {
		t.Fatalf("generator after a panic yielded %v, want [7]", got)
	}
	if got := coroutines() - before; got != 1 {
		t.Errorf("goroutines after a panicking body and another = %d more, want 1", got)
	}

	// A body that ignores its close is unwound and its coroutine ends with
	// it: the pool does not get it back.
	stubborn := gen.New(func(y *gen.Yielder[int, gen.None]) (gen.None, error) {
		for {
			_, _ = y.Yield(1)
		}
	})
	stubborn.SetPool(p)
	stubborn.Next()
	if err := stubborn.Close(); !errors.Is(err, gen.ErrIgnoredClose) {
		t.Fatalf("Close() = %v, want %v", err, gen.ErrIgnoredClose)
	}
	if got := coroutines(); got != before {
		t.Errorf("after the unwound body: %d coroutines, want %d (its coroutine ended)", got, before)
	}
	if got := drain(oneShot(p, 8)); len(got) != 1 || got[0] != 8 {
		t.Fatalf("generator after an unwound one yielded %v, want [8]", got)
	}
}

func TestClosedPoolStopsWhatComesBack(t *testing.T) {
	p := new(gen.Pool)
	before := coroutines()
	g := oneShot(p, 1)
	g.Next()
	p.Close()
	p.Close()
	if got := coroutines() - before; got != 1 {
		t.Fatalf("a suspended generator on a closed pool has %d goroutines, want 1", got)
	}
	g.Next()
	if got := coroutines(); got != before {
		t.Errorf("after the generator ended on a closed pool: %d coroutines, want %d", got, before)
	}
	// A closed pool still starts generators; it keeps nothing after them.
	if got := drain(oneShot(p, 2)); len(got) != 1 || got[0] != 2 {
		t.Fatalf("generator on a closed pool yielded %v, want [2]", got)
	}
	if got := coroutines(); got != before {
		t.Errorf("after a generator ran on a closed pool: %d coroutines, want %d", got, before)
	}
}

func TestIdleCoroutinesEndAfterCollections(t *testing.T) {
	p := new(gen.Pool) // never closed: the collector must empty it
	before := coroutines()
	gens := make([]*gen.Generator[int, gen.None, gen.None], 5)
	for i := range gens {
		gens[i] = oneShot(p, i)
		gens[i].Next()
	}
	for _, g := range gens {
		g.Next()
	}
	if got := coroutines() - before; got != len(gens) {
		t.Fatalf("pool holds %d idle goroutines, want %d", got, len(gens))
	}
	if !eventually(func() bool { return coroutines() <= before }) {
		t.Errorf("after garbage collections: %d coroutines, want %d", coroutines(), before)
	}
}

func TestPoolSharedByGoroutines(t *testing.T) {
	p := new(gen.Pool)
	defer p.Close()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 200 {
				if got := drain(oneShot(p, w*1000+i)); len(got) != 1 || got[0] != w*1000+i {
					t.Errorf("worker %d, generator %d yielded %v", w, i, got)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestSetPoolAfterStartChangesNothing(t *testing.T) {
	first, second := new(gen.Pool), new(gen.Pool)
	defer first.Close()
	defer second.Close()
	before := coroutines()
	g := oneShot(first, 1)
	g.Next()
	g.SetPool(second)
	g.Next()
	second.Close() // would stop the coroutine, had g given it to second
	if got := coroutines() - before; got != 1 {
		t.Fatalf("after the generator ended: %d goroutines more, want 1 (idle in the first pool)", got)
	}
	first.Close()
	if got := coroutines(); got != before {
		t.Errorf("after closing the first pool: %d coroutines, want %d", got, before)
	}
}
