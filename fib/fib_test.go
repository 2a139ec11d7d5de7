package fib_test

import (
	"errors"
	"math"
	"testing"

	"github.com/yieldfrom/asyncgo/fib"
	"github.com/yieldfrom/asyncgo/gen"
)

func TestFib(t *testing.T) {
	tests := []struct {
		n    int // position, counting from 1 as the lesson's output does from 0
		want int
	}{
		{1, 1},
		{2, 1},
		{3, 2},
		{4, 3},
		{5, 5},
		{6, 8},
		{7, 13},
		{10, 55},
		{20, 6765},
		{30, 832040},
		{50, 12586269025},
	}
	if math.MaxInt == math.MaxInt64 {
		tests = append(tests, struct{ n, want int }{92, 7540113804746346429})
	}
	for _, tt := range tests {
		x := fib.Fib()
		var got int
		for i := range tt.n {
			n, ok := x.Next()
			if !ok {
				t.Fatalf("Next() #%d = _, false, want a value", i+1)
			}
			got = n
		}
		if got != tt.want {
			t.Errorf("value #%d = %d, want %d", tt.n, got, tt.want)
		}
		if err := x.Close(); err != nil {
			t.Errorf("Close() = %v, want nil", err)
		}
	}
}

// TestFibIndependent checks that each call starts a fresh generator, as each
// call of a Python generator function does.
func TestFibIndependent(t *testing.T) {
	x, y := fib.Fib(), fib.Fib()
	defer x.Close()
	defer y.Close()
	for range 5 {
		x.Next()
	}
	if got, _ := y.Next(); got != 1 {
		t.Errorf("second generator's first Next() = %d, want 1", got)
	}
	if got, _ := x.Next(); got != 8 {
		t.Errorf("first generator's sixth Next() = %d, want 8", got)
	}
}

func TestFibClose(t *testing.T) {
	x := fib.Fib()
	if got := x.State(); got != gen.Created {
		t.Errorf("State() before Next = %v, want %v", got, gen.Created)
	}
	x.Next()
	if got := x.State(); got != gen.Suspended {
		t.Errorf("State() after Next = %v, want %v", got, gen.Suspended)
	}
	if err := x.Close(); err != nil {
		t.Fatalf("Close() = %v, want nil", err)
	}
	if got := x.State(); got != gen.Closed {
		t.Errorf("State() after Close = %v, want %v", got, gen.Closed)
	}
	if _, ok := x.Next(); ok {
		t.Errorf("Next() after Close = _, true, want false")
	}
	if _, err := x.Result(); !errors.Is(err, gen.ErrGeneratorExit) {
		t.Errorf("Result() after Close = _, %v, want %v", err, gen.ErrGeneratorExit)
	}
}
