package asyncio

// A PriorityQueue is a queue whose Get removes the least value first:
// Python's asyncio.PriorityQueue. The order is given by the less function
// passed to NewPriorityQueue, where Python compares the entries themselves
// (usually (priority, data) tuples). Values that neither is less than the
// other come out in the order they were put, which Python's heap does not
// promise.
//
// It has the methods and the contract of Queue, cancellation and shutdown
// included. A PriorityQueue must be created with NewPriorityQueue; putting
// into the zero value panics.
type PriorityQueue[T any] struct {
	queueCore[T, heapStore[T], *heapStore[T]]
}

// NewPriorityQueue returns an empty priority queue ordered by less, which
// holds at most maxsize values, or any number if maxsize ≤ 0: Python's
// asyncio.PriorityQueue(maxsize). less must be a strict weak order; it is
// called only on the loop's goroutine. NewPriorityQueue panics if less is
// nil.
func NewPriorityQueue[T any](maxsize int, less func(a, b T) bool) *PriorityQueue[T] {
	if less == nil {
		panic("asyncio.NewPriorityQueue: nil less function")
	}
	q := new(PriorityQueue[T])
	q.maxsize = maxsize
	q.items.less = less
	return q
}

// A LifoQueue is a queue whose Get removes the value put last: Python's
// asyncio.LifoQueue. It has the methods and the contract of Queue,
// cancellation and shutdown included; its zero value is an empty stack of
// unlimited size.
type LifoQueue[T any] struct {
	queueCore[T, lifoStore[T], *lifoStore[T]]
}

// NewLifoQueue returns an empty LIFO queue that holds at most maxsize
// values, or any number if maxsize ≤ 0: Python's asyncio.LifoQueue(maxsize).
func NewLifoQueue[T any](maxsize int) *LifoQueue[T] {
	q := new(LifoQueue[T])
	q.maxsize = maxsize
	return q
}

// lifoStore is a stack.
type lifoStore[T any] struct {
	s []T
}

func (s *lifoStore[T]) kind() string { return "LifoQueue" }

func (s *lifoStore[T]) len() int { return len(s.s) }

func (s *lifoStore[T]) push(v T) { s.s = append(s.s, v) }

func (s *lifoStore[T]) pop() T {
	last := len(s.s) - 1
	v := s.s[last]
	var zero T
	s.s[last] = zero
	s.s = s.s[:last]
	if last == 0 && cap(s.s) > shrinkAbove {
		s.s = nil
	}
	return v
}

// heapStore is a binary min-heap ordered by less, with ties broken by
// arrival so that equal values leave in the order they came.
type heapStore[T any] struct {
	less  func(a, b T) bool
	items []heapEntry[T]
	seq   uint64
}

type heapEntry[T any] struct {
	v   T
	seq uint64
}

func (h *heapStore[T]) kind() string { return "PriorityQueue" }

func (h *heapStore[T]) len() int { return len(h.items) }

func (h *heapStore[T]) before(i, j int) bool {
	a, b := &h.items[i], &h.items[j]
	if h.less(a.v, b.v) {
		return true
	}
	return !h.less(b.v, a.v) && a.seq < b.seq
}

func (h *heapStore[T]) push(v T) {
	if h.less == nil {
		panic("asyncio.PriorityQueue: zero value used; create it with NewPriorityQueue")
	}
	h.seq++
	h.items = append(h.items, heapEntry[T]{v: v, seq: h.seq})
	for j := len(h.items) - 1; j > 0; {
		i := (j - 1) / 2
		if !h.before(j, i) {
			break
		}
		h.items[i], h.items[j] = h.items[j], h.items[i]
		j = i
	}
}

func (h *heapStore[T]) pop() T {
	v := h.items[0].v
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items[last] = heapEntry[T]{}
	h.items = h.items[:last]
	for i := 0; ; {
		j := 2*i + 1
		if j >= last {
			break
		}
		if r := j + 1; r < last && h.before(r, j) {
			j = r
		}
		if !h.before(j, i) {
			break
		}
		h.items[i], h.items[j] = h.items[j], h.items[i]
		i = j
	}
	if last == 0 && cap(h.items) > shrinkAbove {
		h.items = nil
	}
	return v
}
