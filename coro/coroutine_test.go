package coro_test

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/yieldfrom/asyncgo/coro"
	"github.com/yieldfrom/asyncgo/gen"
)

var (
	errBoom  = errors.New("boom")
	errOther = errors.New("other")
)

// drive resumes c with nil until it returns, as RoundRobin does for a single
// coroutine, and returns its result. It fails the test if c suspends with a
// request or does not return within a few hundred resumes.
func drive[T any](t *testing.T, c *coro.Coroutine[T]) (T, error) {
	t.Helper()
	for range 500 {
		req, ok := c.Send(nil)
		if !ok {
			return c.Result()
		}
		if req != nil {
			t.Fatalf("Send(nil) = %v, true: coroutine suspended with a request, want bare suspensions", req)
		}
	}
	t.Fatal("coroutine did not return after 500 resumes")
	panic("unreachable")
}

// sleeper returns a coroutine that suspends once and returns v.
func sleeper[T any](v T) *coro.Coroutine[T] {
	return coro.New(func(h *coro.Handle) (T, error) {
		if err := coro.Yield(h); err != nil {
			var zero T
			return zero, err
		}
		return v, nil
	})
}

func TestAwaitReused(t *testing.T) {
	tests := []struct {
		name string
		// spend finishes c before the test awaits it.
		spend func(t *testing.T, c *coro.Coroutine[int])
	}{
		{"awaited", func(t *testing.T, c *coro.Coroutine[int]) {
			if v, err := drive(t, coro.New(func(h *coro.Handle) (int, error) {
				return coro.Await(h, c)
			})); v != 7 || err != nil {
				t.Fatalf("first await = %d, %v, want 7, nil", v, err)
			}
		}},
		{"driven to its end", func(t *testing.T, c *coro.Coroutine[int]) {
			if v, err := drive(t, c); v != 7 || err != nil {
				t.Fatalf("driven: Result() = %d, %v, want 7, nil", v, err)
			}
		}},
		{"thrown into before it started", func(t *testing.T, c *coro.Coroutine[int]) {
			if _, ok := c.Throw(errBoom); ok {
				t.Fatal("Throw on a created coroutine = _, true, want false")
			}
		}},
		{"closed before it started", func(t *testing.T, c *coro.Coroutine[int]) {
			if err := c.Close(); err != nil {
				t.Fatalf("Close() = %v, want nil", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := sleeper(7)
			tt.spend(t, c)
			v, err := drive(t, coro.New(func(h *coro.Handle) (int, error) {
				return coro.Await(h, c)
			}))
			if !errors.Is(err, coro.ErrReused) || v != 0 {
				t.Errorf("second await = %d, %v, want 0, %v", v, err, coro.ErrReused)
			}
		})
	}
}

func TestAwaitTwiceInOneBody(t *testing.T) {
	c := sleeper("once")
	var errs []error
	v, err := drive(t, coro.New(func(h *coro.Handle) (string, error) {
		v, err := coro.Await(h, c)
		errs = append(errs, err)
		_, err = coro.Await(h, c)
		errs = append(errs, err)
		return v, nil
	}))
	if v != "once" || err != nil {
		t.Fatalf("Result() = %q, %v, want \"once\", nil", v, err)
	}
	if errs[0] != nil || !errors.Is(errs[1], coro.ErrReused) {
		t.Errorf("await errors = %v, want [<nil> %v]", errs, coro.ErrReused)
	}
}

func TestAwaitedAlready(t *testing.T) {
	tests := []struct {
		name string
		// hold starts shared and leaves it suspended; it returns the
		// coroutine to drive to its end afterwards.
		hold func(shared *coro.Coroutine[int]) *coro.Coroutine[int]
	}{
		{"awaited inline by a suspended coroutine", func(shared *coro.Coroutine[int]) *coro.Coroutine[int] {
			return coro.New(func(h *coro.Handle) (int, error) {
				return coro.Await(h, shared)
			})
		}},
		{"driven directly", func(shared *coro.Coroutine[int]) *coro.Coroutine[int] {
			return shared
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shared := sleeper(5)
			first := tt.hold(shared)
			if _, ok := first.Send(nil); !ok {
				t.Fatal("first Send(nil) = _, false, want the coroutine suspended")
			}
			if s := shared.State(); s != gen.Suspended {
				t.Fatalf("shared.State() = %v, want %v", s, gen.Suspended)
			}

			v, err := drive(t, coro.New(func(h *coro.Handle) (int, error) {
				return coro.Await(h, shared)
			}))
			if !errors.Is(err, coro.ErrAwaitedAlready) || v != 0 {
				t.Errorf("await from a second coroutine = %d, %v, want 0, %v", v, err, coro.ErrAwaitedAlready)
			}

			// The refused await leaves the first awaiter undisturbed.
			if v, err := drive(t, first); v != 5 || err != nil {
				t.Errorf("first awaiter: Result() = %d, %v, want 5, nil", v, err)
			}
		})
	}
}

// A point is a value with more than one field, to check that values come
// up an await chain whole.
type point struct {
	X, Y int
	Name string
}

// awaitChain returns a coroutine that awaits a coroutine that awaits ...,
// depth awaits in all, down to leaf. Every level returns what it awaited,
// unchanged, and records the error its await returned in errs[level], the
// top being level 0.
func awaitChain[T any](depth int, leaf *coro.Coroutine[T], errs []error) *coro.Coroutine[T] {
	c := leaf
	for level := depth - 1; level >= 0; level-- {
		sub := c
		c = coro.New(func(h *coro.Handle) (T, error) {
			v, err := coro.Await(h, sub)
			if errs != nil {
				errs[level] = err
			}
			return v, err
		})
	}
	return c
}

// awaitFrames counts the calls of Coroutine.Await on the caller's stack: in
// a body awaited inline, one per level of the chain above it. (Counting
// goroutines would say the same, but goroutines of earlier tests may still
// be on their way out.)
func awaitFrames() int {
	pcs := make([]uintptr, 4096)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(1, pcs)])
	n := 0
	for {
		f, more := frames.Next()
		if strings.HasPrefix(f.Function, "github.com/yieldfrom/asyncgo/coro.(*Coroutine[...]).Await") {
			n++
		}
		if !more {
			return n
		}
	}
}

