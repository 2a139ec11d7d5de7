package gen_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/yieldfrom/asyncgo/gen"
	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

// primer is what a started subgenerator yields before it is delegated to.
// The tests consume it, and PEP 380's first next() then resumes the sub past
// it, so the started and inline paths yield the same sequence.
const primer = -100

// A delegation is a way of handing a subgenerator to YieldFrom: not started
// (YieldFrom runs it inline) or started (YieldFrom forwards to it).
type delegation struct {
	name string
	sub  func(t *testing.T, body intBody) *intGen
}

var delegations = []delegation{
	{"inline", func(_ *testing.T, body intBody) *intGen { return gen.New(body) }},
	{"started", func(t *testing.T, body intBody) *intGen {
		g := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
			if _, err := y.Yield(primer); err != nil {
				return "", err
			}
			return body(y)
		})
		if v, ok := g.Next(); v != primer || !ok {
			t.Errorf("priming Next() = %d, %t, want %d, true", v, ok, primer)
		}
		return g
	}},
}

// A yieldFromCase is a subgenerator, what the delegator does when YieldFrom
// reports an error, the ops applied to the delegator, and the trace they
// must produce.
type yieldFromCase struct {
	name string
	// sub returns the subgenerator's body; a body that delegates in turn
	// makes its subgenerators with mk, so that every level is handed over
	// the same way.
	sub func(rec *recorder, mk func(intBody) *intGen) intBody
	// onErr is what the delegator does when YieldFrom reports err; nil
	// means it returns err.
	onErr func(rec *recorder, y *gen.Yielder[int, int], err error) (string, error)
	ops   []op
	want  []string
	// wantErr is what the delegator's Result error must wrap.
	wantErr error
}

// delegate runs one case: the delegator records what YieldFrom returned,
// then yields 100 and returns "outer(" + the sub's result + ")". After each
// op the trace gets the op's outcome and both generators' states.
func delegate(t *testing.T, d delegation, tc yieldFromCase) []string {
	rec := &recorder{}
	mk := func(body intBody) *intGen { return d.sub(t, body) }
	sub := mk(tc.sub(rec, mk))
	g := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
		defer rec.add("outer: deferred")
		r, err := gen.YieldFrom(y, sub)
		rec.add("outer: YieldFrom = %q, %v", r, err)
		if err != nil {
			if tc.onErr != nil {
				return tc.onErr(rec, y, err)
			}
			return "", err
		}
		if _, err := y.Yield(100); err != nil {
			return "", err
		}
		return "outer(" + r + ")", nil
	})
	for _, o := range tc.ops {
		rec.add("%s", describe(o, apply(g, o)))
		rec.add("states: outer %v, sub %v", g.State(), sub.State())
	}
	r, err := g.Result()
	rec.add("Result() = %q, %v", r, err)
	if g.State() == gen.Closed && !errors.Is(err, tc.wantErr) {
		t.Errorf("Result() error = %v, want an error wrapping %v", err, tc.wantErr)
	}
	r, err = sub.Result()
	rec.add("sub.Result() = %q, %v", r, err)
	g.Close()
	sub.Close()
	return rec.events
}

