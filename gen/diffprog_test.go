package gen_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/yieldfrom/asyncgo/gen/pydiff"
)

// A diffProgram is a program of the differential test (see
// differential_test.go): generator functions g0, g1, ..., and a sequence of
// calls on a g0() generator: next, send, throw and close. g0 and the others
// yield, catch what is thrown at them, run finally clauses, and delegate
// to gj (j > i) with yield from, directly or after priming gj's generator
// with next, so that both inline delegation and forwarding to a started
// generator are exercised. It is rendered to Python (python) and
// interpreted with this package (diffgo_test.go).
type diffProgram struct {
	Gens [][]diffStmt `json:"gens"`
	Ops  []diffOp     `json:"ops"`
}

// A diffOp is a call on the generator: "next", "send" N, "throw" (of
// E("tN")), "exit" (throw of GeneratorExit) or "close".
type diffOp struct {
	Op string `json:"op"`
	N  int    `json:"n,omitempty"`
}

// A diffStmt is a statement of a generator function:
//
//	yield    N            x = yield N; say what was sent (0 for next)
//	print    N            say "pN"
//	except   Body Else    try: Body except E: say it; Else
//	exit     Body Else    try: Body except GeneratorExit: say it; Else
//	finally  Body Else    try: Body finally: say "finally"; Else
//	from     N Flag       r = yield from gN() (primed with next first if Flag); say r
//	raise    N            raise E("pN")
//	return   N            return N
type diffStmt struct {
	Op   string     `json:"op"`
	N    int        `json:"n,omitempty"`
	Flag bool       `json:"flag,omitempty"`
	Body []diffStmt `json:"body,omitempty"`
	Else []diffStmt `json:"else,omitempty"`
}

type diffGen struct {
	r      *rand.Rand
	ngens  int
	labels int
}

// genDiffProgram returns the program of seed.
func genDiffProgram(seed uint64) diffProgram {
	g := &diffGen{r: rand.New(rand.NewPCG(seed, 0x9e4))}
	g.ngens = 1 + g.r.IntN(3)
	p := diffProgram{Gens: make([][]diffStmt, g.ngens)}
	for i := range g.ngens {
		p.Gens[i] = g.block(i, 0, 1+g.r.IntN(4), false)
	}
	for range 1 + g.r.IntN(10) {
		o := diffOp{}
		switch k := g.r.IntN(20); {
		case k < 7:
			o.Op = "next"
		case k < 13:
			o = diffOp{Op: "send", N: 1 + g.r.IntN(99)}
		case k < 17:
			o = diffOp{Op: "throw", N: g.label()}
		case k < 18:
			o.Op = "exit"
		default:
			o.Op = "close"
		}
		p.Ops = append(p.Ops, o)
	}
	return p
}

func (p diffProgram) json() string { return pydiff.JSON(p) }

// parseDiffProgram returns the program of its JSON, which must be valid.
func parseDiffProgram(program string) diffProgram { return pydiff.Parse[diffProgram](program) }

// shrinkDiffProgram returns the programs one step simpler than program,
// as JSON (see pydiff.Variants).
func shrinkDiffProgram(program string) []string {
	p := parseDiffProgram(program)
	var vs []string
	for _, gs := range pydiff.FuncVariants(p.Gens, diffStmt.blocks, diffStmt.with, nil) {
		q := p
		q.Gens = gs
		vs = append(vs, q.json())
	}
	for k := range p.Ops {
		q := p
		q.Ops = slices.Delete(slices.Clone(p.Ops), k, k+1)
		vs = append(vs, q.json())
	}
	return vs
}

func (s diffStmt) blocks() [][]diffStmt { return [][]diffStmt{s.Body, s.Else} }

func (s diffStmt) with(k int, b []diffStmt) diffStmt {
	if k == 0 {
		s.Body = b
	} else {
		s.Else = b
	}
	return s
}

func (g *diffGen) label() int {
	g.labels++
	return g.labels
}

// block returns n statements of generator i at nesting depth; handler says
// whether they are an except or finally clause.
func (g *diffGen) block(i, depth, n int, handler bool) []diffStmt {
	var b []diffStmt
	for range n {
		s := g.stmt(i, depth, handler)
		b = append(b, s)
		if s.Op == "raise" || s.Op == "return" {
			break
		}
	}
	return b
}

func (g *diffGen) stmt(i, depth int, handler bool) diffStmt {
	r := g.r
	for {
		k := r.IntN(100)
		switch {
		case k < 30:
			return diffStmt{Op: "yield", N: g.label()}
		case k < 42:
			return diffStmt{Op: "print", N: g.label()}
		case k < 72:
			if depth >= 2 || handler {
				continue
			}
			s := diffStmt{Op: [...]string{"except", "exit", "finally"}[r.IntN(3)]}
			s.Body = g.block(i, depth+1, 1+r.IntN(3), false)
			s.Else = g.block(i, depth+1, r.IntN(3), true)
			return s
		case k < 86:
			if i+1 >= g.ngens || handler {
				continue
			}
			return diffStmt{Op: "from", N: i + 1 + r.IntN(g.ngens-i-1), Flag: r.IntN(3) == 0}
		case k < 94:
			return diffStmt{Op: "raise", N: g.label()}
		default:
			return diffStmt{Op: "return", N: g.label()}
		}
	}
}

