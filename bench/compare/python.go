package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// The units of the fields the Python programs report, by JSON key (see
// bench/python/_harness.py). Keys not listed here (ops, tasks, method) are
// not figures.
var pythonUnits = map[string]string{
	"ns_per_op":          unitNsOp,
	"bytes_per_task":     unitBTask,
	"rss_bytes_per_task": unitRSSBTask,
	"bytes_per_conn":     unitBConn,
}

const (
	unitBTask    = "B/task"
	unitRSSBTask = "RSS-B/task"
	unitBConn    = "B/conn"
)

// pythonPrograms returns the benchmark programs of dir: every .py file
// whose name does not start with "_", sorted.
func pythonPrograms(dir string) ([]string, error) {
	all, err := filepath.Glob(filepath.Join(dir, "*.py"))
	if err != nil {
		return nil, err
	}
	var progs []string
	for _, p := range all {
		if !strings.HasPrefix(filepath.Base(p), "_") {
			progs = append(progs, p)
		}
	}
	slices.Sort(progs)
	return progs, nil
}

// pythonBench runs each program once with python and returns what they
// reported. As with goBench, an error comes with the results of the
// programs that worked.
func pythonBench(ctx context.Context, python string, progs []string, quick bool) ([]Result, error) {
	var results []Result
	var errs []string
	for _, prog := range progs {
		// -B: importing _harness must not leave a __pycache__ in the tree.
		args := []string{"-B", prog}
		if quick {
			args = append(args, "--quick")
		}
		cmd := exec.CommandContext(ctx, python, args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		rs, perr := parsePython(&stdout)
		results = append(results, rs...)
		if err == nil {
			err = perr
		}
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s %s: %v\n%s", python, strings.Join(args, " "), err, tail(stderr.String(), 20)))
		}
	}
	if errs != nil {
		return results, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return results, nil
}

// parsePython reads the JSON lines a Python program prints, one workload
// each: {"name": "Sleep0/tasks=1", "ns_per_op": 1234.5, "ops": 250000}.
// Lines that do not start with "{" are skipped; a line that does but is
// not such an object is an error, reported after the other lines are read.
// Fields that are null (a figure the platform could not measure) are left
// out.
func parsePython(r io.Reader) ([]Result, error) {
	var results []Result
	var bad error
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			bad = fmt.Errorf("bad result line %q: %v", line, err)
			continue
		}
		name, _ := obj["name"].(string)
		if name == "" {
			bad = fmt.Errorf("result line %q has no name", line)
			continue
		}
		m := make(map[string]float64)
		for key, unit := range pythonUnits {
			if v, ok := obj[key].(float64); ok {
				m[unit] = v
			}
		}
		if len(m) == 0 {
			bad = fmt.Errorf("result line %q has no figure", line)
			continue
		}
		results = append(results, Result{Name: name, Metrics: m})
	}
	if err := sc.Err(); err != nil {
		return results, err
	}
	return results, bad
}
