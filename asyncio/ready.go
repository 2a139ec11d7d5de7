package asyncio

import (
	"cmp"
	"slices"
)

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

// shuffle permutes the first n entries with shuffle (a rand.Shuffle), for
// seeded schedules. It reorders independent events only, never the
// deliveries of one source: the calls that came through the inbox (a
// connection's data, a worker's result, whatever one goroutine handed over)
// take the places the shuffle gave them in the order they came, so that
// only their interleaving with the other entries is shuffled.
func (q *readyQueue) shuffle(n int, shuffle func(n int, swap func(i, j int))) {
	mask := len(q.buf) - 1
	at := func(i int) *runnable { return &q.buf[(q.head+i)&mask] }
	shuffle(n, func(i, j int) {
		a, b := at(i), at(j)
		*a, *b = *b, *a
	})
	var places []int
	var calls []*inboxCall
	for i := range n {
		if c, ok := (*at(i)).(*inboxCall); ok {
			places = append(places, i)
			calls = append(calls, c)
		}
	}
	slices.SortFunc(calls, func(a, b *inboxCall) int { return cmp.Compare(a.seq, b.seq) })
	for k, i := range places {
		*at(i) = calls[k]
	}
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
