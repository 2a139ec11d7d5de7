package asyncio

import (
	"context"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yieldfrom/asyncgo/gen"
)

// A Loop is an event loop: the one goroutine that runs every task and
// callback of a Run, one at a time. Ready callbacks wait in a FIFO ring,
// timers in a heap, and other goroutines reach the loop only through a
// thread-safe inbox (CallSoonThreadsafe) that wakes it. On Linux the loop
// also waits for its own sockets, as Python's selector loop does: it sleeps
// in its epoll poller, which its sockets and the inbox both wake.
//
// Run creates a Loop; code running inside finds it with GetRunningLoop.
// Except CallSoonThreadsafe and Time, a Loop's methods must be called on the
// loop's own goroutine, that is, from tasks and callbacks.
type Loop struct {
	clock Clock
	epoch time.Time

	ready  readyQueue
	timers timerHeap

	inbox struct {
		sync.Mutex
		// pending is set while fns is not empty, so that the loop can skip
		// the mutex on the (usual) iterations when nothing came in.
		pending atomic.Bool
		fns     []func()
		closed  bool
		// spare is the slice fns had before the last drain, emptied, for
		// the next (the loop's goroutine's alone).
		spare []func()
		// poller is the loop's poller, once it has one: a call wakes a loop
		// asleep in it.
		poller *poller
	}
	wake chan struct{}
	// waitFn is waitWake as a method value made once, for the clock.
	waitFn func(time.Duration) bool

	// poller is the loop's own readiness poller, made with its first polled
	// socket (polled.go); nil until then, and where there is none.
	poller   *poller
	noPoller bool // newPoller failed: sockets are read by goroutines
	// inboxSeq numbers the calls taken from the inbox (see inboxCall).
	inboxSeq uint64

	// outside counts work in flight outside the loop (ToThread calls,
	// sockets, registered senders): while it is positive, an empty ready
	// queue is not a deadlock and the virtual clock jumps only after the
	// idle threshold. outside, arriving and listening change only through
	// an external (external.go).
	outside int
	// arriving counts the part of outside that is known to come back soon,
	// whatever the loop does: bytes on their way between two ends of the
	// loop's own connections, a connection to one of its servers not yet
	// accepted. The virtual clock waits for it without a threshold.
	arriving int

	// listening counts servers accepting connections (server.go): like
	// outside work they keep an idle loop from being a deadlock, but they
	// do not hold the virtual clock, since no connection is known to be on
	// its way.
	listening int

	// streams holds the loop's open servers and connections, which
	// shutdown closes (connection.go); nil until the first one is made.
	streams *streamRegistry
	// procs holds the loop's child processes (process.go).
	procs *children

	// datagrams holds the loop's datagram endpoints, which shutdown closes
	// (datagram.go).
	datagrams map[*DatagramEndpoint]struct{}

	// current is the task being stepped, nil between steps.
	current   *taskCore
	tasks     taskList
	taskCount int

	// runners are the coroutines the loop's tasks run on, kept from task to
	// task: starting a task costs no iter.Pull. Run closes the pool, so
	// that none is left when it returns.
	runners gen.Pool

	// asyncGens are the async generators first iterated on this loop and
	// not finished: shutdown closes them, as asyncio's shutdown_asyncgens.
	asyncGens map[asyncCloser]struct{}

	// ctx is the loop's context (Run's, or a Runner's); every task's
	// Context derives from it.
	ctx context.Context
	// outsideCtx, derived from ctx, is the context of the work the loop
	// starts outside (RunInExecutor, dials and listens). shutdown cancels it
	// with stopOutside once no task is left to await that work, since Run
	// waits for it to come back.
	outsideCtx  context.Context
	stopOutside context.CancelFunc
	// mainCtx is the context of the RunWith in progress, whose cancellation
	// cancels its main task (see watchMain); nil between them.
	// ctxDelivered is set once that cancellation has reached the main task.
	mainCtx      context.Context
	ctxDelivered bool

	// signals are the loop's signal handlers (signal.go): like listening
	// servers they keep an idle loop from being a deadlock, and like
	// outside work they hold the virtual clock for the idle threshold, so
	// that a signal the program sends itself arrives before time moves.
	signals map[os.Signal]*signalHandler
	// shuttingDown is set once shutdown has begun: the signal handlers
	// still run, as Python's do until loop.close, but no longer keep an
	// idle loop from being a deadlock, so that a task that refuses to end
	// is still found out.
	shuttingDown bool

	shuffle *rand.Rand

	cfg           *config
	instrumented  bool        // hooks or debug mode: steps go through beforeStep/afterStep
	goroutine     uint64      // the loop's goroutine, recorded in debug mode only
	debugStepping atomic.Bool // a task step is in progress (debug mode only)

	// idleWaiters are the tasks in WaitAllTasksBlocked, woken when nothing
	// else is ready.
	idleWaiters []*Future[struct{}]

	// spareWaiters are waiters of the primitives and queues that are done
	// with, kept for the next wait (see waiter.retire).
	spareWaiters []*waiter

	// unawaited are the coroutines created while this loop stepped a task,
	// recorded in debug mode to report the ones never awaited.
	unawaited      []unawaitedCoro
	pruneUnawaited int // prune unawaited when it grows to this length
}

