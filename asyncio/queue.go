package asyncio

import "errors"

var (
	// ErrQueueEmpty is the error of GetNowait on an empty queue: Python's
	// asyncio.QueueEmpty.
	ErrQueueEmpty = errors.New("asyncio: queue is empty")

	// ErrQueueFull is the error of PutNowait on a full queue: Python's
	// asyncio.QueueFull.
	ErrQueueFull = errors.New("asyncio: queue is full")

	// ErrQueueShutDown is the error of putting into a queue that is shut
	// down, and of getting from one that is shut down and empty: Python
	// 3.13's asyncio.QueueShutDown.
	ErrQueueShutDown = errors.New("asyncio: queue is shut down")

	// ErrTooManyTaskDone is the error of calling TaskDone more times than
	// items were put into a queue: Python's ValueError("task_done() called
	// too many times").
	ErrTooManyTaskDone = errors.New("asyncio: TaskDone called too many times")
)

// A Queue is a first-in, first-out queue for passing values between tasks:
// Python's asyncio.Queue. Put adds a value, waiting while the queue is
// full; Get removes the oldest, waiting while it is empty. TaskDone and
// Join let a producer wait until every value it put has been processed,
// and Shutdown ends the queue's use (Python 3.13).
//
//	q = asyncio.Queue(maxsize=2)     q := asyncio.NewQueue[int](2)
//	await q.put(1)                   err := q.Put(a, 1)
//	item = await q.get()             item, err := q.Get(a)
//	q.task_done()                    err = q.TaskDone()
//
// Tasks waiting to put and tasks waiting to get are each served in the
// order they started waiting (see WithSeed for a shuffled schedule). As in Python, a task that finds a value (or a
// free slot) takes it without waiting, even if a waiter was woken for it and
// has not run yet; that waiter then waits again at the back of the line.
//
// Cancelling a task that waits in Put or Get leaves the queue as it was: the
// value is not put, or no value is taken, and a free slot or value that was
// announced to the cancelled task is announced to the next waiter instead.
//
// The zero value is an empty queue of unlimited size. A Queue binds to the
// loop of the first task that calls Put, Get or Join; using it from another
// loop afterwards is an error wrapping ErrDifferentLoop. Its methods must be
// called on its loop's goroutine. A Queue must not be copied after first
// use. See also PriorityQueue and LifoQueue, which differ only in which
// value Get removes.
type Queue[T any] struct {
	queueCore[T, fifoStore[T], *fifoStore[T]]
}

// NewQueue returns an empty queue that holds at most maxsize values, or any
// number if maxsize ≤ 0: Python's asyncio.Queue(maxsize).
func NewQueue[T any](maxsize int) *Queue[T] {
	q := new(Queue[T])
	q.maxsize = maxsize
	return q
}

// queueStore is where a queue keeps its values; the three kinds of queue
// differ only in it, as Python's subclasses override only _init, _put and
// _get. Its zero value must be ready to use.
type queueStore[T any] interface {
	len() int
	push(v T)
	pop() T
	kind() string // the queue type's name, for errors and diagnostics
}

// Each store is reached only through queueCore's type parameters, which
// staticcheck's unused check does not follow: these assertions keep it from
// reporting the stores unused, and check that each is a queueStore.
var (
	_ queueStore[int] = (*fifoStore[int])(nil)
	_ queueStore[int] = (*lifoStore[int])(nil)
	_ queueStore[int] = (*heapStore[int])(nil)
)

// queueCore is Queue, PriorityQueue and LifoQueue but for their store.
// The store is a type parameter rather than an interface value so that
// the zero value of each queue type has the right store.
type queueCore[T any, S any, PS interface {
	*S
	queueStore[T]
}] struct {
	_ noCopy
	loopBound
	maxsize    int
	items      S
	getters    waitQueue
	putters    waitQueue
	joiners    waitQueue
	unfinished int // values put and not yet marked done with TaskDone
	shutdown   bool
}

