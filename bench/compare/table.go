package main

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/exp/stats"
)

// Samples holds one side's figures over several runs: for each workload,
// for each unit, one value per run that reported it. Names holds the
// workloads in the order they were first seen.
type Samples struct {
	Names  []string
	Values map[string]map[string][]float64
}

// Add records one run's results.
func (s *Samples) Add(results []Result) {
	if s.Values == nil {
		s.Values = make(map[string]map[string][]float64)
	}
	for _, r := range results {
		byUnit, ok := s.Values[r.Name]
		if !ok {
			byUnit = make(map[string][]float64)
			s.Values[r.Name] = byUnit
			s.Names = append(s.Names, r.Name)
		}
		for unit, v := range r.Metrics {
			byUnit[unit] = append(byUnit[unit], v)
		}
	}
}

// Has reports whether the workload name was reported at all.
func (s *Samples) Has(name string) bool {
	_, ok := s.Values[name]
	return ok
}

// Summary is the median and interquartile range of the values of one
// workload in one unit; N is how many runs reported it, 0 if none did.
type Summary struct {
	N        int
	Median   float64
	P25, P75 float64
	Unit     string
}

// OK reports whether there was anything to summarize.
func (s Summary) OK() bool { return s.N > 0 }

// Summarize returns the summary of workload name in unit.
func (s *Samples) Summarize(name, unit string) Summary {
	vs := s.Values[name][unit]
	if len(vs) == 0 {
		return Summary{Unit: unit}
	}
	q := stats.Quantiles(vs, 0.25, 0.5, 0.75)
	return Summary{N: len(vs), P25: q[0], Median: q[1], P75: q[2], Unit: unit}
}

// primaryUnitOf returns the unit of workload name's headline figure on
// this side: the Go rule of primaryUnit applied to the units it reported,
// with B/task before ns/op for the Python side, which reports either.
func (s *Samples) primaryUnitOf(name string) string {
	byUnit := s.Values[name]
	m := make(map[string]float64, len(byUnit))
	for unit := range byUnit {
		if unit == unitRSSBTask {
			continue // a cross-check, never the headline
		}
		m[unit] = 0
	}
	return primaryUnit(m)
}

// A Row is one line of the comparison: a workload, its Go figures, its
// goroutine baseline's, and CPython's.
type Row struct {
	Workload string
	Unit     string  // the unit of Go, Python and (in its own unit) Baseline
	Go       Summary // in Unit
	Allocs   Summary // Go's allocs/op
	Baseline string  // the baseline benchmark's name, "" if there is none
	Base     Summary // in the baseline's own primary unit
	Python   Summary // in Unit
}

// GoPerBaseline returns Go's median over the baseline's, if both exist.
func (r Row) GoPerBaseline() (float64, bool) { return ratio(r.Go, r.Base) }

// PythonPerGo returns CPython's median over Go's, if both exist.
func (r Row) PythonPerGo() (float64, bool) { return ratio(r.Python, r.Go) }

func ratio(num, den Summary) (float64, bool) {
	if !num.OK() || !den.OK() || den.Median == 0 {
		return 0, false
	}
	return num.Median / den.Median, true
}

// baselineOf returns the name of the goroutine baseline of a workload, or
// "" if it has none: the same work done with goroutines and channels, as a
// Go programmer would without an event loop or generators.
func baselineOf(name string) string {
	if n, ok := strings.CutPrefix(name, "Sleep0/tasks="); ok {
		return "GoroutineYield/goroutines=" + n
	}
	switch name {
	case "GenSend":
		return "ChanGenerator"
	case "Spawn":
		return "GoroutineSpawn"
	case "FuturePingPong", "QueuePingPong":
		return "ChanPingPong"
	case "IdleTaskMemory":
		return "IdleGoroutineMemory"
	case "ConnMemory":
		return "ConnMemoryGoroutines"
	case "EchoRoundTrip", "TLSEchoRoundTrip", "UnixEchoRoundTrip", "DatagramRoundTrip",
		"SubprocessRun", "SubprocessPipe":
		return name + "Goroutines"
	}
	if n, ok := strings.CutPrefix(name, "EchoThroughput/clients="); ok {
		return "EchoThroughputGoroutines/clients=" + n
	}
	return ""
}

