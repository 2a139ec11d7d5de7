// Package pydiff runs programs under CPython and keeps corpora of their
// traces, for the differential tests of gen and asyncio: each of those
// renders a seeded random program to Python, interprets the same program in
// Go, and compares what the two print.
//
// A tester supplies a prelude, Python code that defines
//
//	def run_program(ns, out): ...
//
// which runs the program whose source was executed in the namespace ns and
// passes each line of its trace to out. [Run] executes many programs in one
// python3 process; [Script] makes one program a script that runs on its
// own, for a failure message.
//
// The corpus of a tester is a directory of files, one per seed, each with
// the program (as JSON), its Python rendering and CPython's trace (see
// [Entry]); the tests replay it without Python. The flags -pydiff.n,
// -pydiff.seed and -pydiff.update say how many fresh programs to compare,
// from which seed, and whether to rewrite the corpus from python3's traces;
// -pydiff.shrink=false skips shrinking the first mismatch. As only the test
// binaries of gen and asyncio know these flags, the environment variables
// PYDIFF_N and PYDIFF_SEED set the first two for a whole run:
//
//	PYDIFF_N=20000 go test -run Differential ./...
//	go test -run TestDifferentialCPython ./asyncio -args -pydiff.seed=4018408 -pydiff.n=1
package pydiff

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	// N is the number of fresh programs a differential test compares with
	// python3: small by default, so that the suite stays fast; thousands
	// to hunt for mismatches.
	N = flag.Int("pydiff.n", int(fromEnv("PYDIFF_N", 200)), "fresh seeded programs each differential test runs in python3 and in Go (default $PYDIFF_N or 200)")
	// Seed is the first seed of the fresh programs.
	Seed = flag.Uint64("pydiff.seed", fromEnv("PYDIFF_SEED", 1_000_000), "first seed of the fresh programs of the differential tests (default $PYDIFF_SEED or 1000000)")
	// Update asks the corpus tests to rewrite their corpus from python3.
	Update = flag.Bool("pydiff.update", false, "rewrite the differential tests' corpus (testdata) from python3's traces")
	// ShrinkFirst asks for the first mismatching program to be shrunk to a
	// small one that still shows a mismatch.
	ShrinkFirst = flag.Bool("pydiff.shrink", true, "shrink the first program whose traces differ, and show the small program")
)

// fromEnv returns the number in the environment variable name, or def if
// it is not set; it panics, naming the variable, if it is not a number.
func fromEnv(name string, def uint64) uint64 {
	v, ok := os.LookupEnv(name)
	if !ok {
		return def
	}
	n, err := strconv.ParseUint(v, 10, 63)
	if err != nil {
		panic(fmt.Sprintf("pydiff: $%s: %v", name, err))
	}
	return n
}

// Python returns the path of python3, or skips t, saying so, when there is
// none on the PATH or it is older than 3.11.7. The preludes need 3.11
// (asyncio.timeout, TaskGroup, ExceptionGroup), and early 3.11 releases
// differ from 3.12, the reference: 3.11.2's timeout turns a cancellation
// into TimeoutError only when the task's count of cancellations drops to
// zero, not back to what it was on entry.
func Python(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("python3")
	if err != nil {
		t.Skipf("no python3 on the PATH (%v): the differential test against CPython does not run; the corpus in testdata still does", err)
	}
	out, err := exec.Command(p, "-c", "import sys; print(sys.version_info >= (3, 11, 7), sys.version.split()[0])").Output()
	if err != nil {
		t.Skipf("%s does not run (%v): the differential test against CPython does not run; the corpus in testdata still does", p, err)
	}
	if ok, version, _ := strings.Cut(strings.TrimSpace(string(out)), " "); ok != "True" {
		t.Skipf("%s is Python %s, not 3.11.7 or later: the differential test against CPython does not run; the corpus in testdata still does", p, version)
	}
	return p
}

// A Program is one program given to Run: an identifier and the Python
// source that defines it.
type Program struct {
	ID     string `json:"id"`
	Source string `json:"source"`
}

// driver reads the programs as JSON from standard input, runs each in a
// namespace of its own (a copy of the prelude's globals), and prints one
// JSON object per program: its id and its trace, or the Python error that
// stopped it.
const driver = `
import json as _json, sys as _sys, traceback as _traceback

def _drive():
    for _p in _json.load(_sys.stdin):
        _lines = []
        _ns = dict(globals())
        try:
            exec(compile(_p["source"], _p["id"], "exec"), _ns)
            run_program(_ns, _lines.append)
        except BaseException:
            _lines.append("python error: " + _traceback.format_exc().replace("\n", " | "))
        print(_json.dumps({"id": _p["id"], "trace": _lines}), flush=True)

_drive()
`

