package chapters

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/asyncio/timeline"
)

func init() {
	Register(Chapter{
		Number: 9,
		Name:   "why-async",
		Title:  "Why async",
		Examples: []Example{
			{"order", "Code runs in the order you read it", whyOrder},
			{"no-locks", "No locks between awaits", whyNoLocks},
			{"across-await", "What an await lets in", whyAcrossAwait},
			{"with-lock", "Holding a lock across the await", whyWithLock},
			{"sync-timeline", "One after another, recorded", whySyncTimeline},
			{"async-timeline", "Gathered, recorded", whyAsyncTimeline},
		},
	})
	RegisterFigure(Figure{Name: "why-async-sync.svg", Render: func() ([]byte, error) {
		return drawTimeline(oneAfterAnother(), "slow(3), slow(1), slow(2) awaited one after another")
	}})
	RegisterFigure(Figure{Name: "why-async-async.svg", Render: func() ([]byte, error) {
		return drawTimeline(gathered(), "slow(3), slow(1), slow(2) gathered")
	}})
}

// snippet: f
func doA(name string) { fmt.Println(name+":", "do_a") }
func doB(name string) { fmt.Println(name+":", "do_b") }
func doD(name string) { fmt.Println(name+":", "do_d") }

func doC(name string) *asyncio.Coro[struct{}] {
	return asyncio.AsyncErr(func(a *asyncio.A) error {
		fmt.Println(name+":", "do_c")
		return asyncio.Sleep(a, 0)
	})
}

// f is a coroutine: it must be awaited, or run as a task.
func f(name string) *asyncio.Coro[struct{}] {
	return asyncio.AsyncErr(func(a *asyncio.A) error {
		doA(name)
		doB(name)                                              // This will always run right after doA, nothing will run in between
		if _, err := asyncio.Await(a, doC(name)); err != nil { // Execution pauses here, and other coroutines might start and run till their awaits
			return err
		}
		doD(name)
		return nil
	})
}

// end snippet

func whyOrder(opts Options) error {
	// snippet: order
	main := asyncio.Async(func(a *asyncio.A) ([]struct{}, error) {
		return asyncio.Gather(a, f("one"), f("two"), f("three"))
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

func whyNoLocks(opts Options) error {
	// snippet: no-locks
	count := 0
	increment := func(times int) *asyncio.Coro[int] {
		return asyncio.Async(func(a *asyncio.A) (int, error) {
			for range times {
				count++ // read, add, write: nothing can run in between
				if err := asyncio.Sleep(a, 0); err != nil {
					return 0, err
				}
			}
			return times, nil
		})
	}
	main := asyncio.Async(func(a *asyncio.A) ([]int, error) {
		return asyncio.Gather(a, increment(1000), increment(1000), increment(1000))
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	fmt.Println("count =", count)
	// end snippet
	return err
}

func whyAcrossAwait(opts Options) error {
	// snippet: across-await
	balance := 100
	withdraw := func(name string, amount int) *asyncio.Coro[struct{}] {
		return asyncio.AsyncErr(func(a *asyncio.A) error {
			b := balance
			fmt.Println(name, "sees", b)
			if err := asyncio.Sleep(a, 0); err != nil { // say, an await of a fraud check
				return err
			}
			balance = b - amount // b may be stale: others ran at the await
			fmt.Println(name, "leaves", balance)
			return nil
		})
	}
	main := asyncio.Async(func(a *asyncio.A) ([]struct{}, error) {
		return asyncio.Gather(a, withdraw("alice", 30), withdraw("bob", 50))
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	fmt.Println("balance =", balance)
	// end snippet
	return err
}

func whyWithLock(opts Options) error {
	// snippet: with-lock
	balance := 100
	var lock asyncio.Lock
	withdraw := func(name string, amount int) *asyncio.Coro[struct{}] {
		return asyncio.AsyncErr(func(a *asyncio.A) error {
			if err := lock.Acquire(a); err != nil {
				return err
			}
			defer lock.Release()
			b := balance
			fmt.Println(name, "sees", b)
			if err := asyncio.Sleep(a, 0); err != nil {
				return err
			}
			balance = b - amount
			fmt.Println(name, "leaves", balance)
			return nil
		})
	}
	// end snippet
	main := asyncio.Async(func(a *asyncio.A) ([]struct{}, error) {
		return asyncio.Gather(a, withdraw("alice", 30), withdraw("bob", 50))
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	fmt.Println("balance =", balance)
	return err
}

// snippet: programs

// oneAfterAnother awaits slow(3), slow(1) and slow(2) one after another.
func oneAfterAnother() *asyncio.Coro[[]int] {
	return asyncio.Async(func(a *asyncio.A) ([]int, error) {
		var results []int
		for _, t := range []int{3, 1, 2} {
			r, err := asyncio.Await(a, slow(t))
			if err != nil {
				return nil, err
			}
			results = append(results, r)
		}
		return results, nil
	})
}

// gathered awaits the three at once.
func gathered() *asyncio.Coro[[]int] {
	return asyncio.Async(func(a *asyncio.A) ([]int, error) {
		return asyncio.Gather(a, slow(3), slow(1), slow(2))
	})
}

// end snippet

// snippet: record

// recordRun runs main on an event loop with a timeline.Recorder installed,
// prints main's result and how long it took, and returns the recording.
func recordRun(opts Options, main *asyncio.Coro[[]int]) (*timeline.Recorder, error) {
	rec := timeline.NewRecorder()
	results, err := asyncio.Run(context.Background(), main, append(loopOpts(opts), asyncio.WithHooks(rec.Hooks()))...)
	fmt.Println(results, "after", rec.Duration().Round(time.Second))
	return rec, err
}

// printWaits prints what each task waited for, and when.
func printWaits(rec *timeline.Recorder) {
	for _, t := range rec.Tasks() {
		for _, s := range t.Spans {
			if s.Kind == timeline.Waiting && s.End > s.Start {
				fmt.Printf("%s waits %v-%v for %s\n", t.Name, s.Start.Round(time.Second), s.End.Round(time.Second), s.Awaiting)
			}
		}
	}
}

// end snippet

func whySyncTimeline(opts Options) error {
	// snippet: sync-timeline
	rec, err := recordRun(opts, oneAfterAnother())
	printWaits(rec)
	// end snippet
	return err
}

func whyAsyncTimeline(opts Options) error {
	// snippet: async-timeline
	rec, err := recordRun(opts, gathered())
	printWaits(rec)
	// end snippet
	return err
}

// drawTimeline runs main on the virtual clock and draws its timeline,
// titled with how long it took, with a time axis of six seconds for both
// pictures of the chapter, so that a second is as wide in each.
func drawTimeline(main *asyncio.Coro[[]int], title string) ([]byte, error) {
	var rec *timeline.Recorder
	if _, err := Capture(func() error {
		var err error
		rec, err = recordRun(Options{}, main)
		return err
	}); err != nil {
		return nil, err
	}
	// What each task runs: main, then the tasks Gather makes, in argument
	// order.
	runs := map[string]string{"Task-1": "main", "Task-2": "slow(3)", "Task-3": "slow(1)", "Task-4": "slow(2)"}
	title = fmt.Sprintf("%s: %g s", title, rec.Duration().Seconds())
	// snippet: draw
	var svg bytes.Buffer
	err := rec.WriteSVG(&svg, timeline.SVGOptions{
		Title:      title,
		Duration:   6 * time.Second,
		Label:      func(t timeline.Task) string { return t.Name + ": " + runs[t.Name] },
		LabelWidth: 130,
	})
	// end snippet
	return svg.Bytes(), err
}
