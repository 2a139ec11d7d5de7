package asyncio

import (
	"slices"
	"sync"
)

// WaitAllTasksBlocked suspends the calling task until every other task is
// blocked: nothing is ready to run, whatever timers are pending and whatever
// outside work is in flight. It is Trio's wait_all_tasks_blocked, for tests
// that must act only once the system under test has settled. It returns
// before the virtual clock moves on, and shares its "nothing can run" check
// with the clock and the deadlock detector. Several callers wake together.
func WaitAllTasksBlocked(a *A) error {
	t, err := currentTask(a)
	if err != nil {
		return err
	}
	l := t.loop
	f := NewFuture[struct{}](l)
	f.reason = quiescence{}
	l.idleWaiters = append(l.idleWaiters, f)
	if _, err = f.Await(a); err != nil {
		// A cancelled wait leaves the line at once: a loop that never goes
		// idle would keep it, and every one after it, forever.
		l.idleWaiters = slices.DeleteFunc(l.idleWaiters, func(w *Future[struct{}]) bool { return w == f })
	}
	return err
}

type quiescence struct{}

func (quiescence) String() string { return "all other tasks to block" }

func (l *Loop) wakeIdleWaiters() {
	ws := l.idleWaiters
	l.idleWaiters = nil
	for _, f := range ws {
		if !f.done() {
			f.SetResult(struct{}{})
		}
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
	l.beginOutside()
	var once sync.Once
	return func() {
		once.Do(func() {
			if l.CallSoonThreadsafe(l.endOutside) != nil {
				// The loop is gone; there is nothing left to release.
				return
			}
		})
	}
}
