package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/gen"
)

// ticker is the async generator of the tests: it yields 0..n-1, sleeping a
// second after each, and logs what happens to it.
func ticker(n int, log *[]string) *asyncio.AsyncGenerator[int, string] {
	return asyncio.NewAsyncGenerator(func(a *asyncio.A, yield func(int) (string, error)) error {
		defer func() { *log = append(*log, "cleanup") }()
		for i := range n {
			sent, err := yield(i)
			if err != nil {
				*log = append(*log, "yield: "+err.Error())
				if errors.Is(err, gen.ErrGeneratorExit) {
					return err
				}
				continue
			}
			if sent != "" {
				*log = append(*log, "sent "+sent)
			}
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return err
			}
		}
		return nil
	})
}

func runAgen(t *testing.T, body func(a *asyncio.A) error) {
	t.Helper()
	if _, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		return struct{}{}, body(a)
	}), asyncio.WithVirtualTime(), asyncio.WithStrictLeaks()); err != nil {
		t.Fatalf("Run() error = %v", err)
	}
}

func TestAsyncGeneratorAll(t *testing.T) {
	var log []string
	var got []string
	runAgen(t, func(a *asyncio.A) error {
		start := asyncio.GetRunningLoop(a).Time()
		for v, err := range ticker(3, &log).All(a) {
			if err != nil {
				return err
			}
			got = append(got, fmt.Sprintf("%d@%v", v, asyncio.GetRunningLoop(a).Time().Sub(start)))
		}
		return nil
	})
	if diff := cmp.Diff([]string{"0@0s", "1@1s", "2@2s"}, got); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"cleanup"}, log); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}

func TestAsyncGeneratorProtocol(t *testing.T) {
	var log []string
	runAgen(t, func(a *asyncio.A) error {
		ag := ticker(5, &log)
		if _, err := ag.ASend(a, "early"); !errors.Is(err, gen.ErrJustStarted) {
			return fmt.Errorf("ASend(early) to a just-started generator = %v, want an error wrapping gen.ErrJustStarted", err)
		}
		if v, err := ag.ANext(a); v != 0 || err != nil {
			return fmt.Errorf("ANext() = %d, %v, want 0, nil", v, err)
		}
		if v, err := ag.ASend(a, "hello"); v != 1 || err != nil {
			return fmt.Errorf("ASend(hello) = %d, %v, want 1, nil", v, err)
		}
		if v, err := ag.AThrow(a, errors.New("handled")); v != 2 || err != nil {
			return fmt.Errorf("AThrow(handled) = %d, %v, want 2, nil (the body continues)", v, err)
		}
		if err := ag.AClose(a); err != nil {
			return fmt.Errorf("AClose() = %v", err)
		}
		if _, err := ag.ANext(a); !errors.Is(err, asyncio.ErrStopAsyncIteration) {
			return fmt.Errorf("ANext() after AClose = %v, want ErrStopAsyncIteration", err)
		}
		return ag.AClose(a)
	})
	want := []string{"sent hello", "yield: handled", "yield: generator exit", "cleanup"}
	if diff := cmp.Diff(want, log); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}

func TestAsyncGeneratorFailure(t *testing.T) {
	boom := errors.New("boom")
	runAgen(t, func(a *asyncio.A) error {
		ag := asyncio.NewAsyncGenerator(func(a *asyncio.A, yield func(int) (struct{}, error)) error {
			if _, err := yield(1); err != nil {
				return err
			}
			return boom
		})
		var got []int
		var last error
		for v, err := range ag.All(a) {
			if err != nil {
				last = err
				break
			}
			got = append(got, v)
		}
		if !errors.Is(last, boom) || !cmp.Equal(got, []int{1}) {
			return fmt.Errorf("range = %v then %v, want [1] then boom", got, last)
		}
		if _, err := ag.ANext(a); !errors.Is(err, asyncio.ErrStopAsyncIteration) {
			return fmt.Errorf("ANext() after failure = %v, want ErrStopAsyncIteration", err)
		}
		return nil
	})
}