// diffPrelude is the Python every program runs after (see
// gen/pydiff): the program's state, and run_program, which makes the
// calls of OPS on a g0() generator and then closes it. Calls on a
// generator that has ended answer "stop" (StopIteration without a value).
// A close that a generator ignores (RuntimeError: generator ignored
// GeneratorExit, from a close or from a delegator closing its
// subgenerator) ends the trace, because Python leaves such a generator
// suspended, to be closed again when it is collected, where Go unwinds it.
const diffPrelude = `class E(Exception):
    pass


class State:
    def __init__(self):
        self.out = None
        self.stopped = False

    def say(self, what):
        if not self.stopped:
            self.out(what)

    def ignored(self, e):
        # A subgenerator ignored the close of its delegator: Python leaves
        # it suspended, to be closed again when it is collected, where Go
        # unwinds it at once. The trace ends here.
        if desc(e) == "ignored-close":
            self.say("ignored-close: trace ends")
            self.stopped = True


def desc(e):
    if isinstance(e, E):
        return "E(%s)" % e.args[0]
    if isinstance(e, GeneratorExit):
        return "GeneratorExit"
    if isinstance(e, RuntimeError) and "ignored GeneratorExit" in str(e):
        return "ignored-close"
    if isinstance(e, TypeError) and "just-started" in str(e):
        return "just-started"
    return "other %s: %s" % (type(e).__name__, e)


def prime(s):
    try:
        return "yield", next(s)
    except StopIteration as e:
        return "return", e.value


def run_program(ns, out):
    S = ns["S"]
    S.out = out
    g = ns["g0"]()
    try:
        for k, (op, n) in enumerate(ns["OPS"] + [("close", 0)]):
            name = "%d %s" % (k, op if op in ("next", "exit", "close") else "%s %d" % (op, n))
            try:
                if op == "next":
                    v = next(g)
                elif op == "send":
                    v = g.send(n)
                elif op == "throw":
                    v = g.throw(E("t%d" % n))
                elif op == "exit":
                    v = g.throw(GeneratorExit())
                else:
                    g.close()
                    S.say(name + " -> closed")
                    continue
                S.say("%s -> yield %d" % (name, v))
            except StopIteration as e:
                S.say(name + " -> " + ("stop" if e.value is None else "return %d" % e.value))
            except BaseException as e:
                S.say(name + " -> raise " + desc(e))
                if desc(e) == "ignored-close":
                    # Before e goes, and with it the last reference to a
                    # generator left suspended, which Python then closes.
                    S.stopped = True
                    break
    finally:
        S.stopped = True
`

// python renders p as Python source (to run after diffPrelude).
func (p diffProgram) python() string {
	var b strings.Builder
	b.WriteString("S = State()\n")
	for i, body := range p.Gens {
		fmt.Fprintf(&b, "\n\ndef g%d():\n", i)
		pyBlock(&b, i, body, 1)
		fmt.Fprintf(&b, "    return %d\n", 1000+i)
		// Unreachable, but makes gi a generator function even when its
		// body has no yield.
		b.WriteString("    yield\n")
	}
	var ops []string
	for _, o := range p.Ops {
		ops = append(ops, fmt.Sprintf("(%q, %d)", o.Op, o.N))
	}
	fmt.Fprintf(&b, "\n\nOPS = [%s]\n", strings.Join(ops, ", "))
	return b.String()
}

func pyBlock(b *strings.Builder, i int, body []diffStmt, depth int) {
	pydiff.Block(b, body, depth, func(s diffStmt, depth int) { pyStmt(b, i, s, depth) })
}

func pyStmt(b *strings.Builder, i int, s diffStmt, depth int) {
	in := strings.Repeat("    ", depth)
	line := func(format string, args ...any) {
		b.WriteString(in + fmt.Sprintf(format, args...) + "\n")
	}
	switch s.Op {
	case "yield":
		line("x = yield %d", s.N)
		line(`S.say("g%d got %%d" %% (x or 0))`, i)
	case "print":
		line(`S.say("g%d p%d")`, i, s.N)
	case "except", "exit", "finally":
		line("try:")
		pyBlock(b, i, s.Body, depth+1)
		switch s.Op {
		case "except":
			line("except E as e:")
			line(`    S.say("g%d caught " + desc(e))`, i)
		case "exit":
			line("except GeneratorExit:")
			line(`    S.say("g%d caught GeneratorExit")`, i)
		default:
			line("finally:")
			line(`    S.say("g%d finally")`, i)
		}
		pyBlock(b, i, s.Else, depth+1)
	case "from":
		line("s = g%d()", s.N)
		line("try:")
		if s.Flag {
			line("    k, r = prime(s)")
			line(`    S.say("g%d primed %%s %%d" %% (k, r))`, i)
			line(`    if k == "yield":`)
			line("        r = yield from s")
		} else {
			line("    r = yield from s")
		}
		line("except RuntimeError as e:")
		line("    S.ignored(e)")
		line("    raise")
		line(`S.say("g%d from g%d -> %%d" %% r)`, i, s.N)
	case "raise":
		line(`raise E("p%d")`, s.N)
	case "return":
		line("return %d", s.N)
	default:
		panic("pyStmt: unknown op " + s.Op)
	}
}
