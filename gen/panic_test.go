package gen_test

import (
	"errors"
	"testing"

	"github.com/yieldfrom/asyncgo/gen"
)

// TestPanic checks that a panic in the body comes out of the call that
// resumed it with the same value, as an exception comes out of Python's
// next(g), and that the generator is then closed for good.
func TestPanic(t *testing.T) {
	// panicking is a distinct value per case, so that the test can tell the
	// very value the body panicked with from a copy or a wrapper.
	type panicking struct{ where string }
	body := func(pv *panicking, rec *recorder) intBody {
		return func(y *gen.Yielder[int, int]) (string, error) {
			defer rec.add("deferred")
			if pv.where == "at the start" {
				panic(pv)
			}
			for i := 0; ; i++ {
				v, err := y.Yield(i)
				switch {
				case pv.where == "after a yield",
					pv.where == "on Send" && v == 13,
					pv.where == "on Throw" && errors.Is(err, errBoom),
					pv.where == "on Close" && errors.Is(err, gen.ErrGeneratorExit):
					panic(pv)
				case err != nil:
					return "", err
				}
			}
		}
	}
	tests := []struct {
		where  string
		before []op
		op     op
	}{
		{"at the start", nil, opNext},
		{"after a yield", []op{opNext}, opNext},
		{"on Send", []op{opNext, opSend(1)}, opSend(13)},
		{"on Throw", []op{opNext}, opThrow(errBoom)},
		{"on Close", []op{opNext}, opClose},
	}
	for _, tt := range tests {
		t.Run(tt.where, func(t *testing.T) {
			pv := &panicking{tt.where}
			rec := &recorder{}
			g := gen.New(body(pv, rec))
			for _, o := range tt.before {
				if out := apply(g, o); out.panic != nil {
					t.Fatalf("%s", describe(o, out))
				}
			}
			if out := apply(g, tt.op); out.panic != pv {
				t.Errorf("%s, want it to panic with the body's own value %v", describe(tt.op, out), pv)
			}
			if len(rec.events) != 1 {
				t.Errorf("deferred call ran %d times, want 1", len(rec.events))
			}
			if got := g.State(); got != gen.Closed {
				t.Errorf("State() = %v, want %v", got, gen.Closed)
			}
			// Result records the panic: it must not read as a success.
			wantErr := "generator body panicked: &{" + tt.where + "}"
			if r, err := g.Result(); r != "" || !errors.Is(err, gen.ErrPanicked) || err.Error() != wantErr {
				t.Errorf("Result() = %q, %v, want \"\", %s", r, err, wantErr)
			}
			for _, o := range []op{opNext, opSend(1)} {
				if out := apply(g, o); out != (outcome{}) {
					t.Errorf("after the panic, %s, want 0, false", describe(o, out))
				}
			}
			if err := g.Close(); err != nil {
				t.Errorf("Close() after the panic = %v, want <nil>", err)
			}
		})
	}
}

// TestResultAfterPanicWrapsError checks that when the panic value is an
// error, Result's error wraps it as well as ErrPanicked.
func TestResultAfterPanicWrapsError(t *testing.T) {
	for _, d := range delegations {
		t.Run(d.name, func(t *testing.T) {
			sub := d.sub(t, func(y *gen.Yielder[int, int]) (string, error) {
				panic(errBoom)
			})
			g := gen.New(func(y *gen.Yielder[int, int]) (string, error) { return gen.YieldFrom(y, sub) })
			if p := catch(func() { g.Next() }); p != errBoom {
				t.Fatalf("Next() panicked with %v, want %v", p, errBoom)
			}
			for name, g := range map[string]*intGen{"delegator": g, "sub": sub} {
				_, err := g.Result()
				if !errors.Is(err, gen.ErrPanicked) || !errors.Is(err, errBoom) {
					t.Errorf("%s: Result() error = %v, want an error wrapping ErrPanicked and %v", name, err, errBoom)
				}
			}
		})
	}
}

// TestIsUnwind checks which values recovered in a body IsUnwind reports:
// those with which gen unwinds a body that ignored its close, at the top of
// a generator or inside a sub run inline, and none of the body's own.
func TestIsUnwind(t *testing.T) {
	// ignoring yields again when it is closed, after recording what a
	// deferred recover sees, and then panicking again with it.
	ignoring := func(seen *[]any) intBody {
		return func(y *gen.Yielder[int, int]) (string, error) {
			defer func() {
				p := recover()
				*seen = append(*seen, p)
				if p != nil {
					panic(p)
				}
			}()
			y.Yield(1)
			y.Yield(2) // ignores the close
			return "", nil
		}
	}
	for _, d := range append([]delegation{{"plain", nil}}, delegations...) {
		t.Run(d.name, func(t *testing.T) {
			var seen []any
			g := gen.New(ignoring(&seen))
			if d.sub != nil {
				sub := d.sub(t, ignoring(&seen))
				g = gen.New(func(y *gen.Yielder[int, int]) (string, error) {
					r, err := gen.YieldFrom(y, sub)
					if errors.Is(err, gen.ErrIgnoredClose) {
						return r, nil // handled: the delegator is done
					}
					return r, err
				})
			}
			g.Next()
			if p := catch(func() { g.Close() }); p != nil {
				t.Fatalf("Close() panicked with %v", p)
			}
			if len(seen) != 1 || !gen.IsUnwind(seen[0]) {
				t.Errorf("recovered in the body that ignored its close: %v, want one value for which IsUnwind is true", seen)
			}
		})
	}
	for _, p := range []any{nil, "unwind", errBoom, gen.ErrGeneratorExit, gen.ErrIgnoredClose, struct{}{}, gen.Closed} {
		if gen.IsUnwind(p) {
			t.Errorf("IsUnwind(%#v) = true, want false", p)
		}
	}
}
