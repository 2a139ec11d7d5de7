package asyncio

import (
	"io"
	"os"
	"time"
)

// An Option configures Run. Options are sealed: only this package makes
// them.
type Option interface {
	apply(*config)
}

type config struct {
	clock       Clock
	seeded      bool
	seed        uint64
	debug       bool
	slowStep    time.Duration
	hooks       *Hooks
	diagnostics io.Writer
	strictLeaks bool
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

func newConfig(opts []Option) *config {
	c := &config{clock: RealClock(), slowStep: 100 * time.Millisecond, diagnostics: os.Stderr}
	for _, o := range opts {
		o.apply(c)
	}
	return c
}

// WithClock makes the loop read and wait for time on c instead of the real
// clock.
func WithClock(c Clock) Option {
	return optionFunc(func(cfg *config) { cfg.clock = c })
}

// WithVirtualTime runs the loop on a fresh VirtualClock: sleeps and timeouts
// take no real time, and the program's output is the same as on the real
// clock. It is shorthand for WithClock(NewVirtualClock(epoch)), with a fixed
// epoch so that runs are reproducible.
func WithVirtualTime() Option {
	return WithClock(NewVirtualClock(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)))
}

// WithSeed makes the loop run the callbacks that become ready in the same
// iteration in an order shuffled by a generator seeded with seed, instead
// of first-in first-out. The same seed gives the same schedule, so an
// order-dependent bug found under one seed can be replayed.
//
// The shuffle reorders independent events only, never the deliveries of
// one source: what comes through CallSoonThreadsafe (a connection's bytes,
// a worker's result, whatever one goroutine hands the loop) runs in the
// order it came, interleaved at random with the rest; a queue's items and a
// stream's data keep their order under every seed.
func WithSeed(seed uint64) Option {
	return optionFunc(func(cfg *config) { cfg.seeded, cfg.seed = true, seed })
}

// WithDebug turns on the loop's debug mode, as asyncio's debug=True: every
// task records the stack that created it (shown in deadlock and leak
// reports and in Snapshot), a step that holds the loop longer than the slow
// step threshold (100ms unless WithSlowStepThreshold says otherwise) is
// reported with the task and where it stopped, coroutines created but never
// awaited or scheduled are reported when the loop closes, task steps carry
// pprof labels naming the task, and loop methods called from a goroutine
// that is not the loop's panic. Debug mode costs time on every task.
func WithDebug() Option {
	return optionFunc(func(cfg *config) { cfg.debug = true })
}

// WithSlowStepThreshold sets how long a task step may hold the loop before
// debug mode reports it: Python's loop.slow_callback_duration.
func WithSlowStepThreshold(d time.Duration) Option {
	return optionFunc(func(cfg *config) { cfg.slowStep = d })
}

// WithHooks makes the loop call h's functions as tasks are spawned, step
// and exit, and when the loop goes idle. Tracers and timelines are built on
// them (see package timeline).
func WithHooks(h *Hooks) Option {
	return optionFunc(func(cfg *config) { cfg.hooks = h })
}

// WithDiagnostics sends the loop's reports (tasks left pending when main
// returned, coroutines never awaited, slow steps, callbacks that panicked,
// server handlers that failed) to w instead of standard error. The loop
// writes nowhere else (never to the global log). A nil w discards them.
func WithDiagnostics(w io.Writer) Option {
	return optionFunc(func(cfg *config) {
		if w == nil {
			w = io.Discard
		}
		cfg.diagnostics = w
	})
}

// WithStrictLeaks makes Run fail with a *LeakError when main returns while
// other tasks are still pending, or (in debug mode) when a coroutine was
// never awaited, instead of only reporting it. Tests use it.
func WithStrictLeaks() Option {
	return optionFunc(func(cfg *config) { cfg.strictLeaks = true })
}
