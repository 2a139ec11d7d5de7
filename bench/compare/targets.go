package main

// A Ref names one figure: a workload on one side, in one unit ("" for the
// workload's primary unit).
type Ref struct {
	Python bool // CPython's figure, not Go's
	Name   string
	Unit   string
}

// A Target is one of the performance goals that bench/README.md lists and
// explains: a ratio of two medians (or, when Den is the zero Ref, one
// median) held to a limit.
type Target struct {
	Label  string
	Num    Ref
	Den    Ref     // the zero Ref: Num's median itself is held to Limit
	Scale  float64 // multiplies the ratio; 0 stands for 1
	AtMost bool    // the figure must be ≤ Limit; else ≥ Limit
	Limit  float64
}

func goRef(name string) Ref     { return Ref{Name: name} }
func pyRef(name string) Ref     { return Ref{Python: true, Name: name} }
func allocsRef(name string) Ref { return Ref{Name: name, Unit: unitAllocsOp} }

// targets are the goals of bench/README.md, in its order.
var targets = []Target{
	{Label: "GenSend ≤ 1.2× PullNext", Num: goRef("GenSend"), Den: goRef("PullNext"), AtMost: true, Limit: 1.2},
	{Label: "GenSend: 0 allocs/op", Num: allocsRef("GenSend"), AtMost: true, Limit: 0},
	{Label: "ChanGenerator ≥ 2.5× GenSend", Num: goRef("ChanGenerator"), Den: goRef("GenSend"), Limit: 2.5},
	{Label: "GenLifecycle ≤ 1.5× PullCreateStop", Num: goRef("GenLifecycle"), Den: goRef("PullCreateStop"), AtMost: true, Limit: 1.5},
	{Label: "YieldFromInline/depth=100 ≤ 1.25× depth=1", Num: goRef("YieldFromInline/depth=100"), Den: goRef("YieldFromInline/depth=1"), AtMost: true, Limit: 1.25},
	{Label: "YieldFrom per level (depth=100 ÷ 100) ≤ 1× PullNext", Num: goRef("YieldFrom/depth=100"), Den: goRef("PullNext"), Scale: 1.0 / 100, AtMost: true, Limit: 1},
	{Label: "AwaitDepth/depth=100 ≤ 1.25× depth=1", Num: goRef("AwaitDepth/depth=100"), Den: goRef("AwaitDepth/depth=1"), AtMost: true, Limit: 1.25},
	{Label: "AwaitDepth/depth=100: 0 allocs/op", Num: allocsRef("AwaitDepth/depth=100"), AtMost: true, Limit: 0},
	{Label: "Sleep0/tasks=1 ≤ 1.6× PullNext", Num: goRef("Sleep0/tasks=1"), Den: goRef("PullNext"), AtMost: true, Limit: 1.6},
	{Label: "Sleep0/tasks=1: 0 allocs/op", Num: allocsRef("Sleep0/tasks=1"), AtMost: true, Limit: 0},
	{Label: "Sleep0IdleSocket ≤ 1.2× Sleep0/tasks=1", Num: goRef("Sleep0IdleSocket"), Den: goRef("Sleep0/tasks=1"), AtMost: true, Limit: 1.2},
	{Label: "Sleep0/tasks=10000 ≤ 1× GoroutineYield/goroutines=10000", Num: goRef("Sleep0/tasks=10000"), Den: goRef("GoroutineYield/goroutines=10000"), AtMost: true, Limit: 1},
	{Label: "Spawn ≤ 1.6× PullCreateStop", Num: goRef("Spawn"), Den: goRef("PullCreateStop"), AtMost: true, Limit: 1.6},
	{Label: "FuturePingPong ≤ 0.8× ChanPingPong", Num: goRef("FuturePingPong"), Den: goRef("ChanPingPong"), AtMost: true, Limit: 0.8},
	{Label: "QueuePingPong ≤ 0.8× ChanPingPong", Num: goRef("QueuePingPong"), Den: goRef("ChanPingPong"), AtMost: true, Limit: 0.8},
	{Label: "IdleTaskMemory ≤ 1.15× IdleGoroutineMemory", Num: goRef("IdleTaskMemory"), Den: goRef("IdleGoroutineMemory"), AtMost: true, Limit: 1.15},
	{Label: "EchoRoundTrip ≤ 1.5× EchoRoundTripGoroutines", Num: goRef("EchoRoundTrip"), Den: goRef("EchoRoundTripGoroutines"), AtMost: true, Limit: 1.5},
	{Label: "EchoThroughput/clients=1000 ≤ 1.2× EchoThroughputGoroutines/clients=1000", Num: goRef("EchoThroughput/clients=1000"), Den: goRef("EchoThroughputGoroutines/clients=1000"), AtMost: true, Limit: 1.2},
	{Label: "EchoThroughputLoops/loops=2 ≤ 1× EchoThroughput/clients=1000", Num: goRef("EchoThroughputLoops/loops=2"), Den: goRef("EchoThroughput/clients=1000"), AtMost: true, Limit: 1},
	{Label: "ConnMemory ≤ 2× ConnMemoryGoroutines", Num: goRef("ConnMemory"), Den: goRef("ConnMemoryGoroutines"), AtMost: true, Limit: 2},
	{Label: "DatagramRoundTrip ≤ 1.5× DatagramRoundTripGoroutines", Num: goRef("DatagramRoundTrip"), Den: goRef("DatagramRoundTripGoroutines"), AtMost: true, Limit: 1.5},
	{Label: "TLSEchoRoundTrip ≤ 1.5× TLSEchoRoundTripGoroutines", Num: goRef("TLSEchoRoundTrip"), Den: goRef("TLSEchoRoundTripGoroutines"), AtMost: true, Limit: 1.5},
	{Label: "UnixEchoRoundTrip ≤ 1.5× UnixEchoRoundTripGoroutines", Num: goRef("UnixEchoRoundTrip"), Den: goRef("UnixEchoRoundTripGoroutines"), AtMost: true, Limit: 1.5},
	{Label: "SubprocessRun ≤ 1.3× SubprocessRunGoroutines", Num: goRef("SubprocessRun"), Den: goRef("SubprocessRunGoroutines"), AtMost: true, Limit: 1.3},
	{Label: "SubprocessPipe ≤ 1.5× SubprocessPipeGoroutines", Num: goRef("SubprocessPipe"), Den: goRef("SubprocessPipeGoroutines"), AtMost: true, Limit: 1.5},
	{Label: "CPython Sleep0/tasks=1 ≥ 40× Go", Num: pyRef("Sleep0/tasks=1"), Den: goRef("Sleep0/tasks=1"), Limit: 40},
	{Label: "CPython Sleep0/tasks=100 ≥ 40× Go", Num: pyRef("Sleep0/tasks=100"), Den: goRef("Sleep0/tasks=100"), Limit: 40},
	{Label: "CPython Sleep0/tasks=10000 ≥ 40× Go", Num: pyRef("Sleep0/tasks=10000"), Den: goRef("Sleep0/tasks=10000"), Limit: 40},
	{Label: "CPython Sleep0/tasks=100000 ≥ 40× Go", Num: pyRef("Sleep0/tasks=100000"), Den: goRef("Sleep0/tasks=100000"), Limit: 40},
	{Label: "CPython Spawn ≥ 10× Go", Num: pyRef("Spawn"), Den: goRef("Spawn"), Limit: 10},
	{Label: "CPython QueuePingPong ≥ 50× Go", Num: pyRef("QueuePingPong"), Den: goRef("QueuePingPong"), Limit: 50},
	{Label: "CPython DatagramRoundTrip ≥ 1× Go", Num: pyRef("DatagramRoundTrip"), Den: goRef("DatagramRoundTrip"), Limit: 1},
	{Label: "CPython EchoThroughput/clients=1000 ≥ 4× Go", Num: pyRef("EchoThroughput/clients=1000"), Den: goRef("EchoThroughput/clients=1000"), Limit: 4},
	{Label: "CPython SubprocessRun ≥ 1× Go", Num: pyRef("SubprocessRun"), Den: goRef("SubprocessRun"), Limit: 1},
}

