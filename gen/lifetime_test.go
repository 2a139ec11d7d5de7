package gen_test

import (
	"errors"
	"testing"

	"github.com/yieldfrom/asyncgo/gen"
)

// TestEndedGeneratorLeavesNothing checks that a generator given no Pool
// leaves no goroutine behind once it has ended, however it ended, and been
// closed: its coroutine is gone when the call that ended it returns, with no
// garbage collection and no waiting.
func TestEndedGeneratorLeavesNothing(t *testing.T) {
	stubborn := func(y *gen.Yielder[int, int]) (string, error) {
		for {
			_, _ = y.Yield(1)
		}
	}
	panicky := func(y *gen.Yielder[int, int]) (string, error) {
		if _, err := y.Yield(1); err != nil {
			return "", err
		}
		panic("boom")
	}
	tests := []struct {
		name string
		body intBody
		end  func(g *intGen) // ends the started generator
	}{
		{"run to its end", countTo(2), func(g *intGen) {
			for _, ok := g.Next(); ok; _, ok = g.Next() {
			}
		}},
		{"closed while suspended", countTo(2), func(g *intGen) { _ = g.Close() }},
		{"thrown into", countTo(2), func(g *intGen) { g.Throw(errBoom) }},
		{"ignored its close", stubborn, func(g *intGen) {
			if err := g.Close(); !errors.Is(err, gen.ErrIgnoredClose) {
				t.Errorf("Close() = %v, want %v", err, gen.ErrIgnoredClose)
			}
		}},
		{"panicked", panicky, func(g *intGen) { catch(func() { g.Next() }) }},
		{"ranged over", countTo(2), func(g *intGen) {
			for range g.All() {
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := coroutines()
			g := gen.New(tt.body)
			g.Next()
			if got := coroutines(); got != before+1 {
				t.Fatalf("coroutines with one suspended generator = %d, want %d", got, before+1)
			}
			tt.end(g)
			if err := g.Close(); err != nil {
				t.Errorf("Close() of the ended generator = %v, want nil", err)
			}
			if got := coroutines(); got != before {
				t.Errorf("coroutines once the generator has ended and been closed = %d, want %d", got, before)
			}
		})
	}
}
