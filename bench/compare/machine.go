package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// Machine names where the figures were measured.
type Machine struct {
	CPU        string // the model name of /proc/cpuinfo, or "unknown CPU"
	CPUs       int    // logical CPUs
	Procs      int    // GOMAXPROCS the benchmarks run with
	GOOS       string
	GOARCH     string
	Go         string // the go command's version, as go1.26.8
	Python     string // as "CPython 3.11.7", or "" if it did not run
	Date       time.Time
	LoadBefore string // /proc/loadavg's 1-minute average when the runs began, or ""
	LoadAfter  string // and when they ended
}

func (m Machine) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %d logical CPUs (GOMAXPROCS %d), %s/%s; %s", m.CPU, m.CPUs, m.Procs, m.GOOS, m.GOARCH, m.Go)
	if m.Python != "" {
		fmt.Fprintf(&b, "; %s", m.Python)
	}
	fmt.Fprintf(&b, "; %s", m.Date.UTC().Format("2006-01-02 15:04 UTC"))
	if m.LoadBefore != "" {
		fmt.Fprintf(&b, "; load average %s before the runs, %s after", m.LoadBefore, m.LoadAfter)
	}
	return b.String()
}

// cpuModel returns the first "model name" of /proc/cpuinfo.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(key) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return "unknown CPU"
}

// loadAverage returns the 1-minute load average, or "" where there is no
// /proc/loadavg. On a machine shared with other work it says how far to
// trust the figures.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// goVersion returns the version of the go command that builds the
// benchmarks, which may differ from the one that built compare.
func goVersion(ctx context.Context) string {
	out, err := exec.CommandContext(ctx, "go", "env", "GOVERSION").Output()
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimSpace(string(out))
}

// pythonVersion returns python's implementation and version, as
// "CPython 3.11.7".
func pythonVersion(ctx context.Context, python string) (string, error) {
	out, err := exec.CommandContext(ctx, python, "-c",
		"import platform; print(platform.python_implementation(), platform.python_version())").Output()
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}