func (q *queueCore[T, S, PS]) store() PS { return PS(&q.items) }

// Put adds v to the queue, first waiting while the queue is full: Python's
// await queue.put(v). It returns ErrQueueShutDown if the queue is shut down,
// whether before the call or while it waits.
//
// If the task is cancelled while it waits, Put returns the cancellation
// error (wrapping ErrCanceled) and v is not added; a slot freed for the
// task goes to the next task waiting to put.
func (q *queueCore[T, S, PS]) Put(a *A, v T) error {
	kind := q.store().kind()
	loop, err := q.bind(a, kind, "Put")
	if err != nil {
		return err
	}
	if err := q.wait(a, loop, &q.putters, kind, "Put", q.Full); err != nil {
		return err
	}
	return q.PutNowait(v)
}

// wait suspends the task running a in line, as op, for as long as blocked
// reports true: Python's `while self.full(): await putter` of put, and
// get's loop on empty(). It returns ErrQueueShutDown once the queue is shut
// down while blocked, or the error the wait ended with (a cancellation),
// after handing a wake-up the task got and will not use to the next in
// line.
func (q *queueCore[T, S, PS]) wait(a *A, loop *Loop, line *waitQueue, kind, op string, blocked func() bool) error {
	var w *waiter
	for blocked() {
		if q.shutdown {
			w.retire()
			return ErrQueueShutDown
		}
		if w == nil {
			w = line.add(loop, kind, op)
		} else {
			w.rearm()
		}
		if err := w.await(a); err != nil {
			woken := w.woken()
			w.retire()
			if woken && !blocked() {
				line.wakeNext()
			}
			return err
		}
	}
	w.retire()
	return nil
}

// PutNowait adds v to the queue if there is room, without waiting:
// Python's queue.put_nowait(v). It returns ErrQueueFull if the queue is
// full and ErrQueueShutDown if it is shut down. Each value added counts as
// one unfinished task until TaskDone.
func (q *queueCore[T, S, PS]) PutNowait(v T) error {
	if q.shutdown {
		return ErrQueueShutDown
	}
	if q.Full() {
		return ErrQueueFull
	}
	q.store().push(v)
	q.unfinished++
	q.getters.wakeNext()
	return nil
}

// Get removes and returns the next value, first waiting while the queue is
// empty: Python's await queue.get(). Once the queue is shut down, Get
// still returns the values left in it (unless the shutdown was immediate),
// then ErrQueueShutDown; a task waiting in Get when the queue shuts down
// gets ErrQueueShutDown.
//
// If the task is cancelled while it waits, Get returns the cancellation
// error (wrapping ErrCanceled) and takes nothing; a value that arrived for
// the task stays in the queue for the next task waiting to get.
func (q *queueCore[T, S, PS]) Get(a *A) (T, error) {
	kind := q.store().kind()
	loop, err := q.bind(a, kind, "Get")
	if err != nil {
		var zero T
		return zero, err
	}
	if err := q.wait(a, loop, &q.getters, kind, "Get", q.Empty); err != nil {
		var zero T
		return zero, err
	}
	return q.GetNowait()
}

// GetNowait removes and returns the next value if there is one, without
// waiting: Python's queue.get_nowait(). If the queue is empty it returns
// ErrQueueShutDown if the queue is shut down, and ErrQueueEmpty otherwise.
func (q *queueCore[T, S, PS]) GetNowait() (T, error) {
	if q.Empty() {
		var zero T
		if q.shutdown {
			return zero, ErrQueueShutDown
		}
		return zero, ErrQueueEmpty
	}
	v := q.store().pop()
	q.putters.wakeNext()
	return v, nil
}

// Qsize returns the number of values in the queue: Python's queue.qsize().
func (q *queueCore[T, S, PS]) Qsize() int { return q.store().len() }

