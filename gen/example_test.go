package gen_test

import (
	"errors"
	"fmt"
	"slices"

	"github.com/yieldfrom/asyncgo/gen"
)

func ExampleNew() {
	// Python:
	//
	//	def countdown(n):
	//	    while n > 0:
	//	        yield n
	//	        n -= 1
	//	    return "liftoff"
	countdown := func(n int) *gen.Generator[int, gen.None, string] {
		return gen.New(func(y *gen.Yielder[int, gen.None]) (string, error) {
			for ; n > 0; n-- {
				if _, err := y.Yield(n); err != nil {
					return "", err // closed or thrown into: stop
				}
			}
			return "liftoff", nil
		})
	}
	g := countdown(3)
	for v := range g.All() {
		fmt.Println(v)
	}
	fmt.Println(g.Result())
	// Output:
	// 3
	// 2
	// 1
	// liftoff <nil>
}

func ExampleGenerator_Send() {
	// Python's classic coroutine: term = yield average.
	averager := gen.New(func(y *gen.Yielder[float64, float64]) (gen.None, error) {
		var total, count, average float64
		for {
			term, err := y.Yield(average)
			if err != nil {
				return gen.None{}, err
			}
			total += term
			count++
			average = total / count
		}
	})
	defer averager.Close()
	averager.Next() // prime it: run to the first Yield, as next(coro) does
	fmt.Println(averager.Send(10))
	fmt.Println(averager.Send(30))
	fmt.Println(averager.Send(5))
	// Output:
	// 10 true
	// 20 true
	// 15 true
}

func ExampleGenerator_Throw() {
	errRetry := errors.New("retry")
	errFatal := errors.New("fatal")
	g := gen.New(func(y *gen.Yielder[string, gen.None]) (gen.None, error) {
		for {
			_, err := y.Yield("ready")
			switch {
			case errors.Is(err, errRetry): // except RetryError: ...
				fmt.Println("body handles", err)
			case err != nil:
				return gen.None{}, fmt.Errorf("body gave up: %w", err)
			}
		}
	})
	fmt.Println(g.Next())
	fmt.Println(g.Throw(errRetry)) // handled: the body yields again
	v, ok := g.Throw(errFatal)     // not handled: the body ends
	fmt.Printf("%q %t\n", v, ok)
	_, err := g.Result()
	fmt.Println(err, errors.Is(err, errFatal))
	// Output:
	// ready true
	// body handles retry
	// ready true
	// "" false
	// body gave up: fatal true
}

func ExampleGenerator_Close() {
	g := gen.New(func(y *gen.Yielder[int, gen.None]) (gen.None, error) {
		defer fmt.Println("deferred call runs") // Python's finally
		for i := 0; ; i++ {
			if _, err := y.Yield(i); err != nil {
				fmt.Println("Yield reports:", err)
				return gen.None{}, err
			}
		}
	})
	g.Next()
	g.Next()
	fmt.Println("Close:", g.Close())
	fmt.Println(g.State())
	// Output:
	// Yield reports: generator exit
	// deferred call runs
	// Close: <nil>
	// GEN_CLOSED
}

func ExampleGenerator_State() {
	var g *gen.Generator[int, gen.None, gen.None]
	g = gen.New(func(y *gen.Yielder[int, gen.None]) (gen.None, error) {
		fmt.Println("inside:", g.State())
		_, err := y.Yield(1)
		return gen.None{}, err
	})
	fmt.Println(g.State())
	g.Next()
	fmt.Println(g.State())
	g.Close()
	fmt.Println(g.State())
	// Output:
	// GEN_CREATED
	// inside: GEN_RUNNING
	// GEN_SUSPENDED
	// GEN_CLOSED
}

