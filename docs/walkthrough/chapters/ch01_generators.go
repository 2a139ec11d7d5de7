package chapters

import (
	"fmt"
	"iter"
	"slices"

	"github.com/yieldfrom/asyncgo/fib"
	"github.com/yieldfrom/asyncgo/gen"
)

func init() {
	Register(Chapter{
		Number: 1,
		Name:   "generators",
		Title:  "Generators",
		Examples: []Example{
			{"pause", "A function that pauses", run(pause)},
			{"islice", "The first 20 Fibonacci numbers", run(fibIslice)},
			{"step", "Stepping with Next", run(fibStep)},
			{"pull", "Underneath: iter.Pull", run(pull)},
		},
	})
}

// run adapts an example that cannot fail and ignores the options.
func run(f func()) func(Options) error {
	return func(Options) error { f(); return nil }
}

// snippet: pausing

func pausing() *gen.Generator[int, gen.None, gen.None] {
	return gen.New(func(y *gen.Yielder[int, gen.None]) (gen.None, error) {
		fmt.Println("pausing: started")
		if _, err := y.Yield(1); err != nil {
			return gen.None{}, err
		}
		fmt.Println("pausing: continues where it left off")
		if _, err := y.Yield(2); err != nil {
			return gen.None{}, err
		}
		fmt.Println("pausing: done")
		return gen.None{}, nil
	})
}

// end snippet

func pause() {
	// snippet: pause
	x := pausing()
	fmt.Println("caller: created it, state", x.State())
	n, _ := x.Next()
	fmt.Println("caller: got", n, "state", x.State())
	fmt.Println("caller: does some work")
	n, _ = x.Next()
	fmt.Println("caller: got", n)
	if _, ok := x.Next(); !ok {
		fmt.Println("caller: it is finished, state", x.State())
	}
	// end snippet
}

func fibIslice() {
	// snippet: islice
	fmt.Println(slices.Collect(gen.Take(fib.Fib().All(), 20)))
	// end snippet
}

func fibStep() {
	// snippet: step
	x := fib.Fib()
	defer x.Close()
	for i := range 20 {
		n, _ := x.Next()
		fmt.Printf("%8d %8d\n", i, n)
	}
	// end snippet
}

func pull() {
	// snippet: pull
	next, stop := iter.Pull(func(yield func(int) bool) {
		fmt.Println("body: started")
		if !yield(1) {
			return
		}
		fmt.Println("body: continues where it left off")
		if !yield(2) {
			return
		}
		fmt.Println("body: done")
	})
	defer stop()
	fmt.Println("caller: nothing ran yet")
	for {
		v, ok := next()
		if !ok {
			break
		}
		fmt.Println("caller: got", v)
	}
	fmt.Println("caller: finished")
	// end snippet
}