// isBaseline reports whether name is a baseline benchmark, shown in its
// workload's row rather than in a row of its own.
func isBaseline(name string) bool {
	switch name {
	case "ChanGenerator", "GoroutineSpawn", "ChanPingPong", "IdleGoroutineMemory", "EchoRoundTripGoroutines",
		"TLSEchoRoundTripGoroutines", "UnixEchoRoundTripGoroutines", "DatagramRoundTripGoroutines",
		"SubprocessRunGoroutines", "SubprocessPipeGoroutines", "ConnMemoryGoroutines":
		return true
	}
	return strings.HasPrefix(name, "GoroutineYield/") || strings.HasPrefix(name, "EchoThroughputGoroutines/")
}

// order lists the workloads in the order the table shows them; an entry
// ending in "=" stands for every sub-benchmark it prefixes, sorted by the
// number after the "=". Workloads not listed come last, as first seen.
var order = []struct{ name, section string }{
	// gen_test.go, python/gen.py
	{"PullNext", sectionGen}, {"PullCreateStop", sectionGen}, {"GenSend", sectionGen},
	{"GenLifecycle", sectionGen}, {"GenClose", sectionGen},
	{"YieldFrom/depth=", sectionGen}, {"YieldFromInline/depth=", sectionGen},
	// coro_test.go, python/coro.py
	{"AwaitDepth/depth=", sectionCoro}, {"AwaitCall", sectionCoro}, {"PlainCall", sectionCoro},
	// loop_test.go, python/loop.py
	{"Sleep0/tasks=", sectionLoop}, {"Sleep0IdleSocket", sectionLoop}, {"Spawn", sectionLoop}, {"FuturePingPong", sectionLoop},
	{"QueuePingPong", sectionLoop}, {"LockHandoff", sectionLoop}, {"EchoRoundTrip", sectionLoop},
	{"TLSEchoRoundTrip", sectionLoop}, {"UnixEchoRoundTrip", sectionLoop},
	{"Timers", sectionLoop}, {"IdleTaskMemory", sectionLoop},
	// datagram_test.go, throughput_test.go, python/datagram.py
	{"DatagramRoundTrip", sectionLoop}, {"EchoThroughput/clients=", sectionLoop},
	{"EchoThroughputLoops/loops=", sectionLoop},
	// connmem_test.go, python/connmem.py
	{"ConnMemory", sectionLoop},
	// subprocess_test.go, python/proc.py
	{"SubprocessRun", sectionLoop}, {"SubprocessPipe", sectionLoop},
}

// The sections of the table, which the chart labels.
const (
	sectionGen   = "Generators"
	sectionCoro  = "Coroutines"
	sectionLoop  = "Event loop"
	sectionOther = "Other"
)

// section returns the section of workload name.
func section(name string) string {
	if i, _ := rank(name); i < len(order) {
		return order[i].section
	}
	return sectionOther
}

// rank returns where name sorts in the table: its entry's index in order,
// and the number that follows the entry's "=" (0 if none). Unlisted names
// rank len(order).
func rank(name string) (int, float64) {
	for i, entry := range order {
		o := entry.name
		if name == o {
			return i, 0
		}
		if strings.HasSuffix(o, "=") {
			if rest, ok := strings.CutPrefix(name, o); ok {
				n, err := strconv.ParseFloat(rest, 64)
				if err != nil {
					n = math.Inf(1)
				}
				return i, n
			}
		}
	}
	return len(order), 0
}

// Rows builds the table from both sides' samples: one row per workload
// that either side reported, except the baselines, in the order of order.
func Rows(goSide, pySide *Samples) []Row {
	var names []string
	seen := make(map[string]bool)
	for _, n := range slices.Concat(goSide.Names, pySide.Names) {
		if !seen[n] && !isBaseline(n) {
			seen[n] = true
			names = append(names, n)
		}
	}
	// Stable: unlisted workloads keep the order they were first seen in.
	slices.SortStableFunc(names, func(a, b string) int {
		ra, na := rank(a)
		rb, nb := rank(b)
		return cmp.Or(cmp.Compare(ra, rb), cmp.Compare(na, nb))
	})
	rows := make([]Row, 0, len(names))
	for _, name := range names {
		unit := goSide.primaryUnitOf(name)
		if !goSide.Has(name) {
			unit = pySide.primaryUnitOf(name)
		}
		row := Row{
			Workload: name,
			Unit:     unit,
			Go:       goSide.Summarize(name, unit),
			Allocs:   goSide.Summarize(name, unitAllocsOp),
			Python:   pySide.Summarize(name, unit),
		}
		if b := baselineOf(name); b != "" {
			row.Baseline = b
			row.Base = goSide.Summarize(b, goSide.primaryUnitOf(b))
		}
		rows = append(rows, row)
	}
	return rows
}
