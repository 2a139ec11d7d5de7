package coro

import (
	"errors"
	"fmt"
)

// RoundRobin runs the coroutines together on the calling goroutine, with no
// event loop: it resumes each in turn, and whenever one suspends it moves on
// to the next, until all have returned. It returns their results in argument
// order and the errors they ended with, joined.
//
// This is the oldest trick of coroutines ("lightweight threads from
// generators"): cooperative multitasking is a queue and a loop. The
// coroutines may only suspend with Yield; one that suspends with a request
// RoundRobin cannot serve (a timer, say, which needs an event loop) gets an
// error wrapping errors.ErrUnsupported thrown in at that await.
func RoundRobin[T any](cs ...*Coroutine[T]) ([]T, error) {
	ready := make([]int, len(cs))
	for i := range cs {
		ready[i] = i
	}
	refused := make([]error, len(cs))
	for len(ready) > 0 {
		i := ready[0]
		ready = ready[1:]
		var req any
		var suspended bool
		if refused[i] != nil {
			req, suspended = cs[i].Throw(refused[i])
			refused[i] = nil
		} else {
			req, suspended = cs[i].Send(nil)
		}
		if !suspended {
			continue
		}
		if req != nil {
			refused[i] = fmt.Errorf("coro.RoundRobin: cannot serve %v: %w", req, errors.ErrUnsupported)
		}
		ready = append(ready, i)
	}
	results := make([]T, len(cs))
	errs := make([]error, len(cs))
	for i, c := range cs {
		results[i], errs[i] = c.Result()
	}
	return results, errors.Join(errs...)
}
