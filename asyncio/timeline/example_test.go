package timeline_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/asyncio/timeline"
)

// A Recorder installed on a run records each task's steps and waits, to be
// drawn as an SVG or opened as a trace, or read directly.
func ExampleRecorder() {
	rec := timeline.NewRecorder()
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) ([]int, error) {
		return asyncio.Gather(a, slow(3), slow(1), slow(2))
	}), asyncio.WithVirtualTime(), asyncio.WithHooks(rec.Hooks()))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range rec.Tasks() {
		for _, s := range t.Spans {
			if s.Kind == timeline.Waiting && s.End > s.Start {
				fmt.Printf("%s waited %v for %s\n", t.Name, s.End-s.Start, s.Awaiting)
			}
		}
	}
	if f, err := os.CreateTemp("", "gather-*.svg"); err == nil {
		defer os.Remove(f.Name())
		defer f.Close()
		_ = rec.WriteSVG(f, timeline.SVGOptions{Title: "gather(slow(3), slow(1), slow(2))", Duration: 6 * time.Second})
	}
	// Output:
	// Task-1 waited 3s for <gather pending>
	// Task-2 waited 3s for <sleep>
	// Task-3 waited 1s for <sleep>
	// Task-4 waited 2s for <sleep>
}