func TestAwaitChainCarriesResults(t *testing.T) {
	type request struct{ depth int }
	for _, depth := range []int{1, 3, 50} {
		for _, fail := range []bool{false, true} {
			t.Run(fmt.Sprintf("depth=%d/fail=%t", depth, fail), func(t *testing.T) {
				var awaitsOnStack int
				leaf := coro.New(func(h *coro.Handle) (point, error) {
					awaitsOnStack = awaitFrames()
					in, err := h.Suspend(request{depth})
					if err != nil {
						return point{}, err
					}
					if fail {
						return point{}, errBoom
					}
					return point{X: in.(int), Y: -depth, Name: "leaf"}, nil
				})
				top := awaitChain(depth, leaf, nil)

				req, ok := top.Send(nil)
				if want := (request{depth}); !ok || req != want {
					t.Fatalf("Send(nil) = %v, %t, want %v, true: the leaf's request, unchanged", req, ok, want)
				}
				if awaitsOnStack != depth {
					t.Errorf("the leaf's stack holds %d Await frames, want %d: every await runs inline, on one coroutine", awaitsOnStack, depth)
				}
				if req, ok := top.Send(41); ok {
					t.Fatalf("Send(41) = %v, true, want the chain to return", req)
				}

				v, err := top.Result()
				if fail {
					if err != errBoom || !errors.Is(err, errBoom) {
						t.Errorf("Result() error = %v, want %v itself", err, errBoom)
					}
					return
				}
				if want := (point{X: 41, Y: -depth, Name: "leaf"}); v != want || err != nil {
					t.Errorf("Result() = %+v, %v, want %+v, nil", v, err, want)
				}
			})
		}
	}
}