func TestAsyncGeneratorIgnoredExit(t *testing.T) {
	runAgen(t, func(a *asyncio.A) error {
		ag := asyncio.NewAsyncGenerator(func(a *asyncio.A, yield func(int) (struct{}, error)) error {
			for i := 0; ; i++ {
				yield(i) // ignores every error, even the close
			}
		})
		if _, err := ag.ANext(a); err != nil {
			return err
		}
		if err := ag.AClose(a); !errors.Is(err, asyncio.ErrAsyncGenIgnoredExit) {
			return fmt.Errorf("AClose() = %v, want ErrAsyncGenIgnoredExit", err)
		}
		return nil
	})
}

func TestAsyncGeneratorAwaitsWhileClosing(t *testing.T) {
	var log []string
	runAgen(t, func(a *asyncio.A) error {
		ag := asyncio.NewAsyncGenerator(func(a *asyncio.A, yield func(int) (struct{}, error)) error {
			defer func() {
				// Cleanup may await, as an async finally block can.
				if err := asyncio.Sleep(a, time.Second); err == nil {
					log = append(log, "slept while closing")
				}
			}()
			_, err := yield(1)
			return err
		})
		if _, err := ag.ANext(a); err != nil {
			return err
		}
		return ag.AClose(a)
	})
	if diff := cmp.Diff([]string{"slept while closing"}, log); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}

func TestAclosing(t *testing.T) {
	var log []string
	runAgen(t, func(a *asyncio.A) error {
		ag := ticker(10, &log)
		return asyncio.Aclosing(a, ag, func() error {
			for v := range ag.All(a) {
				if v == 1 {
					break
				}
			}
			return nil
		})
	})
	if diff := cmp.Diff([]string{"yield: generator exit", "cleanup"}, log); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}

// TestRunClosesAsyncGenerators checks that Run closes an async generator
// left suspended when main returns, as asyncio.run's shutdown_asyncgens.
func TestRunClosesAsyncGenerators(t *testing.T) {
	var log []string
	runAgen(t, func(a *asyncio.A) error {
		for v := range ticker(10, &log).All(a) {
			if v == 2 {
				break
			}
		}
		log = append(log, "main returns")
		return nil
	})
	if diff := cmp.Diff([]string{"main returns", "yield: generator exit", "cleanup"}, log); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}

func TestAsyncGeneratorRunning(t *testing.T) {
	runAgen(t, func(a *asyncio.A) error {
		var ag *asyncio.AsyncGenerator[int, struct{}]
		var inner error
		ag = asyncio.NewAsyncGenerator(func(a *asyncio.A, yield func(int) (struct{}, error)) error {
			_, inner = ag.ANext(a)
			_, err := yield(1)
			return err
		})
		if _, err := ag.ANext(a); err != nil {
			return err
		}
		if !errors.Is(inner, asyncio.ErrAsyncGenRunning) {
			return fmt.Errorf("ANext from inside the body = %v, want ErrAsyncGenRunning", inner)
		}
		return ag.AClose(a)
	})
}

func ExampleNewAsyncGenerator() {
	ticker := func(n int) *asyncio.AsyncGenerator[int, struct{}] {
		return asyncio.NewAsyncGenerator(func(a *asyncio.A, yield func(int) (struct{}, error)) error {
			for i := range n {
				if _, err := yield(i); err != nil {
					return err
				}
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return err
				}
			}
			return nil
		})
	}
	asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		for v, err := range ticker(3).All(a) {
			if err != nil {
				return struct{}{}, err
			}
			fmt.Println("tick", v)
		}
		return struct{}{}, nil
	}), asyncio.WithVirtualTime())
	// Output:
	// tick 0
	// tick 1
	// tick 2
}
