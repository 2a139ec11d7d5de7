package gen_test

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/yieldfrom/asyncgo/gen"
)

// These tests check that a generator dropped while suspended is reported
// (see gen.SetDropReport) and left alone: its body is not resumed and its
// deferred calls do not run, until the test closes it itself.

// dropReports sets a report function for the rest of the test, which
// collects the reports; it returns a function that waits, collecting
// garbage, until n reports have arrived, and returns them.
func dropReports(t *testing.T) (wait func(n int) []gen.DropReport) {
	var mu sync.Mutex
	var reports []gen.DropReport
	previous := gen.SetDropReport(func(d gen.DropReport) {
		mu.Lock()
		reports = append(reports, d)
		mu.Unlock()
	})
	t.Cleanup(func() { gen.SetDropReport(previous) })
	return func(n int) []gen.DropReport {
		t.Helper()
		count := func() int {
			mu.Lock()
			defer mu.Unlock()
			return len(reports)
		}
		if !eventually(func() bool { return count() >= n }) {
			t.Fatalf("drop reports = %d, want %d", count(), n)
		}
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(reports)
	}
}

// closeDropped closes the generators the reports name and checks that each
// Close succeeds.
func closeDropped(t *testing.T, reports []gen.DropReport) {
	t.Helper()
	for _, d := range reports {
		if err := gen.CloseDropped(d); err != nil {
			t.Errorf("closing a dropped generator: %v", err)
		}
	}
}

// suspendedIn reports whether the stack of a report has a frame of a
// function whose name contains fn.
func suspendedIn(d gen.DropReport, fn string) bool {
	frames := runtime.CallersFrames(d.Callers)
	for {
		f, more := frames.Next()
		if strings.Contains(f.Function, fn) {
			return true
		}
		if !more {
			return false
		}
	}
}

// dropOne starts a generator that yields forever and counts its deferred
// call in deferred, a plain variable, and drops it at its second Yield.
func dropOne(deferred *int) {
	g := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
		defer func() { *deferred++ }()
		return yieldForever(y)
	})
	g.Next()
	g.Next()
}

// yieldForever yields until a Yield reports an error, which it returns.
func yieldForever(y *gen.Yielder[int, int]) (string, error) {
	for i := 0; ; i++ {
		if _, err := y.Yield(i); err != nil {
			return "", err
		}
	}
}

// TestDroppedGeneratorIsReported drops suspended generators whose deferred
// calls write a variable that the test writes too: were they run by the
// runtime on its own goroutine (as they were when a dropped generator was
// closed by its cleanup), the race detector would report it.
func TestDroppedGeneratorIsReported(t *testing.T) {
	const n = 100
	wait := dropReports(t)
	before := coroutines()
	deferred := 0
	for range n {
		dropOne(&deferred)
	}
	reports := wait(n)
	deferred += 1000 // the test's own write
	if deferred != 1000 {
		t.Errorf("deferred calls run before the test closed the generators = %d, want 0", deferred-1000)
	}
	if got := coroutines(); got != before+n {
		t.Errorf("coroutines with %d dropped generators = %d, want %d (each keeps its own)", n, got, before+n)
	}
	for _, d := range reports {
		if !suspendedIn(d, "yieldForever") {
			t.Errorf("a report's stack does not show where the body is suspended:\n%v", d)
			break
		}
	}
	closeDropped(t, reports)
	if deferred != 1000+n {
		t.Errorf("deferred calls run once the test closed the generators = %d, want %d", deferred-1000, n)
	}
	if got := coroutines(); got != before {
		t.Errorf("coroutines once the dropped generators are closed = %d, want %d", got, before)
	}
}

