package gen_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/yieldfrom/asyncgo/gen"
)

// A forwarding chain is top delegating to mid delegating to leaf, each of
// them started before its delegator delegates to it, so that every
// YieldFrom forwards. A Send or a Throw into top resumes leaf directly, and
// the levels in between are resumed only when leaf ends; these tests check
// that this is invisible: every trace below is what CPython 3.11 prints for
// the same chain of generators (see the Python in each case).
type chain struct {
	top, mid, leaf *intGen
	rec            *recorder
}

// chainOptions say what the levels do on the unhappy paths.
type chainOptions struct {
	leafHandlesThrow bool // the leaf yields -1 when errBoom is thrown in
	midRecovers      bool // mid recovers a panic of the leaf and returns "mid recovered"
}

// errChainPanic is what the leaf panics with when it is sent 13.
var errChainPanic = errors.New("leaf: sent 13")

// newChain builds the chain and primes it, recording what each priming Next
// returns: the leaf yields 1, 2, 3, ..., and priming each level takes one
// of its values, as in Python:
//
//	def leaf():
//	    try:
//	        i = 0
//	        while True:
//	            i += 1
//	            try:
//	                v = yield i
//	            except Boom:
//	                if not handles_throw: raise
//	                rec("leaf: caught boom"); v = yield -1
//	            if v == 13: raise PV()
//	            if v: rec(f"leaf: got {v}; states {states()}")
//	    finally:
//	        rec("leaf: deferred")
//	def mid():
//	    try:
//	        try:
//	            r = yield from leaf
//	        except PV:
//	            if not recovers: raise
//	            rec("mid: recovered"); return "mid recovered"
//	        rec(f"mid: YieldFrom = {r!r}")
//	        return f"mid({r})"
//	    finally:
//	        rec("mid: deferred")
//	def top():
//	    try:
//	        r = yield from mid
//	        rec(f"top: YieldFrom = {r!r}")
//	        yield 100
//	        return f"top({r})"
//	    finally:
//	        rec("top: deferred")
func newChain(opts chainOptions) *chain {
	ch := &chain{rec: &recorder{}}
	rec := ch.rec
	ch.leaf = gen.New(func(y *gen.Yielder[int, int]) (string, error) {
		defer rec.add("leaf: deferred")
		for i := 1; ; i++ {
			v, err := y.Yield(i)
			if err != nil {
				if !opts.leafHandlesThrow || !errors.Is(err, errBoom) {
					return "", err
				}
				rec.add("leaf: caught boom")
				if v, err = y.Yield(-1); err != nil {
					return "", err
				}
			}
			if v == 13 {
				panic(errChainPanic)
			}
			if v != 0 {
				rec.add("leaf: got %d; states %s", v, ch.states())
			}
		}
	})
	ch.mid = gen.New(func(y *gen.Yielder[int, int]) (r string, err error) {
		defer rec.add("mid: deferred")
		if opts.midRecovers {
			defer func() {
				if p := recover(); p != nil {
					if gen.IsUnwind(p) {
						panic(p)
					}
					rec.add("mid: recovered")
					r, err = "mid recovered", nil
				}
			}()
		}
		r, err = gen.YieldFrom(y, ch.leaf)
		if err != nil {
			return "", err
		}
		rec.add("mid: YieldFrom = %q", r)
		return "mid(" + r + ")", nil
	})
	ch.top = gen.New(func(y *gen.Yielder[int, int]) (string, error) {
		defer rec.add("top: deferred")
		r, err := gen.YieldFrom(y, ch.mid)
		if err != nil {
			return "", err
		}
		rec.add("top: YieldFrom = %q", r)
		if _, err := y.Yield(100); err != nil {
			return "", err
		}
		return "top(" + r + ")", nil
	})
	for _, g := range []struct {
		name string
		g    *intGen
	}{{"leaf", ch.leaf}, {"mid", ch.mid}, {"top", ch.top}} {
		v, _ := g.g.Next()
		rec.add("%s.Next() = %d", g.name, v)
	}
	return ch
}

func (ch *chain) states() string {
	return fmt.Sprintf("top %v, mid %v, leaf %v", ch.top.State(), ch.mid.State(), ch.leaf.State())
}

