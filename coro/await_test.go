package coro_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/yieldfrom/asyncgo/coro"
)

// A needBoth is a user-defined awaitable: it asks its driver for two values
// with requests of its own type, and returns their sum.
type needBoth struct{ a, b string }

// A need is needBoth's suspension request: the name of a value it wants the
// driver to send in.
type need string

func (n needBoth) Await(h *coro.Handle) (int, error) {
	a, err := h.Suspend(need(n.a))
	if err != nil {
		return 0, err
	}
	b, err := h.Suspend(need(n.b))
	if err != nil {
		return 0, err
	}
	return a.(int) + b.(int), nil
}

func TestAwaitUserAwaitable(t *testing.T) {
	// The awaitable is awaited from a coroutine that is itself awaited, so
	// that its requests have to come out through a chain.
	area := coro.New(func(h *coro.Handle) (int, error) {
		sum, err := coro.Await(h, needBoth{"width", "height"})
		return 2 * sum, err
	})
	top := coro.New(func(h *coro.Handle) (int, error) {
		return coro.Await(h, area)
	})

	values := map[need]int{"width": 3, "height": 4}
	var asked []need
	req, ok := top.Send(nil)
	for ok {
		n, isNeed := req.(need)
		if !isNeed {
			t.Fatalf("request = %v (%T), want a need", req, req)
		}
		asked = append(asked, n)
		req, ok = top.Send(values[n])
	}
	if want := []need{"width", "height"}; !slices.Equal(asked, want) {
		t.Errorf("requests = %q, want %q", asked, want)
	}
	if v, err := top.Result(); v != 14 || err != nil {
		t.Errorf("Result() = %d, %v, want 14, nil", v, err)
	}
}

func TestAwaitUserAwaitableThrow(t *testing.T) {
	var awaitErr error
	top := coro.New(func(h *coro.Handle) (int, error) {
		var v int
		v, awaitErr = coro.Await(h, needBoth{"width", "height"})
		return v, awaitErr
	})
	top.Send(nil)
	if req, ok := top.Send(3); !ok || req != need("height") {
		t.Fatalf("Send(3) = %v, %t, want height, true", req, ok)
	}
	if _, ok := top.Throw(errBoom); ok {
		t.Fatal("Throw(errBoom) = _, true, want the coroutine to end")
	}
	if awaitErr != errBoom {
		t.Errorf("await = _, %v, want %v itself", awaitErr, errBoom)
	}
	if _, err := top.Result(); !errors.Is(err, errBoom) {
		t.Errorf("Result() error = %v, want %v", err, errBoom)
	}
}
