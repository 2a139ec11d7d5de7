package asyncio

// A runnable is one entry of the loop's ready queue: a task to step, or a
// callback to call.
type runnable interface {
	run()
}

// readyQueue is a FIFO ring deque of runnables: what becomes ready first
// runs first, as in asyncio's collections.deque. It grows by doubling and
// never shrinks, so a loop in a steady state does not allocate to schedule.
type readyQueue struct {
	buf  []runnable
	head int
	n    int
}

func (q *readyQueue) len() int { return q.n }

func (q *readyQueue) push(r runnable) {
	if q.n == len(q.buf) {
		q.grow()
	}
	q.buf[(q.head+q.n)&(len(q.buf)-1)] = r
	q.n++
}

func (q *readyQueue) pop() runnable {
	r := q.buf[q.head]
	q.buf[q.head] = nil
	q.head = (q.head + 1) & (len(q.buf) - 1)
	q.n--
	return r
}

// shuffle permutes the first n entries with swap, for seeded schedules.
func (q *readyQueue) shuffle(n int, swap func(n int, swap func(i, j int))) {
	mask := len(q.buf) - 1
	swap(n, func(i, j int) {
		a, b := (q.head+i)&mask, (q.head+j)&mask
		q.buf[a], q.buf[b] = q.buf[b], q.buf[a]
	})
}

func (q *readyQueue) grow() {
	size := 2 * len(q.buf)
	if size == 0 {
		size = 16
	}
	buf := make([]runnable, size)
	for i := range q.n {
		buf[i] = q.buf[(q.head+i)&(len(q.buf)-1)]
	}
	q.buf, q.head = buf, 0
}
