package coro

import (
	"errors"
	"fmt"

	"github.com/yieldfrom/asyncgo/gen"
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
//
// Each coroutine is driven once, as asyncio.gather does: one given twice
// runs once and its result fills both places. One that has already
// started or ended elsewhere is not resumed; its place gets the zero value
// and an error wrapping ErrAwaitedAlready or ErrReused, as awaiting it
// would.
func RoundRobin[T any](cs ...*Coroutine[T]) ([]T, error) {
	ready, unfit := claim(cs)
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
		if errs[i] = unfit[i]; errs[i] == nil {
			results[i], errs[i] = c.Result()
		}
	}
	return results, errors.Join(errs...)
}

// claim sorts out which of cs RoundRobin may drive: it returns the places
// of the coroutines to run, each coroutine once, and, for each place of a
// coroutine that has started or ended elsewhere, the error that awaiting
// it would give.
func claim[T any](cs []*Coroutine[T]) (ready []int, unfit []error) {
	unfit = make([]error, len(cs))
	seen := make(map[*Coroutine[T]]bool, len(cs))
	for i, c := range cs {
		switch {
		case c.State() == gen.Closed:
			unfit[i] = fmt.Errorf("coro.RoundRobin: coroutine %d: %w", i, ErrReused)
		case c.State() != gen.Created:
			unfit[i] = fmt.Errorf("coro.RoundRobin: coroutine %d: %w", i, ErrAwaitedAlready)
		case !seen[c]:
			seen[c] = true
			ready = append(ready, i)
		}
	}
	return ready, unfit
}
