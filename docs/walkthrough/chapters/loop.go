package chapters

import (
	"os"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// snippet: loop-opts

// loopOpts returns the options with which the examples run their event
// loops. The loop runs on the virtual clock, which jumps straight to the
// next timer when nothing else can run, unless the walkthrough runs with
// -real; and what the loop reports (tasks it had to cancel when main
// returned, say) goes to standard output with the rest, so that the
// chapters show it where it happens.
func loopOpts(opts Options) []asyncio.Option {
	o := []asyncio.Option{asyncio.WithDiagnostics(os.Stdout)}
	if !opts.RealTime {
		o = append(o, asyncio.WithVirtualTime())
	}
	return o
}

// end snippet

// snippet: since

// since returns how far the clock of a's loop has moved since start,
// rounded to the second: the examples sleep for whole seconds, and on the
// real clock each sleep lasts a little longer than asked.
func since(a *asyncio.A, start time.Time) time.Duration {
	return asyncio.GetRunningLoop(a).Time().Sub(start).Round(time.Second)
}

// end snippet
