package asyncio

import "sync"

// What the loop knows about the outside world is one count per kind of
// outside work (Loop.outside, Loop.arriving, Loop.listening), and this file
// owns it: every source of outside work (a ToThread call, a registered
// sender, a dial or a listen, a transport's reading and writing, a
// server's accept goroutine and the connections it expects) holds an
// external, says what it is now with set, and says noWork once it has come
// back. The counts are the sum of the loop's externals, so they balance by
// construction: a source cannot end twice, or end what it never began.

// workKind is how one source of outside work counts.
type workKind uint8

const (
	// noWork: nothing is in flight, or nothing can come back until the loop
	// itself acts (the reader of a connection whose other end is the
	// loop's own and has sent nothing more).
	noWork workKind = iota
	// listeningWork: a server accepting connections. An idle loop waits for
	// a client and is not deadlocked, but no client is known to be on its
	// way: the virtual clock moves on without waiting.
	listeningWork
	// outsideWork: something may come back through the inbox, or nothing
	// (an idle connection to a peer outside the loop). Not a deadlock; the
	// virtual clock jumps past it once the loop has been idle for the idle
	// threshold.
	outsideWork
	// arrivingWork: something is known to come back soon whatever the loop
	// does (bytes between two ends of the loop's own connections, a
	// connection to its own server not yet accepted): the virtual clock
	// waits for it without a threshold.
	arrivingWork
)

// An external is one source of outside work of a loop. Its zero value, with
// loop set, counts nothing. It is used on the loop's goroutine only: a
// goroutine that ends outside work hands the set(noWork) to the loop
// through the inbox, with its result.
type external struct {
	loop *Loop
	kind workKind
}

// newExternal returns a source of outside work of l that counts as kind.
func newExternal(l *Loop, kind workKind) *external {
	e := &external{loop: l}
	e.set(kind)
	return e
}

// set makes e count as kind from now on.
func (e *external) set(kind workKind) {
	if kind == e.kind {
		return
	}
	e.loop.count(e.kind, -1)
	e.kind = kind
	e.loop.count(kind, +1)
}

// done is set(noWork), as a method value for the inbox.
func (e *external) done() { e.set(noWork) }

func (l *Loop) count(kind workKind, n int) {
	switch kind {
	case listeningWork:
		l.listening += n
	case outsideWork:
		l.outside += n
	case arrivingWork:
		l.outside += n
		l.arriving += n
	}
}

// RegisterExternal records that code outside the loop (a goroutine that
// will call CallSoonThreadsafe, an OS signal handler) may still hand the
// loop work, as testing/synctest's bubbles know their goroutines. Until
// release is called, an idle loop waits for it instead of reporting a
// deadlock (on the virtual clock, under WithStrictDeadlocks) or a stall (on
// the real clock), and the virtual clock jumps to its next timer only after
// the loop has been idle for the idle threshold (WithIdleThreshold).
//
// Register before starting the goroutine, and release once it will call in
// no more (after its last CallSoonThreadsafe). Run waits for every
// registration to be released before it returns: one never released keeps
// Run from returning. It must be called on the loop's goroutine; release
// may be called from any goroutine, and calling it again does nothing.
func (l *Loop) RegisterExternal() (release func()) {
	e := newExternal(l, outsideWork)
	var once sync.Once
	return func() {
		once.Do(func() {
			// An error means the loop is gone; there is nothing left to
			// release.
			_ = l.CallSoonThreadsafe(e.done)
		})
	}
}