func ExampleYieldFrom() {
	// total adds up the numbers sent to it until it is sent a negative
	// one, and returns the sum: PEP 380's "return value of a subgenerator".
	total := func() *gen.Generator[string, int, int] {
		return gen.New(func(y *gen.Yielder[string, int]) (int, error) {
			sum := 0
			for {
				n, err := y.Yield("send a number")
				if err != nil {
					return 0, err
				}
				if n < 0 {
					return sum, nil
				}
				sum += n
			}
		})
	}
	// report delegates each round to a fresh total: what total yields goes
	// out, what is sent goes in, and its return value comes back.
	report := gen.New(func(y *gen.Yielder[string, int]) (gen.None, error) {
		for round := 1; ; round++ {
			sum, err := gen.YieldFrom(y, total()) // sum = yield from total()
			if err != nil {
				return gen.None{}, err
			}
			if _, err := y.Yield(fmt.Sprintf("round %d: %d", round, sum)); err != nil {
				return gen.None{}, err
			}
		}
	})
	fmt.Println(report.Next())
	report.Send(3)
	report.Send(4)
	fmt.Println(report.Send(-1))
	fmt.Println(report.Next())
	report.Send(10)
	fmt.Println(report.Send(-1))
	fmt.Println(report.Close()) // closes the total running now, then report
	// Output:
	// send a number true
	// round 1: 7 true
	// send a number true
	// round 2: 10 true
	// <nil>
}

func ExampleFromSeq() {
	g := gen.FromSeq(slices.Values([]string{"a", "b", "c"}))
	fmt.Println(g.Next())
	for v := range g.All() { // carries on where Next left off
		fmt.Println(v)
	}
	fmt.Println(g.State())
	// Output:
	// a true
	// b
	// c
	// GEN_CLOSED
}

func ExampleTake() {
	fib := gen.New(func(y *gen.Yielder[int, gen.None]) (gen.None, error) {
		a, b := 0, 1
		for {
			if _, err := y.Yield(a); err != nil {
				return gen.None{}, err
			}
			a, b = b, a+b
		}
	})
	// list(islice(fib, 10)); Take stops the range over fib.All once it
	// has its values, which closes fib.
	fmt.Println(slices.Collect(gen.Take(fib.All(), 10)))
	fmt.Println(fib.State())
	// Output:
	// [0 1 1 2 3 5 8 13 21 34]
	// GEN_CLOSED
}

func ExampleGenerator_All() {
	g := gen.New(func(y *gen.Yielder[string, gen.None]) (gen.None, error) {
		defer fmt.Println("cleanup")
		for _, w := range []string{"one", "two", "three"} {
			if _, err := y.Yield(w); err != nil {
				return gen.None{}, err
			}
		}
		return gen.None{}, nil
	})
	for w := range g.All() {
		fmt.Println(w)
		if w == "two" {
			break // closes g: its deferred calls run before the loop is over
		}
	}
	fmt.Println(g.State())
	fmt.Println(g.Result())
	// Output:
	// one
	// two
	// cleanup
	// GEN_CLOSED
	// {} generator exit
}

// A body that turns its panics into errors, as package coro does for
// coroutines, must let gen's unwinding through.
func ExampleIsUnwind() {
	safe := func(body func(y *gen.Yielder[int, gen.None]) int) *gen.Generator[int, gen.None, int] {
		return gen.New(func(y *gen.Yielder[int, gen.None]) (r int, err error) {
			defer func() {
				if p := recover(); p != nil {
					if gen.IsUnwind(p) {
						panic(p) // not a failure of the body: let gen finish its work
					}
					err = fmt.Errorf("recovered: %v", p)
				}
			}()
			return body(y), nil
		})
	}
	failing := safe(func(y *gen.Yielder[int, gen.None]) int {
		y.Yield(1)
		panic("oops")
	})
	failing.Next()
	failing.Next()
	fmt.Println(failing.Result())

	stubborn := safe(func(y *gen.Yielder[int, gen.None]) int {
		for i := 0; ; i++ {
			y.Yield(i) // ignores errors, and so the close too
		}
	})
	stubborn.Next()
	fmt.Println(stubborn.Close())
	// Output:
	// 0 recovered: oops
	// generator ignored close
}

func ExamplePool() {
	// A driver that starts many short generators gives them a pool of its
	// own, and closes it when it is done, which stops the coroutines the
	// pool keeps: here, 1,000 generators run one after another on a single
	// coroutine, where each would otherwise create one of its own.
	var runners gen.Pool
	defer runners.Close()
	square := func(n int) *gen.Generator[int, gen.None, gen.None] {
		g := gen.New(func(y *gen.Yielder[int, gen.None]) (gen.None, error) {
			_, err := y.Yield(n * n)
			return gen.None{}, err
		})
		g.SetPool(&runners)
		return g
	}
	sum := 0
	for n := range 1000 {
		for v := range square(n).All() {
			sum += v
		}
	}
	fmt.Println(sum)
	// Output: 332833500
}
