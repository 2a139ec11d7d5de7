package asyncio

import (
	"fmt"
	"strings"
)

// A DeadlockError is what Run returns when its loop can never make progress
// again: no task or callback is ready, no timer is pending, and no outside
// work is in flight, so every live task waits for something that cannot
// happen. asyncio would hang forever here.
type DeadlockError struct {
	// Tasks describes every blocked task, one line each: its name and what
	// it waits on.
	Tasks []string
}

// Error lists the blocked tasks.
func (e *DeadlockError) Error() string {
	var b strings.Builder
	b.WriteString("asyncio: deadlock: no task can run, no timer is pending and no outside work is in flight")
	for _, t := range e.Tasks {
		b.WriteString("\n\t")
		b.WriteString(t)
	}
	return b.String()
}

func (l *Loop) deadlock() error {
	e := &DeadlockError{}
	for _, t := range l.tasks.all() {
		waits := "nothing (it never resumed)"
		if t.waitingOn != nil {
			waits = fmt.Sprint(t.waitingOn)
		}
		e.Tasks = append(e.Tasks, fmt.Sprintf("%s awaits %s", t.name, waits))
	}
	return e
}
