package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strconv"
	"strings"
)

// A Result is one workload's figures from one run of one side: each value
// keyed by its unit, as "ns/op", "B/op", "allocs/op", "B/task".
type Result struct {
	Name    string
	Metrics map[string]float64
}

// The units every Go benchmark run with -benchmem reports. Any other unit
// is a custom metric (b.ReportMetric), which becomes the benchmark's
// primary figure: see primaryUnit.
const (
	unitNsOp     = "ns/op"
	unitBOp      = "B/op"
	unitAllocsOp = "allocs/op"
)

// goBench runs the Go benchmarks of dir's bench package once and returns
// what they reported. An error comes with whatever results were parsed
// before it, so that one failing benchmark does not hide the others.
func goBench(ctx context.Context, dir, pattern, benchtime string, procs int) ([]Result, error) {
	args := []string{"test", "-run", "^$", "-bench", pattern, "-benchmem", "-count", "1"}
	if benchtime != "" {
		args = append(args, "-benchtime", benchtime)
	}
	args = append(args, "./bench/")
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	results, perr := parseGoBench(&stdout, procs)
	if err != nil {
		return results, fmt.Errorf("go %s: %v\n%s%s", strings.Join(args, " "), err, tail(stdout.String(), 20), tail(stderr.String(), 20))
	}
	return results, perr
}

// parseGoBench reads the output of go test -bench and returns one Result
// per benchmark line, in order, named without the "Benchmark" prefix and
// without the "-N" suffix that go test adds when GOMAXPROCS, procs, is not
// 1: "BenchmarkSleep0/tasks=1-2" becomes "Sleep0/tasks=1".
//
// A benchmark that logs while it runs splits its line in two, the name
// first and the figures after the log; parseGoBench joins them. Lines that
// are not benchmark results (goos:, PASS, ok, logs) are skipped.
func parseGoBench(r io.Reader, procs int) ([]Result, error) {
	var results []Result
	pending := "" // a name whose figures have not come yet
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		name := ""
		if strings.HasPrefix(fields[0], "Benchmark") {
			name, fields = fields[0], fields[1:]
			if len(fields) == 0 {
				pending = name
				continue
			}
		} else if pending != "" {
			name = pending
		} else {
			continue
		}
		res, ok := parseFigures(fields)
		if !ok {
			continue
		}
		pending = ""
		results = append(results, Result{Name: benchName(name, procs), Metrics: res})
	}
	return results, sc.Err()
}

// parseFigures parses the rest of a benchmark line, "N v unit v unit ...",
// into figures by unit. It reports false if fields is not such a list.
func parseFigures(fields []string) (map[string]float64, bool) {
	if len(fields) < 3 || len(fields)%2 != 1 {
		return nil, false
	}
	if _, err := strconv.ParseInt(fields[0], 10, 64); err != nil {
		return nil, false
	}
	m := make(map[string]float64, len(fields)/2)
	for i := 1; i < len(fields); i += 2 {
		v, err := strconv.ParseFloat(fields[i], 64)
		if err != nil {
			return nil, false
		}
		m[fields[i+1]] = v
	}
	return m, true
}

// benchName strips the "Benchmark" prefix and the GOMAXPROCS suffix.
func benchName(name string, procs int) string {
	name = strings.TrimPrefix(name, "Benchmark")
	if procs > 1 {
		name = strings.TrimSuffix(name, "-"+strconv.Itoa(procs))
	}
	return name
}

// primaryUnit returns the unit of a Go benchmark's headline figure: its
// custom metric (b.ReportMetric) in bytes or ns per something, as B/task
// for IdleTaskMemory or ns/timer for Timers, or else ns/op. Other custom
// metrics (heapB/task, stackB/task) are parts of the headline, not it;
// among several candidates the first in sorted order wins.
func primaryUnit(metrics map[string]float64) string {
	var custom []string
	for unit := range metrics {
		switch unit {
		case unitNsOp, unitBOp, unitAllocsOp, "MB/s":
			continue
		}
		custom = append(custom, unit)
	}
	slices.Sort(custom)
	for _, unit := range custom {
		if strings.HasPrefix(unit, "B/") || strings.HasPrefix(unit, "ns/") {
			return unit
		}
	}
	if len(custom) > 0 {
		return custom[0]
	}
	return unitNsOp
}

// tail returns the last n lines of s, for error messages.
func tail(s string, n int) string {
	lines := strings.SplitAfter(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "")
}