// A Check is a target evaluated on this run's medians.
type Check struct {
	Target
	Value    float64 // the ratio (or the figure) measured
	Measured bool    // false if a figure it needs is missing
	Met      bool
}

// Ratio reports whether the check's value is a ratio (shown as "1.25×")
// rather than a figure in Num's unit.
func (c Check) Ratio() bool { return c.Den != (Ref{}) }

// Evaluate checks every target against the medians of this run.
func Evaluate(ts []Target, goSide, pySide *Samples) []Check {
	median := func(r Ref) (float64, bool) {
		s := goSide
		if r.Python {
			s = pySide
		}
		unit := r.Unit
		if unit == "" {
			unit = s.primaryUnitOf(r.Name)
		}
		sum := s.Summarize(r.Name, unit)
		return sum.Median, sum.OK()
	}
	checks := make([]Check, 0, len(ts))
	for _, t := range ts {
		c := Check{Target: t}
		num, ok := median(t.Num)
		if ok && c.Ratio() {
			var den float64
			den, ok = median(t.Den)
			ok = ok && den != 0
			if ok {
				num /= den
			}
		}
		if ok {
			if t.Scale != 0 {
				num *= t.Scale
			}
			c.Value, c.Measured = num, true
			if t.AtMost {
				c.Met = num <= t.Limit
			} else {
				c.Met = num >= t.Limit
			}
		}
		checks = append(checks, c)
	}
	return checks
}
