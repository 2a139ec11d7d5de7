package gen_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/yieldfrom/asyncgo/gen"
)

// FuzzProtocol drives a generator with a call sequence chosen by the input
// and checks every outcome, state and result against protocolModel, a
// hand-written model of Python's generator protocol for the same body.
//
// The first byte chooses the body (see fuzzConfig); every later byte is one
// op (see decodeOp). The body is a leaf that yields values built from what
// it is sent; the generator either runs it itself or delegates to it with
// YieldFrom, inline or forwarding, directly or through a generator in
// between, and the model is the same for all of them.
func FuzzProtocol(f *testing.F) {
	for _, seed := range [][]byte{
		{0x03, 0, 2 | 5<<3, 0, 0, 0},                // plain body, runs to the end
		{0x03, 0, 4, 0},                             // throw, not handled
		{0x07, 0, 4, 4, 0, 0, 0},                    // throw, handled twice
		{0x0b, 0, 6},                                // ignores close
		{0x13, 0, 6, 6},                             // fails on close
		{0x23, 0, 2 | 13<<3, 0},                     // panics on Send(13)
		{0x0b, 0, 5, 0, 6},                          // ErrGeneratorExit thrown in, ignored
		{0x01, 2 | 3<<3, 4, 6},                      // Send(3) before the start, then throws
		{0x43, 0, 2 | 7<<3, 0, 0, 0, 6},             // inline sub, runs to the end
		{0x83, 0, 2 | 7<<3, 0, 0, 0, 6},             // started sub, runs to the end
		{0x43, 0, 6},                                // inline sub returns on close: PEP 380
		{0x83, 0, 0, 5, 0},                          // started sub returns on a thrown exit
		{0x4b, 0, 6},                                // inline sub ignores close
		{0x8b, 0, 6},                                // started sub ignores close
		{0x4b, 0, 5, 0},                             // inline sub, ErrGeneratorExit thrown in
		{0x93, 0, 6},                                // started sub fails on close
		{0x47, 0, 4, 0, 0, 0, 4},                    // inline sub handles a throw
		{0xa3, 0, 2 | 13<<3},                        // started sub panics
		{0x40, 0, 0, 5},                             // inline sub that yields nothing
		{0x82, 4},                                   // throw into a delegator that has not started
		{0x41, 0, 0, 2 | 1<<3, 6, 0, 4, 5, 6, 6, 0}, // a bit of everything
		{0xc3, 0, 2 | 7<<3, 0, 0, 0, 6},             // chain of started subs, runs to the end
		{0xc7, 0, 4, 2 | 3<<3, 4, 0, 0},             // chain, the leaf handles throws
		{0xc3, 0, 4},                                // chain, throw not handled
		{0xe3, 0, 2 | 13<<3},                        // chain, the leaf panics
		{0xcb, 0, 6},                                // chain, the leaf ignores close
		{0xcb, 0, 5, 0},                             // chain, ErrGeneratorExit thrown in
		{0xd3, 0, 6},                                // chain, the leaf fails on close
		{0xc0, 0, 0},                                // chain, the leaf yields nothing
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		cfg := decodeConfig(data[0])
		ops := data[1:]
		if len(ops) > 32 {
			ops = ops[:32]
		}
		before := coroutines()
		h := newHarness(t, cfg)
		m := newProtocolModel(cfg)
		for i, b := range ops {
			o := decodeOp(b)
			h.check(fmt.Sprintf("op %d, %v", i, o), o, m.step(o), m)
		}
		// Close whatever is left, as a well-behaved caller does, and check
		// that no coroutine outlives the generators.
		h.check("final close", opClose, m.step(opClose), m)
		h.closeSub()
		if got := coroutines(); got != before {
			t.Errorf("%v: %d coroutines alive after the close, want %d", cfg, got, before)
		}
	})
}

// fuzzConfig is the body behaviour a fuzz input chooses with its first byte.
type fuzzConfig struct {
	n           int  // bits 0-1: values the leaf yields before it returns
	handleThrow bool // bit 2: a thrown error makes the leaf yield 100*i+99 instead of returning it
	ignoreClose bool // bit 3: ErrGeneratorExit makes the leaf yield -2 instead of returning
	failClose   bool // bit 4: ErrGeneratorExit makes the leaf return errCleanup
	panicOn13   bool // bit 5: being sent 13 makes the leaf panic
	mode        int  // bits 6-7: the leaf is the body (0), a sub run inline (1), a started sub (2), or a started sub of a started sub (3)
}

const (
	plain = iota
	inline
	started
	chained
)

func decodeConfig(b byte) fuzzConfig {
	return fuzzConfig{
		n:           int(b & 3),
		handleThrow: b&4 != 0,
		ignoreClose: b&8 != 0,
		failClose:   b&16 != 0,
		panicOn13:   b&32 != 0,
		mode:        int(b >> 6),
	}
}

