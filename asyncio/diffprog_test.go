package asyncio_test

import (
	"math/rand/v2"

	"github.com/yieldfrom/asyncgo/gen/pydiff"
)

// A diffProgram is a small asyncio program of the differential test (see
// differential_test.go): functions f0 (main), f1, ..., each a list of
// statements, sharing a table of tasks T (slot → task), a Queue, a Lock, a
// Semaphore and an Event. It is rendered to Python (diffpython_test.go) and interpreted
// in Go (diffgo_test.go); both print the same trace if the runtime behaves
// as CPython's asyncio.
//
// The generator keeps every program finite and free of deadlocks, so that
// the two traces are comparable to the end: function fi calls, spawns,
// gathers or waits for only fj with j > i (no recursion) and awaits only
// tasks running such an fj (no await cycle); every wait on the queue or the
// event has a timeout; the Lock and the Semaphore are held only across
// prints and sleeps.
//
// It also keeps away from what CPython 3.11 (the python3 of this machine)
// does differently from 3.13, the reference for cancellation: a TaskGroup
// appears only at the top of main, which nothing cancels from outside and
// no timeout encloses, so that neither the 3.11 TaskGroup's early uncancel
// (gh-116720, issue 13 item 4) nor its loss of an outside cancellation that
// meets a failing child (item 5) can show.
type diffProgram struct {
	Funcs     [][]diffStmt `json:"funcs"`
	QueueSize int          `json:"queue,omitempty"`
}

// A diffStmt is one statement. The fields each op uses:
//
//	print   N                  say "pN"
//	sleep   N                  await asyncio.sleep(N ticks)
//	spawn   N Slot             T[Slot] = create_task(fN())
//	tgspawn N Slot             T[Slot] = tg.create_task(fN()) (group body only)
//	await   Slot               say the result of await T[Slot]
//	cancel  Slot Msg           say what T[Slot].cancel(Msg) returns ("" = no message)
//	call    N                  say the result of await fN()
//	gather  Fns Flag           say the results of gather(fN()...; return_exceptions=Flag)
//	waitfor N D                say the result of wait_for(fN(), D)
//	timeout D Body             async with timeout(D): Body
//	group   Body               async with TaskGroup() as tg: Body; say the ExceptionGroup caught
//	put     N D                wait_for(Q.put(N), D), or say it timed out
//	get     D                  say wait_for(Q.get(), D), or that it timed out
//	lock    Body               async with L: Body
//	sem     Body               async with SEM: Body (a Semaphore(2))
//	set, clear                 E.set(), E.clear()
//	wait    D                  wait_for(E.wait(), D), or say it timed out
//	except  Body Else          try: Body except Exception: say it; Else
//	cancelled Body Else N Flag Show  try: Body except CancelledError: say it (its message if Show); Else; return N if Flag, else raise
//	finally Body Else          try: Body finally: say "finally"; Else
//	raise   N                  raise E("pN")
//	return  N                  return N
type diffStmt struct {
	Op   string     `json:"op"`
	N    int        `json:"n,omitempty"`
	Slot int        `json:"slot,omitempty"`
	D    int        `json:"d,omitempty"`
	Fns  []int      `json:"fns,omitempty"`
	Msg  string     `json:"msg,omitempty"`
	Flag bool       `json:"flag,omitempty"`
	Show bool       `json:"show,omitempty"`
	Body []diffStmt `json:"body,omitempty"`
	Else []diffStmt `json:"else,omitempty"`
}

// diffScope is where a block is generated: which statements fit there.
type diffScope int

const (
	scopeFunc    diffScope = iota // a function body, or a block nested in one
	scopeGroup                    // the body of a TaskGroup
	scopeLimited                  // a Lock's body, an except or finally clause: prints, sleeps, raise
)

type diffGen struct {
	r        *rand.Rand
	nfuncs   int
	slotFunc []int // the function each slot's task runs
	labels   int
}

