package asyncio_test

import (
	"bufio"
	"fmt"
	"net"
	"strconv"
	"testing"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/asyncio/asynciotest"
)

// TestSeedKeepsInboxOrder has a goroutine hand the loop numbered callbacks
// through CallSoonThreadsafe while the loop is held, so that they all reach
// it in one iteration with as many callbacks of the loop's own: under every
// seed the goroutine's run in the order it made them, as Python's
// call_soon_threadsafe runs them. A seed may reorder independent events,
// never the deliveries of one source; the loop's own callbacks still mix
// with them.
func TestSeedKeepsInboxOrder(t *testing.T) {
	const n = 100
	mixed := false
	asynciotest.Seeds(t, 50, func(t *testing.T, opts ...asyncio.Option) {
		var got []int
		_, err := asynciotest.Run(t, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			l := asyncio.GetRunningLoop(a)
			release := l.RegisterExternal()
			sent := make(chan struct{})
			go func() {
				defer release()
				for i := range n {
					_ = l.CallSoonThreadsafe(func() { got = append(got, i) })
				}
				close(sent)
			}()
			<-sent // hold the loop: every callback arrives in one batch
			for i := range n {
				l.CallSoon(func() { got = append(got, -1-i) })
			}
			for len(got) < 2*n {
				if err := asyncio.Sleep(a, 0); err != nil {
					return struct{}{}, err
				}
			}
			return struct{}{}, nil
		}), opts...)
		if err != nil {
			t.Fatalf("Run = %v, want nil", err)
		}
		if got[0] >= 0 {
			mixed = true // first in, first out, the loop's own would run first
		}
		next := 0
		for _, v := range got {
			if v < 0 {
				continue
			}
			if v != next {
				t.Fatalf("callback %d ran where %d was due; order: %v", v, next, got)
			}
			next++
		}
	})
	if !mixed {
		t.Errorf("under 50 seeds no inbox callback ran before the loop's own: the shuffle does not mix sources")
	}
}

// TestSeedKeepsStreamOrder reads 20,000 numbered lines that a server outside
// the loop writes on one connection: under every seed they arrive in order.
func TestSeedKeepsStreamOrder(t *testing.T) {
	const lines = 20000
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	served := make(chan struct{})
	go func() {
		defer close(served)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			w := bufio.NewWriter(c)
			for i := range lines {
				fmt.Fprintf(w, "%d\n", i)
			}
			_ = w.Flush()
			_ = c.Close()
		}
	}()
	defer func() { ln.Close(); <-served }()
	port := ln.Addr().(*net.TCPAddr).Port
	asynciotest.Seeds(t, 20, func(t *testing.T, opts ...asyncio.Option) {
		_, err := asynciotest.Run(t, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			r, w, err := asyncio.OpenConnection(a, "127.0.0.1", port)
			if err != nil {
				return struct{}{}, err
			}
			defer w.Close()
			for i := range lines {
				line, err := r.ReadLine(a)
				if err != nil {
					return struct{}{}, fmt.Errorf("line %d: %w", i, err)
				}
				if got := string(line); got != strconv.Itoa(i)+"\n" {
					return struct{}{}, fmt.Errorf("line %d = %q, want %q", i, got, strconv.Itoa(i)+"\n")
				}
			}
			return struct{}{}, nil
		}), opts...)
		if err != nil {
			t.Fatalf("Run = %v, want nil", err)
		}
	})
}

// TestSeedKeepsQueueOrder has three producers put numbered items in one
// queue and one consumer get them: under every seed, each producer's items
// come out in the order it put them.
func TestSeedKeepsQueueOrder(t *testing.T) {
	const producers, items = 3, 50
	asynciotest.Seeds(t, 50, func(t *testing.T, opts ...asyncio.Option) {
		_, err := asynciotest.Run(t, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			q := asyncio.NewQueue[[2]int](2)
			return struct{}{}, asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
				for p := range producers {
					asyncio.CreateTask(tg, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
						for i := range items {
							if err := q.Put(a, [2]int{p, i}); err != nil {
								return struct{}{}, err
							}
						}
						return struct{}{}, nil
					}))
				}
				next := make([]int, producers)
				for range producers * items {
					v, err := q.Get(a)
					if err != nil {
						return err
					}
					if v[1] != next[v[0]] {
						return fmt.Errorf("producer %d's item %d came out where %d was due", v[0], v[1], next[v[0]])
					}
					next[v[0]]++
				}
				return nil
			})
		}), opts...)
		if err != nil {
			t.Fatalf("Run = %v, want nil", err)
		}
	})
}