func (c fuzzConfig) String() string {
	return fmt.Sprintf("config{n: %d, handleThrow: %t, ignoreClose: %t, failClose: %t, panicOn13: %t, mode: %s}",
		c.n, c.handleThrow, c.ignoreClose, c.failClose, c.panicOn13, [...]string{"plain", "inline", "started", "chain"}[c.mode])
}

// decodeOp turns one input byte into an op: its low three bits choose Next
// (0, 1, 7), Send of the top five bits (2, 3), Throw of errBoom (4) or of
// ErrGeneratorExit (5), or Close (6).
func decodeOp(b byte) op {
	switch b & 7 {
	case 2, 3:
		return opSend(int(b >> 3))
	case 4:
		return opThrow(errBoom)
	case 5:
		return opThrow(gen.ErrGeneratorExit)
	case 6:
		return opClose
	}
	return opNext
}

// errFuzzPanic is what the leaf panics with when it is sent 13.
var errFuzzPanic = errors.New("leaf: sent 13")

// leafBody is the body the fuzz target exercises. It yields 100*i+sent for
// i = 0, ..., n-1, sent being the last value sent to it, and returns
// "leaf <sent>"; the config says what it does with thrown errors, with
// ErrGeneratorExit and with 13.
func leafBody(cfg fuzzConfig, defers *[]string) intBody {
	return func(y *gen.Yielder[int, int]) (string, error) {
		defer func() { *defers = append(*defers, "leaf") }()
		sent := 0
		for i := 0; i < cfg.n; {
			v, err := y.Yield(100*i + sent)
			switch {
			case err == nil:
				if cfg.panicOn13 && v == 13 {
					panic(errFuzzPanic)
				}
				sent = v
				i++
			case errors.Is(err, gen.ErrGeneratorExit):
				switch {
				case cfg.ignoreClose:
					// Returns only if the exit was thrown, not a close.
					_, err := y.Yield(-2)
					return "leaf ignored", err
				case cfg.failClose:
					return "", errCleanup
				}
				return "leaf closed", nil
			case cfg.handleThrow:
				sent = 99
			default:
				return "", fmt.Errorf("leaf: %w", err)
			}
		}
		return fmt.Sprintf("leaf %d", sent), nil
	}
}

// A harness is the generator under test, its subgenerator when it
// delegates, and the order in which their deferred calls ran.
type harness struct {
	t      *testing.T
	cfg    fuzzConfig
	g      *intGen
	sub    *intGen
	leaf   *intGen // in chained mode, the sub's sub
	defers []string
	// trace is what has been done so far, for failure messages.
	trace []string
}

func newHarness(t *testing.T, cfg fuzzConfig) *harness {
	h := &harness{t: t, cfg: cfg}
	leaf := leafBody(cfg, &h.defers)
	if cfg.mode == plain {
		h.g = gen.New(leaf)
		return h
	}
	if cfg.mode == chained {
		// The generator delegates to a started generator in between that
		// delegates to the started leaf: two levels of forwarding, whose
		// Result is the leaf's, as the model expects of the sub.
		h.leaf = delegations[1].sub(t, leaf)
		h.sub = delegations[1].sub(t, func(y *gen.Yielder[int, int]) (string, error) {
			defer func() { h.defers = append(h.defers, "mid") }()
			return gen.YieldFrom(y, h.leaf)
		})
	} else {
		d := delegations[cfg.mode-1] // inline, then started
		h.sub = d.sub(t, leaf)
	}
	sub := h.sub
	h.g = gen.New(func(y *gen.Yielder[int, int]) (string, error) {
		defer func() { h.defers = append(h.defers, "outer") }()
		r, err := gen.YieldFrom(y, sub)
		if err != nil {
			return "", err
		}
		v, err := y.Yield(5000)
		if err != nil {
			return r, err
		}
		return fmt.Sprintf("outer %s %d", r, v), nil
	})
	return h
}

func (h *harness) closeSub() {
	if h.sub != nil {
		h.sub.Close()
	}
	if h.leaf != nil {
		// Left suspended if the generator was closed before it started.
		h.leaf.Close()
	}
}

