package asynciotest_test

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/asyncio/asynciotest"
	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

func TestMain(m *testing.M) { leaktest.Main(m) }

// order runs three tasks that become ready in the same iteration and
// returns the order in which they ran.
func order(t *testing.T, opts ...asyncio.Option) string {
	t.Helper()
	var ran []string
	_, err := asynciotest.Run(t, asyncio.Async(func(a *asyncio.A) ([]int, error) {
		task := func(name string) *asyncio.Coro[int] {
			return asyncio.Async(func(a *asyncio.A) (int, error) {
				ran = append(ran, name)
				return 0, nil
			})
		}
		return asyncio.Gather(a, task("a"), task("b"), task("c"))
	}), opts...)
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	return strings.Join(ran, "")
}

// TestSeeds checks that Seeds runs its body under seeds 1 to n, each in a
// subtest named after it, that the seeds give different schedules, and
// that Replay gives a seed's schedule again.
func TestSeeds(t *testing.T) {
	var names []string
	orders := map[uint64]string{}
	var seed uint64
	asynciotest.Seeds(t, 20, func(t *testing.T, opts ...asyncio.Option) {
		seed++
		names = append(names, t.Name())
		orders[seed] = order(t, opts...)
	})
	var want []string
	for i := 1; i <= 20; i++ {
		want = append(want, fmt.Sprintf("TestSeeds/seed=%d", i))
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("subtests (-want +got):\n%s", diff)
	}
	distinct := map[string]bool{}
	for _, o := range orders {
		distinct[o] = true
	}
	if len(distinct) < 3 {
		t.Errorf("20 seeds gave the orders %v, want at least 3 of the 6", orders)
	}
	if fifo := order(t); fifo != "abc" {
		t.Errorf("without a seed the tasks ran in the order %s, want abc", fifo)
	}
	for _, s := range []uint64{1, 7, 20} {
		asynciotest.Replay(t, s, func(t *testing.T, opts ...asyncio.Option) {
			if got := order(t, opts...); got != orders[s] {
				t.Errorf("Replay(%d) ran the tasks in the order %s, want %s as under Seeds", s, got, orders[s])
			}
		})
	}
}

// helperEnv names the environment variable that makes the helper tests
// run: they fail on purpose, in a child process of the test binary.
const helperEnv = "ASYNCIOTEST_HELPER"

// TestSeedsHelper is run by TestSeedsReportsFailure in a child process: its
// body fails under seed 3 only.
func TestSeedsHelper(t *testing.T) {
	if os.Getenv(helperEnv) == "" {
		t.Skip("run by TestSeedsReportsFailure")
	}
	asynciotest.Seeds(t, 10, func(t *testing.T, opts ...asyncio.Option) {
		fmt.Println("ran", t.Name())
		if strings.HasSuffix(t.Name(), "/seed=3") {
			t.Error("this seed fails")
		}
	})
}

// runHelper runs the test binary again with the helper tests enabled and
// returns what it printed and whether it failed.
func runHelper(t *testing.T, args ...string) (out string, failed bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.v"}, args...)...)
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	b, err := cmd.CombinedOutput()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	return string(b), err != nil
}

// TestSeedsReportsFailure checks that Seeds stops at the first failing seed
// and prints a go test -run pattern that replays that seed alone.
func TestSeedsReportsFailure(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the test binary again")
	}
	out, failed := runHelper(t, "-test.run=^TestSeedsHelper$")
	if !failed {
		t.Fatalf("the helper passed, want a failure under seed 3:\n%s", out)
	}
	ran := func(out string) []string {
		var r []string
		for _, line := range strings.Split(out, "\n") {
			if s, ok := strings.CutPrefix(line, "ran "); ok {
				r = append(r, s)
			}
		}
		return r
	}
	if diff := cmp.Diff([]string{"TestSeedsHelper/seed=1", "TestSeedsHelper/seed=2", "TestSeedsHelper/seed=3"}, ran(out)); diff != "" {
		t.Errorf("seeds run (-want +got):\n%s", diff)
	}
	const report = "asynciotest: seed 3 fails; replay it with\n"
	const pattern = "go test -run '^TestSeedsHelper$/^seed=3$'"
	if !strings.Contains(out, report) || !strings.Contains(out, pattern) {
		t.Fatalf("the output does not report seed 3 and %s:\n%s", pattern, out)
	}

	// The pattern replays seed 3, and only it.
	out, failed = runHelper(t, "-test.run=^TestSeedsHelper$/^seed=3$")
	if !failed || !slices.Equal(ran(out), []string{"TestSeedsHelper/seed=3"}) {
		t.Errorf("replaying seed 3: failed = %v, ran %q, want a failure of seed 3 alone:\n%s", failed, ran(out), out)
	}

	// The flag searches longer.
	out, _ = runHelper(t, "-test.run=^TestSeedsHelper$/^seed=[12]$", "-asynciotest.seeds=2")
	if got := ran(out); len(got) != 2 {
		t.Errorf("with -asynciotest.seeds=2, ran %q, want seeds 1 and 2", got)
	}
}

// fakeT is a testing.TB that records its errors and log instead of
// reporting them.
type fakeT struct {
	testing.TB
	errors, logs []string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}
func (f *fakeT) Log(args ...any) { f.logs = append(f.logs, fmt.Sprint(args...)) }

// TestRun checks that Run returns main's result on the virtual clock, and
// fails the test on a leak, with the report, and logs the loop's reports.
func TestRun(t *testing.T) {
	ft := &fakeT{TB: t}
	got, err := asynciotest.Run(ft, asyncio.Async(func(a *asyncio.A) (time.Duration, error) {
		loop := asyncio.GetRunningLoop(a)
		start := loop.Time()
		err := asyncio.Sleep(a, time.Hour)
		return loop.Time().Sub(start), err
	}))
	if err != nil || got != time.Hour || len(ft.errors) != 0 {
		t.Errorf("Run() = %v, %v, errors %q; want 1h on the virtual clock, no error", got, err, ft.errors)
	}

	ft = &fakeT{TB: t}
	_, err = asynciotest.Run(ft, asyncio.Async(func(a *asyncio.A) (int, error) {
		asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) { return 0, asyncio.Sleep(a, time.Hour) })).SetName("forgotten")
		return 0, asyncio.Sleep(a, 0)
	}))
	if err == nil || len(ft.errors) != 1 || !strings.Contains(ft.errors[0], "task forgotten was still pending when main returned") {
		t.Errorf("Run() with a leak: error %v, test errors %q; want the leak reported as a test error", err, ft.errors)
	}

	ft = &fakeT{TB: t}
	_, err = asynciotest.Run(ft, asyncio.Async(func(a *asyncio.A) (int, error) {
		time.Sleep(2 * time.Millisecond)
		return 0, nil
	}), asyncio.WithSlowStepThreshold(time.Millisecond))
	if err != nil || len(ft.logs) != 1 || !strings.HasPrefix(ft.logs[0], "asyncio: slow step: Task-1 held the loop for ") {
		t.Errorf("Run() with a slow step: error %v, log %q; want the slow step in the log", err, ft.logs)
	}
}