// Run runs progs in one python3 process after prelude and returns the
// trace of each, by ID. A program that raises out of run_program gets a
// trace ending with a line "python error: ..." with its traceback.
func Run(python, prelude string, progs []Program) (map[string][]string, error) {
	in, err := json.Marshal(progs)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "-c", prelude+driver)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("pydiff.Run: %s: %v\n%s", python, err, lastLines(stderr.String(), 20))
	}
	traces := make(map[string][]string, len(progs))
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var r struct {
			ID    string   `json:"id"`
			Trace []string `json:"trace"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("pydiff.Run: bad line from python: %q: %v", sc.Text(), err)
		}
		traces[r.ID] = r.Trace
	}
	if len(traces) != len(progs) {
		return nil, fmt.Errorf("pydiff.Run: python reported %d traces for %d programs", len(traces), len(progs))
	}
	return traces, nil
}

// Script returns a Python script that runs the program of source on its
// own and prints its trace: what a failure message shows, to be run by
// hand.
func Script(prelude, source string) string {
	return prelude + "\n# The program.\n" + source + "\nrun_program(globals(), print)\n"
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// An Entry is one file of a corpus: a seed, the program it generated (as
// its tester's JSON), the program rendered to Python, and the trace
// CPython printed for it.
type Entry struct {
	Seed    uint64
	Program string
	Python  string
	Trace   []string
}

// The corpus file format: a header line with the seed, then sections,
// each introduced by a line "-- name --".
const (
	seedPrefix     = "seed: "
	programSection = "-- program (JSON) --"
	pythonSection  = "-- python --"
	traceSection   = "-- CPython trace --"
)

// Path is where the entry of seed lives in dir.
func Path(dir string, seed uint64) string {
	return filepath.Join(dir, fmt.Sprintf("seed-%d.txt", seed))
}

// Write writes e to its file in dir, creating dir if needed.
func Write(dir string, e Entry) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s%d\n%s\n%s\n%s\n%s\n%s\n", seedPrefix, e.Seed,
		programSection, strings.TrimRight(e.Program, "\n"),
		pythonSection, strings.TrimRight(e.Python, "\n"),
		traceSection)
	for _, l := range e.Trace {
		b.WriteString(l + "\n")
	}
	return os.WriteFile(Path(dir, e.Seed), []byte(b.String()), 0o644)
}

// ReadAll reads every entry of the corpus in dir, in the order of their
// seeds.
func ReadAll(dir string) ([]Entry, error) {
	names, err := filepath.Glob(filepath.Join(dir, "seed-*.txt"))
	if err != nil {
		return nil, err
	}
	var es []Entry
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		e, err := parse(string(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		es = append(es, e)
	}
	slices.SortFunc(es, func(a, b Entry) int {
		switch {
		case a.Seed < b.Seed:
			return -1
		case a.Seed > b.Seed:
			return 1
		}
		return 0
	})
	return es, nil
}

func parse(s string) (Entry, error) {
	var e Entry
	head, rest, ok := strings.Cut(s, "\n")
	if !ok || !strings.HasPrefix(head, seedPrefix) {
		return e, errors.New("no seed line")
	}
	seed, err := strconv.ParseUint(strings.TrimPrefix(head, seedPrefix), 10, 64)
	if err != nil {
		return e, err
	}
	e.Seed = seed
	rest, ok = strings.CutPrefix(rest, programSection+"\n")
	if !ok {
		return e, errors.New("no program section")
	}
	e.Program, rest, ok = strings.Cut(rest, "\n"+pythonSection+"\n")
	if !ok {
		return e, errors.New("no python section")
	}
	e.Python, rest, ok = strings.Cut(rest, "\n"+traceSection+"\n")
	if !ok {
		return e, errors.New("no trace section")
	}
	e.Trace = strings.Split(strings.TrimSuffix(rest, "\n"), "\n")
	if rest == "" {
		e.Trace = nil
	}
	return e, nil
}

// Diff returns the traces side by side from their first difference, or ""
// if they are equal.
func Diff(python, got []string) string {
	if slices.Equal(python, got) {
		return ""
	}
	i := 0
	for i < len(python) && i < len(got) && python[i] == got[i] {
		i++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "traces differ from line %d:\n", i+1)
	for j := range max(len(python), len(got)) {
		p, g := "", ""
		if j < len(python) {
			p = python[j]
		}
		if j < len(got) {
			g = got[j]
		}
		mark := "  "
		if p != g {
			mark = "!="
		}
		fmt.Fprintf(&b, "%3d %s %-44s | %s\n", j+1, mark, p, g)
	}
	return "CPython (left) and Go (right) " + b.String()
}