// check applies o and compares its outcome and everything observable
// afterwards with the model, which has already taken the same step.
func (h *harness) check(step string, o op, want modelOutcome, m *protocolModel) {
	t := h.t
	t.Helper()
	out := apply(h.g, o)
	h.trace = append(h.trace, describe(o, out))
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("%v\n%s: %s\ntrace so far: %q", h.cfg, step, fmt.Sprintf(format, args...), h.trace)
	}
	switch {
	case want.panic != nil:
		if out.panic != want.panic && !panicWraps(out.panic, want.panic) { // errFuzzPanic itself, or ErrJustStarted wrapped
			fail("%s, want a panic with %v", describe(o, out), want.panic)
		}
	case out.panic != nil:
		fail("%s, want no panic", describe(o, out))
	case o.name == "Close":
		if !errors.Is(out.err, want.err) {
			fail("%s, want %v", describe(o, out), want.err)
		}
	case out.v != want.v || out.ok != want.ok:
		fail("%s, want %d, %t", describe(o, out), want.v, want.ok)
	}
	if got := h.g.State(); got != m.state {
		fail("State() = %v, want %v", got, m.state)
	}
	if m.state == gen.Closed {
		if r, err := h.g.Result(); r != m.result || !errors.Is(err, m.err) {
			fail("Result() = %q, %v, want %q, %v", r, err, m.result, m.err)
		}
	}
	if h.sub != nil {
		if got := h.sub.State(); got != m.subState {
			fail("sub.State() = %v, want %v", got, m.subState)
		}
		if m.subState == gen.Closed {
			if r, err := h.sub.Result(); r != m.subResult || !errors.Is(err, m.subErr) {
				fail("sub.Result() = %q, %v, want %q, %v", r, err, m.subResult, m.subErr)
			}
		}
	}
	var wantDefers []string
	if m.leafEnded {
		wantDefers = append(wantDefers, "leaf")
		if h.cfg.mode == chained {
			// The generator in between ends as soon as the leaf does.
			wantDefers = append(wantDefers, "mid")
		}
	}
	if m.outerEnded {
		wantDefers = append(wantDefers, "outer")
	}
	if !slices.Equal(h.defers, wantDefers) {
		fail("deferred calls run: %q, want %q", h.defers, wantDefers)
	}
}

// A modelOutcome is what the model expects an op to return: v and ok, or
// Close's error (matched with errors.Is), or a panic with panic or with an
// error wrapping it.
type modelOutcome struct {
	v     int
	ok    bool
	err   error
	panic error
}

// leafStep is what the leaf does when it is resumed: yields v, returns r
// and err, panics, or is unwound because it ignored a close.
type leafStep struct {
	kind string // "yield", "return", "panic", "unwound"
	v    int
	r    string
	err  error
}

// protocolModel is the reference: the leaf's state (where it is in its loop)
// and the generator's, stepped by hand the way Python's generator protocol
// and PEP 380 say.
type protocolModel struct {
	cfg fuzzConfig

	// The leaf.
	leafStarted, leafEnded bool
	ignoring               bool // suspended at the Yield(-2) of an ignored, thrown exit
	i, sent                int

	// The generator under test.
	state      gen.State
	outerEnded bool
	afterSub   bool   // delegating, and suspended at Yield(5000)
	r          string // the sub's result once YieldFrom returned it
	result     string
	err        error

	// The subgenerator, when delegating.
	subState  gen.State
	subResult string
	subErr    error
}

func newProtocolModel(cfg fuzzConfig) *protocolModel {
	m := &protocolModel{cfg: cfg, state: gen.Created, subState: gen.Created}
	if cfg.mode == started || cfg.mode == chained {
		m.subState = gen.Suspended // at its priming yield
	}
	return m
}

// leaf resumes the leaf with v, or with err; closing says that err is a
// close (Close, or PEP 380 closing a sub), at which a further yield is not
// handed out but unwinds the leaf.
func (m *protocolModel) leaf(v int, err error, closing bool) leafStep {
	cfg := m.cfg
	if !m.leafStarted {
		m.leafStarted = true
		if cfg.n == 0 {
			return m.leafReturns("leaf 0", nil)
		}
		return leafStep{kind: "yield", v: 0}
	}
	if m.ignoring {
		return m.leafReturns("leaf ignored", err)
	}
	switch {
	case err == nil:
		if cfg.panicOn13 && v == 13 {
			m.leafEnded = true
			return leafStep{kind: "panic"}
		}
		m.sent = v
		m.i++
		if m.i < cfg.n {
			return leafStep{kind: "yield", v: 100*m.i + m.sent}
		}
		return m.leafReturns(fmt.Sprintf("leaf %d", m.sent), nil)
	case errors.Is(err, gen.ErrGeneratorExit):
		switch {
		case cfg.ignoreClose && closing:
			m.leafEnded = true
			return leafStep{kind: "unwound"}
		case cfg.ignoreClose:
			m.ignoring = true
			return leafStep{kind: "yield", v: -2}
		case cfg.failClose:
			return m.leafReturns("", errCleanup)
		}
		return m.leafReturns("leaf closed", nil)
	case cfg.handleThrow:
		m.sent = 99
		return leafStep{kind: "yield", v: 100*m.i + m.sent}
	}
	return m.leafReturns("", err)
}