func TestThrowSurfacesAtInnermostAwait(t *testing.T) {
	const depth = 3
	t.Run("handled", func(t *testing.T) {
		var leafSaw error
		leaf := coro.New(func(h *coro.Handle) (string, error) {
			leafSaw = coro.Yield(h)
			if !errors.Is(leafSaw, errBoom) {
				return "", fmt.Errorf("leaf: Yield = %v, want %v", leafSaw, errBoom)
			}
			if err := coro.Yield(h); err != nil { // handled: go on
				return "", err
			}
			return "recovered", nil
		})
		errs := make([]error, depth)
		top := awaitChain(depth, leaf, errs)
		top.Send(nil)
		if _, ok := top.Throw(errBoom); !ok {
			r, err := top.Result()
			t.Fatalf("Throw(errBoom) = _, false (Result %q, %v), want the body to handle it and suspend again", r, err)
		}
		if leafSaw != errBoom {
			t.Errorf("innermost await returned %v, want %v itself", leafSaw, errBoom)
		}
		if s := top.State(); s != gen.Suspended {
			t.Errorf("State() after a handled Throw = %v, want %v", s, gen.Suspended)
		}
		if _, ok := top.Send(nil); ok {
			t.Fatal("Send(nil) after the handled Throw = _, true, want the chain to return")
		}
		if v, err := top.Result(); v != "recovered" || err != nil {
			t.Errorf("Result() = %q, %v, want \"recovered\", nil", v, err)
		}
		for level, err := range errs {
			if err != nil {
				t.Errorf("level %d's await = _, %v, want nil: the error was handled below it", level, err)
			}
		}
	})
	t.Run("unhandled", func(t *testing.T) {
		leaf := sleeper("never")
		errs := make([]error, depth)
		top := awaitChain(depth, leaf, errs)
		top.Send(nil)
		if _, ok := top.Throw(errBoom); ok {
			t.Fatal("Throw(errBoom) = _, true, want the chain to end")
		}
		if _, err := top.Result(); err != errBoom {
			t.Errorf("Result() error = %v, want %v itself", err, errBoom)
		}
		for level, err := range errs {
			if err != errBoom {
				t.Errorf("level %d's await = _, %v, want %v on its way up", level, err, errBoom)
			}
		}
	})
}

func TestCloseRunsDeferredCallsInnermostFirst(t *testing.T) {
	tests := []struct {
		name string
		// leafExit is what the leaf does when its suspension reports
		// ErrGeneratorExit.
		leafExit func(err error) (int, error)
	}{
		{"every level returns the exit", func(err error) (int, error) { return 0, err }},
		// PEP 380: the awaiter sees GeneratorExit even if the awaited
		// coroutine swallowed it and returned a value.
		{"the leaf returns a value", func(error) (int, error) { return 1, nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const depth = 3
			var log []string
			var leafSaw error
			leaf := coro.New(func(h *coro.Handle) (int, error) {
				defer func() { log = append(log, "leaf") }()
				if leafSaw = coro.Yield(h); leafSaw != nil {
					return tt.leafExit(leafSaw)
				}
				return 0, nil
			})
			chain := []*coro.Coroutine[int]{leaf}
			errs := make([]error, depth)
			for level := depth - 1; level >= 0; level-- {
				sub := chain[0]
				chain = slices.Insert(chain, 0, coro.New(func(h *coro.Handle) (int, error) {
					defer func() { log = append(log, fmt.Sprintf("level %d", level)) }()
					v, err := coro.Await(h, sub)
					errs[level] = err
					return v, err
				}))
			}
			top := chain[0]
			top.Send(nil)

			if err := top.Close(); err != nil {
				t.Fatalf("Close() = %v, want nil", err)
			}
			if want := []string{"leaf", "level 2", "level 1", "level 0"}; !slices.Equal(log, want) {
				t.Errorf("deferred calls ran as %q, want %q", log, want)
			}
			if !errors.Is(leafSaw, gen.ErrGeneratorExit) {
				t.Errorf("leaf's Yield = %v, want %v", leafSaw, gen.ErrGeneratorExit)
			}
			for level, err := range errs {
				if !errors.Is(err, gen.ErrGeneratorExit) {
					t.Errorf("level %d's await = _, %v, want %v", level, err, gen.ErrGeneratorExit)
				}
			}
			for i, c := range chain {
				if s := c.State(); s != gen.Closed {
					t.Errorf("chain[%d].State() = %v, want %v", i, s, gen.Closed)
				}
			}
			if _, err := top.Result(); !errors.Is(err, gen.ErrGeneratorExit) {
				t.Errorf("Result() error = %v, want %v", err, gen.ErrGeneratorExit)
			}
			if err := top.Close(); err != nil || len(log) != depth+1 {
				t.Errorf("second Close() = %v, ran %d deferred calls in all, want nil, %d", err, len(log), depth+1)
			}
		})
	}
}