func newLoop(cfg *config, ctx context.Context) *Loop {
	l := &Loop{clock: cfg.clock, wake: make(chan struct{}, 1), asyncGens: map[asyncCloser]struct{}{}, cfg: cfg, ctx: ctx}
	l.waitFn = l.waitWake
	l.instrumented = cfg.debug || cfg.hooks != nil
	if cfg.debug {
		l.goroutine = goroutineID()
	}
	l.epoch = l.clock.Now()
	l.outsideCtx, l.stopOutside = context.WithCancel(ctx)
	if cfg.seeded {
		l.shuffle = rand.New(rand.NewPCG(cfg.seed, cfg.seed))
	}
	return l
}

// Time returns the current time on the loop's clock: Python's loop.time().
// It may be called from any goroutine.
func (l *Loop) Time() time.Time { return l.clock.Now() }

func (l *Loop) now() int64 { return int64(l.clock.Now().Sub(l.epoch)) }

func (l *Loop) timeAt(ns int64) time.Time { return l.epoch.Add(time.Duration(ns)) }

// CallSoon schedules fn to run on the loop after the callbacks already
// ready: Python's loop.call_soon. It returns a handle that can cancel it.
func (l *Loop) CallSoon(fn func()) *Handle {
	l.checkGoroutine("CallSoon")
	h := &Handle{fn: fn, loop: l}
	l.ready.push(h)
	return h
}

// CallLater schedules fn to run after d: Python's loop.call_later.
// Callbacks scheduled for the same time run in the order they were
// scheduled. A d too long for the clock to reach (time.Duration's maximum,
// say) schedules fn for the latest time there is, never in the past.
func (l *Loop) CallLater(d time.Duration, fn func()) *TimerHandle {
	l.checkGoroutine("CallLater")
	return l.callAt(addDuration(l.now(), d), fn)
}

// CallAt schedules fn to run at when, on the loop's clock: Python's
// loop.call_at.
func (l *Loop) CallAt(when time.Time, fn func()) *TimerHandle {
	l.checkGoroutine("CallAt")
	return l.callAt(int64(when.Sub(l.epoch)), fn)
}

func (l *Loop) callAt(when int64, fn func()) *TimerHandle {
	h := &TimerHandle{Handle: Handle{fn: fn, loop: l}}
	h.timer = timer{when: when, action: h}
	l.timers.push(&h.timer)
	return h
}

// callback adapts a plain function to the ready queue without allocating.
type callback func()

func (c callback) run() { c() }

// CallSoonThreadsafe schedules fn to run on the loop, from any goroutine:
// Python's loop.call_soon_threadsafe, and the only way into the loop from
// outside it. It wakes the loop if it is waiting. The calls of one
// goroutine run in the order it made them, under every schedule (see
// WithSeed). After Run has returned it does nothing and returns
// ErrLoopClosed.
//
// On the real clock an idle loop waits for such calls. On the virtual clock
// and under WithStrictDeadlocks, a goroutine that will call later must be
// registered with RegisterExternal (on the loop, before it starts), or the
// loop may report a *DeadlockError before the call arrives.
func (l *Loop) CallSoonThreadsafe(fn func()) error {
	l.inbox.Lock()
	if l.inbox.closed {
		l.inbox.Unlock()
		return ErrLoopClosed
	}
	l.inbox.fns = append(l.inbox.fns, fn)
	l.inbox.pending.Store(true)
	if p := l.inbox.poller; p != nil && p.sleeping.CompareAndSwap(true, false) {
		// Under the lock, so that the loop cannot close the poller first.
		p.signal()
	}
	l.inbox.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
	return nil
}

// An inboxCall is a callback that came through the inbox; seq numbers the
// calls in the order they came, which seeded schedules keep (see
// readyQueue.shuffle).
type inboxCall struct {
	Handle
	seq uint64
}

func (l *Loop) drainInbox() {
	if !l.inbox.pending.Load() {
		return
	}
	l.inbox.Lock()
	fns := l.inbox.fns
	l.inbox.fns = l.inbox.spare
	l.inbox.pending.Store(false)
	l.inbox.Unlock()
	l.pushInbox(fns)
	clear(fns)
	l.inbox.spare = fns[:0]
}

func (l *Loop) closeInbox() {
	l.inbox.Lock()
	l.inbox.closed = true
	fns := l.inbox.fns
	l.inbox.fns = nil
	l.inbox.Unlock()
	l.pushInbox(fns)
}

