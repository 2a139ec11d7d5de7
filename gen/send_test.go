package gen_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/yieldfrom/asyncgo/gen"
)

// averager is Python's classic coroutine: each value sent in updates a
// running average, which is yielded back.
func averager(y *gen.Yielder[float64, float64]) (gen.None, error) {
	var total, count, average float64
	for {
		term, err := y.Yield(average)
		if err != nil {
			return gen.None{}, err
		}
		total += term
		count++
		average = total / count
	}
}

func TestSend(t *testing.T) {
	g := gen.New(averager)
	defer g.Close()
	if v, ok := g.Next(); v != 0 || !ok {
		t.Fatalf("Next() = %v, %t, want 0, true", v, ok)
	}
	for _, tt := range []struct{ send, want float64 }{
		{10, 10},
		{30, 20},
		{5, 15},
	} {
		if v, ok := g.Send(tt.send); v != tt.want || !ok {
			t.Errorf("Send(%v) = %v, %t, want %v, true", tt.send, v, ok, tt.want)
		}
	}
}

// TestSendJustStarted checks that the first resume must carry the zero
// value, as Python's first send must be None: there is no Yield to receive
// anything else. A refused Send leaves the generator unstarted and usable.
func TestSendJustStarted(t *testing.T) {
	tests := []struct {
		name      string
		v         int
		wantPanic bool
	}{
		{"zero", 0, false},
		{"positive", 3, true},
		{"negative", -1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ran := false
			g := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
				ran = true
				return countTo(2)(y)
			})
			defer g.Close()
			p := catch(func() { g.Send(tt.v) })
			if !tt.wantPanic {
				if p != nil {
					t.Fatalf("Send(%d) panicked with %v, want no panic", tt.v, p)
				}
				if !ran {
					t.Errorf("Send(%d) did not start the body", tt.v)
				}
				return
			}
			if !panicWraps(p, gen.ErrJustStarted) {
				t.Fatalf("Send(%d) panicked with %v, want an error wrapping ErrJustStarted", tt.v, p)
			}
			if ran {
				t.Errorf("Send(%d) ran the body, want it not started", tt.v)
			}
			if got := g.State(); got != gen.Created {
				t.Errorf("State() after Send(%d) = %v, want %v", tt.v, got, gen.Created)
			}
			if v, ok := g.Next(); v != 0 || !ok {
				t.Errorf("Next() after the refused Send = %d, %t, want 0, true", v, ok)
			}
		})
	}
}

// TestReentry checks that a body resuming its own generator is refused with
// ErrRunning, as Python raises "generator already executing", whether the
// body recovers the panic or lets it end the generator.
func TestReentry(t *testing.T) {
	tests := []struct {
		name string
		call func(g *intGen, y *gen.Yielder[int, int])
	}{
		{"Next", func(g *intGen, _ *gen.Yielder[int, int]) { g.Next() }},
		{"Send", func(g *intGen, _ *gen.Yielder[int, int]) { g.Send(1) }},
		{"Throw", func(g *intGen, _ *gen.Yielder[int, int]) { g.Throw(errBoom) }},
		{"Close", func(g *intGen, _ *gen.Yielder[int, int]) { g.Close() }},
		{"YieldFrom", func(g *intGen, y *gen.Yielder[int, int]) { gen.YieldFrom(y, g) }},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/recovered by the body", func(t *testing.T) {
			var p any
			var g *intGen
			g = gen.New(func(y *gen.Yielder[int, int]) (string, error) {
				p = catch(func() { tt.call(g, y) })
				return countTo(1)(y)
			})
			defer g.Close()
			if v, ok := g.Next(); v != 0 || !ok {
				t.Fatalf("Next() = %d, %t, want 0, true", v, ok)
			}
			if !panicWraps(p, gen.ErrRunning) {
				t.Errorf("%s from the body panicked with %v, want an error wrapping ErrRunning", tt.name, p)
			}
			if got := g.State(); got != gen.Suspended {
				t.Errorf("State() = %v, want %v", got, gen.Suspended)
			}
		})
		t.Run(tt.name+"/not recovered", func(t *testing.T) {
			var g *intGen
			g = gen.New(func(y *gen.Yielder[int, int]) (string, error) {
				tt.call(g, y)
				return countTo(1)(y)
			})
			p := catch(func() { g.Next() })
			if !panicWraps(p, gen.ErrRunning) {
				t.Errorf("Next() panicked with %v, want an error wrapping ErrRunning", p)
			}
			if got := g.State(); got != gen.Closed {
				t.Errorf("State() = %v, want %v", got, gen.Closed)
			}
			if v, ok := g.Next(); ok {
				t.Errorf("Next() after the panic = %d, %t, want 0, false", v, ok)
			}
		})
	}
}