func TestYieldFrom(t *testing.T) {
	const (
		suspended = "states: outer GEN_SUSPENDED, sub GEN_SUSPENDED"
		subDone   = "states: outer GEN_SUSPENDED, sub GEN_CLOSED"
		allDone   = "states: outer GEN_CLOSED, sub GEN_CLOSED"
	)
	// oneTwoThree yields 1, 2, 3, recording what is sent to it, and returns
	// "sub"; it returns any error a Yield reports.
	oneTwoThree := func(rec *recorder, _ func(intBody) *intGen) intBody {
		return func(y *gen.Yielder[int, int]) (string, error) {
			defer rec.add("sub: deferred")
			for i := 1; i <= 3; i++ {
				v, err := y.Yield(i)
				if err != nil {
					return "", err
				}
				if v != 0 {
					rec.add("sub: got %d", v)
				}
			}
			return "sub", nil
		}
	}
	// onExit is a sub that yields 1 and, if that Yield reports an error,
	// records it and does what then says.
	onExit := func(then func(y *gen.Yielder[int, int]) (string, error)) func(*recorder, func(intBody) *intGen) intBody {
		return func(rec *recorder, _ func(intBody) *intGen) intBody {
			return func(y *gen.Yielder[int, int]) (string, error) {
				defer rec.add("sub: deferred")
				if _, err := y.Yield(1); err != nil {
					rec.add("sub: Yield reported %v", err)
					return then(y)
				}
				return "sub", nil
			}
		}
	}
	ignoresClose := onExit(func(y *gen.Yielder[int, int]) (string, error) {
		y.Yield(2)
		return "not reached", nil
	})
	handleIgnored := func(rec *recorder, _ *gen.Yielder[int, int], err error) (string, error) {
		if errors.Is(err, gen.ErrIgnoredClose) {
			rec.add("outer: handles it")
			return "handled", nil
		}
		return "", err
	}
	// nested delegates to a leaf that yields 1, 2, 3; leafExit is what
	// the leaf does with an error and midErr what the middle generator does
	// with an error from YieldFrom.
	nested := func(leafExit func(rec *recorder, y *gen.Yielder[int, int], err error) (string, error), midErr func(rec *recorder, err error) (string, error)) func(*recorder, func(intBody) *intGen) intBody {
		return func(rec *recorder, mk func(intBody) *intGen) intBody {
			return func(y *gen.Yielder[int, int]) (string, error) {
				defer rec.add("mid: deferred")
				leaf := mk(func(y *gen.Yielder[int, int]) (string, error) {
					defer rec.add("leaf: deferred")
					for i := 1; i <= 3; i++ {
						v, err := y.Yield(i)
						if err != nil {
							return leafExit(rec, y, err)
						}
						rec.add("leaf: got %d", v)
					}
					return "leaf", nil
				})
				r, err := gen.YieldFrom(y, leaf)
				rec.add("mid: YieldFrom = %q, %v", r, err)
				if err != nil {
					return midErr(rec, err)
				}
				return "mid(" + r + ")", nil
			}
		}
	}
	returnErr := func(_ *recorder, _ *gen.Yielder[int, int], err error) (string, error) { return "", err }
	// other is a started generator that a sub delegates to.
	var other *intGen

	tests := []yieldFromCase{
		{
			name: "values out, result in",
			sub:  oneTwoThree,
			ops:  []op{opNext, opNext, opNext, opNext, opNext},
			want: []string{
				"Next() = 1, true", suspended,
				"Next() = 2, true", suspended,
				"Next() = 3, true", suspended,
				"sub: deferred", `outer: YieldFrom = "sub", <nil>`, "Next() = 100, true", subDone,
				"outer: deferred", "Next() = 0, false", allDone,
				`Result() = "outer(sub)", <nil>`, `sub.Result() = "sub", <nil>`,
			},
		},
		{
			name: "sends in",
			sub:  oneTwoThree,
			ops:  []op{opNext, opSend(10), opSend(20), opSend(30), opSend(5)},
			want: []string{
				"Next() = 1, true", suspended,
				"sub: got 10", "Send(10) = 2, true", suspended,
				"sub: got 20", "Send(20) = 3, true", suspended,
				"sub: got 30", "sub: deferred", `outer: YieldFrom = "sub", <nil>`, "Send(30) = 100, true", subDone,
				"outer: deferred", "Send(5) = 0, false", allDone,
				`Result() = "outer(sub)", <nil>`, `sub.Result() = "sub", <nil>`,
			},
		},
		{
			name: "throw handled by the sub",
			sub: onExit(func(y *gen.Yielder[int, int]) (string, error) {
				if _, err := y.Yield(-1); err != nil {
					return "", err
				}
				return "sub", nil
			}),
			ops: []op{opNext, opThrow(errBoom), opNext, opClose},
			want: []string{
				"Next() = 1, true", suspended,
				"sub: Yield reported boom", "Throw(boom) = -1, true", suspended,
				"sub: deferred", `outer: YieldFrom = "sub", <nil>`, "Next() = 100, true", subDone,
				"outer: deferred", "Close() = <nil>", allDone,
				`Result() = "", generator exit`, `sub.Result() = "sub", <nil>`,
			},
			wantErr: gen.ErrGeneratorExit,
		},
		{
			name: "throw not handled by the sub",
			sub: onExit(func(y *gen.Yielder[int, int]) (string, error) {
				return "", fmt.Errorf("sub: %w", errBoom)
			}),
			ops: []op{opNext, opThrow(errBoom), opNext},
			want: []string{
				"Next() = 1, true", suspended,
				"sub: Yield reported boom", "sub: deferred", `outer: YieldFrom = "", sub: boom`,
				"outer: deferred", "Throw(boom) = 0, false", allDone,
				"Next() = 0, false", allDone,
				`Result() = "", sub: boom`, `sub.Result() = "", sub: boom`,
			},
			wantErr: errBoom,
		},
		{
			name: "close goes to the sub first",
			sub:  oneTwoThree,
			ops:  []op{opNext, opClose, opClose},
			want: []string{
				"Next() = 1, true", suspended,
				"sub: deferred", `outer: YieldFrom = "", generator exit`,
				"outer: deferred", "Close() = <nil>", allDone,
				"Close() = <nil>", allDone,
				`Result() = "", generator exit`, `sub.Result() = "", generator exit`,
			},
			wantErr: gen.ErrGeneratorExit,
		},
		{
			// PEP 380: if the sub returns when it is closed, the delegator
			// still sees GeneratorExit, so that it ends too.
			name: "sub returns on close",
			sub:  onExit(func(*gen.Yielder[int, int]) (string, error) { return "sub", nil }),
			ops:  []op{opNext, opClose},
			want: []string{
				"Next() = 1, true", suspended,
				"sub: Yield reported generator exit", "sub: deferred", `outer: YieldFrom = "sub", generator exit`,
				"outer: deferred", "Close() = <nil>", allDone,
				`Result() = "", generator exit`, `sub.Result() = "sub", generator exit`,
			},
			wantErr: gen.ErrGeneratorExit,
		},
		{
			name: "sub fails on close",
			sub:  onExit(func(*gen.Yielder[int, int]) (string, error) { return "", errCleanup }),
			ops:  []op{opNext, opClose},
			want: []string{
				"Next() = 1, true", suspended,
				"sub: Yield reported generator exit", "sub: deferred", `outer: YieldFrom = "", cleanup failed`,
				"outer: deferred", "Close() = cleanup failed", allDone,
				`Result() = "", cleanup failed`, `sub.Result() = "", cleanup failed`,
			},
			wantErr: errCleanup,
		},
		{
			// Python raises RuntimeError("generator ignored GeneratorExit")
			// at the delegator's yield from, where it can be handled.
			name:  "sub ignores close, delegator handles it",
			sub:   ignoresClose,
			onErr: handleIgnored,
			ops:   []op{opNext, opClose},
			want: []string{
				"Next() = 1, true", suspended,
				"sub: Yield reported generator exit", "sub: deferred", `outer: YieldFrom = "", generator ignored close`,
				"outer: handles it", "outer: deferred", "Close() = <nil>", allDone,
				`Result() = "handled", generator exit`, `sub.Result() = "", generator ignored close`,
			},
			wantErr: gen.ErrGeneratorExit,
		},
		{
			name: "sub ignores close, delegator returns it",
			sub:  ignoresClose,
			ops:  []op{opNext, opClose},
			want: []string{
				"Next() = 1, true", suspended,
				"sub: Yield reported generator exit", "sub: deferred", `outer: YieldFrom = "", generator ignored close`,
				"outer: deferred", "Close() = generator ignored close", allDone,
				`Result() = "", generator ignored close`, `sub.Result() = "", generator ignored close`,
			},
			wantErr: gen.ErrIgnoredClose,
		},
		{
			// g.throw(GeneratorExit) closes the sub as g.close() would, but
			// the delegator may then yield, and Throw returns the value.
			name: "ErrGeneratorExit thrown in",
			sub:  onExit(func(*gen.Yielder[int, int]) (string, error) { return "sub", nil }),
			onErr: func(rec *recorder, y *gen.Yielder[int, int], _ error) (string, error) {
				rec.add("outer: yields anyway")
				_, err := y.Yield(42)
				return "", err
			},
			ops: []op{opNext, opThrow(gen.ErrGeneratorExit), opClose},
			want: []string{
				"Next() = 1, true", suspended,
				"sub: Yield reported generator exit", "sub: deferred", `outer: YieldFrom = "sub", generator exit`,
				"outer: yields anyway", "Throw(generator exit) = 42, true", subDone,
				"outer: deferred", "Close() = <nil>", allDone,
				`Result() = "", generator exit`, `sub.Result() = "sub", generator exit`,
			},
			wantErr: gen.ErrGeneratorExit,
		},
		{
			// The panic goes out through the delegator, which ends too;
			// both Results record it.
			name: "sub panics",
			sub: onExit(func(*gen.Yielder[int, int]) (string, error) {
				panic("sub panicked")
			}),
			ops: []op{opNext, opThrow(errBoom), opNext},
			want: []string{
				"Next() = 1, true", suspended,
				"sub: Yield reported boom", "sub: deferred", "outer: deferred",
				"Throw(boom) panicked: sub panicked", allDone,
				"Next() = 0, false", allDone,
				`Result() = "", generator body panicked: sub panicked`,
				`sub.Result() = "", generator body panicked: sub panicked`,
			},
			wantErr: gen.ErrPanicked,
		},
		{
			// The sub, told to exit, delegates to a started generator
			// instead, whose first value it would hand out: it is unwound
			// there. The delegator handles that and yields; the next Send
			// must come back to it, not go on to the started generator.
			name: "sub delegates after ErrGeneratorExit",
			sub: onExit(func(y *gen.Yielder[int, int]) (string, error) {
				other = gen.New(countTo(5))
				other.Next()
				return gen.YieldFrom(y, other)
			}),
			onErr: func(rec *recorder, y *gen.Yielder[int, int], _ error) (string, error) {
				defer other.Close()
				rec.add("outer: yields anyway")
				v, err := y.Yield(42)
				rec.add("outer: got %d, %v", v, err)
				return "after", err
			},
			ops: []op{opNext, opThrow(gen.ErrGeneratorExit), opSend(7)},
			want: []string{
				"Next() = 1, true", suspended,
				"sub: Yield reported generator exit", "sub: deferred", `outer: YieldFrom = "", generator ignored close`,
				"outer: yields anyway", "Throw(generator exit) = 42, true", subDone,
				"outer: got 7, <nil>", "outer: deferred", "Send(7) = 0, false", allDone,
				`Result() = "after", <nil>`, `sub.Result() = "", generator ignored close`,
			},
		},
		{
			name: "nested: sends in, close all the way down",
			sub: nested(returnErr, func(_ *recorder, err error) (string, error) {
				return "", err
			}),
			ops: []op{opNext, opSend(7), opClose},
			want: []string{
				"Next() = 1, true", suspended,
				"leaf: got 7", "Send(7) = 2, true", suspended,
				"leaf: deferred", `mid: YieldFrom = "", generator exit`, "mid: deferred",
				`outer: YieldFrom = "", generator exit`, "outer: deferred", "Close() = <nil>", allDone,
				`Result() = "", generator exit`, `sub.Result() = "", generator exit`,
			},
			wantErr: gen.ErrGeneratorExit,
		},
		{
			// The leaf ignores its close; the middle generator handles the
			// error and returns, which PEP 380 still turns into
			// GeneratorExit in the outer one (checked with CPython 3.11).
			name: "nested: leaf ignores close, mid handles it",
			sub: nested(func(rec *recorder, y *gen.Yielder[int, int], err error) (string, error) {
				rec.add("leaf: ignores %v", err)
				y.Yield(-1)
				return "not reached", nil
			}, func(rec *recorder, err error) (string, error) {
				return "mid handled", nil
			}),
			ops: []op{opNext, opClose},
			want: []string{
				"Next() = 1, true", suspended,
				"leaf: ignores generator exit", "leaf: deferred", `mid: YieldFrom = "", generator ignored close`, "mid: deferred",
				`outer: YieldFrom = "mid handled", generator exit`, "outer: deferred", "Close() = <nil>", allDone,
				`Result() = "", generator exit`, `sub.Result() = "mid handled", generator exit`,
			},
			wantErr: gen.ErrGeneratorExit,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			traces := make(map[string][]string)
			for _, d := range delegations {
				t.Run(d.name, func(t *testing.T) {
					got := delegate(t, d, tt)
					if diff := cmp.Diff(tt.want, got); diff != "" {
						t.Errorf("trace (-want +got):\n%s", diff)
					}
					traces[d.name] = got
				})
			}
			if diff := cmp.Diff(traces["inline"], traces["started"]); diff != "" {
				t.Errorf("the inline and started paths differ (-inline +started):\n%s", diff)
			}
		})
	}
}