func (ch *chain) level(name string) *intGen {
	return map[string]*intGen{"top": ch.top, "mid": ch.mid, "leaf": ch.leaf}[name]
}

// A chainOp is an op applied to one level of the chain.
type chainOp struct {
	level string
	op    op
}

func TestYieldFromChain(t *testing.T) {
	primed := []string{"leaf.Next() = 1", "mid.Next() = 2", "top.Next() = 3"}
	const (
		suspended = "states: top GEN_SUSPENDED, mid GEN_SUSPENDED, leaf GEN_SUSPENDED"
		closed    = "states: top GEN_CLOSED, mid GEN_CLOSED, leaf GEN_CLOSED"
	)
	tests := []struct {
		name string
		opts chainOptions
		ops  []chainOp
		want []string
		// wantResults are the Results of top, mid and leaf at the end,
		// for those that are closed.
		wantResults map[string]string
	}{
		{
			// A resume marks every level it goes through Running, as
			// CPython does, and only those.
			name: "sends into each level",
			ops:  []chainOp{{"top", opSend(7)}, {"mid", opSend(8)}, {"leaf", opSend(9)}, {"top", opSend(10)}},
			want: []string{
				"leaf: got 7; states top GEN_RUNNING, mid GEN_RUNNING, leaf GEN_RUNNING",
				"top.Send(7) = 4, true", suspended,
				"leaf: got 8; states top GEN_SUSPENDED, mid GEN_RUNNING, leaf GEN_RUNNING",
				"mid.Send(8) = 5, true", suspended,
				"leaf: got 9; states top GEN_SUSPENDED, mid GEN_SUSPENDED, leaf GEN_RUNNING",
				"leaf.Send(9) = 6, true", suspended,
				"leaf: got 10; states top GEN_RUNNING, mid GEN_RUNNING, leaf GEN_RUNNING",
				"top.Send(10) = 7, true", suspended,
			},
		},
		{
			// The panic goes up through every level's body: their
			// deferred calls run innermost first.
			name: "the leaf panics",
			ops:  []chainOp{{"top", opSend(13)}, {"top", opSend(1)}},
			want: []string{
				"leaf: deferred", "mid: deferred", "top: deferred",
				"top.Send(13) panicked: leaf: sent 13", closed,
				"top.Send(1) = 0, false", closed,
			},
			wantResults: map[string]string{
				"top":  `"", generator body panicked: leaf: sent 13`,
				"mid":  `"", generator body panicked: leaf: sent 13`,
				"leaf": `"", generator body panicked: leaf: sent 13`,
			},
		},
		{
			// A recover in a level in between stops the panic there.
			name: "the leaf panics, mid recovers",
			opts: chainOptions{midRecovers: true},
			ops:  []chainOp{{"top", opSend(13)}, {"top", opSend(1)}},
			want: []string{
				"leaf: deferred", "mid: recovered", "mid: deferred", `top: YieldFrom = "mid recovered"`,
				"top.Send(13) = 100, true", "states: top GEN_SUSPENDED, mid GEN_CLOSED, leaf GEN_CLOSED",
				"top: deferred", "top.Send(1) = 0, false", closed,
			},
			wantResults: map[string]string{
				"top":  `"top(mid recovered)", <nil>`,
				"mid":  `"mid recovered", <nil>`,
				"leaf": `"", generator body panicked: leaf: sent 13`,
			},
		},
		{
			name: "throw, handled by the leaf",
			opts: chainOptions{leafHandlesThrow: true},
			ops:  []chainOp{{"top", opThrow(errBoom)}, {"top", opSend(5)}},
			want: []string{
				"leaf: caught boom", "top.Throw(boom) = -1, true", suspended,
				"leaf: got 5; states top GEN_RUNNING, mid GEN_RUNNING, leaf GEN_RUNNING",
				"top.Send(5) = 4, true", suspended,
			},
		},
		{
			name: "throw, not handled",
			ops:  []chainOp{{"top", opThrow(errBoom)}},
			want: []string{
				"leaf: deferred", "mid: deferred", "top: deferred",
				"top.Throw(boom) = 0, false", closed,
			},
			wantResults: map[string]string{"top": `"", boom`, "mid": `"", boom`, "leaf": `"", boom`},
		},
		{
			name: "close",
			ops:  []chainOp{{"top", opClose}},
			want: []string{
				"leaf: deferred", "mid: deferred", "top: deferred",
				"top.Close() = <nil>", closed,
			},
			wantResults: map[string]string{
				"top":  `"", generator exit`,
				"mid":  `"", generator exit`,
				"leaf": `"", generator exit`,
			},
		},
		{
			// The leaf is closed directly; the next resume of top stops at
			// mid, whose YieldFrom returns the leaf's Result, the error of
			// the close. (CPython's yield from would get None there, the
			// value of the StopIteration that the closed leaf raises: see
			// TestYieldFromFinishedSub.)
			name: "leaf closed behind the chain's back",
			ops:  []chainOp{{"leaf", opClose}, {"top", opSend(6)}},
			want: []string{
				"leaf: deferred", "leaf.Close() = <nil>", "states: top GEN_SUSPENDED, mid GEN_SUSPENDED, leaf GEN_CLOSED",
				"mid: deferred", "top: deferred", "top.Send(6) = 0, false", closed,
			},
			wantResults: map[string]string{"top": `"", generator exit`, "mid": `"", generator exit`, "leaf": `"", generator exit`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := newChain(tt.opts)
			defer func() {
				for _, g := range []*intGen{ch.top, ch.mid, ch.leaf} {
					g.Close()
				}
			}()
			for _, o := range tt.ops {
				out := apply(ch.level(o.level), o.op)
				ch.rec.add("%s.%s", o.level, describe(o.op, out))
				ch.rec.add("states: %s", ch.states())
			}
			want := append(append([]string(nil), primed...), tt.want...)
			if diff := cmp.Diff(want, ch.rec.events); diff != "" {
				t.Errorf("trace (-want +got):\n%s", diff)
			}
			for name, want := range tt.wantResults {
				r, err := ch.level(name).Result()
				if got := fmt.Sprintf("%q, %v", r, err); got != want {
					t.Errorf("%s.Result() = %s, want %s", name, got, want)
				}
			}
		})
	}
}

