package chapters

import (
	"errors"
	"fmt"
	"iter"

	"github.com/yieldfrom/asyncgo/gen"
)

func init() {
	Register(Chapter{
		Number: 2,
		Name:   "send-throw-close",
		Title:  "Send, throw and close",
		Examples: []Example{
			{"send", "A running average, fed with Send", run(send)},
			{"slot", "Send in miniature, on iter.Pull", run(slot)},
			{"just-started", "The first resume carries nothing", run(justStarted)},
			{"throw-handled", "Throw, handled by the body", run(throwHandled)},
			{"throw-unhandled", "Throw, not handled", run(throwUnhandled)},
			{"close", "Close runs the deferred calls", run(closePrinter)},
			{"ignored-close", "A body that ignores Close", run(ignoredClose)},
		},
	})
}

// snippet: averager

// averager yields the average of the numbers sent to it so far.
func averager() *gen.Generator[float64, float64, gen.None] {
	return gen.New(func(y *gen.Yielder[float64, float64]) (gen.None, error) {
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
}

// end snippet

func send() {
	// snippet: send
	avg := averager()
	defer avg.Close()
	fmt.Println(avg.Next())
	fmt.Println(avg.Send(10))
	fmt.Println(avg.Send(30))
	fmt.Println(avg.Send(5))
	// end snippet
}

// snippet: minigen

// A miniGen is a generator that can be sent values, in as few lines as
// iter.Pull allows: no Throw, no Close, no return value.
type miniGen[Y, S any] struct {
	next func() (Y, bool)
	stop func()
	slot S // what the next resume sends in
}

var errStopped = errors.New("stopped")

func newMiniGen[Y, S any](body func(yield func(Y) S)) *miniGen[Y, S] {
	g := &miniGen[Y, S]{}
	g.next, g.stop = iter.Pull(func(out func(Y) bool) {
		defer func() {
			if p := recover(); p != nil && p != errStopped {
				panic(p)
			}
		}()
		body(func(v Y) S {
			if !out(v) { // switch out to the caller of next
				panic(errStopped) // stop was called: unwind the body
			}
			return g.slot // resumed: Send filled the slot first
		})
	})
	return g
}

// Send puts v in the slot and resumes the body.
func (g *miniGen[Y, S]) Send(v S) (Y, bool) {
	g.slot = v
	return g.next()
}

// end snippet

func slot() {
	// snippet: slot
	avg := newMiniGen(func(yield func(float64) float64) {
		var total, count, average float64
		for {
			term := yield(average)
			total += term
			count++
			average = total / count
		}
	})
	defer avg.stop()
	fmt.Println(avg.Send(0))
	fmt.Println(avg.Send(10))
	fmt.Println(avg.Send(30))
	fmt.Println(avg.Send(5))
	// end snippet
}

func justStarted() {
	// snippet: just-started
	avg := averager()
	defer avg.Close()
	func() {
		defer func() { fmt.Println("Send panicked:", recover()) }()
		avg.Send(10)
	}()
	fmt.Println(avg.Send(0))
	// end snippet
}

// snippet: counter
var errReset = errors.New("reset")

// counter yields 0, 1, 2, ... and starts again from 0 when errReset is
// thrown into it.
func counter() *gen.Generator[int, gen.None, gen.None] {
	return gen.New(func(y *gen.Yielder[int, gen.None]) (gen.None, error) {
		n := 0
		for {
			_, err := y.Yield(n)
			if errors.Is(err, errReset) {
				fmt.Println("counter: reset")
				n = 0
				continue
			}
			if err != nil {
				return gen.None{}, err
			}
			n++
		}
	})
}

// end snippet

func throwHandled() {
	// snippet: throw-handled
	c := counter()
	defer c.Close()
	for range 3 {
		n, _ := c.Next()
		fmt.Println(n)
	}
	n, _ := c.Throw(errReset)
	fmt.Println("after the reset:", n)
	n, _ = c.Next()
	fmt.Println(n)
	// end snippet
}

func throwUnhandled() {
	// snippet: throw-unhandled
	c := counter()
	n, _ := c.Next()
	fmt.Println(n)
	if _, ok := c.Throw(errors.New("bad input")); !ok {
		_, err := c.Result()
		fmt.Println("Throw ended the generator with", err)
	}
	fmt.Println(c.State())
	// end snippet
}

// snippet: printer

// printer prints every line sent to it.
func printer() *gen.Generator[gen.None, string, gen.None] {
	return gen.New(func(y *gen.Yielder[gen.None, string]) (gen.None, error) {
		fmt.Println("printer: open")
		defer fmt.Println("printer: deferred call")
		for {
			line, err := y.Yield(gen.None{})
			if err != nil {
				fmt.Println("printer: Yield reported", err)
				return gen.None{}, err
			}
			fmt.Println("printer: got", line)
		}
	})
}

// end snippet

func closePrinter() {
	// snippet: close
	p := printer()
	p.Next()
	p.Send("hello")
	p.Send("world")
	fmt.Println("Close returned", p.Close())
	fmt.Println(p.State())
	// end snippet
}

// snippet: stubborn

// stubborn yields again when it is told to close.
func stubborn() *gen.Generator[int, gen.None, gen.None] {
	return gen.New(func(y *gen.Yielder[int, gen.None]) (gen.None, error) {
		defer fmt.Println("stubborn: deferred call")
		if _, err := y.Yield(1); errors.Is(err, gen.ErrGeneratorExit) {
			fmt.Println("stubborn: ignoring", err)
		}
		y.Yield(2)
		fmt.Println("stubborn: never printed")
		return gen.None{}, nil
	})
}

// end snippet

func ignoredClose() {
	// snippet: ignored-close
	s := stubborn()
	s.Next()
	fmt.Println("Close returned", s.Close())
	fmt.Println(s.State())
	// end snippet
}
