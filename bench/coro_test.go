package bench_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/yieldfrom/asyncgo/coro"
	"github.com/yieldfrom/asyncgo/gen"
)

var awaitDepths = []int{1, 10, 100}

// BenchmarkAwaitDepth measures one resume (one Send) of a coroutine that is
// suspended at the bottom of a chain of depth awaits. Every coroutine in the
// chain is built with coro.New and awaited with coro.Await before it starts,
// so each runs inline on the top coroutine's stack: the resume goes straight
// to the bottom, and costs the same at depth 100 as at depth 1. CPython
// forwards the same resume through every level of the chain.
func BenchmarkAwaitDepth(b *testing.B) {
	for _, depth := range awaitDepths {
		b.Run("depth="+strconv.Itoa(depth), func(b *testing.B) {
			b.ReportAllocs()
			before := busyCoroutines()
			resumes := 0
			top := awaitChain(depth, &resumes)
			if req, ok := top.Send(nil); !ok || req != nil {
				b.Fatalf("first Send(nil) = %v, %t, want <nil>, true", req, ok)
			}
			if got := busyCoroutines() - before; got != 1 {
				b.Fatalf("chain of depth %d runs on %d coroutines, want 1 (inline)", depth, got)
			}
			n := 0
			for b.Loop() {
				top.Send(nil)
				n++
			}
			b.StopTimer()
			if resumes != n {
				b.Errorf("bottom resumed %d times by %d Sends", resumes, n)
			}
			if err := top.Close(); err != nil {
				b.Errorf("Close() = %v, want nil", err)
			}
			if _, err := top.Result(); !errors.Is(err, gen.ErrGeneratorExit) {
				b.Errorf("Result() after Close = _, %v, want %v", err, gen.ErrGeneratorExit)
			}
		})
	}
}

// awaitChain returns a coroutine that awaits a coroutine that awaits ...,
// depth awaits in all, down to a bottom that loops on coro.Yield and counts
// its resumes in *resumes.
func awaitChain(depth int, resumes *int) *coro.Coroutine[int] {
	c := coro.New(func(h *coro.Handle) (int, error) {
		for {
			if err := coro.Yield(h); err != nil {
				return *resumes, err
			}
			*resumes++
		}
	})
	for range depth {
		sub := c
		c = coro.New(func(h *coro.Handle) (int, error) {
			return coro.Await(h, sub)
		})
	}
	return c
}

// answer is the body of the coroutine AwaitCall creates and awaits: it
// returns at once.
func answer(*coro.Handle) (int, error) { return 42, nil }

// plainAnswer is answer as a plain function, PlainCall's baseline.
//
//go:noinline
func plainAnswer() (int, error) { return 42, nil }

// BenchmarkAwaitCall measures an await of a coroutine that returns at once,
// made from inside a running coroutine: coro.New plus coro.Await, which runs
// the new coroutine's body inline. Its allocations are the coroutine itself.
// PlainCall is the same work as a function call.
func BenchmarkAwaitCall(b *testing.B) {
	b.ReportAllocs()
	top := coro.New(func(h *coro.Handle) (int, error) {
		sum := 0
		for b.Loop() {
			v, err := coro.Await(h, coro.New(answer))
			if err != nil {
				return sum, err
			}
			sum += v
		}
		return sum, nil
	})
	if req, ok := top.Send(nil); ok {
		b.Fatalf("Send(nil) = %v, true, want the coroutine to return", req)
	}
	if sum, err := top.Result(); err != nil || sum == 0 || sum%42 != 0 {
		b.Errorf("Result() = %d, %v, want a multiple of 42, nil", sum, err)
	}
}

// BenchmarkPlainCall is AwaitCall's baseline: the same work, a call that
// returns (int, error) at once, as a plain Go function call.
func BenchmarkPlainCall(b *testing.B) {
	b.ReportAllocs()
	sum := 0
	for b.Loop() {
		v, err := plainAnswer()
		if err != nil {
			b.Fatal(err)
		}
		sum += v
	}
	if sum == 0 || sum%42 != 0 {
		b.Errorf("sum = %d, want a multiple of 42", sum)
	}
}
