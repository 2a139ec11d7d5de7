package asyncio

import "slices"

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
