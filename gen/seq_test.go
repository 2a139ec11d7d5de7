package gen_test

import (
	"errors"
	"iter"
	"slices"
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

// TestAllBreak checks that breaking out of a range over All leaves the
// generator suspended where it was, as breaking out of a Python for loop
// does, so that the next Next carries on.
func TestAllBreak(t *testing.T) {
	g := gen.New(countTo(5))
	defer g.Close()
	var got []int
	for v := range g.All() {
		got = append(got, v)
		if v == 2 {
			break
		}
	}
	if diff := cmp.Diff([]int{0, 1, 2}, got); diff != "" {
		t.Errorf("values before the break (-want +got):\n%s", diff)
	}
	if s := g.State(); s != gen.Suspended {
		t.Errorf("State() after the break = %v, want %v", s, gen.Suspended)
	}
	if v, ok := g.Next(); v != 3 || !ok {
		t.Errorf("Next() after the break = %d, %t, want 3, true", v, ok)
	}
	if diff := cmp.Diff([]int{4}, slices.Collect(g.All())); diff != "" {
		t.Errorf("values of a second range (-want +got):\n%s", diff)
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
		// wantNext is what the generator yields after Take is done with
		// it: Take must not pull a value it does not pass on.
		wantNext outcome
	}{
		{"negative", -1, nil, outcome{v: 0, ok: true}},
		{"zero", 0, nil, outcome{v: 0, ok: true}},
		{"fewer", 2, []int{0, 1}, outcome{v: 2, ok: true}},
		{"exactly", 4, []int{0, 1, 2, 3}, outcome{}},
		{"more than there are", 10, []int{0, 1, 2, 3}, outcome{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := gen.New(countTo(4))
			defer g.Close()
			got := slices.Collect(gen.Take(g.All(), tt.n))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Take(g.All(), %d) (-want +got):\n%s", tt.n, diff)
			}
			if out := apply(g, opNext); out != tt.wantNext {
				t.Errorf("after Take(g.All(), %d), %s, want %d, %t", tt.n, describe(opNext, out), tt.wantNext.v, tt.wantNext.ok)
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
