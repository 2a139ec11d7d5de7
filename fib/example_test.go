package fib_test

import (
	"fmt"
	"slices"

	"github.com/yieldfrom/asyncgo/fib"
	"github.com/yieldfrom/asyncgo/gen"
)

// The lesson's
//
//	from itertools import islice
//	list(islice(fib(), 20))
func Example_islice() {
	x := fib.Fib()
	defer x.Close()
	fmt.Println(slices.Collect(gen.Take(x.All(), 20)))
	// Output:
	// [1 1 2 3 5 8 13 21 34 55 89 144 233 377 610 987 1597 2584 4181 6765]
}

// The lesson's
//
//	x = fib()
//	for i in range(20):
//	    n = next(x)
//	    print(f"{i:8} {n:8}")
func Example_steps() {
	x := fib.Fib()
	defer x.Close()
	for i := range 20 {
		n, _ := x.Next()
		fmt.Printf("%8d %8d\n", i, n)
	}
	// Output:
	//        0        1
	//        1        1
	//        2        2
	//        3        3
	//        4        5
	//        5        8
	//        6       13
	//        7       21
	//        8       34
	//        9       55
	//       10       89
	//       11      144
	//       12      233
	//       13      377
	//       14      610
	//       15      987
	//       16     1597
	//       17     2584
	//       18     4181
	//       19     6765
}
