package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEvaluate(t *testing.T) {
	goSide := samples([]Result{
		{"GenSend", map[string]float64{"ns/op": 90, "allocs/op": 0}},
		{"PullNext", map[string]float64{"ns/op": 80, "allocs/op": 0}},
		{"YieldFrom/depth=100", map[string]float64{"ns/op": 12000}},
		{"Spawn", map[string]float64{"ns/op": 2000, "allocs/op": 15}},
		{"IdleTaskMemory", map[string]float64{"ns/op": 1e9, "B/task": 2800}},
		{"IdleGoroutineMemory", map[string]float64{"ns/op": 1e9, "B/goroutine": 2600}},
	})
	pySide := samples([]Result{ns("Spawn", 5000)})
	ts := []Target{
		{Label: "at most, met", Num: goRef("GenSend"), Den: goRef("PullNext"), AtMost: true, Limit: 1.2},
		{Label: "at most, missed", Num: goRef("GenSend"), Den: goRef("PullNext"), AtMost: true, Limit: 1.1},
		{Label: "allocs, met", Num: allocsRef("GenSend"), AtMost: true},
		{Label: "allocs, missed", Num: allocsRef("Spawn"), AtMost: true},
		{Label: "scaled", Num: goRef("YieldFrom/depth=100"), Den: goRef("PullNext"), Scale: 1.0 / 100, AtMost: true, Limit: 1},
		{Label: "primary units", Num: goRef("IdleTaskMemory"), Den: goRef("IdleGoroutineMemory"), AtMost: true, Limit: 1.15},
		{Label: "at least, missed", Num: pyRef("Spawn"), Den: goRef("Spawn"), Limit: 10},
		{Label: "numerator missing", Num: pyRef("QueuePingPong"), Den: goRef("QueuePingPong"), Limit: 50},
		{Label: "denominator missing", Num: goRef("GenSend"), Den: goRef("ChanGenerator"), Limit: 2.5},
	}
	type result struct {
		Label    string
		Value    float64
		Measured bool
		Met      bool
	}
	want := []result{
		{"at most, met", 1.125, true, true},
		{"at most, missed", 1.125, true, false},
		{"allocs, met", 0, true, true},
		{"allocs, missed", 15, true, false},
		{"scaled", 1.5, true, false},
		{"primary units", 2800.0 / 2600, true, true},
		{"at least, missed", 2.5, true, false},
		{"numerator missing", 0, false, false},
		{"denominator missing", 0, false, false},
	}
	var got []result
	for _, c := range Evaluate(ts, goSide, pySide) {
		got = append(got, result{c.Label, c.Value, c.Measured, c.Met})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Evaluate() mismatch (-want +got):\n%s", diff)
	}
}

func TestCheckCells(t *testing.T) {
	tests := []struct {
		c    Check
		want []string
	}{
		{Check{Target: Target{Label: "r", Den: goRef("B")}, Value: 1.25, Measured: true, Met: true}, []string{"r", "1.25×", "yes"}},
		{Check{Target: Target{Label: "a", Num: allocsRef("A")}, Value: 3, Measured: true}, []string{"a", "3 allocs/op", "no"}},
		{Check{Target: Target{Label: "m", Den: goRef("B")}}, []string{"m", "—", "—"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.c.cells()); diff != "" {
			t.Errorf("%s: cells() mismatch (-want +got):\n%s", tt.c.Label, diff)
		}
	}
}

// TestTargetsNameWorkloads checks that every target refers to a workload
// that the table knows, so that a renamed benchmark does not leave a target
// that can never be measured.
func TestTargetsNameWorkloads(t *testing.T) {
	for _, tt := range targets {
		for _, r := range []Ref{tt.Num, tt.Den} {
			if r == (Ref{}) {
				continue
			}
			if i, _ := rank(r.Name); i == len(order) && !isBaseline(r.Name) {
				t.Errorf("target %q: workload %q is neither in order nor a baseline", tt.Label, r.Name)
			}
		}
	}
}

// TestEvaluateEchoThroughputAgainstCPython checks that the targets hold
// CPython's EchoThroughput/clients=1000 (echo.py) to 4× Go's.
func TestEvaluateEchoThroughputAgainstCPython(t *testing.T) {
	const label = "CPython EchoThroughput/clients=1000 ≥ 4× Go"
	tests := []struct {
		goNs, pyNs float64
		want       float64
		met        bool
	}{
		{goNs: 20000, pyNs: 60000, want: 3, met: false},
		{goNs: 15000, pyNs: 60000, want: 4, met: true},
	}
	for _, tt := range tests {
		goSide := samples([]Result{ns("EchoThroughput/clients=1000", tt.goNs)})
		pySide := samples([]Result{ns("EchoThroughput/clients=1000", tt.pyNs)})
		var found bool
		for _, c := range Evaluate(targets, goSide, pySide) {
			if c.Label != label {
				continue
			}
			found = true
			if !c.Measured || c.Value != tt.want || c.Met != tt.met {
				t.Errorf("Go %v ns, CPython %v ns: %q = %v (measured %t), met %t; want %v, met %t", tt.goNs, tt.pyNs, label, c.Value, c.Measured, c.Met, tt.want, tt.met)
			}
		}
		if !found {
			t.Fatalf("no target %q", label)
		}
	}
}