func (m *protocolModel) leafReturns(r string, err error) leafStep {
	m.leafEnded = true
	return leafStep{kind: "return", r: r, err: err}
}

// step takes op o in the model and returns what it should return.
func (m *protocolModel) step(o op) modelOutcome {
	if m.state == gen.Closed {
		return modelOutcome{}
	}
	if m.state == gen.Created {
		switch o.name {
		case "Send":
			if o.v != 0 {
				return modelOutcome{panic: gen.ErrJustStarted}
			}
		case "Throw":
			m.finish("", o.err)
			return modelOutcome{}
		case "Close":
			m.finish("", gen.ErrGeneratorExit)
			return modelOutcome{}
		}
		m.state = gen.Running
	}
	if m.cfg.mode == plain {
		return m.stepPlain(o)
	}
	return m.stepDelegating(o)
}

// finish records that the generator under test ended with r and err.
func (m *protocolModel) finish(r string, err error) {
	m.state = gen.Closed
	m.result, m.err = r, err
}

// outerReturns records that the delegating body returned r and err.
func (m *protocolModel) outerReturns(r string, err error) {
	m.outerEnded = true
	m.finish(r, err)
}

func (m *protocolModel) stepPlain(o op) modelOutcome {
	var s leafStep
	switch o.name {
	case "Next", "Send":
		s = m.leaf(o.v, nil, false)
	case "Throw":
		s = m.leaf(0, o.err, false)
	case "Close":
		s = m.leaf(0, gen.ErrGeneratorExit, true)
		switch s.kind {
		case "unwound":
			m.finish("", gen.ErrIgnoredClose)
			return modelOutcome{err: gen.ErrIgnoredClose}
		case "return":
			err := s.err
			if err == nil {
				err = gen.ErrGeneratorExit
			}
			m.finish(s.r, err)
			if errors.Is(err, gen.ErrGeneratorExit) {
				return modelOutcome{}
			}
			return modelOutcome{err: err}
		}
	}
	switch s.kind {
	case "yield":
		m.state = gen.Suspended
		return modelOutcome{v: s.v, ok: true}
	case "return":
		m.finish(s.r, s.err)
		return modelOutcome{}
	}
	// A panic. Result then reports ErrPanicked.
	m.finish("", gen.ErrPanicked)
	return modelOutcome{panic: errFuzzPanic}
}

func (m *protocolModel) stepDelegating(o op) modelOutcome {
	if m.afterSub {
		// The delegator's own Yield(5000): it returns on anything.
		switch o.name {
		case "Next", "Send":
			m.outerReturns(fmt.Sprintf("outer %s %d", m.r, o.v), nil)
		case "Throw":
			m.outerReturns(m.r, o.err)
		case "Close":
			m.outerReturns(m.r, gen.ErrGeneratorExit)
		}
		return modelOutcome{}
	}
	var s leafStep
	closing := o.name == "Close" || o.name == "Throw" && errors.Is(o.err, gen.ErrGeneratorExit)
	switch {
	case closing:
		// PEP 380: a close, or GeneratorExit thrown in, closes the sub.
		s = m.leaf(0, gen.ErrGeneratorExit, true)
	case o.name == "Throw":
		s = m.leaf(0, o.err, false)
	default:
		s = m.leaf(o.v, nil, false)
	}
	var yfErr error
	switch s.kind {
	case "yield":
		m.state, m.subState = gen.Suspended, gen.Suspended
		return modelOutcome{v: s.v, ok: true}
	case "panic":
		// Result then reports ErrPanicked, for both generators.
		m.subState, m.subResult, m.subErr = gen.Closed, "", gen.ErrPanicked
		m.outerReturns("", gen.ErrPanicked)
		return modelOutcome{panic: errFuzzPanic}
	case "unwound":
		yfErr = gen.ErrIgnoredClose
		m.subState, m.subResult, m.subErr = gen.Closed, "", yfErr
	case "return":
		yfErr = s.err
		if closing && yfErr == nil {
			yfErr = gen.ErrGeneratorExit // what PEP 380 raises in the delegator
		}
		m.subState, m.subResult, m.subErr = gen.Closed, s.r, yfErr
	}
	if yfErr == nil {
		m.r = s.r
		m.afterSub = true
		m.state = gen.Suspended
		return modelOutcome{v: 5000, ok: true}
	}
	// The delegator returns YieldFrom's error.
	m.outerReturns("", yfErr)
	if o.name == "Close" && !errors.Is(yfErr, gen.ErrGeneratorExit) {
		return modelOutcome{err: yfErr}
	}
	return modelOutcome{}
}
