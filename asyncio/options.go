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
	interrupt   bool

	strictDeadlocks bool
	stallThreshold  time.Duration
	idleThreshold   time.Duration
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

func newConfig(opts []Option) *config {
	c := &config{
		clock:          RealClock(),
		slowStep:       100 * time.Millisecond,
		diagnostics:    os.Stderr,
		stallThreshold: DefaultStallThreshold,
		idleThreshold:  DefaultIdleThreshold,
	}
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
//
// The virtual clock is a closed world: a loop with nothing ready, no timer
// pending and no outside work in flight returns a *DeadlockError once
// nothing has arrived for the idle threshold (WithIdleThreshold). A
// goroutine that will call CallSoonThreadsafe later must be registered with
// Loop.RegisterExternal; ToThread calls and sockets are known without it.
// Outside work that stays silent for the idle threshold does not stop time:
// the clock then jumps to the next timer. A task polling with Sleep(a, 0)
// keeps the clock from advancing at all (see VirtualClock).
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
// stream's data keep their order under every seed. Tasks woken in the same
// iteration are independent: the waiters of a Queue or a DatagramEndpoint
// that several items reach at once run in shuffled order, so which waiter
// gets which item varies with the seed (without one, the first to wait
// gets the first item).
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
// server handlers that failed, stalls: see WithStallThreshold) to w
// instead of standard error. The loop
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
// other tasks are still pending or child processes still running, or (in
// debug mode) when a coroutine was never awaited, instead of only reporting
// it. Tests use it.
func WithStrictLeaks() Option {
	return optionFunc(func(cfg *config) { cfg.strictLeaks = true })
}

// DefaultStallThreshold is how long, unless WithStallThreshold says
// otherwise, a loop on the real clock waits with tasks blocked and nothing
// pending before it reports them.
const DefaultStallThreshold = 10 * time.Second

// WithStallThreshold sets how long a loop on the real clock waits with
// tasks blocked and nothing pending (no task or callback ready, no timer, no
// known outside work in flight) before it reports them, with what each
// awaits and where, to the diagnostics writer (see WithDiagnostics). The
// report is not an error: a goroutine that did not call
// Loop.RegisterExternal may still call CallSoonThreadsafe, so the loop goes
// on waiting, as asyncio does. A d ≤ 0 turns the report off. The default is
// DefaultStallThreshold.
func WithStallThreshold(d time.Duration) Option {
	return optionFunc(func(cfg *config) { cfg.stallThreshold = d })
}

// DefaultIdleThreshold is the virtual clock's idle threshold unless
// WithIdleThreshold says otherwise: small, so that tests stay fast.
const DefaultIdleThreshold = 10 * time.Millisecond

// WithIdleThreshold sets how long, in real time, a loop on the virtual clock
// waits for something to come in before it gives up on it (Trio's
// MockClock autojump_threshold). With outside work in flight (a ToThread
// call, a socket, a registered sender) and a timer pending, the clock jumps
// to the timer once the loop has been idle that long; with nothing pending
// at all, the loop reports a *DeadlockError once nothing has arrived for
// that long. Outside work that takes longer than d in real time therefore
// lets the loop's timers fire meanwhile, as if it took no virtual time;
// raise d for workers that are slow for real. A d ≤ 0 waits for nothing:
// the clock jumps at once, and a loop with nothing pending is a deadlock at
// once. Work known to arrive (bytes between two ends of the loop's own
// connections) holds the clock whatever d is. The default is
// DefaultIdleThreshold. It has no effect on the real clock.
func WithIdleThreshold(d time.Duration) Option {
	return optionFunc(func(cfg *config) { cfg.idleThreshold = d })
}

// WithStrictDeadlocks makes Run return a *DeadlockError, on any clock, as
// soon as no task or callback is ready, no timer is pending and no known
// outside work is in flight: the program promises that every goroutine
// that will still call CallSoonThreadsafe has called Loop.RegisterExternal
// (ToThread calls and sockets are known without it). Without it, only the
// virtual clock reports deadlocks, after its idle threshold
// (WithIdleThreshold); the real clock waits, and reports the stall (see
// WithStallThreshold).
func WithStrictDeadlocks() Option {
	return optionFunc(func(cfg *config) { cfg.strictDeadlocks = true })
}

// WithInterrupt makes Run (and each RunWith of a Runner) handle SIGINT
// (Ctrl-C) as asyncio.run does since Python 3.11: the first SIGINT cancels
// the main task, so that it can clean up; if main lets the cancellation
// through, Run returns an error wrapping ErrInterrupted, after the usual
// shutdown. A second SIGINT stops the loop at once: Run shuts it down
// (cancelling main again, and every other task) and returns an error
// wrapping ErrInterrupted. The handler is a signal handler of the loop
// (see Loop.AddSignalHandler), installed when the Run starts unless the
// loop has a SIGINT handler already, and removed when it ends unless the
// program replaced it: during the shutdown that follows a second SIGINT, a
// third one has its default effect and ends the process. As any signal
// handler, it keeps an idle loop waiting for the signal instead of
// reporting a deadlock or a stall: a program may wait for Ctrl-C.
// WithInterrupt works on every system that has SIGINT (os.Interrupt),
// Windows's Ctrl-C included.
//
// The Go idiom does it from outside Run: a context that SIGINT cancels,
// given to Run, cancels the main task the same way.
//
//	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
//	defer stop()
//	_, err := asyncio.Run(ctx, main())
//
// If main lets the cancellation through, Run returns it, wrapping the
// context's cause ("interrupt signal received"). Until stop is called,
// later SIGINTs are caught and do nothing: no second Ctrl-C stops the loop
// at once.
func WithInterrupt() Option {
	return optionFunc(func(cfg *config) { cfg.interrupt = true })
}
