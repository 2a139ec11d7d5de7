package pydiff_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/yieldfrom/asyncgo/gen/leaktest"
	"github.com/yieldfrom/asyncgo/gen/pydiff"
)

func TestMain(m *testing.M) { leaktest.Main(m) }

func TestWriteReadAll(t *testing.T) {
	dir := t.TempDir()
	want := []pydiff.Entry{
		{Seed: 2, Program: `{"a":1}`, Python: "def f():\n    pass", Trace: []string{"0 f p1", "end main -> 0"}},
		{Seed: 10, Program: `{}`, Python: "pass"},
	}
	for _, e := range slices.Backward(want) {
		if err := pydiff.Write(dir, e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := pydiff.ReadAll(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ReadAll = %q, want %q", got, want)
	}
}

func TestDiff(t *testing.T) {
	if d := pydiff.Diff([]string{"a", "b"}, []string{"a", "b"}); d != "" {
		t.Errorf("Diff of equal traces = %q, want \"\"", d)
	}
	d := pydiff.Diff([]string{"a", "b"}, []string{"a", "c", "d"})
	for _, want := range []string{"from line 2", "!= b", "| c", "| d"} {
		if !strings.Contains(d, want) {
			t.Errorf("Diff = %q, want it to contain %q", d, want)
		}
	}
}

// A node is a statement for TestVariants: a name and one block.
type node struct {
	name string
	body []node
}

func (n node) String() string {
	if n.body == nil {
		return n.name
	}
	return fmt.Sprintf("%s%v", n.name, n.body)
}

func TestVariants(t *testing.T) {
	b := []node{{name: "a"}, {name: "t", body: []node{{name: "b"}, {name: "c"}}}}
	blocks := func(n node) [][]node { return [][]node{n.body} }
	with := func(n node, _ int, nb []node) node {
		n.body = nb
		return n
	}
	var got []string
	for _, v := range pydiff.Variants(b, blocks, with) {
		got = append(got, fmt.Sprint(v))
	}
	want := []string{
		"[t[b c]]", // a removed
		"[a]",      // t removed
		"[a b c]",  // t replaced by its body
		"[a t[c]]", // b removed from t's body
		"[a t[b]]", // c removed
	}
	if !slices.Equal(got, want) {
		t.Errorf("Variants = %q, want %q", got, want)
	}
}

func TestFuncVariants(t *testing.T) {
	funcs := [][]node{{{name: "a"}, {name: "b"}}, {{name: "c"}}}
	blocks := func(n node) [][]node { return [][]node{n.body} }
	with := func(n node, _ int, nb []node) node {
		n.body = nb
		return n
	}
	tests := []struct {
		name string
		keep func([]node) bool
		want []string
	}{
		{"all", nil, []string{"[[b] [c]]", "[[a] [c]]", "[[a b] []]"}},
		{"kept", func(f []node) bool { return len(f) > 0 }, []string{"[[b] [c]]", "[[a] [c]]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, v := range pydiff.FuncVariants(funcs, blocks, with, tt.keep) {
				got = append(got, fmt.Sprint(v))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("FuncVariants = %q, want %q", got, tt.want)
			}
			if fmt.Sprint(funcs) != "[[a b] [c]]" {
				t.Errorf("FuncVariants changed its argument to %v", funcs)
			}
		})
	}
}
