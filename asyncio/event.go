package asyncio

// An Event is a flag that tasks can wait for: Python's asyncio.Event. Set
// sets the flag and wakes every waiting task; Clear resets it; Wait returns
// at once while it is set and waits for Set otherwise.
//
// The zero value is an event whose flag is not set. An Event binds to the
// loop of the first task that calls Wait; using it from another loop
// afterwards is an error wrapping ErrDifferentLoop. Its methods must be
// called on its loop's goroutine. An Event must not be copied after first
// use.
type Event struct {
	_ noCopy
	loopBound
	set     bool
	waiters waitQueue
}

// Wait returns nil at once if the flag is set, and otherwise waits until
// Set is called: Python's await event.wait(). A task woken by Set returns
// nil even if Clear is called before it runs again.
//
// If the task is cancelled while it waits, Wait returns the cancellation
// error (wrapping ErrCanceled); the other waiters are not affected.
func (e *Event) Wait(a *A) error {
	loop, err := e.bind(a, "Event", "Wait")
	if err != nil {
		return err
	}
	if e.set {
		return nil
	}
	w := e.waiters.add(loop, "Event", "Wait")
	err = w.await(a)
	w.retire()
	return err
}

// Set sets the flag and wakes every task waiting for it, in the order they
// started waiting: Python's event.set(). Setting a set flag does nothing.
func (e *Event) Set() {
	if !e.set {
		e.set = true
		e.waiters.wakeAll()
	}
}

// Clear resets the flag, so that later calls to Wait wait for the next
// Set: Python's event.clear(). Tasks already woken stay woken.
func (e *Event) Clear() { e.set = false }

// IsSet reports whether the flag is set: Python's event.is_set().
func (e *Event) IsSet() bool { return e.set }