// TestDroppedDuringResume drops a generator while its body is running: the
// garbage collector runs, and cleanups get time to run, before the body
// yields (or, for Close, returns). The generator must stay reachable for
// as long as its body runs: it is reported once, after it is suspended,
// and never while it runs (when reading its stack would race with it).
// One that ends is never reported.
func TestDroppedDuringResume(t *testing.T) {
	collect := func() {
		for range 3 {
			runtime.GC()
			time.Sleep(time.Millisecond)
		}
	}
	// collectThenYield is the body for the first resume, yieldThenCollect
	// for the resumes after it.
	collectThenYield := func(y *gen.Yielder[int, int]) error {
		collect()
		_, err := y.Yield(1)
		return err
	}
	yieldThenCollect := func(y *gen.Yielder[int, int]) error {
		_, err := y.Yield(1)
		collect()
		return err
	}
	tests := []struct {
		name    string
		body    func(y *gen.Yielder[int, int]) error
		started bool            // whether the body is suspended at its Yield before last
		last    func(g *intGen) // the last call made on the generator
		dropped bool            // whether the generator is dropped suspended
	}{
		{"Next", collectThenYield, false, func(g *intGen) { g.Next() }, true},
		{"Throw", yieldThenCollect, true, func(g *intGen) { g.Throw(errBoom) }, false},
		{"Close", yieldThenCollect, true, func(g *intGen) { g.Close() }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wait := dropReports(t)
			before := coroutines()
			deferred := 0
			func() {
				g := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
					defer func() { deferred++ }()
					return "", tt.body(y)
				})
				if tt.started {
					g.Next()
				}
				tt.last(g)
			}()
			if !tt.dropped {
				if deferred != 1 || coroutines() != before {
					t.Errorf("after the generator ended: deferred calls run = %d, coroutines = %d, want 1 and %d",
						deferred, coroutines(), before)
				}
				// A marker dropped after it: its report comes alone.
				marker := 0
				dropOne(&marker)
				reports := wait(1)
				closeDropped(t, reports)
				if len(reports) != 1 || !suspendedIn(reports[0], "yieldForever") {
					t.Errorf("reports = %v, want only the marker's", reports)
				}
				return
			}
			reports := wait(1)
			if deferred != 0 {
				t.Errorf("deferred calls run before the test closed the generator = %d, want 0", deferred)
			}
			if !suspendedIn(reports[0], "TestDroppedDuringResume") {
				t.Errorf("the report's stack does not show the body:\n%v", reports[0])
			}
			closeDropped(t, reports)
			if deferred != 1 || coroutines() != before {
				t.Errorf("after closing the dropped generator: deferred calls run = %d, coroutines = %d, want 1 and %d",
					deferred, coroutines(), before)
			}
		})
	}
}

// TestDroppedDelegation drops a generator suspended in a YieldFrom over an
// already-started subgenerator: the delegator is reported (the subgenerator
// is not dropped: the delegator's coroutine refers to it), and closing it
// closes the subgenerator first.
func TestDroppedDelegation(t *testing.T) {
	wait := dropReports(t)
	before := coroutines()
	var order []string
	func() {
		sub := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
			defer func() { order = append(order, "sub") }()
			return yieldForever(y)
		})
		sub.Next()
		g := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
			defer func() { order = append(order, "delegator") }()
			return gen.YieldFrom(y, sub)
		})
		g.Next()
	}()
	reports := wait(1)
	if !suspendedIn(reports[0], "gen.YieldFrom") {
		t.Errorf("the report's stack does not show the YieldFrom:\n%v", reports[0])
	}
	if len(order) != 0 {
		t.Errorf("deferred calls run before the test closed the delegator: %v", order)
	}
	closeDropped(t, reports)
	if diff := cmp.Diff([]string{"sub", "delegator"}, order); diff != "" {
		t.Errorf("order of the deferred calls (-want +got):\n%s", diff)
	}
	if got := coroutines(); got != before {
		t.Errorf("coroutines once the dropped delegator is closed = %d, want %d", got, before)
	}
}

func TestSetDropReport(t *testing.T) {
	previous := gen.SetDropReport(nil)
	defer func() { gen.SetDropReport(previous) }()
	if got := gen.SetDropReport(func(gen.DropReport) {}); got != nil {
		t.Errorf("SetDropReport after SetDropReport(nil) returned a function, want nil")
	}
	if got := gen.SetDropReport(nil); got == nil {
		t.Errorf("SetDropReport(nil) after setting a function returned nil, want the function")
	}
}

func TestDropReportString(t *testing.T) {
	wait := dropReports(t)
	deferred := 0
	dropOne(&deferred)
	reports := wait(1)
	defer closeDropped(t, reports)
	s := reports[0].String()
	for _, want := range []string{"gen: generator dropped while suspended\n", "gen_test.yieldForever\n\t", "drop_test.go:"} {
		if !strings.Contains(s, want) {
			t.Errorf("String() = %q, want it to contain %q", s, want)
		}
	}
	if got, want := (gen.DropReport{}).String(), "gen: generator dropped while suspended"; got != want {
		t.Errorf("String() of an empty report = %q, want %q", got, want)
	}
}

// BenchmarkStartAmongLive measures a watched generator's start (and close)
// while many others are alive and suspended, as an event loop's tasks are:
// each start registers the cleanup that reports the generator if it is
// dropped, next to those of the live generators sharing its span of memory
// (see gen's anchor type).
func BenchmarkStartAmongLive(b *testing.B) {
	const live = 20000
	previous := gen.SetDropReport(func(d gen.DropReport) { b.Errorf("dropped: %v", d) })
	defer func() { gen.SetDropReport(previous) }()
	b.ReportAllocs()
	gens := make([]*intGen, live)
	for i := range gens {
		gens[i] = gen.New(countTo(1 << 30))
		gens[i].Next()
	}
	i := 0
	for b.Loop() {
		g := gen.New(countTo(1 << 30))
		g.Next()
		gens[i].Close()
		gens[i] = g
		i = (i + 1) % live
	}
	b.StopTimer()
	for _, g := range gens {
		g.Close()
	}
}