// A coroutine that ignores its close and suspends again is unwound, and the
// await that was running it reports gen.ErrIgnoredClose, where Python raises
// RuntimeError("coroutine ignored GeneratorExit") in the awaiter. The
// unwinding is never mistaken for a panic in any body of the chain.
//
//	async def top():
//	    try:
//	        for _ in range(3):
//	            try:
//	                await stubborn()   # ignores GeneratorExit once
//	            except RuntimeError: ...
//	    finally: ...
//	c = top(); c.send(None); c.close()  # RuntimeError: coroutine ignored GeneratorExit
func TestCloseIgnoredInAwaitChain(t *testing.T) {
	var log []string
	var awaitErrs []error
	stubborn := func() *coro.Coroutine[int] {
		return coro.New(func(h *coro.Handle) (int, error) {
			defer func() { log = append(log, "stubborn") }()
			for coro.Yield(h) != nil {
			}
			return 1, nil
		})
	}
	top := coro.New(func(h *coro.Handle) (int, error) {
		defer func() { log = append(log, "top") }()
		// Bounded, so that a regression fails instead of hanging: were the
		// unwinding taken for a panic, every await would return at once and
		// the loop would go on awaiting during the unwind.
		for range 3 {
			_, err := coro.Await(h, stubborn())
			awaitErrs = append(awaitErrs, err)
		}
		return 0, nil
	})
	top.Send(nil)

	// The first stubborn ignores the close: its await reports that, and top
	// goes on to await a second one, which suspends: top itself has now
	// ignored the close, and is unwound with the second stubborn.
	if err := top.Close(); !errors.Is(err, gen.ErrIgnoredClose) {
		t.Errorf("Close() = %v, want %v", err, gen.ErrIgnoredClose)
	}
	if len(awaitErrs) != 1 || !errors.Is(awaitErrs[0], gen.ErrIgnoredClose) {
		t.Errorf("top's awaits returned %v, want [%v]", awaitErrs, gen.ErrIgnoredClose)
	}
	for _, err := range awaitErrs {
		var pe *coro.PanicError
		if errors.As(err, &pe) {
			t.Errorf("an await returned a *PanicError (%v): gen's unwinding was taken for a panic", pe.Value)
		}
	}
	if want := []string{"stubborn", "stubborn", "top"}; !slices.Equal(log, want) {
		t.Errorf("deferred calls ran as %q, want %q", log, want)
	}
	if _, err := top.Result(); !errors.Is(err, gen.ErrIgnoredClose) {
		t.Errorf("Result() error = %v, want %v", err, gen.ErrIgnoredClose)
	}
}

// A user's panic with a value of an exported gen type is still a panic in
// the body, not gen's unwinding.
func TestPanicWithGenValue(t *testing.T) {
	c := coro.New(func(*coro.Handle) (int, error) { panickyBody(gen.Suspended); return 0, nil })
	c.Send(nil)
	var pe *coro.PanicError
	if _, err := c.Result(); !errors.As(err, &pe) || pe.Value != gen.Suspended {
		t.Errorf("Result() error = %v, want a *PanicError with Value %v", err, gen.Suspended)
	}
}

// TestState checks the states Python reports for the same program:
//
//	async def inner(): look(); await asyncio.sleep(0); look(); return 1
//	async def outer(): look(); v = await i; look(); return v
//
// where look records inspect.getcoroutinestate of o = outer() and i = inner().
func TestState(t *testing.T) {
	var outer, inner *coro.Coroutine[int]
	type seen struct{ outer, inner gen.State }
	var inside []seen
	look := func() { inside = append(inside, seen{outer.State(), inner.State()}) }
	inner = coro.New(func(h *coro.Handle) (int, error) {
		look()
		if err := coro.Yield(h); err != nil {
			return 0, err
		}
		look()
		return 1, nil
	})
	outer = coro.New(func(h *coro.Handle) (int, error) {
		look()
		v, err := coro.Await(h, inner)
		look()
		return v, err
	})

	check := func(when string, wantOuter, wantInner gen.State) {
		t.Helper()
		if o, i := outer.State(), inner.State(); o != wantOuter || i != wantInner {
			t.Errorf("%s: States = %v, %v, want %v, %v", when, o, i, wantOuter, wantInner)
		}
	}
	check("before the first Send", gen.Created, gen.Created)
	outer.Send(nil)
	check("suspended in inner", gen.Suspended, gen.Suspended)
	if _, ok := outer.Send(nil); ok {
		t.Fatal("second Send(nil) = _, true, want outer to return")
	}
	check("after outer returned", gen.Closed, gen.Closed)

	want := []seen{
		{gen.Running, gen.Created}, // outer's body, before its await
		{gen.Running, gen.Running}, // inner's body, awaited inline
		{gen.Running, gen.Running}, // inner's body, resumed
		{gen.Running, gen.Closed},  // outer's body, after its await
	}
	if !slices.Equal(inside, want) {
		t.Errorf("States seen inside the bodies = %v, want %v", inside, want)
	}

	thrown := sleeper(0)
	thrown.Throw(errBoom)
	if s := thrown.State(); s != gen.Closed {
		t.Errorf("State() after Throw before start = %v, want %v", s, gen.Closed)
	}
}