func TestResult(t *testing.T) {
	tests := []struct {
		name      string
		body      intBody
		nexts     int
		want      string
		wantErr   error
		wantState gen.State
	}{
		{"returned", countTo(1), 2, "done", nil, gen.Closed},
		{"returned an error", func(y *gen.Yielder[int, int]) (string, error) {
			y.Yield(1)
			return "partial", errBoom
		}, 2, "partial", errBoom, gen.Closed},
		{"suspended", countTo(1), 1, "", nil, gen.Suspended},
		{"not started", countTo(1), 0, "", nil, gen.Created},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := gen.New(tt.body)
			defer g.Close()
			for range tt.nexts {
				g.Next()
			}
			got, err := g.Result()
			if tt.wantState != gen.Closed {
				// Python has no result before StopIteration; Result says so.
				if got != "" || err == nil {
					t.Errorf("Result() in %v = %q, %v, want \"\" and an error", tt.wantState, got, err)
				}
				return
			}
			if got != tt.want || !errors.Is(err, tt.wantErr) {
				t.Errorf("Result() = %q, %v, want %q, %v", got, err, tt.want, tt.wantErr)
			}
			// The result is kept: asking again gives the same answer.
			if got2, err2 := g.Result(); got2 != got || err2 != err {
				t.Errorf("second Result() = %q, %v, want %q, %v", got2, err2, got, err)
			}
		})
	}
}

// TestNewNilBody checks that a nil body is refused where it is given, with
// a message naming the call, rather than failing obscurely at the first
// resume.
func TestNewNilBody(t *testing.T) {
	defer func() {
		if p := recover(); p != "gen.New: nil body" {
			t.Errorf("New(nil) panicked with %v, want gen.New: nil body", p)
		}
	}()
	gen.New[int, int, int](nil)
}

// TestYieldFromOtherGoroutine checks that a Yield made outside the
// generator's coroutine while the generator is not running (from a
// goroutine the body started, or after the body returned) panics, on the
// goroutine that made it, with an error that names the mistake, and leaves
// the generator as it was.
func TestYieldFromOtherGoroutine(t *testing.T) {
	tests := []struct {
		name  string
		yield func(y *gen.Yielder[int, int])
	}{
		{"Yield", func(y *gen.Yielder[int, int]) { y.Yield(7) }},
		{"YieldFrom a new generator", func(y *gen.Yielder[int, int]) { gen.YieldFrom(y, gen.New(countTo(3))) }},
		{"YieldFrom a started generator", func(y *gen.Yielder[int, int]) {
			sub := gen.New(countTo(3))
			defer sub.Close()
			sub.Next()
			gen.YieldFrom(y, sub)
		}},
	}
	// elsewhere runs f on a goroutine of its own and returns what it
	// panicked with.
	elsewhere := func(f func()) any {
		ch := make(chan any)
		go func() { ch <- catch(f) }()
		return <-ch
	}
	check := func(t *testing.T, call string, p any) {
		t.Helper()
		err, _ := p.(error)
		if !errors.Is(err, gen.ErrWrongGoroutine) || !strings.HasPrefix(err.Error(), "gen.Yielder.Yield: ") {
			t.Errorf("%s panicked with %v, want an error %q wrapping ErrWrongGoroutine", call, p, "gen.Yielder.Yield: ...")
		}
	}
	for _, tt := range tests {
		t.Run(tt.name+"/suspended", func(t *testing.T) {
			var kept *gen.Yielder[int, int]
			g := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
				kept = y
				return countTo(3)(y)
			})
			defer g.Close()
			g.Next()
			check(t, tt.name+" from another goroutine", elsewhere(func() { tt.yield(kept) }))
			if s := g.State(); s != gen.Suspended {
				t.Errorf("State() = %v, want %v", s, gen.Suspended)
			}
			if v, ok := g.Next(); v != 1 || !ok {
				t.Errorf("Next() after the stray call = %d, %t, want 1, true", v, ok)
			}
		})
		t.Run(tt.name+"/returned", func(t *testing.T) {
			var kept *gen.Yielder[int, int]
			g := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
				kept = y
				return "", nil
			})
			g.Next()
			check(t, tt.name+" after the body returned", catch(func() { tt.yield(kept) }))
		})
	}
}
