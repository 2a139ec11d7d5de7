package asyncio

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// A TaskGroup runs tasks that must all finish before the code that started
// them goes on: Python's asyncio.TaskGroup. WithTaskGroup creates one and
// waits for its tasks; CreateTask(tg, c) adds a task.
//
// If a task of the group fails, every other task of the group is
// cancelled, and so is the body of WithTaskGroup at its current await; once
// all have ended, WithTaskGroup returns an *ExceptionGroup holding every
// failure. A TaskGroup is valid only inside its WithTaskGroup call.
type TaskGroup struct {
	loop   *Loop
	parent *taskCore

	tasks      map[*taskCore]struct{}
	errs       []error
	exiting    bool
	aborting   bool
	cancelled  bool // parent cancel requested by the group itself
	onComplete *Future[struct{}]
}

// errScopeAbandoned stands for the panic (or runtime.Goexit) that left
// the body of WithTaskGroup when the group ends on its way out: a failure
// of the body, never returned, since the panic goes on.
var errScopeAbandoned = errors.New("asyncio: the body did not return")

// WithTaskGroup runs body with a new task group and waits until every task
// created in the group has ended: Python's
//
//	async with asyncio.TaskGroup() as tg:
//	    body
//
// It returns an *ExceptionGroup of the errors of the failed tasks (and of
// body's own error, if it is not a cancellation), or nil if all succeeded.
// If the task running WithTaskGroup is cancelled from outside, every task
// of the group is cancelled and WithTaskGroup returns the cancellation;
// if a task failed too, it returns the *ExceptionGroup instead, and the
// task stays cancelling (Cancelling counts the request) and is cancelled
// again at its next await, as in Python 3.13. The group's own cancellation
// of the task is withdrawn once every task of the group has ended: after
// WithTaskGroup returns, Cancelling is what it was before, save for
// requests from elsewhere. If body panics (or calls runtime.Goexit), the
// group's tasks are cancelled and waited for before the panic goes on.
func WithTaskGroup(a *A, body func(tg *TaskGroup) error) error {
	parent, err := currentTask(a)
	if err != nil {
		return err
	}
	tg := &TaskGroup{loop: parent.loop, parent: parent, tasks: map[*taskCore]struct{}{}}
	defer func() {
		if !tg.exiting {
			// body panicked or called runtime.Goexit: as Python's __aexit__
			// on any exception, the group's tasks are cancelled and waited
			// for before the panic goes on.
			_ = tg.exit(a, errScopeAbandoned)
		}
	}()
	return tg.exit(a, body(tg))
}

// exit is Python 3.13's TaskGroup.__aexit__, with bodyErr as the error
// that left the async with block.
func (tg *TaskGroup) exit(a *A, bodyErr error) error {
	tg.exiting = true
	var propagateCancel error
	if isCancellation(bodyErr) {
		propagateCancel = bodyErr
	}
	if bodyErr != nil && !tg.aborting {
		tg.abort()
	}
	// pendingCancel is the latest cancellation of the wait itself: one from
	// outside that arrived while the group was aborting already.
	var pendingCancel error
	for len(tg.tasks) > 0 {
		if tg.onComplete == nil {
			tg.onComplete = NewFuture[struct{}](tg.loop)
			tg.onComplete.reason = tg
		}
		if _, err := tg.onComplete.Await(a); isCancellation(err) {
			pendingCancel = err
			if !tg.aborting {
				propagateCancel = err
				tg.abort()
			}
		}
		tg.onComplete = nil
	}
	// The group withdraws its own request only now: a task that failed
	// while the group waited has made one too (gh-116720).
	if tg.cancelled && tg.parent.Uncancel() == 0 {
		// The only cancellation of the parent was our own.
		propagateCancel = nil
	} else if propagateCancel == nil {
		// One from outside is left: it must not be dropped (gh-155433).
		propagateCancel = pendingCancel
	}
	if propagateCancel != nil && len(tg.errs) == 0 {
		return propagateCancel
	}
	if bodyErr != nil && !isCancellation(bodyErr) {
		tg.errs = append(tg.errs, bodyErr)
	}
	if len(tg.errs) == 0 {
		return nil
	}
	if tg.parent.Cancelling() > 0 {
		// A cancellation from outside is still standing, and the group's
		// error, not the cancellation, comes out: the parent is cancelled
		// again at its next await, the count unchanged, so that it is not
		// lost (Python 3.13).
		tg.parent.Uncancel()
		tg.parent.Cancel()
	}
	return NewExceptionGroup("unhandled errors in a TaskGroup", tg.errs...)
}

func (tg *TaskGroup) abort() {
	tg.aborting = true
	// In creation order, not the map's random order: the same program must
	// cancel its tasks, and so print, in the same order on every run.
	ts := make([]*taskCore, 0, len(tg.tasks))
	for t := range tg.tasks {
		ts = append(ts, t)
	}
	slices.SortFunc(ts, func(a, b *taskCore) int { return cmp.Compare(a.id, b.id) })
	for _, t := range ts {
		if !t.done() {
			t.self.Cancel()
		}
	}
}

// Cancel cancels every task of the group and the body, and makes
// WithTaskGroup return nil once they have ended, unless a task failed:
// Python 3.15's TaskGroup.cancel(). It does nothing once the group is
// ending on its own.
func (tg *TaskGroup) Cancel() {
	if tg.aborting {
		return
	}
	tg.abort()
	if !tg.exiting && !tg.cancelled {
		tg.cancelled = true
		tg.parent.Cancel()
	}
}

// taskDone is Python's TaskGroup._on_task_done.
func (tg *TaskGroup) taskDone(t *taskCore) {
	delete(tg.tasks, t)
	if tg.onComplete != nil && len(tg.tasks) == 0 && !tg.onComplete.done() {
		tg.onComplete.SetResult(struct{}{})
	}
	if t.state == cancelled || t.err == nil {
		return
	}
	tg.errs = append(tg.errs, t.err)
	if !tg.aborting && !tg.cancelled {
		tg.abort()
		tg.cancelled = true
		tg.parent.Cancel()
	}
}

// tgMember is the done callback that tells the group a task ended.
type tgMember struct {
	tg *TaskGroup
	t  *taskCore
}

func (m tgMember) run() { m.tg.taskDone(m.t) }

// checkOpen reports why no task can join the group now, if so.
func (tg *TaskGroup) checkOpen() error {
	if tg.exiting && len(tg.tasks) == 0 {
		return errors.New("asyncio.CreateTask: TaskGroup is finished")
	}
	if tg.aborting {
		return errors.New("asyncio.CreateTask: TaskGroup is shutting down")
	}
	return nil
}

func (tg *TaskGroup) join(t *taskCore) {
	tg.tasks[t] = struct{}{}
	t.addCallback(tgMember{tg: tg, t: t})
}

// String describes the group for reports: what a task waits for while
// WithTaskGroup waits for the group's tasks.
func (tg *TaskGroup) String() string {
	return fmt.Sprintf("the %d tasks of a TaskGroup", len(tg.tasks))
}