// panicky is a coroutine body that panics with the value it is given; its
// name must appear in the PanicError's stack.
func panicky(v any) func(*coro.Handle) (int, error) {
	return func(h *coro.Handle) (int, error) {
		if err := coro.Yield(h); err != nil {
			return 0, err
		}
		panickyBody(v)
		return 1, nil
	}
}

func panickyBody(v any) { panic(v) }

func TestPanicBecomesError(t *testing.T) {
	tests := []struct {
		name  string
		value any
		depth int
	}{
		{"string", "boom", 0},
		{"error", errBoom, 0},
		{"wrapped error", fmt.Errorf("while working: %w", errBoom), 0},
		{"deep in an await chain", "deep boom", 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := make([]error, tt.depth)
			top := awaitChain(tt.depth, coro.New(panicky(tt.value)), errs)
			// The panic ends the coroutine; it does not unwind the driver.
			v, err := drive(t, top)
			if v != 0 {
				t.Errorf("Result() value = %d, want 0", v)
			}
			var pe *coro.PanicError
			if !errors.As(err, &pe) {
				t.Fatalf("Result() error = %v (%T), want a *coro.PanicError", err, err)
			}
			if pe.Value != tt.value {
				t.Errorf("PanicError.Value = %#v, want %#v", pe.Value, tt.value)
			}
			if !strings.Contains(string(pe.Stack), "coro_test.panickyBody(") {
				t.Errorf("PanicError.Stack does not name panickyBody:\n%s", pe.Stack)
			}
			if want := fmt.Sprintf("panic: %v\n", tt.value); !strings.HasPrefix(err.Error(), want) {
				t.Errorf("Error() = %.80q..., want it to begin with %q", err.Error(), want)
			}
			if verr, ok := tt.value.(error); ok {
				if !errors.Is(err, errBoom) || pe.Unwrap() != verr {
					t.Errorf("errors.Is(%v, errBoom) = false, or Unwrap() = %v; want errors.Is to see through to the panic value", err, pe.Unwrap())
				}
			} else if pe.Unwrap() != nil {
				t.Errorf("Unwrap() = %v, want nil for a panic value that is not an error", pe.Unwrap())
			}
			for level, lerr := range errs {
				if lerr != err {
					t.Errorf("level %d's await = _, %v, want the same *PanicError as the top's", level, lerr)
				}
			}
		})
	}
}

func TestPanicInBodyNotSuspended(t *testing.T) {
	// A panic before the first suspension ends the first Send.
	c := coro.New(func(*coro.Handle) (int, error) { panickyBody(errOther); return 0, nil })
	if _, ok := c.Send(nil); ok {
		t.Fatal("Send(nil) = _, true, want false")
	}
	if _, err := c.Result(); !errors.Is(err, errOther) {
		t.Errorf("Result() error = %v, want one wrapping %v", err, errOther)
	}
	if s := c.State(); s != gen.Closed {
		t.Errorf("State() = %v, want %v", s, gen.Closed)
	}
}

func TestOwnerFromAnyDepth(t *testing.T) {
	var seen []any
	leaf := coro.New(func(h *coro.Handle) (int, error) {
		seen = append(seen, h.Owner())
		return 0, coro.Yield(h)
	})
	top := awaitChain(10, leaf, nil)
	type task struct{ name string }
	owner := &task{"main"}
	top.SetOwner(owner)
	drive(t, top)
	if len(seen) != 1 || seen[0] != owner {
		t.Errorf("Owner() 10 awaits deep = %v, want %v", seen, owner)
	}

	unowned := coro.New(func(h *coro.Handle) (any, error) { return h.Owner(), nil })
	if v, _ := drive(t, unowned); v != nil {
		t.Errorf("Owner() without SetOwner = %v, want nil", v)
	}
}

// A coroutine that a driver owns has one driver: awaiting it is an error,
// and it stays as it was, for its owner to run.
func TestAwaitOwnedCoroutine(t *testing.T) {
	owned := sleeper(1)
	type task struct{}
	owner := &task{}
	owned.SetOwner(owner)
	if got := owned.Owner(); got != owner {
		t.Fatalf("Owner() = %v, want %v", got, owner)
	}
	awaiter := coro.New(func(h *coro.Handle) (int, error) { return owned.Await(h) })
	if v, err := drive(t, awaiter); v != 0 || !errors.Is(err, coro.ErrAwaitedAlready) {
		t.Errorf("await of an owned coroutine = %d, %v; want 0, %v", v, err, coro.ErrAwaitedAlready)
	}
	if owned.State() != gen.Created {
		t.Errorf("owned coroutine after a refused await is %v, want %v", owned.State(), gen.Created)
	}
	if v, err := drive(t, owned); v != 1 || err != nil {
		t.Errorf("owner's drive = %d, %v; want 1, nil", v, err)
	}
}

