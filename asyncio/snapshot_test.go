package asyncio_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/coro"
)

// TestSnapshot checks that Snapshot lists every live task, parents before
// children, with its parent, its state, what it awaits and its await chain,
// and that String draws the tree, each task under its parent.
func TestSnapshot(t *testing.T) {
	var tree asyncio.TaskTree
	var mainAt, serverAt, handlerAt int
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		asyncio.CurrentTask(a).SetName("main")
		server := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			handler := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				handlerAt = diagLine() + 1
				return 0, asyncio.Sleep(a, time.Hour)
			}))
			handler.SetName("handler")
			serverAt = diagLine() + 1
			return handler.Await(a)
		}))
		server.SetName("server")
		if err := asyncio.Sleep(a, time.Second); err != nil { // both start and suspend
			return 0, err
		}
		asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) { return 0, nil })).SetName("newcomer")
		mainAt = diagLine() + 1
		tree = asyncio.Snapshot(a)
		server.Cancel() // and with it the handler it awaits
		_, _ = server.Await(a)
		return 0, nil
	}), asyncio.WithVirtualTime())
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}

	type row struct{ Name, Parent, State, Awaiting, At string }
	var got []row
	for _, info := range tree {
		r := row{Name: info.Name, Parent: info.Parent, State: info.State, Awaiting: info.Awaiting}
		if f, ok := diagUserFrame(info.AwaitChain); ok {
			r.At = diagWhere(f)
		}
		got = append(got, r)
	}
	want := []row{
		{"main", "", "running", "", diagHere(mainAt)},
		{"server", "main", "waiting", "<Task handler pending>", diagHere(serverAt)},
		{"handler", "server", "waiting", "<sleep>", diagHere(handlerAt)},
		{"newcomer", "main", "ready", "", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Snapshot() (-want +got):\n%s", diff)
	}

	// The tree, with the paths of the files left out.
	paths := regexp.MustCompile(` at \S*/([^/]+\.go:\d+)`)
	drawn := paths.ReplaceAllString(tree.String(), " at $1")
	wantTree := strings.Join([]string{
		"main [running] at " + diagHere(mainAt),
		"  server [waiting] awaiting <Task handler pending> at " + diagHere(serverAt),
		"    handler [waiting] awaiting <sleep> at " + diagHere(handlerAt),
		"  newcomer [ready]",
		"",
	}, "\n")
	if diff := cmp.Diff(wantTree, drawn); diff != "" {
		t.Errorf("String() (-want +got):\n%s", diff)
	}
}

// TestSnapshotOutsideLoop checks that Snapshot of a coroutine no loop runs
// is empty.
func TestSnapshotOutsideLoop(t *testing.T) {
	var tree asyncio.TaskTree = asyncio.TaskTree{{Name: "placeholder"}}
	c := coro.New(func(a *asyncio.A) (int, error) {
		tree = asyncio.Snapshot(a)
		return 0, nil
	})
	c.Send(nil)
	if len(tree) != 0 {
		t.Errorf("Snapshot() outside a loop = %v, want none", tree)
	}
}

// TestSnapshotSameNames checks that tasks sharing a name draw as a tree.
func TestSnapshotSameNames(t *testing.T) {
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (string, error) {
		asyncio.CurrentTask(a).SetName("server")
		c := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) { return 0, asyncio.Sleep(a, time.Second) }))
		c.SetName("server")
		if err := asyncio.Sleep(a, 0); err != nil {
			return "", err
		}
		got := asyncio.Snapshot(a).String()
		if n := len(got); n == 0 || n > 1000 {
			t.Errorf("Snapshot().String() = %q", got)
		}
		_, err := c.Await(a)
		return got, err
	}), asyncio.WithVirtualTime())
	if err != nil {
		t.Fatal(err)
	}
}
