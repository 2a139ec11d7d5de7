package fib

import "github.com/yieldfrom/asyncgo/gen"

// Fib returns a new generator of the Fibonacci numbers 1, 1, 2, 3, 5, ...:
// the lesson's fib(). It never ends by itself; Close it when done. Each call
// returns an independent generator that starts from the beginning.
func Fib() *gen.Generator[int, gen.None, gen.None] {
	return gen.FromSeq(func(yield func(int) bool) {
		a, b := 1, 1
		for {
			if !yield(a) {
				return
			}
			a, b = b, a+b
		}
	})
}