// genDiffProgram returns the program of seed.
func genDiffProgram(seed uint64) diffProgram {
	g := &diffGen{r: rand.New(rand.NewPCG(seed, 0xa5c10))}
	g.nfuncs = 2 + g.r.IntN(4)
	p := diffProgram{Funcs: make([][]diffStmt, g.nfuncs)}
	if g.r.IntN(2) == 0 {
		p.QueueSize = 1 + g.r.IntN(2)
	}
	for i := range g.nfuncs {
		n := 1 + g.r.IntN(5)
		if i == 0 {
			// Main starts the others: most of what happens is its doing.
			n = 3 + g.r.IntN(6)
		}
		p.Funcs[i] = g.block(i, scopeFunc, 0, n)
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
	keep := func(f []diffStmt) bool { return groupSpawnsInGroups(f, false) }
	for _, fs := range pydiff.FuncVariants(p.Funcs, diffStmt.blocks, diffStmt.with, keep) {
		q := p
		q.Funcs = fs
		vs = append(vs, q.json())
	}
	return vs
}

// groupSpawnsInGroups reports whether every tgspawn of b is in a group's
// body, as a variant that moves one out of its group is not a program.
func groupSpawnsInGroups(b []diffStmt, inGroup bool) bool {
	for _, s := range b {
		if s.Op == "tgspawn" && !inGroup ||
			!groupSpawnsInGroups(s.Body, s.Op == "group") || !groupSpawnsInGroups(s.Else, false) {
			return false
		}
	}
	return true
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

func (g *diffGen) ticks() int {
	if g.r.IntN(3) == 0 {
		return 0
	}
	return 1 + g.r.IntN(3)
}

// callee returns a function that fi may call, spawn or gather, or -1.
func (g *diffGen) callee(i int) int {
	if i+1 >= g.nfuncs {
		return -1
	}
	return i + 1 + g.r.IntN(g.nfuncs-i-1)
}

// block returns n statements of function i for scope at nesting depth.
func (g *diffGen) block(i int, scope diffScope, depth, n int) []diffStmt {
	var b []diffStmt
	for range n {
		s := g.stmt(i, scope, depth)
		b = append(b, s)
		if s.Op == "raise" || s.Op == "return" {
			break
		}
	}
	return b
}

func (g *diffGen) stmt(i int, scope diffScope, depth int) diffStmt {
	for {
		if s, ok := g.try(i, scope, depth); ok {
			return s
		}
	}
}

// try draws one kind of statement and returns it, or false if it does not
// fit where it was drawn.
func (g *diffGen) try(i int, scope diffScope, depth int) (diffStmt, bool) {
	r := g.r
	nested := depth < 2
	k := r.IntN(100)
	switch scope {
	case scopeLimited:
		switch {
		case k < 50:
			return diffStmt{Op: "print", N: g.label()}, true
		case k < 90:
			return diffStmt{Op: "sleep", N: g.ticks()}, true
		}
		return diffStmt{Op: "raise", N: g.label()}, true
	case scopeGroup:
		switch {
		case k < 45:
			if j := g.callee(i); j >= 0 {
				return diffStmt{Op: "tgspawn", N: j, Slot: g.newSlot(j)}, true
			}
		case k < 60:
			return diffStmt{Op: "print", N: g.label()}, true
		case k < 90:
			return diffStmt{Op: "sleep", N: g.ticks()}, true
		default:
			return diffStmt{Op: "raise", N: g.label()}, true
		}
		return diffStmt{}, false
	}
	switch {
	case k < 10:
		return diffStmt{Op: "print", N: g.label()}, true
	case k < 24:
		return diffStmt{Op: "sleep", N: g.ticks()}, true
	case k < 34:
		if j := g.callee(i); j >= 0 {
			return diffStmt{Op: "spawn", N: j, Slot: g.newSlot(j)}, true
		}
	case k < 40:
		var ok []int
		for s, f := range g.slotFunc {
			if f > i {
				ok = append(ok, s)
			}
		}
		if len(ok) > 0 {
			return diffStmt{Op: "await", Slot: ok[r.IntN(len(ok))]}, true
		}
	case k < 47:
		if len(g.slotFunc) > 0 {
			s := diffStmt{Op: "cancel", Slot: r.IntN(len(g.slotFunc))}
			if r.IntN(2) == 0 {
				s.Msg = "m" + string(rune('a'+r.IntN(3)))
			}
			return s, true
		}
	case k < 50:
		if j := g.callee(i); j >= 0 {
			return diffStmt{Op: "call", N: j}, true
		}
	case k < 56:
		if g.callee(i) >= 0 {
			s := diffStmt{Op: "gather", Flag: r.IntN(2) == 0}
			for range 1 + r.IntN(3) {
				s.Fns = append(s.Fns, g.callee(i))
			}
			return s, true
		}
	case k < 60:
		if j := g.callee(i); j >= 0 {
			return diffStmt{Op: "waitfor", N: j, D: 1 + r.IntN(4)}, true
		}
	case k < 63:
		if nested {
			return diffStmt{Op: "timeout", D: 1 + r.IntN(4), Body: g.block(i, scopeFunc, depth+1, 1+r.IntN(3))}, true
		}
	case k < 68:
		if i == 0 && depth == 0 && g.nfuncs > 1 {
			return diffStmt{Op: "group", Body: g.block(i, scopeGroup, depth+1, 1+r.IntN(4))}, true
		}
	case k < 71:
		return diffStmt{Op: "put", N: g.label(), D: 1 + r.IntN(3)}, true
	case k < 74:
		return diffStmt{Op: "get", D: 1 + r.IntN(3)}, true
	case k < 77:
		if nested {
			op := [...]string{"lock", "sem"}[r.IntN(2)]
			return diffStmt{Op: op, Body: g.block(i, scopeLimited, depth+1, 1+r.IntN(3))}, true
		}
	case k < 79:
		return diffStmt{Op: "set"}, true
	case k < 80:
		return diffStmt{Op: "clear"}, true
	case k < 83:
		return diffStmt{Op: "wait", D: 1 + r.IntN(3)}, true
	case k < 96:
		if !nested {
			break
		}
		body := g.block(i, scopeFunc, depth+1, 1+r.IntN(3))
		handler := g.block(i, scopeLimited, depth+1, r.IntN(2))
		switch r.IntN(3) {
		case 0:
			return diffStmt{Op: "except", Body: body, Else: handler}, true
		case 1:
			return diffStmt{Op: "finally", Body: body, Else: handler}, true
		}
		s := diffStmt{Op: "cancelled", Body: body, Else: handler, Flag: r.IntN(2) == 0, N: g.label()}
		// The message of a cancellation is printed only where it can only
		// be the task's own: CPython hands a cancelled task's message to
		// the first that asks for its result only (_make_cancelled_error),
		// an accident not worth copying.
		s.Show = onlyOwnAwaits(body)
		return s, true
	case k < 98:
		return diffStmt{Op: "raise", N: g.label()}, true
	default:
		return diffStmt{Op: "return", N: g.label()}, true
	}
	return diffStmt{}, false
}

func (g *diffGen) newSlot(f int) int {
	g.slotFunc = append(g.slotFunc, f)
	return len(g.slotFunc) - 1
}

// onlyOwnAwaits reports whether b awaits only sleeps: then a cancellation
// that reaches its handler is the task's own, with the message of the
// Cancel that delivered it.
func onlyOwnAwaits(b []diffStmt) bool {
	for _, s := range b {
		switch s.Op {
		case "print", "sleep", "raise", "return", "set", "clear", "cancel":
		default:
			return false
		}
	}
	return true
}