// TestYieldFromInlineSub checks what a subgenerator running inline looks
// like from outside: suspended while its delegator is, closed once it has
// returned, and not to be resumed directly in between, since its body runs
// on the delegator's coroutine.
func TestYieldFromInlineSub(t *testing.T) {
	resumes := []struct {
		name   string
		resume func(sub *intGen)
	}{
		{"Next", func(sub *intGen) { sub.Next() }},
		{"Send", func(sub *intGen) { sub.Send(1) }},
		{"Throw", func(sub *intGen) { sub.Throw(errBoom) }},
		{"Close", func(sub *intGen) { sub.Close() }},
		{"YieldFrom", func(sub *intGen) {
			other := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
				return gen.YieldFrom(y, sub)
			})
			other.Next()
		}},
	}
	for _, tt := range resumes {
		t.Run(tt.name, func(t *testing.T) {
			sub := gen.New(countTo(2))
			g := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
				return gen.YieldFrom(y, sub)
			})
			defer g.Close()
			g.Next()
			if got := sub.State(); got != gen.Suspended {
				t.Errorf("sub.State() while its delegator is suspended = %v, want %v", got, gen.Suspended)
			}
			if p := catch(func() { tt.resume(sub) }); !panicWraps(p, gen.ErrRunning) {
				t.Errorf("sub.%s panicked with %v, want an error wrapping ErrRunning", tt.name, p)
			}
			// The refused resume changed nothing: delegation goes on.
			for _, want := range []outcome{{v: 1, ok: true}, {}} {
				if out := apply(g, opNext); out != want {
					t.Errorf("%s, want %d, %t", describe(opNext, out), want.v, want.ok)
				}
			}
			if got := sub.State(); got != gen.Closed {
				t.Errorf("sub.State() after it returned = %v, want %v", got, gen.Closed)
			}
			if r, err := g.Result(); r != "done" || err != nil {
				t.Errorf("Result() = %q, %v, want %q, <nil>", r, err, "done")
			}
		})
	}
}

