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
