package asyncio

import "fmt"

// Waiters returns how many waits are in line in x: a primitive, a queue's
// lines, a reader, a writer's Drain and WaitClosed, a server's WaitClosed,
// or a loop's WaitAllTasksBlocked. A wait that ends, cancelled or not,
// must leave none behind.
func Waiters(x any) int {
	switch x := x.(type) {
	case *Lock:
		return x.waiters.len()
	case *Semaphore:
		return x.waiters.len()
	case *BoundedSemaphore:
		return x.sem.waiters.len()
	case *Condition:
		return x.waiters.len() + x.mu().waiters.len()
	case *Event:
		return x.waiters.len()
	case *Barrier:
		return x.waiters.len()
	case *StreamReader:
		return x.waiter.len()
	case *StreamWriter:
		return x.t.drainers.len() + x.t.closeWaiters.len()
	case *Server:
		return x.waiters.len()
	case *Loop:
		return len(x.idleWaiters)
	}
	panic(fmt.Sprintf("asyncio.Waiters: no waiters in a %T", x))
}

// QueueWaiters returns how many tasks are in line to put into q, to get
// from it, and to join it.
func QueueWaiters[T any](q *Queue[T]) int {
	return q.getters.len() + q.putters.len() + q.joiners.len()
}
