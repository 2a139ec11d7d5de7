// Compare runs this module's Go benchmarks and their CPython asyncio
// counterparts side by side and reports them as one table of medians and
// ratios.
//
// Usage, from anywhere inside the module:
//
//	go run ./bench/compare [-runs 5] [-benchtime 200ms] [-bench regexp] [-python python3] [-out bench/results.md] [-quick]
//
// It runs `go test -run '^$' -bench regexp -benchmem -count 1 ./bench/`
// and, when the python command is found, every program of bench/python,
// -runs times each, interleaved (Go run 1, CPython run 1, Go run 2, ...)
// so that a drift of the machine's speed hits both sides alike. It prints
// the table, with the machine it ran on and a check of the performance
// targets of bench/README.md, and writes the same as Markdown to -out and
// as an SVG bar chart (log scale) next to it, with the extension .svg.
//
// Workloads that one side does not have are shown as "—". Every figure
// shown was measured in this run; nothing is carried over from an earlier
// one.
//
// -quick makes one short run (-benchtime 50ms, python --quick), to check in
// CI that everything still runs; its figures are rough.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

func main() {
	log := func(format string, args ...any) { fmt.Fprintf(os.Stderr, "compare: "+format+"\n", args...) }
	if err := run(log); err != nil {
		log("%v", err)
		os.Exit(1)
	}
}

// run does the work of main, reporting progress through log.
func run(log func(string, ...any)) error {
	runs := flag.Int("runs", 5, "run each side `n` times, interleaved")
	benchtime := flag.String("benchtime", "200ms", "the Go benchmarks' -benchtime")
	pattern := flag.String("bench", ".", "run the Go benchmarks that match `regexp`")
	python := flag.String("python", "python3", "the Python interpreter (\"\" to run Go only)")
	out := flag.String("out", "", "write the Markdown table to `file` and the chart next to it (default bench/results.md)")
	quick := flag.Bool("quick", false, "one short run for CI: -runs 1 -benchtime 50ms, python --quick")
	flag.Parse()
	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flag.Args())
	}
	set := make(map[string]bool)
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *quick {
		if !set["runs"] {
			*runs = 1
		}
		if !set["benchtime"] {
			// Not shorter: a benchmark whose first call (b.N = 1) takes
			// longer than -benchtime is reported from that call alone, and
			// Sleep0/tasks=10000's first call spends some 10 ms on the
			// end steps of its 10,000 tasks.
			*benchtime = "50ms"
		}
	}
	if *runs < 1 {
		return fmt.Errorf("-runs %d: want at least 1", *runs)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	if *out == "" {
		*out = filepath.Join(root, "bench", "results.md")
	}
	svgPath := strings.TrimSuffix(*out, filepath.Ext(*out)) + ".svg"

	rep := &Report{Machine: Machine{
		CPU:        cpuModel(),
		CPUs:       runtime.NumCPU(),
		Procs:      runtime.GOMAXPROCS(0),
		GOOS:       runtime.GOOS,
		GOARCH:     runtime.GOARCH,
		Go:         goVersion(ctx),
		Date:       time.Now(),
		LoadBefore: loadAverage(),
	}}

	if load, err := strconv.ParseFloat(rep.Machine.LoadBefore, 64); err == nil && load > float64(rep.Machine.CPUs) {
		log("load average %s on %d CPUs: other work is running, and the figures will be noisy", rep.Machine.LoadBefore, rep.Machine.CPUs)
	}

	var progs []string
	if *python != "" {
		if v, err := pythonVersion(ctx, *python); err != nil {
			rep.Notes = append(rep.Notes, fmt.Sprintf("CPython was not measured: %s did not run (%v).", *python, err))
		} else {
			rep.Machine.Python = v
			if progs, err = pythonPrograms(filepath.Join(root, "bench", "python")); err != nil {
				return err
			}
		}
	}

	var goSide, pySide Samples
	sides := []Side{{
		Name:    "Go",
		Samples: &goSide,
		Run: func(ctx context.Context) ([]Result, error) {
			return goBench(ctx, root, *pattern, *benchtime, rep.Machine.Procs)
		},
	}}
	if len(progs) > 0 {
		sides = append(sides, Side{
			Name:    "CPython",
			Samples: &pySide,
			Run: func(ctx context.Context) ([]Result, error) {
				return pythonBench(ctx, *python, progs, *quick)
			},
		})
	}
	errs, err := interleave(ctx, *runs, sides, log)
	if err != nil {
		return err
	}
	rep.Errors = append(rep.Errors, errs...)
	rep.Machine.LoadAfter = loadAverage()

	rep.Method = method(*runs, *pattern, *benchtime, *python, progs, root, *quick)
	rep.Rows = Rows(&goSide, &pySide)
	rep.Checks = Evaluate(targets, &goSide, &pySide)
	rep.Notes = append(rep.Notes, notes(&goSide, &pySide)...)
	rep.SVG = filepath.Base(svgPath)

	if err := rep.WriteText(os.Stdout); err != nil {
		return err
	}
	if err := writeFile(*out, rep.WriteMarkdown); err != nil {
		return err
	}
	if err := writeFile(svgPath, rep.WriteSVG); err != nil {
		return err
	}
	log("wrote %s and %s", *out, svgPath)
	if len(rep.Errors) > 0 {
		return errors.New("some runs failed: see the errors above")
	}
	return nil
}

