// Package fib holds the Fibonacci generator of the lessons, the first
// generator a Python programmer meets:
//
//	def fib():
//	    a, b = 1, 1
//	    while True:
//	        yield a
//	        a, b = b, a + b
//
// # A function that pauses
//
// A function runs to its end and returns once. A generator returns to its
// caller at every yield, keeping its local variables, and continues from
// there when it is asked for the next value. [Fib] is written the same way
// as the Python: a loop that never ends, with a yield in it. It reads as an
// ordinary Go range-over-func sequence, and [gen.FromSeq] turns that
// sequence into a [gen.Generator] that can be stepped with Next, closed,
// and (later in the lessons) delegated to and awaited.
//
// # Two ways to use it
//
// Take the first twenty values, as list(islice(fib(), 20)) does:
//
//	slices.Collect(gen.Take(fib.Fib().All(), 20))
//
// Or run the generator step by step, as next(x) does:
//
//	x := fib.Fib()
//	defer x.Close()
//	for i := range 20 {
//		n, _ := x.Next()
//		fmt.Printf("%8d %8d\n", i, n)
//	}
//
// The generator never ends by itself, so a caller that stops asking for
// values must Close it, or range over All, which closes it when the loop
// stops early (as Take makes it stop); one that is dropped while suspended
// keeps its coroutine (see [gen.Generator]).
//
// The values are ints: with 64-bit ints they are exact up to the 92nd
// value, 7540113804746346429, and the 93rd overflows. Python's integers
// never overflow, so past that point the two differ.
package fib
