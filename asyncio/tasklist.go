package asyncio

// taskList is the loop's set of live tasks, as an intrusive doubly linked
// list: adding and removing a task costs two pointer writes and no
// allocation, and the loop holds every task strongly until it ends, as
// Python's asyncio does not (its set of tasks is weak).
type taskList struct {
	head, tail *taskCore
	n          int
}

func (l *taskList) add(t *taskCore) {
	t.prev, t.next = l.tail, nil
	if l.tail != nil {
		l.tail.next = t
	} else {
		l.head = t
	}
	l.tail = t
	l.n++
}

func (l *taskList) remove(t *taskCore) {
	if t.prev != nil {
		t.prev.next = t.next
	} else if l.head == t {
		l.head = t.next
	} else {
		return // not in the list
	}
	if t.next != nil {
		t.next.prev = t.prev
	} else {
		l.tail = t.prev
	}
	t.prev, t.next = nil, nil
	l.n--
}

// all returns the live tasks in creation order.
func (l *taskList) all() []*taskCore {
	ts := make([]*taskCore, 0, l.n)
	for t := l.head; t != nil; t = t.next {
		ts = append(ts, t)
	}
	return ts
}

// AllTasks returns the tasks of the loop running a that have not finished,
// in creation order: Python's asyncio.all_tasks().
func AllTasks(a *A) []AnyTask {
	t, err := currentTask(a)
	if err != nil {
		return nil
	}
	var ts []AnyTask
	for _, c := range t.loop.tasks.all() {
		ts = append(ts, c.self)
	}
	return ts
}