// A Side is one side of the comparison: how to run it once, and where its
// results go.
type Side struct {
	Name    string
	Samples *Samples
	Run     func(context.Context) ([]Result, error)
}

// interleave runs every side once, in order, runs times over: Go run 1,
// CPython run 1, Go run 2, ..., so that a drift of the machine's speed
// (another job starting, the CPU's clock changing) hits every side alike
// instead of all the runs of one. It adds each run's results, even those of
// a run that failed in part, to its side's samples, and returns the
// failures as messages. It stops early only when ctx is done.
func interleave(ctx context.Context, runs int, sides []Side, log func(string, ...any)) ([]string, error) {
	var errs []string
	for i := 1; i <= runs; i++ {
		var progress []string
		for _, s := range sides {
			t0 := time.Now()
			rs, err := s.Run(ctx)
			if ctx.Err() != nil {
				return errs, ctx.Err()
			}
			s.Samples.Add(rs)
			if err != nil {
				errs = append(errs, fmt.Sprintf("%s run %d: %v", s.Name, i, err))
			}
			progress = append(progress, fmt.Sprintf("%s %d workloads in %.1fs", s.Name, len(rs), time.Since(t0).Seconds()))
		}
		log("run %d/%d: %s", i, runs, strings.Join(progress, ", "))
	}
	return errs, nil
}

// moduleRoot returns the directory of the go.mod of the module that
// compare runs in.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside a module: run compare from inside github.com/yieldfrom/asyncgo")
	}
	return filepath.Dir(gomod), nil
}

// method describes how the figures were made, for the report's header.
func method(runs int, pattern, benchtime, python string, progs []string, root string, quick bool) []string {
	var m []string
	if runs == 1 {
		m = append(m, "One run of each side; no spread to show.")
	} else {
		m = append(m, fmt.Sprintf("Medians of %d runs of each side, interleaved (Go, CPython, Go, ...) so that drift of the machine hits both alike; Go p25–p75 is the spread of the Go runs.", runs))
	}
	m = append(m, fmt.Sprintf("Go: `go test -run '^$' -bench '%s' -benchmem -count 1 -benchtime %s ./bench/`.", pattern, benchtime))
	if len(progs) > 0 {
		rel := make([]string, len(progs))
		for i, p := range progs {
			if r, err := filepath.Rel(root, p); err == nil {
				p = r
			}
			rel[i] = "`" + python + " " + filepath.ToSlash(p) + map[bool]string{true: " --quick", false: ""}[quick] + "`"
		}
		per := "about 0.3 s"
		if quick {
			per = "about 10 ms"
		}
		m = append(m, fmt.Sprintf("CPython: %s; each workload timed with time.perf_counter_ns for %s.", strings.Join(rel, ", "), per))
	}
	if quick {
		m = append(m, "Quick mode (-quick): rough figures, to check that everything runs.")
	}
	return m
}

// writeFile creates path, and the directories above it, and fills it with
// write.
func writeFile(path string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