// TestResumeEnded checks that resuming a coroutine that has finished or
// been closed is reported as CPython reports it (RuntimeError: cannot
// reuse already awaited coroutine), by a panic naming the call and wrapping
// coro.ErrReused, and that closing it again stays quiet.
func TestResumeEnded(t *testing.T) {
	ends := []struct {
		name string
		end  func(c *coro.Coroutine[int]) // ends c, which has not started
	}{
		{"returned", func(c *coro.Coroutine[int]) {
			for _, ok := c.Send(nil); ok; _, ok = c.Send(nil) {
			}
		}},
		{"closed before it started", func(c *coro.Coroutine[int]) { _ = c.Close() }},
		{"closed while suspended", func(c *coro.Coroutine[int]) {
			c.Send(nil)
			_ = c.Close()
		}},
		{"failed from a throw", func(c *coro.Coroutine[int]) {
			c.Send(nil)
			c.Throw(errBoom)
		}},
	}
	resumes := []struct {
		name   string
		resume func(c *coro.Coroutine[int])
	}{
		{"Send", func(c *coro.Coroutine[int]) { c.Send(nil) }},
		{"Throw", func(c *coro.Coroutine[int]) { c.Throw(errBoom) }},
	}
	for _, e := range ends {
		for _, r := range resumes {
			t.Run(e.name+"/"+r.name, func(t *testing.T) {
				c := sleeper(1)
				e.end(c)
				p := catchPanic(func() { r.resume(c) })
				err, _ := p.(error)
				if !errors.Is(err, coro.ErrReused) || !strings.HasPrefix(err.Error(), "coro."+r.name+": ") {
					t.Errorf("%s panicked with %v, want an error %q wrapping coro.ErrReused", r.name, p, "coro."+r.name+": ...")
				}
				if err := c.Close(); err != nil {
					t.Errorf("Close() after the misuse = %v, want nil", err)
				}
			})
		}
	}
}

// catchPanic calls f and returns the value it panicked with, or nil.
func catchPanic(f func()) (p any) {
	defer func() { p = recover() }()
	f()
	return nil
}

// TestAwaitFromOtherGoroutine checks that an await made on a goroutine that
// a coroutine started, while the coroutine is suspended, reports the
// mistake by name (not with iter.Pull's "yield called again before next")
// and leaves the coroutine as it was: a bare suspension panics on that
// goroutine, and awaiting a coroutine returns the error its body panicked
// with (see New).
func TestAwaitFromOtherGoroutine(t *testing.T) {
	tests := []struct {
		name  string
		await func(h *coro.Handle) error
	}{
		{"Yield", coro.Yield},
		{"Suspend", func(h *coro.Handle) error { _, err := h.Suspend("request"); return err }},
		{"Await", func(h *coro.Handle) error { _, err := coro.Await(h, sleeper(1)); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p any
			var err error
			suspended, done := make(chan struct{}), make(chan struct{})
			c := coro.New(func(h *coro.Handle) (int, error) {
				go func() {
					defer close(done)
					<-suspended
					p = catchPanic(func() { err = tt.await(h) })
				}()
				return 2, coro.Yield(h)
			})
			if _, ok := c.Send(nil); !ok {
				t.Fatal("the coroutine returned at once, want it suspended")
			}
			close(suspended)
			<-done
			perr, _ := p.(error)
			if !errors.Is(perr, gen.ErrWrongGoroutine) && !errors.Is(err, gen.ErrWrongGoroutine) {
				t.Errorf("the %s from another goroutine panicked with %v and returned %v, want either to wrap gen.ErrWrongGoroutine", tt.name, p, err)
			}
			if s := c.State(); s != gen.Suspended {
				t.Errorf("State() after the stray %s = %v, want %v", tt.name, s, gen.Suspended)
			}
			if _, ok := c.Send(nil); ok {
				t.Error("the coroutine suspended again, want it to return")
			}
			if v, err := c.Result(); v != 2 || err != nil {
				t.Errorf("Result() = %d, %v, want 2, <nil>", v, err)
			}
		})
	}
}