// TestYieldFromChainPanicValue checks that a panic that goes up a chain of
// forwarding delegations comes out of the top's Send with the very value
// the leaf panicked with, and that every level's Result wraps it.
func TestYieldFromChainPanicValue(t *testing.T) {
	ch := newChain(chainOptions{})
	p := catch(func() { ch.top.Send(13) })
	if p != errChainPanic {
		t.Fatalf("Send(13) panicked with %v, want the leaf's own value %v", p, errChainPanic)
	}
	for _, name := range []string{"top", "mid", "leaf"} {
		_, err := ch.level(name).Result()
		if !errors.Is(err, gen.ErrPanicked) || !errors.Is(err, errChainPanic) {
			t.Errorf("%s.Result() error = %v, want an error wrapping ErrPanicked and the panic value", name, err)
		}
	}
}

// TestYieldFromChainReentry checks that a body cannot resume a generator
// that a resume is passing through, as in Python ("generator already
// executing"), even though that generator's own coroutine is not running.
func TestYieldFromChainReentry(t *testing.T) {
	var ch *chain
	var p any
	leaf := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
		for i := 0; ; i++ {
			v, err := y.Yield(i)
			if err != nil {
				return "", err
			}
			if v == 1 {
				p = catch(func() { ch.mid.Send(2) })
			}
		}
	})
	leaf.Next()
	mid := gen.New(func(y *gen.Yielder[int, int]) (string, error) { return gen.YieldFrom(y, leaf) })
	mid.Next()
	top := gen.New(func(y *gen.Yielder[int, int]) (string, error) { return gen.YieldFrom(y, mid) })
	defer top.Close()
	top.Next()
	ch = &chain{top: top, mid: mid, leaf: leaf}
	if v, ok := top.Send(1); v != 3 || !ok {
		t.Errorf("Send(1) = %d, %t, want 3, true", v, ok)
	}
	if !panicWraps(p, gen.ErrRunning) {
		t.Errorf("mid.Send from the leaf's body panicked with %v, want an error wrapping ErrRunning", p)
	}
}
