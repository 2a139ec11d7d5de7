package asyncio_test

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/asyncio/asynciotest"
)

// A seedRouter maps names to handlers. The service task registers its
// handler as it starts; the client task looks the handler up as it starts.
type seedRouter struct {
	handlers map[string]func(string) string
	ready    *asyncio.Event // set once the service has registered
}

// seedService registers the "echo" handler, then serves for a while.
func seedService(r *seedRouter) *asyncio.Coro[int] {
	return asyncio.Async(func(a *asyncio.A) (int, error) {
		r.handlers["echo"] = func(s string) string { return s }
		if r.ready != nil {
			r.ready.Set()
		}
		return 0, asyncio.Sleep(a, time.Second)
	})
}

// seedClient calls the "echo" handler. With fixed set, it first waits until
// the service is ready; without, it assumes the service started first,
// because it was created first: the order-dependent bug.
func seedClient(r *seedRouter, fixed bool) *asyncio.Coro[int] {
	return asyncio.Async(func(a *asyncio.A) (int, error) {
		if fixed {
			if err := r.ready.Wait(a); err != nil {
				return 0, err
			}
		}
		h, ok := r.handlers["echo"]
		if !ok {
			return 0, fmt.Errorf("no handler for echo")
		}
		if got := h("hello"); got != "hello" {
			return 0, fmt.Errorf("echo(hello) = %s", got)
		}
		return 1, nil
	})
}

// seedProgram starts the service, then the client, in a task group: two
// tasks ready in the same loop iteration.
func seedProgram(fixed bool) *asyncio.Coro[int] {
	return asyncio.Async(func(a *asyncio.A) (int, error) {
		r := &seedRouter{handlers: map[string]func(string) string{}}
		if fixed {
			r.ready = &asyncio.Event{}
		}
		return 0, asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			asyncio.CreateTask(tg, seedService(r))
			asyncio.CreateTask(tg, seedClient(r, fixed))
			return nil
		})
	})
}

// seedBody is the test body that Seeds runs.
func seedBody(fixed bool) func(t *testing.T, opts ...asyncio.Option) {
	return func(t *testing.T, opts ...asyncio.Option) {
		if _, err := asynciotest.Run(t, seedProgram(fixed), opts...); err != nil {
			t.Errorf("the program failed: %v", err)
		}
	}
}

// seedHelperEnv enables TestSeedsFindBugHelper, which fails on purpose, in
// a child process of the test binary.
const seedHelperEnv = "ASYNCIO_SEED_HELPER"

// TestSeedsFindBugHelper is run by TestSeedsFindBug in a child process.
func TestSeedsFindBugHelper(t *testing.T) {
	if os.Getenv(seedHelperEnv) == "" {
		t.Skip("run by TestSeedsFindBug")
	}
	asynciotest.Seeds(t, 20, seedBody(false))
}

// TestSeedsFindBug shows an order-dependent bug that the default schedule
// hides and a seeded one finds: the client assumes the service task runs
// before it because it was created before it. First in, first out, it
// always does, and the test passes. asynciotest.Seeds shuffles the two
// tasks, finds a seed under which the client runs first, and reports it;
// that seed fails again every time, in the test binary and in code, and the
// fixed program (the client waits for an Event) passes under every seed.
func TestSeedsFindBug(t *testing.T) {
	// The default schedule hides the bug.
	for range 10 {
		if _, err := asynciotest.Run(t, seedProgram(false)); err != nil {
			t.Fatalf("under the default schedule: %v", err)
		}
	}

	// Seeds finds it, in a child process since the failure is real.
	if testing.Short() {
		t.Skip("runs the test binary again")
	}
	helper := func(run string) (string, bool) {
		cmd := exec.Command(os.Args[0], "-test.run="+run, "-test.v")
		cmd.Env = append(os.Environ(), seedHelperEnv+"=1")
		out, err := cmd.CombinedOutput()
		if _, ok := err.(*exec.ExitError); err != nil && !ok {
			t.Fatal(err)
		}
		return string(out), err != nil
	}
	out, failed := helper("^TestSeedsFindBugHelper$")
	m := regexp.MustCompile(`asynciotest: seed (\d+) fails; replay it with\s+go test -run '(\S+)'`).FindStringSubmatch(out)
	if !failed || m == nil {
		t.Fatalf("Seeds did not report a failing seed:\n%s", out)
	}
	if want := "no handler for echo"; !strings.Contains(out, want) {
		t.Errorf("the failure is not the bug's, want %q:\n%s", want, out)
	}
	seed, _ := strconv.ParseUint(m[1], 10, 64)
	t.Logf("Seeds found the bug under seed %d", seed)

	// The reported command replays it.
	if out, failed := helper(m[2]); !failed {
		t.Errorf("go test -run '%s' passed, want the failure again:\n%s", m[2], out)
	}
	// So does the seed, every time.
	for range 3 {
		if _, err := asyncio.Run(t.Context(), seedProgram(false), asyncio.WithVirtualTime(), asyncio.WithSeed(seed)); err == nil {
			t.Errorf("under WithSeed(%d) the program passed, want it to fail as Seeds reported", seed)
		}
	}

	// The fix holds under every schedule.
	asynciotest.Seeds(t, 20, seedBody(true))
}
