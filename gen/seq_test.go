package gen_test

import (
	"errors"
	"iter"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/yieldfrom/asyncgo/gen"
)

// letters is a sequence of the letters a to e that records when it stops.
func letters(rec *recorder) iter.Seq[string] {
	return func(yield func(string) bool) {
		defer rec.add("seq stopped")
		for _, s := range []string{"a", "b", "c", "d", "e"} {
			if !yield(s) {
				return
			}
		}
	}
}

func TestFromSeq(t *testing.T) {
	tests := []struct {
		name       string
		ops        func(g *gen.Generator[string, gen.None, gen.None]) []string
		want       []string
		wantRec    []string
		wantErr    error
		wantClosed bool
	}{
		{
			name: "all values",
			ops: func(g *gen.Generator[string, gen.None, gen.None]) []string {
				return slices.Collect(g.All())
			},
			want:       []string{"a", "b", "c", "d", "e"},
			wantRec:    []string{"seq stopped"},
			wantErr:    nil,
			wantClosed: true,
		},
		{
			name: "sent values are ignored",
			ops: func(g *gen.Generator[string, gen.None, gen.None]) []string {
				a, _ := g.Next()
				b, _ := g.Send(gen.None{})
				return []string{a, b}
			},
			want: []string{"a", "b"},
		},
		{
			name: "throw stops the sequence",
			ops: func(g *gen.Generator[string, gen.None, gen.None]) []string {
				a, _ := g.Next()
				b, ok := g.Throw(errBoom)
				if ok {
					return []string{a, b}
				}
				return []string{a}
			},
			want:       []string{"a"},
			wantRec:    []string{"seq stopped"},
			wantErr:    errBoom,
			wantClosed: true,
		},
		{
			name: "close stops the sequence",
			ops: func(g *gen.Generator[string, gen.None, gen.None]) []string {
				a, _ := g.Next()
				if err := g.Close(); err != nil {
					return []string{a, err.Error()}
				}
				return []string{a}
			},
			want:       []string{"a"},
			wantRec:    []string{"seq stopped"},
			wantErr:    gen.ErrGeneratorExit,
			wantClosed: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			g := gen.FromSeq(letters(rec))
			defer g.Close()
			if diff := cmp.Diff(tt.want, tt.ops(g)); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantRec, rec.events); diff != "" {
				t.Errorf("sequence recorded (-want +got):\n%s", diff)
			}
			if !tt.wantClosed {
				if got := g.State(); got != gen.Suspended {
					t.Errorf("State() = %v, want %v", got, gen.Suspended)
				}
				return
			}
			if _, err := g.Result(); !errors.Is(err, tt.wantErr) {
				t.Errorf("Result() error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// TestAllStopsEarly checks that a range over All that stops before the
// generator has ended closes the generator, as Go iterators clean up after
// themselves: the body sees ErrGeneratorExit and its deferred calls run on
// the ranging goroutine before the range statement is over, however the
// loop stopped, and Result reports how the close went.
func TestAllStopsEarly(t *testing.T) {
	// body yields 0, 1, 2, ... and ends as closing tells it to.
	body := func(rec *recorder, closing func(err error) error) intBody {
		return func(y *gen.Yielder[int, int]) (string, error) {
			defer rec.add("deferred")
			for i := 0; ; i++ {
				if _, err := y.Yield(i); err != nil {
					rec.add("yield: %v", err)
					return "", closing(err)
				}
			}
		}
	}
	handBack := func(err error) error { return err }
	tests := []struct {
		name    string
		closing func(err error) error
		loop    func(g *intGen, rec *recorder) // ranges over g.All() and stops at 2
		want    []string
		wantErr error // what Result reports afterwards
	}{
		{
			name:    "break",
			closing: handBack,
			loop: func(g *intGen, rec *recorder) {
				for v := range g.All() {
					rec.add("got %d", v)
					if v == 2 {
						break
					}
				}
				rec.add("after the loop")
			},
			want:    []string{"got 0", "got 1", "got 2", "yield: generator exit", "deferred", "after the loop"},
			wantErr: gen.ErrGeneratorExit,
		},
		{
			name:    "return",
			closing: handBack,
			loop: func(g *intGen, rec *recorder) {
				func() {
					defer rec.add("returned")
					for v := range g.All() {
						if v == 2 {
							return
						}
					}
				}()
			},
			want:    []string{"yield: generator exit", "deferred", "returned"},
			wantErr: gen.ErrGeneratorExit,
		},
		{
			name:    "panic",
			closing: handBack,
			loop: func(g *intGen, rec *recorder) {
				p := catch(func() {
					for v := range g.All() {
						if v == 2 {
							panic("oops")
						}
					}
				})
				rec.add("recovered %v", p)
			},
			want:    []string{"yield: generator exit", "deferred", "recovered oops"},
			wantErr: gen.ErrGeneratorExit,
		},
		{
			name:    "runtime.Goexit",
			closing: handBack,
			loop: func(g *intGen, rec *recorder) {
				done := make(chan struct{})
				go func() {
					defer close(done)
					for v := range g.All() {
						if v == 2 {
							runtime.Goexit()
						}
					}
				}()
				<-done
				rec.add("goroutine exited")
			},
			want:    []string{"yield: generator exit", "deferred", "goroutine exited"},
			wantErr: gen.ErrGeneratorExit,
		},
		{
			name:    "Take",
			closing: handBack,
			loop: func(g *intGen, rec *recorder) {
				rec.add("took %v", slices.Collect(gen.Take(g.All(), 3)))
			},
			want:    []string{"yield: generator exit", "deferred", "took [0 1 2]"},
			wantErr: gen.ErrGeneratorExit,
		},
		{
			name:    "body fails while closed",
			closing: func(error) error { return errCleanup },
			loop: func(g *intGen, rec *recorder) {
				for v := range g.All() {
					if v == 2 {
						break
					}
				}
				rec.add("after the loop")
			},
			want:    []string{"yield: generator exit", "deferred", "after the loop"},
			wantErr: errCleanup,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			g := gen.New(body(rec, tt.closing))
			tt.loop(g, rec)
			got := slices.DeleteFunc(rec.events, func(e string) bool {
				return tt.name != "break" && strings.HasPrefix(e, "got ")
			})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			if s := g.State(); s != gen.Closed {
				t.Errorf("State() after the loop = %v, want %v", s, gen.Closed)
			}
			if _, err := g.Result(); !errors.Is(err, tt.wantErr) {
				t.Errorf("Result() error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// TestAllIgnoredClose checks that a body that yields again when the loop
// over All stopped early is unwound, as Close unwinds it, and that Result
// reports ErrIgnoredClose.
func TestAllIgnoredClose(t *testing.T) {
	rec := &recorder{}
	g := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
		defer rec.add("deferred")
		for i := 0; ; i++ {
			_, _ = y.Yield(i)
		}
	})
	for v := range g.All() {
		if v == 2 {
			break
		}
	}
	if diff := cmp.Diff([]string{"deferred"}, rec.events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if _, err := g.Result(); !errors.Is(err, gen.ErrIgnoredClose) {
		t.Errorf("Result() error = %v, want %v", err, gen.ErrIgnoredClose)
	}
}

// TestAllCarriesOn checks that All starts where earlier resumes left the
// generator, and that a loop that runs to the generator's end leaves its
// result alone.
func TestAllCarriesOn(t *testing.T) {
	g := gen.New(countTo(5))
	if v, ok := g.Next(); v != 0 || !ok {
		t.Fatalf("Next() = %d, %t, want 0, true", v, ok)
	}
	if diff := cmp.Diff([]int{1, 2, 3, 4}, slices.Collect(g.All())); diff != "" {
		t.Errorf("values of the range (-want +got):\n%s", diff)
	}
	if r, err := g.Result(); r != "done" || err != nil {
		t.Errorf("Result() = %q, %v, want %q, <nil>", r, err, "done")
	}
}

func TestTake(t *testing.T) {
	tests := []struct {
		name string
		n    int
		want []int
		// pulled is how many values the body yielded: Take must not pull
		// a value it does not pass on.
		pulled int
		// wantState is the generator's state once Take is done with it:
		// untouched when Take takes nothing, and closed otherwise, by the
		// end of its body or by All when Take stopped ranging over it.
		wantState gen.State
	}{
		{"negative", -1, nil, 0, gen.Created},
		{"zero", 0, nil, 0, gen.Created},
		{"fewer", 2, []int{0, 1}, 2, gen.Closed},
		{"exactly", 4, []int{0, 1, 2, 3}, 4, gen.Closed},
		{"more than there are", 10, []int{0, 1, 2, 3}, 4, gen.Closed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pulled := 0
			g := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
				for i := range 4 {
					pulled++
					if _, err := y.Yield(i); err != nil {
						return "", err
					}
				}
				return "done", nil
			})
			defer g.Close()
			got := slices.Collect(gen.Take(g.All(), tt.n))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Take(g.All(), %d) (-want +got):\n%s", tt.n, diff)
			}
			if pulled != tt.pulled {
				t.Errorf("values the body yielded for Take(g.All(), %d) = %d, want %d", tt.n, pulled, tt.pulled)
			}
			if s := g.State(); s != tt.wantState {
				t.Errorf("State() after Take(g.All(), %d) = %v, want %v", tt.n, s, tt.wantState)
			}
		})
	}
}

// fib yields the Fibonacci numbers for ever.
func fib() *gen.Generator[int, gen.None, gen.None] {
	return gen.New(func(y *gen.Yielder[int, gen.None]) (gen.None, error) {
		a, b := 0, 1
		for {
			if _, err := y.Yield(a); err != nil {
				return gen.None{}, err
			}
			a, b = b, a+b
		}
	})
}

// TestTakeIslice checks the one-liner for Python's list(islice(fib(), 20)).
func TestTakeIslice(t *testing.T) {
	g := fib()
	defer g.Close()
	got := slices.Collect(gen.Take(g.All(), 20))
	want := []int{0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("slices.Collect(gen.Take(fib().All(), 20)) (-want +got):\n%s", diff)
	}
}

// TestAllRunning checks that ranging over a generator that is running (its
// own body does it, or it runs inline in a YieldFrom) panics with
// ErrRunning once, as Next does, and does not close the generator.
func TestAllRunning(t *testing.T) {
	var self *intGen
	var p any
	self = gen.New(func(y *gen.Yielder[int, int]) (string, error) {
		p = catch(func() {
			for range self.All() {
			}
		})
		return countTo(2)(y)
	})
	defer self.Close()
	if v, ok := self.Next(); v != 0 || !ok {
		t.Fatalf("Next() = %d, %t, want 0, true", v, ok)
	}
	if !panicWraps(p, gen.ErrRunning) {
		t.Errorf("ranging over its own generator from the body panicked with %v, want an error wrapping ErrRunning", p)
	}

	sub := gen.New(countTo(2))
	host := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
		return gen.YieldFrom(y, sub)
	})
	defer host.Close()
	host.Next()
	p = catch(func() {
		for range sub.All() {
		}
	})
	if !panicWraps(p, gen.ErrRunning) || !strings.HasPrefix(p.(error).Error(), "gen.Send: ") {
		t.Errorf("ranging over a generator run inline panicked with %v, want Next's error wrapping ErrRunning", p)
	}
	if v, ok := host.Next(); v != 1 || !ok {
		t.Errorf("host.Next() after the range = %d, %t, want 1, true", v, ok)
	}
}