// poll returns the loop's poller, made on first use, or nil where the loop
// cannot have one.
func (l *Loop) poll() *poller {
	if l.poller == nil && !l.noPoller {
		p, err := newPoller()
		if err != nil {
			l.noPoller = true
			return nil
		}
		l.poller = p
		l.inbox.Lock()
		l.inbox.poller = p
		l.inbox.Unlock()
	}
	return l.poller
}

// closePoller closes the poller, once the inbox is closed.
func (l *Loop) closePoller() {
	if l.poller != nil {
		l.poller.close()
	}
}

// waitWake waits until something comes in, for at most d (d < 0: as long
// as it takes), and reports whether it did: a call through the inbox, or,
// while the poller watches sockets, an event of one of them.
func (l *Loop) waitWake(d time.Duration) bool {
	if p := l.poller; p != nil && p.active() {
		return p.wait(d, l.inbox.pending.Load)
	}
	if d < 0 {
		<-l.wake
		return true
	}
	return waitWake(l.wake, d)
}

// pushInbox makes the calls taken from the inbox ready, in the order they
// came, with one allocation for all of them.
func (l *Loop) pushInbox(fns []func()) {
	calls := make([]inboxCall, len(fns))
	for i, fn := range fns {
		l.inboxSeq++
		calls[i] = inboxCall{Handle: Handle{fn: fn, loop: l}, seq: l.inboxSeq}
		l.ready.push(&calls[i])
	}
}

// runUntil runs the loop until done reports true, or until nothing can ever
// happen again where that can be proven (see stalled), which is reported as
// a *DeadlockError.
func (l *Loop) runUntil(done func() bool) error {
	for !done() {
		if err := l.runOnce(done); err != nil {
			return err
		}
	}
	return nil
}

// runOnce is one iteration of the loop, as asyncio's _run_once: wait if
// nothing is ready, move due timers to the ready queue, then run exactly
// the callbacks that are ready now; what they schedule runs in a later
// batch. While nothing has come in and no timer is due, those later batches
// run here, without the prologue: asyncio's next iterations would run the
// same batches in the same order. It returns once done reports true.
func (l *Loop) runOnce(done func() bool) error {
	if p := l.poller; p != nil && p.active() && (l.ready.len() == 0 || p.due()) {
		p.wait(0, nil)
	}
	l.drainInbox()
	if l.ready.len() == 0 {
		// Nothing can run: the one place where quiescence is decided, for
		// WaitAllTasksBlocked, the virtual clock and deadlock detection.
		if l.instrumented {
			l.idle()
		}
		if len(l.idleWaiters) > 0 {
			l.wakeIdleWaiters()
			return nil
		}
		// Work known to arrive (see arriving), and a cancellation of ctx
		// that has not reached the main task yet, are on their way through
		// the inbox for certain: the virtual clock does not jump past them.
		ctxPending := l.mainCtx != nil && !l.ctxDelivered && l.mainCtx.Err() != nil
		switch {
		case ctxPending || l.arriving > 0 && l.clock.closedWorld():
			l.waitWake(-1)
		case l.timers.len() == 0 && l.outside == 0 && l.listening == 0 && (len(l.signals) == 0 || l.shuttingDown):
			if err := l.stalled(); err != nil {
				return err
			}
		default:
			var deadline time.Time
			if l.timers.len() > 0 {
				deadline = l.timeAt(l.timers.first().when)
			}
			var settle time.Duration
			if l.outside > 0 || len(l.signals) > 0 {
				settle = l.cfg.idleThreshold
			}
			l.clock.wait(deadline, l.timers.len() > 0, settle, l.waitFn)
		}
		l.drainInbox()
	}
	if l.timers.len() > 0 {
		now := l.now()
		for l.timers.len() > 0 && l.timers.first().when <= now {
			t := l.timers.first()
			l.timers.remove(t)
			l.ready.push(t.action)
		}
	}
	for {
		n := l.ready.len()
		if l.shuffle != nil && n > 1 {
			l.ready.shuffle(n, l.shuffle.Shuffle)
		}
		for range n {
			l.ready.pop().run()
		}
		// A poller's sockets are polled between batches, as asyncio's
		// selector is: after every batch while they are busy, less and
		// less often while they are idle (see poller.ran).
		pollDue := l.poller != nil && l.poller.active() && l.poller.ran(n)
		// The next iteration would run exactly what is ready now, unless
		// something came in or a timer fell due: then it is this one's
		// continuation, and skipping its prologue is what keeps a task
		// step close to a bare coroutine switch.
		if l.ready.len() == 0 || done() || l.inbox.pending.Load() || pollDue ||
			l.timers.len() > 0 && l.timers.first().when <= l.now() {
			return nil
		}
	}
}

// oneIteration makes runOnce stop after one batch of callbacks.
func oneIteration() bool { return true }
