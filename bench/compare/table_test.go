package main

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// ns returns a result of one ns/op figure.
func ns(name string, v float64) Result {
	return Result{name, map[string]float64{"ns/op": v}}
}

// samples returns the samples of several runs.
func samples(runs ...[]Result) *Samples {
	var s Samples
	for _, r := range runs {
		s.Add(r)
	}
	return &s
}

func TestSummarize(t *testing.T) {
	s := samples(
		[]Result{ns("A", 40)},
		[]Result{ns("A", 10), ns("B", 7)},
		[]Result{ns("A", 30)},
		[]Result{ns("A", 20)},
		[]Result{ns("A", 50)},
	)
	tests := []struct {
		name, unit string
		want       Summary
	}{
		// R-7 quantiles of 10, 20, 30, 40, 50.
		{"A", "ns/op", Summary{N: 5, Median: 30, P25: 20, P75: 40, Unit: "ns/op"}},
		{"B", "ns/op", Summary{N: 1, Median: 7, P25: 7, P75: 7, Unit: "ns/op"}},
		{"B", "B/op", Summary{Unit: "B/op"}},
		{"C", "ns/op", Summary{Unit: "ns/op"}},
	}
	for _, tt := range tests {
		if got := s.Summarize(tt.name, tt.unit); got != tt.want {
			t.Errorf("Summarize(%q, %q) = %+v, want %+v", tt.name, tt.unit, got, tt.want)
		}
	}
	if diff := cmp.Diff([]string{"A", "B"}, s.Names); diff != "" {
		t.Errorf("Names mismatch (-want +got):\n%s", diff)
	}
}

func TestRows(t *testing.T) {
	goSide := samples([]Result{
		{"Sleep0/tasks=10000", map[string]float64{"ns/op": 1000, "allocs/op": 0}},
		{"Sleep0/tasks=1", map[string]float64{"ns/op": 200, "allocs/op": 0}},
		ns("GoroutineYield/goroutines=1", 100),
		ns("GoroutineYield/goroutines=10000", 1250),
		ns("Brand/new", 5),
		{"IdleTaskMemory", map[string]float64{"ns/op": 1e9, "B/task": 2800, "allocs/op": 1400000}},
		{"IdleGoroutineMemory", map[string]float64{"ns/op": 1e9, "B/goroutine": 2600}},
		ns("PullNext", 80),
		ns("ChanPingPong", 400),
		ns("FuturePingPong", 500),
		{"ConnMemoryGoroutines", map[string]float64{"ns/op": 1e9, "B/conn": 6000, "conns": 9950}},
		{"ConnMemory", map[string]float64{"ns/op": 1e9, "B/conn": 9000, "conns": 9950, "heapB/conn": 5000, "stackB/conn": 4000}},
		ns("EchoThroughputGoroutines/clients=1000", 10000),
		ns("EchoThroughput/clients=1000", 20000),
	})
	pySide := samples([]Result{
		ns("PlainCall", 30),
		ns("Sleep0/tasks=1", 4000),
		ns("Sleep0/tasks=100000", 8000),
		{"IdleTaskMemory", map[string]float64{"B/task": 790, "RSS-B/task": 880}},
		ns("QueuePingPong", 7000),
		ns("FuturePingPong", 6000),
		ns("EchoThroughput/clients=1000", 60000),
	})
	rows := Rows(goSide, pySide)

	var names []string
	for _, r := range rows {
		names = append(names, r.Workload)
	}
	want := []string{
		"PullNext", "PlainCall",
		"Sleep0/tasks=1", "Sleep0/tasks=10000", "Sleep0/tasks=100000",
		"FuturePingPong", "QueuePingPong", "IdleTaskMemory", "EchoThroughput/clients=1000", "ConnMemory",
		"Brand/new",
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Fatalf("Rows() workloads mismatch (-want +got):\n%s", diff)
	}

	byName := make(map[string]Row)
	for _, r := range rows {
		byName[r.Workload] = r
	}
	ratios := []struct {
		workload             string
		goPerBase, pyPerGo   float64
		hasBase, hasPyPerGo  bool
		unit, baseline, cell string
	}{
		{"Sleep0/tasks=1", 2, 20, true, true, "ns/op", "GoroutineYield/goroutines=1", ""},
		{"Sleep0/tasks=10000", 0.8, 0, true, false, "ns/op", "GoroutineYield/goroutines=10000", ""},
		{"Sleep0/tasks=100000", 0, 0, false, false, "ns/op", "GoroutineYield/goroutines=100000", ""},
		{"FuturePingPong", 1.25, 12, true, true, "ns/op", "ChanPingPong", ""},
		{"QueuePingPong", 0, 0, false, false, "ns/op", "ChanPingPong", ""},
		{"IdleTaskMemory", 2800.0 / 2600, 790.0 / 2800, true, true, "B/task", "IdleGoroutineMemory", ""},
		{"PlainCall", 0, 0, false, false, "ns/op", "", ""},
		{"ConnMemory", 1.5, 0, true, false, "B/conn", "ConnMemoryGoroutines", ""},
		{"EchoThroughput/clients=1000", 2, 3, true, true, "ns/op", "EchoThroughputGoroutines/clients=1000", ""},
	}
	for _, tt := range ratios {
		r := byName[tt.workload]
		if r.Unit != tt.unit || r.Baseline != tt.baseline {
			t.Errorf("%s: unit, baseline = %q, %q, want %q, %q", tt.workload, r.Unit, r.Baseline, tt.unit, tt.baseline)
		}
		if v, ok := r.GoPerBaseline(); ok != tt.hasBase || v != tt.goPerBase {
			t.Errorf("%s: GoPerBaseline() = %v, %t, want %v, %t", tt.workload, v, ok, tt.goPerBase, tt.hasBase)
		}
		if v, ok := r.PythonPerGo(); ok != tt.hasPyPerGo || v != tt.pyPerGo {
			t.Errorf("%s: PythonPerGo() = %v, %t, want %v, %t", tt.workload, v, ok, tt.pyPerGo, tt.hasPyPerGo)
		}
	}
}