// TestYieldFromInlineRunsOnDelegatorsCoroutine checks the point of the
// inline path: a chain of delegations to subgenerators that had not started
// runs on the outermost generator's coroutine alone.
func TestYieldFromInlineRunsOnDelegatorsCoroutine(t *testing.T) {
	const depth = 100
	var chain func(n int) *intGen
	chain = func(n int) *intGen {
		if n == 0 {
			return gen.New(countTo(3))
		}
		sub := chain(n - 1)
		return gen.New(func(y *gen.Yielder[int, int]) (string, error) {
			return gen.YieldFrom(y, sub)
		})
	}
	g := chain(depth)
	defer g.Close()
	before := leaktest.Count()
	if v, ok := g.Next(); v != 0 || !ok {
		t.Fatalf("Next() = %d, %t, want 0, true", v, ok)
	}
	// One coroutine for the outermost generator; a forwarding chain would
	// have one per level. The bound leaves room for unrelated goroutines.
	if got := leaktest.Count() - before; got > 10 {
		t.Errorf("goroutines started by a depth-%d inline chain = %d, want 1", depth, got)
	}
	if v, ok := g.Send(5); v != 1 || !ok {
		t.Errorf("Send(5) = %d, %t, want 1, true", v, ok)
	}
}

// TestYieldFromFinishedSub delegates to a subgenerator that has already
// returned: YieldFrom returns at once with its Result. (CPython gives None
// there, the value having gone with the first StopIteration; Result keeps
// it.)
func TestYieldFromFinishedSub(t *testing.T) {
	sub := gen.New(countTo(0))
	sub.Next()
	g := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
		r, err := gen.YieldFrom(y, sub)
		return "got " + r, err
	})
	if v, ok := g.Next(); ok {
		t.Errorf("Next() = %d, %t, want 0, false", v, ok)
	}
	if r, err := g.Result(); r != "got done" || err != nil {
		t.Errorf("Result() = %q, %v, want %q, <nil>", r, err, "got done")
	}
}