// Empty reports whether the queue holds no value: Python's queue.empty().
func (q *queueCore[T, S, PS]) Empty() bool { return q.store().len() == 0 }

// Full reports whether the queue holds Maxsize values, so that Put would
// wait: Python's queue.full(). A queue of unlimited size is never full.
func (q *queueCore[T, S, PS]) Full() bool {
	return q.maxsize > 0 && q.store().len() >= q.maxsize
}

// Maxsize returns the number of values the queue may hold, as given to its
// constructor; 0 or less means no limit: Python's queue.maxsize.
func (q *queueCore[T, S, PS]) Maxsize() int { return q.maxsize }

// TaskDone marks one value taken from the queue as processed: Python's
// queue.task_done(). When every value put has been marked, the tasks
// waiting in Join wake up. Calling it more times than values were put
// changes nothing and returns ErrTooManyTaskDone.
func (q *queueCore[T, S, PS]) TaskDone() error {
	if q.unfinished <= 0 {
		return ErrTooManyTaskDone
	}
	q.unfinished--
	if q.unfinished == 0 {
		q.joiners.wakeAll()
	}
	return nil
}

// Join waits until every value put into the queue has been marked
// processed with TaskDone, and returns nil at once if that is so already:
// Python's await queue.join(). If the task is cancelled while it waits,
// Join returns the cancellation error (wrapping ErrCanceled).
func (q *queueCore[T, S, PS]) Join(a *A) error {
	kind := q.store().kind()
	loop, err := q.bind(a, kind, "Join")
	if err != nil {
		return err
	}
	if q.unfinished == 0 {
		return nil
	}
	w := q.joiners.add(loop, kind, "Join")
	err = w.await(a)
	w.retire()
	return err
}

// Shutdown shuts the queue down: Python 3.13's queue.shutdown(immediate).
// From then on Put and PutNowait return ErrQueueShutDown, and tasks waiting
// in Put wake up and return it too. Get and GetNowait go on returning the
// values left in the queue, then ErrQueueShutDown; tasks waiting in Get
// (which found the queue empty) wake up and return it.
//
// If immediate is true the values left in the queue are dropped as well,
// each counting as a TaskDone, so that Join returns once no value taken
// earlier is still being processed. Calling Shutdown again does nothing more,
// except that an immediate call still drops what is left.
func (q *queueCore[T, S, PS]) Shutdown(immediate bool) {
	q.shutdown = true
	if immediate {
		for q.store().len() > 0 {
			q.store().pop()
			if q.unfinished > 0 {
				q.unfinished--
			}
		}
		if q.unfinished == 0 {
			q.joiners.wakeAll()
		}
	}
	q.getters.wakeAll()
	q.putters.wakeAll()
}

// fifoStore is a ring buffer: values come out in the order they went in.
type fifoStore[T any] struct {
	buf  []T
	head int
	n    int
}

func (s *fifoStore[T]) kind() string { return "Queue" }

func (s *fifoStore[T]) len() int { return s.n }

func (s *fifoStore[T]) push(v T) {
	if s.n == len(s.buf) {
		buf := make([]T, max(8, 2*len(s.buf)))
		for i := range s.n {
			buf[i] = s.buf[(s.head+i)%len(s.buf)]
		}
		s.buf, s.head = buf, 0
	}
	s.buf[(s.head+s.n)%len(s.buf)] = v
	s.n++
}

func (s *fifoStore[T]) pop() T {
	v := s.buf[s.head]
	var zero T
	s.buf[s.head] = zero
	s.head = (s.head + 1) % len(s.buf)
	s.n--
	if s.n == 0 && len(s.buf) > shrinkAbove {
		// A burst should not pin its memory for the life of the queue.
		s.buf, s.head = nil, 0
	}
	return v
}

// shrinkAbove is the capacity above which a queue's store drops its buffer
// when it becomes empty.
const shrinkAbove = 1024