func TestRowCells(t *testing.T) {
	goSide := samples(
		[]Result{{"Sleep0/tasks=1", map[string]float64{"ns/op": 190, "allocs/op": 0}}, ns("GoroutineYield/goroutines=1", 100)},
		[]Result{{"Sleep0/tasks=1", map[string]float64{"ns/op": 210, "allocs/op": 0}}, ns("GoroutineYield/goroutines=1", 100)},
		[]Result{
			{"Sleep0/tasks=1", map[string]float64{"ns/op": 200, "allocs/op": 0}},
			ns("GoroutineYield/goroutines=1", 100),
			{"IdleTaskMemory", map[string]float64{"B/task": 2800, "allocs/op": 1400085}},
			{"IdleGoroutineMemory", map[string]float64{"B/goroutine": 2600}},
		},
	)
	pySide := samples([]Result{ns("Sleep0/tasks=1", 4000), ns("Sleep0/tasks=100000", 8000)})
	tests := map[string][]string{
		"Sleep0/tasks=1":      {"Sleep0/tasks=1", "ns/op", "200", "195–205", "0", "GoroutineYield/goroutines=1", "100", "2.00×", "4,000", "20.0×"},
		"Sleep0/tasks=100000": {"Sleep0/tasks=100000", "ns/op", "—", "—", "—", "—", "—", "—", "8,000", "—"},
		"IdleTaskMemory":      {"IdleTaskMemory", "B/task", "2,800", "2,800–2,800", "1,400,085", "IdleGoroutineMemory", "2,600 B/goroutine", "1.08×", "—", "—"},
	}
	for _, r := range Rows(goSide, pySide) {
		want, ok := tests[r.Workload]
		if !ok {
			t.Errorf("unexpected row %q", r.Workload)
			continue
		}
		if diff := cmp.Diff(want, r.cells()); diff != "" {
			t.Errorf("%s: cells() mismatch (-want +got):\n%s", r.Workload, diff)
		}
	}
}

func TestFormat(t *testing.T) {
	values := []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{6, "6"},
		{4.606, "4.61"},
		{83.51, "83.5"},
		{184.04, "184"},
		{1216, "1,216"},
		{17149, "17,149"},
		{1455616189, "1,455,616,189"},
		{-2500, "-2,500"},
	}
	for _, tt := range values {
		if got := formatValue(tt.v); got != tt.want {
			t.Errorf("formatValue(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
	ratios := []struct {
		v    float64
		want string
	}{
		{0.0031, "0.0031×"},
		{0.8421, "0.84×"},
		{1.25, "1.25×"},
		{23.44, "23.4×"},
		{118.2, "118×"},
	}
	for _, tt := range ratios {
		if got := formatRatio(tt.v); got != tt.want {
			t.Errorf("formatRatio(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestInterleave(t *testing.T) {
	var calls []string
	side := func(name string, s *Samples, fail int) Side {
		run := 0
		return Side{Name: name, Samples: s, Run: func(context.Context) ([]Result, error) {
			run++
			calls = append(calls, name)
			r := []Result{ns("X", float64(run))}
			if run == fail {
				return r, errors.New("boom")
			}
			return r, nil
		}}
	}
	var a, b Samples
	errs, err := interleave(context.Background(), 3, []Side{side("Go", &a, 0), side("CPython", &b, 2)}, func(string, ...any) {})
	if err != nil {
		t.Fatalf("interleave() error = %v", err)
	}
	if diff := cmp.Diff([]string{"Go", "CPython", "Go", "CPython", "Go", "CPython"}, calls); diff != "" {
		t.Errorf("run order mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"CPython run 2: boom"}, errs); diff != "" {
		t.Errorf("errors mismatch (-want +got):\n%s", diff)
	}
	// The failed run's results count too.
	if got := b.Values["X"]["ns/op"]; len(got) != 3 {
		t.Errorf("CPython samples = %v, want 3 of them", got)
	}
}

func TestInterleaveCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var s Samples
	runs := 0
	_, err := interleave(ctx, 5, []Side{{Name: "Go", Samples: &s, Run: func(context.Context) ([]Result, error) {
		runs++
		cancel()
		return nil, errors.New("signal: interrupt")
	}}}, func(string, ...any) {})
	if !errors.Is(err, context.Canceled) || runs != 1 {
		t.Errorf("interleave() after cancel = %v after %d runs, want %v after 1", err, runs, context.Canceled)
	}
}
