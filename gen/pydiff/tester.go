package pydiff

import (
	"fmt"
	"strings"
	"testing"
)

// A Tester is one differential test: how to make a program from a seed and
// how to run it in Go.
type Tester struct {
	// Prelude is the Python code every program runs after (see the package
	// doc).
	Prelude string
	// Dir is the corpus directory, testdata/something.
	Dir string
	// CorpusSeeds are the seeds that -pydiff.update writes to the corpus.
	CorpusSeeds []uint64
	// Generate returns the program of seed, as JSON.
	Generate func(seed uint64) (program string)
	// Python renders a program as Python source.
	Python func(program string) string
	// Interpret runs a program in Go and returns its trace.
	Interpret func(program string) ([]string, error)
	// Shrink returns the programs one step simpler than program (see
	// Variants), to find a small program that shows a mismatch.
	Shrink func(program string) []string
}

// TestCorpus replays every entry of the corpus in Go and compares the trace
// with CPython's; with -pydiff.update it first rewrites the corpus from
// python3 (and fails if there is none).
func (tr Tester) TestCorpus(t *testing.T) {
	if *Update {
		tr.update(t)
	}
	es, err := ReadAll(tr.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) == 0 {
		t.Fatalf("no corpus in %s: run go test with -pydiff.update where python3 is", tr.Dir)
	}
	for _, e := range es {
		got, err := tr.Interpret(e.Program)
		if err != nil {
			t.Errorf("seed %d: %v", e.Seed, err)
			continue
		}
		if d := Diff(e.Trace, got); d != "" {
			t.Errorf("seed %d (%s): Go's trace is not CPython's.\nProgram:\n%s\n%s",
				e.Seed, Path(tr.Dir, e.Seed), e.Python, d)
		}
	}
	if t.Failed() {
		t.Logf("the programs run after this prelude:\n%s", tr.Prelude)
	}
}

func (tr Tester) update(t *testing.T) {
	python := Python(t)
	entries := make([]Entry, len(tr.CorpusSeeds))
	progs := make([]Program, len(tr.CorpusSeeds))
	for i, seed := range tr.CorpusSeeds {
		e := &entries[i]
		e.Seed = seed
		e.Program = tr.Generate(seed)
		e.Python = tr.Python(e.Program)
		progs[i] = Program{ID: fmt.Sprint(seed), Source: e.Python}
	}
	traces, err := Run(python, tr.Prelude, progs)
	if err != nil {
		t.Fatal(err)
	}
	for i := range entries {
		e := &entries[i]
		e.Trace = traces[progs[i].ID]
		if pythonFailed(e.Trace) {
			t.Fatalf("seed %d: %s", e.Seed, e.Trace[len(e.Trace)-1])
		}
		if err := Write(tr.Dir, *e); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFresh compares N fresh programs, from seed Seed on, in python3 and in
// Go; it skips when there is no python3.
func (tr Tester) TestFresh(t *testing.T) {
	python := Python(t)
	n := *N
	progs := make([]Program, n)
	json := make([]string, n)
	for i := range n {
		seed := *Seed + uint64(i)
		json[i] = tr.Generate(seed)
		progs[i] = Program{ID: fmt.Sprint(seed), Source: tr.Python(json[i])}
	}
	traces, err := Run(python, tr.Prelude, progs)
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for i, p := range progs {
		want := traces[p.ID]
		if pythonFailed(want) {
			t.Errorf("seed %s: the program fails in Python: %s\n%s", p.ID, want[len(want)-1], Script(tr.Prelude, p.Source))
			continue
		}
		got, err := tr.Interpret(json[i])
		if err != nil {
			t.Errorf("seed %s: %v", p.ID, err)
			continue
		}
		if d := Diff(want, got); d != "" {
			failed++
			switch {
			case failed == 1 && *ShrinkFirst:
				small, sd := tr.shrink(t, python, json[i], d)
				t.Errorf("seed %s: Go's trace is not CPython's.\nProgram:\n%s\n%s\nShrunk to (-pydiff.shrink=false to skip this):\n%s\nAs JSON: %s\n%s",
					p.ID, p.Source, d, tr.Python(small), small, sd)
			case failed <= 5:
				t.Errorf("seed %s: Go's trace is not CPython's.\nProgram:\n%s\n%s", p.ID, p.Source, d)
			default:
				t.Errorf("seed %s: Go's trace is not CPython's (program not shown)", p.ID)
			}
		}
	}
	t.Logf("%d programs from seed %d compared with %s: %d differ", n, *Seed, python, failed)
	if failed > 0 {
		t.Logf("the programs run after this prelude:\n%s", tr.Prelude)
	}
}

// shrink returns the smallest program it finds, one simpler variant at a
// time, whose traces still differ, and their Diff (d for program itself).
func (tr Tester) shrink(t *testing.T, python, program, d string) (string, string) {
	for {
		vs := tr.Shrink(program)
		if len(vs) == 0 {
			return program, d
		}
		progs := make([]Program, len(vs))
		for i, v := range vs {
			progs[i] = Program{ID: fmt.Sprint(i), Source: tr.Python(v)}
		}
		traces, err := Run(python, tr.Prelude, progs)
		if err != nil {
			t.Logf("shrinking stopped: %v", err)
			return program, d
		}
		found := false
		for i, v := range vs {
			want := traces[progs[i].ID]
			if pythonFailed(want) {
				continue // not a valid program: a variant may break one
			}
			got, err := tr.Interpret(v)
			if err != nil {
				continue
			}
			if vd := Diff(want, got); vd != "" {
				program, d, found = v, vd, true
				break
			}
		}
		if !found {
			return program, d
		}
	}
}

func pythonFailed(trace []string) bool {
	return len(trace) > 0 && strings.HasPrefix(trace[len(trace)-1], "python error: ")
}
