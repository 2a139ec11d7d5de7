package gen_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/yieldfrom/asyncgo/gen"
)

// pausedHere is the body TestCallers looks for on the stack: it yields 0,
// 1, 2, ignoring what it is sent.
//
//go:noinline
func pausedHere(y *gen.Yielder[int, int]) (string, error) {
	for i := range 3 {
		if _, err := y.Yield(i); err != nil {
			return "", err
		}
	}
	return "done", nil
}

// functions returns the names of the functions of pcs, innermost first.
func functions(pcs []uintptr) []string {
	var names []string
	frames := runtime.CallersFrames(pcs)
	for {
		f, more := frames.Next()
		names = append(names, f.Function)
		if !more {
			return names
		}
	}
}

// TestCallers checks that Callers shows where a suspended body is paused,
// starting at the body's own frame (the one that called Yield), both in a
// generator's own body and through a forwarding YieldFrom, and that the
// generator goes on as if nothing had happened.
func TestCallers(t *testing.T) {
	tests := []struct {
		name string
		mk   func() *intGen
		// want are the functions that must be on the stack, in order,
		// the first one innermost.
		want []string
	}{
		{"own body", func() *intGen { return gen.New(pausedHere) }, []string{"gen_test.pausedHere", "gen.(*core[...]).run"}},
		{"inline", func() *intGen {
			sub := gen.New(pausedHere)
			return gen.New(func(y *gen.Yielder[int, int]) (string, error) { return gen.YieldFrom(y, sub) })
		}, []string{"gen_test.pausedHere", "gen.YieldFrom", "gen_test.TestCallers", "gen.(*core[...]).run"}},
		{"forwarding", func() *intGen {
			sub := gen.New(pausedHere)
			sub.Next()
			return gen.New(func(y *gen.Yielder[int, int]) (string, error) { return gen.YieldFrom(y, sub) })
		}, []string{"gen.YieldFrom", "gen_test.TestCallers", "gen.(*core[...]).run"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := tt.mk()
			defer g.Close()
			if pcs := g.Callers(); pcs != nil {
				t.Errorf("Callers() before the start = %d frames, want nil", len(pcs))
			}
			v, _ := g.Next()
			names := functions(g.Callers())
			if len(names) == 0 || !strings.Contains(names[0], tt.want[0]) {
				t.Fatalf("Callers() = %q, want it to start in %s", names, tt.want[0])
			}
			i := 0
			for _, n := range names {
				if i < len(tt.want) && strings.Contains(n, tt.want[i]) {
					i++
				}
			}
			if i < len(tt.want) {
				t.Errorf("Callers() = %q, want %q on it in that order", names, tt.want)
			}
			if got := g.State(); got != gen.Suspended {
				t.Errorf("State() after Callers = %v, want %v", got, gen.Suspended)
			}
			if got, ok := g.Send(7); got != v+1 || !ok { // pausedHere yields 0, 1, 2
				t.Errorf("Send(7) after Callers = %d, %t, want %d, true", got, ok, v+1)
			}
		})
	}
}
