package asyncio

import (
	"math"
	"time"
)

// A timer is an entry of the loop's timer heap: when it is due, its action
// joins the ready queue. Timers due at the same instant fire in the order
// they were scheduled (seq breaks the tie), as Python's heap of
// (when, handle) pairs does in practice.
type timer struct {
	when   int64 // nanoseconds since the loop's epoch
	seq    uint64
	index  int // position in the heap, or -1 when not in it
	action runnable
}

// addDuration returns the instant d after ns, both counted in nanoseconds
// (since the loop's epoch, or a clock's start), saturating at the ends of
// int64 rather than wrapping around, as time.Time.Add saturates: a deadline
// a time.Duration(math.MaxInt64) away is as late as there is, never in the
// past. Every deadline given as a duration (CallLater, Sleep, and what is
// built on them) and every Advance of a virtual clock is computed by it;
// deadlines given as a time.Time (CallAt, Timeout) saturate in
// time.Time.Add and Sub.
func addDuration(ns int64, d time.Duration) int64 {
	sum := ns + int64(d)
	switch {
	case d > 0 && sum < ns:
		return math.MaxInt64
	case d < 0 && sum > ns:
		return math.MinInt64
	}
	return sum
}

// timerHeap is a binary min-heap of timers ordered by (when, seq). It keeps
// each timer's index so that a cancelled timer is removed at once instead
// of lingering until it is due: the loop's "is any timer pending?" question
// must have an exact answer for the virtual clock and deadlock detection.
type timerHeap struct {
	items []*timer
	seq   uint64
}

func (h *timerHeap) len() int { return len(h.items) }

func (h *timerHeap) less(i, j int) bool {
	a, b := h.items[i], h.items[j]
	return a.when < b.when || a.when == b.when && a.seq < b.seq
}

func (h *timerHeap) swap(i, j int) {
	h.items[i], h.items[j] = h.items[j], h.items[i]
	h.items[i].index = i
	h.items[j].index = j
}

func (h *timerHeap) push(t *timer) {
	h.seq++
	t.seq = h.seq
	t.index = len(h.items)
	h.items = append(h.items, t)
	h.up(t.index)
}

// first returns the earliest timer; the heap must not be empty.
func (h *timerHeap) first() *timer { return h.items[0] }

func (h *timerHeap) remove(t *timer) {
	i := t.index
	if i < 0 {
		return
	}
	last := len(h.items) - 1
	if i != last {
		h.swap(i, last)
	}
	h.items[last] = nil
	h.items = h.items[:last]
	t.index = -1
	if i != last {
		if !h.down(i) {
			h.up(i)
		}
	}
}

func (h *timerHeap) up(j int) {
	for j > 0 {
		i := (j - 1) / 2
		if !h.less(j, i) {
			break
		}
		h.swap(i, j)
		j = i
	}
}

func (h *timerHeap) down(i0 int) bool {
	i, n := i0, len(h.items)
	for {
		j := 2*i + 1
		if j >= n {
			break
		}
		if r := j + 1; r < n && h.less(r, j) {
			j = r
		}
		if !h.less(j, i) {
			break
		}
		h.swap(i, j)
		i = j
	}
	return i > i0
}
