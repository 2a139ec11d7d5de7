package chapters

import (
	"errors"
	"fmt"
	"slices"

	"github.com/yieldfrom/asyncgo/fib"
	"github.com/yieldfrom/asyncgo/gen"
)

func init() {
	Register(Chapter{
		Number: 3,
		Name:   "yield-from",
		Title:  "Yield from: delegation (PEP 380)",
		Examples: []Example{
			{"delegate", "Values out, the result back", run(delegate)},
			{"send", "Sends go to the subgenerator", run(delegateSend)},
			{"throw", "Errors go in, and come back out", run(delegateThrow)},
			{"close", "Close closes the subgenerator first", run(delegateClose)},
			{"depth", "Forwarding by hand, level by level", run(depth)},
			{"inline", "A fresh subgenerator runs inline", run(inline)},
		},
	})
}

// snippet: inner-outer
func inner() *gen.Generator[int, gen.None, string] {
	return gen.New(func(y *gen.Yielder[int, gen.None]) (string, error) {
		if _, err := y.Yield(1); err != nil {
			return "", err
		}
		if _, err := y.Yield(2); err != nil {
			return "", err
		}
		return "result of inner", nil
	})
}

func outer() *gen.Generator[int, gen.None, string] {
	return gen.New(func(y *gen.Yielder[int, gen.None]) (string, error) {
		got, err := gen.YieldFrom(y, inner())
		if err != nil {
			return "", err
		}
		fmt.Printf("outer: YieldFrom returned %q\n", got)
		if _, err := y.Yield(3); err != nil {
			return "", err
		}
		return "result of outer", nil
	})
}

// end snippet

func delegate() {
	// snippet: delegate
	g := outer()
	for v := range g.All() {
		fmt.Println(v)
	}
	result, err := g.Result()
	fmt.Printf("finished with %q, error %v\n", result, err)
	// end snippet
}

// snippet: tally

// takeSum receives n numbers and returns their sum.
func takeSum(n int) *gen.Generator[gen.None, int, int] {
	return gen.New(func(y *gen.Yielder[gen.None, int]) (int, error) {
		total := 0
		for range n {
			v, err := y.Yield(gen.None{})
			if err != nil {
				return total, err
			}
			total += v
		}
		return total, nil
	})
}

func tally() *gen.Generator[gen.None, int, int] {
	return gen.New(func(y *gen.Yielder[gen.None, int]) (int, error) {
		a, err := gen.YieldFrom(y, takeSum(2))
		if err != nil {
			return 0, err
		}
		fmt.Println("tally: first two add up to", a)
		b, err := gen.YieldFrom(y, takeSum(3))
		if err != nil {
			return 0, err
		}
		fmt.Println("tally: next three add up to", b)
		return a + b, nil
	})
}

// end snippet

func delegateSend() {
	// snippet: send-through
	t := tally()
	t.Next()
	for _, v := range []int{1, 2, 10, 20, 30} {
		if _, ok := t.Send(v); !ok {
			total, _ := t.Result()
			fmt.Println("total", total)
		}
	}
	// end snippet
}

// snippet: supervisor
var errStop = errors.New("stop")

func worker() *gen.Generator[string, gen.None, gen.None] {
	return gen.New(func(y *gen.Yielder[string, gen.None]) (gen.None, error) {
		defer fmt.Println("worker: deferred call")
		if _, err := y.Yield("working"); err != nil {
			return gen.None{}, err
		}
		_, err := y.Yield("still working")
		return gen.None{}, err
	})
}

func supervisor() *gen.Generator[string, gen.None, gen.None] {
	return gen.New(func(y *gen.Yielder[string, gen.None]) (gen.None, error) {
		_, err := gen.YieldFrom(y, worker())
		switch {
		case errors.Is(err, errStop):
			fmt.Println("supervisor: worker ended with", err)
		case err != nil:
			return gen.None{}, err
		}
		_, err = y.Yield("supervisor carries on")
		return gen.None{}, err
	})
}

// end snippet

func delegateThrow() {
	// snippet: throw-through
	s := supervisor()
	v, _ := s.Next()
	fmt.Println(v)
	v, _ = s.Throw(errStop)
	fmt.Println(v)
	s.Close()
	// end snippet
}

// snippet: child-parent
func child() *gen.Generator[int, gen.None, gen.None] {
	return gen.New(func(y *gen.Yielder[int, gen.None]) (gen.None, error) {
		defer fmt.Println("child: deferred call")
		if _, err := y.Yield(1); err != nil {
			return gen.None{}, err
		}
		_, err := y.Yield(2)
		return gen.None{}, err
	})
}

func parent() *gen.Generator[int, gen.None, gen.None] {
	return gen.New(func(y *gen.Yielder[int, gen.None]) (gen.None, error) {
		defer fmt.Println("parent: deferred call")
		if _, err := gen.YieldFrom(y, child()); err != nil {
			return gen.None{}, err
		}
		_, err := y.Yield(3)
		return gen.None{}, err
	})
}

// end snippet

func delegateClose() {
	// snippet: close-through
	p := parent()
	v, _ := p.Next()
	fmt.Println(v)
	fmt.Println("Close returned", p.Close())
	fmt.Println(p.State())
	// end snippet
}

// snippet: forward

// forwarded counts the values forward passes from one level to the next.
var forwarded int

// forward is YieldFrom's forwarding path, written out: PEP 380's expansion
// of yield from, with its handling of close simplified.
func forward[Y, S, R any](y *gen.Yielder[Y, S], sub *gen.Generator[Y, S, R]) (R, error) {
	v, ok := sub.Next()
	for ok {
		forwarded++
		in, err := y.Yield(v)
		switch {
		case err == nil:
			v, ok = sub.Send(in)
		case errors.Is(err, gen.ErrGeneratorExit):
			sub.Close()
			var zero R
			return zero, err
		default:
			v, ok = sub.Throw(err)
		}
	}
	return sub.Result()
}

// end snippet

// snippet: chain
type delegator = func(*gen.Yielder[int, gen.None], *gen.Generator[int, gen.None, gen.None]) (gen.None, error)

// chain returns depth generators, each delegating to the next with
// yieldFrom, with the Fibonacci numbers at the bottom.
func chain(depth int, yieldFrom delegator) *gen.Generator[int, gen.None, gen.None] {
	if depth == 0 {
		return fib.Fib()
	}
	return gen.New(func(y *gen.Yielder[int, gen.None]) (gen.None, error) {
		return yieldFrom(y, chain(depth-1, yieldFrom))
	})
}

// end snippet

func depth() {
	// snippet: depth
	forwarded = 0
	g := chain(10, forward)
	fmt.Println(slices.Collect(gen.Take(g.All(), 5)))
	g.Close()
	fmt.Println("values passed from level to level:", forwarded)

	h := chain(10, gen.YieldFrom)
	fmt.Println(slices.Collect(gen.Take(h.All(), 5)))
	h.Close()
	// end snippet
}

func inline() {
	// snippet: inline
	sub := inner()
	g := gen.New(func(y *gen.Yielder[int, gen.None]) (string, error) {
		return gen.YieldFrom(y, sub)
	})
	g.Next()
	fmt.Println("sub's state:", sub.State())
	func() {
		defer func() { fmt.Println("sub.Next panicked:", recover()) }()
		sub.Next()
	}()
	g.Close()
	// end snippet
}
