package gen_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/yieldfrom/asyncgo/gen"
)

// A diffRun interprets a diffProgram with this package and records the
// trace its Python rendering prints.
type diffRun struct {
	p       diffProgram
	trace   []string
	stopped bool
}

// diffGenerator is the generator of a program's generator functions: ints
// out, in and as the result.
type diffGenerator = gen.Generator[int, int, int]

// A diffError is what a raise statement raises, or a throw op throws:
// Python's E("pN") or E("tN").
type diffError struct{ label string }

func (e *diffError) Error() string { return "E(" + e.label + ")" }

// interpretDiff runs the program given as JSON and returns its trace.
func interpretDiff(program string) ([]string, error) {
	r := &diffRun{}
	if err := json.Unmarshal([]byte(program), &r.p); err != nil {
		return nil, err
	}
	g := r.gen(0)
	for k, o := range append(r.p.Ops, diffOp{Op: "close"}) {
		if !r.do(g, k, o) {
			break
		}
	}
	r.stopped = true
	g.Close() // after a trace that ended early; a no-op otherwise
	return r.trace, nil
}

func (r *diffRun) say(format string, args ...any) {
	if !r.stopped {
		r.trace = append(r.trace, fmt.Sprintf(format, args...))
	}
}

// do makes call k and records its outcome as run_program in diffPrelude
// does; it reports whether the trace goes on.
func (r *diffRun) do(g *diffGenerator, k int, o diffOp) (goOn bool) {
	name := fmt.Sprintf("%d %s", k, o.Op)
	if o.Op == "send" || o.Op == "throw" {
		name = fmt.Sprintf("%d %s %d", k, o.Op, o.N)
	}
	defer func() {
		// Python's TypeError for a value sent to a just-started generator.
		if p := recover(); p != nil {
			err, ok := p.(error)
			if !ok || !errors.Is(err, gen.ErrJustStarted) {
				panic(p)
			}
			r.say("%s -> raise just-started", name)
			goOn = true
		}
	}()
	pre := g.State()
	var v int
	var ok bool
	var thrown error
	switch o.Op {
	case "next":
		v, ok = g.Next()
	case "send":
		v, ok = g.Send(o.N)
	case "throw", "exit":
		thrown = gen.ErrGeneratorExit
		if o.Op == "throw" {
			thrown = &diffError{fmt.Sprintf("t%d", o.N)}
		}
		v, ok = g.Throw(thrown)
	case "close":
		switch err := g.Close(); {
		case err == nil:
			r.say("%s -> closed", name)
		case errors.Is(err, gen.ErrIgnoredClose):
			r.say("%s -> raise ignored-close", name)
			return false
		default:
			r.say("%s -> raise %s", name, diffDesc(err))
		}
		return true
	}
	switch {
	case ok:
		r.say("%s -> yield %d", name, v)
	case pre == gen.Closed && thrown != nil:
		// Python raises what is thrown into a generator that has ended;
		// Throw returns false.
		r.say("%s -> raise %s", name, diffDesc(thrown))
	case pre == gen.Closed:
		r.say("%s -> stop", name)
	default:
		if res, err := g.Result(); err != nil {
			r.say("%s -> raise %s", name, diffDesc(err))
			return !errors.Is(err, gen.ErrIgnoredClose)
		} else {
			r.say("%s -> return %d", name, res)
		}
	}
	return true
}

// diffDesc describes err as desc in diffPrelude describes the Python
// exception.
func diffDesc(err error) string {
	var de *diffError
	switch {
	case errors.As(err, &de):
		return de.Error()
	case errors.Is(err, gen.ErrIgnoredClose):
		return "ignored-close"
	case errors.Is(err, gen.ErrGeneratorExit):
		return "GeneratorExit"
	}
	return fmt.Sprintf("other %T: %v", err, err)
}

// closeUnwound closes sub if it is still suspended once the statement
// delegating to it is done: only when the delegator was unwound, having
// ignored a close, while it delegated to sub, a started generator that
// runs on a coroutine of its own. Python leaves both suspended and closes
// them when they are collected, after the trace has ended (see
// State.ignored); Go code that starts a generator must close it, and this
// does so without tracing.
func (r *diffRun) closeUnwound(sub *diffGenerator) {
	if sub.State() == gen.Closed {
		return
	}
	stopped := r.stopped
	r.stopped = true
	sub.Close()
	r.stopped = stopped
}

// gen returns a generator running generator function i: Python's gi().
func (r *diffRun) gen(i int) *diffGenerator {
	return gen.New(func(y *gen.Yielder[int, int]) (int, error) {
		v, ret, err := r.block(y, i, r.p.Gens[i])
		if err != nil {
			return 0, err
		}
		if !ret {
			v = 1000 + i
		}
		return v, nil
	})
}

// block runs b as part of generator function i. It returns the value of a
// return statement (ret true), or the error raised.
func (r *diffRun) block(y *gen.Yielder[int, int], i int, b []diffStmt) (v int, ret bool, err error) {
	for _, s := range b {
		if v, ret, err = r.stmt(y, i, s); ret || err != nil {
			return v, ret, err
		}
	}
	return 0, false, nil
}

func (r *diffRun) stmt(y *gen.Yielder[int, int], i int, s diffStmt) (int, bool, error) {
	switch s.Op {
	case "yield":
		x, err := y.Yield(s.N)
		if err != nil {
			return 0, false, err
		}
		r.say("g%d got %d", i, x)
	case "print":
		r.say("g%d p%d", i, s.N)
	case "except", "exit":
		v, ret, err := r.block(y, i, s.Body)
		var de *diffError
		switch {
		case s.Op == "except" && errors.As(err, &de):
			r.say("g%d caught %s", i, diffDesc(err))
		case s.Op == "exit" && errors.Is(err, gen.ErrGeneratorExit) && !errors.Is(err, gen.ErrIgnoredClose):
			r.say("g%d caught GeneratorExit", i)
		default:
			return v, ret, err
		}
		return r.block(y, i, s.Else)
	case "finally":
		v, ret, err := r.block(y, i, s.Body)
		r.say("g%d finally", i)
		if v2, ret2, err2 := r.block(y, i, s.Else); ret2 || err2 != nil {
			return v2, ret2, err2
		}
		return v, ret, err
	case "from":
		sub := r.gen(s.N)
		defer r.closeUnwound(sub)
		if s.Flag {
			v, ok := sub.Next()
			if !ok {
				res, err := sub.Result()
				if err != nil {
					return 0, false, err
				}
				r.say("g%d primed return %d", i, res)
				r.say("g%d from g%d -> %d", i, s.N, res)
				break
			}
			r.say("g%d primed yield %d", i, v)
		}
		res, err := gen.YieldFrom(y, sub)
		if errors.Is(err, gen.ErrIgnoredClose) {
			r.say("ignored-close: trace ends")
			r.stopped = true
		}
		if err != nil {
			return 0, false, err
		}
		r.say("g%d from g%d -> %d", i, s.N, res)
	case "raise":
		return 0, false, &diffError{fmt.Sprintf("p%d", s.N)}
	case "return":
		return s.N, true, nil
	default:
		panic("diffRun.stmt: unknown op " + s.Op)
	}
	return 0, false, nil
}
