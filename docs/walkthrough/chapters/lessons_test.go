package chapters_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/yieldfrom/asyncgo/docs/walkthrough/chapters"
)

// pythonIslice is what the lesson's list(islice(fib(), 20)) prints in
// Python. Go prints a slice the same way without the commas.
const pythonIslice = "[1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181, 6765]"

// pythonStep is what the lesson's step-by-step loop prints in Python, one
// f"{i:8} {n:8}" row per value: the Go example must print it byte for byte.
const pythonStep = `       0        1
       1        1
       2        2
       3        3
       4        5
       5        8
       6       13
       7       21
       8       34
       9       55
      10       89
      11      144
      12      233
      13      377
      14      610
      15      987
      16     1597
      17     2584
      18     4181
      19     6765
`

// lessons holds what each example must print: the lessons' output where a
// lesson prints something, and otherwise what Python prints for the
// example's Python twin in docs/walkthrough/python, with Python's spelling
// of values (None, 10.0, exception reprs) replaced by Go's. Every example
// of every chapter must be listed here.
var lessons = map[string]string{
	"generators/pause": `caller: created it, state GEN_CREATED
pausing: started
caller: got 1 state GEN_SUSPENDED
caller: does some work
pausing: continues where it left off
caller: got 2
pausing: done
caller: it is finished, state GEN_CLOSED
`,
	"generators/islice": strings.ReplaceAll(pythonIslice, ",", "") + "\n",
	"generators/step":   pythonStep,
	"generators/pull": `caller: nothing ran yet
body: started
caller: got 1
body: continues where it left off
caller: got 2
body: done
caller: finished
`,

	"send-throw-close/send": `0 true
10 true
20 true
15 true
`,
	"send-throw-close/slot": `0 true
10 true
20 true
15 true
`,
	"send-throw-close/just-started": `Send panicked: gen.Send: can't send non-zero value to a just-started generator
0 true
`,
	"send-throw-close/throw-handled": `0
1
2
counter: reset
after the reset: 0
1
`,
	"send-throw-close/throw-unhandled": `0
Throw ended the generator with bad input
GEN_CLOSED
`,
	"send-throw-close/close": `printer: open
printer: got hello
printer: got world
printer: Yield reported generator exit
printer: deferred call
Close returned <nil>
GEN_CLOSED
`,
	"send-throw-close/ignored-close": `stubborn: ignoring generator exit
stubborn: deferred call
Close returned generator ignored close
GEN_CLOSED
`,

	"yield-from/delegate": `1
2
outer: YieldFrom returned "result of inner"
3
finished with "result of outer", error <nil>
`,
	"yield-from/send": `tally: first two add up to 3
tally: next three add up to 60
total 63
`,
	"yield-from/throw": `working
worker: deferred call
supervisor: worker ended with stop
supervisor carries on
`,
	"yield-from/close": `1
child: deferred call
parent: deferred call
Close returned <nil>
GEN_CLOSED
`,
	"yield-from/depth": `[1 1 2 3 5]
values passed from level to level: 50
[1 1 2 3 5]
`,
	"yield-from/inline": `sub's state: GEN_SUSPENDED
sub.Next panicked: gen.Send: generator already executing (it is being delegated to by YieldFrom)
`,
}

func TestLessons(t *testing.T) {
	for _, c := range chapters.All() {
		for _, e := range c.Examples {
			name := c.Name + "/" + e.Name
			t.Run(name, func(t *testing.T) {
				want, ok := lessons[name]
				if !ok {
					t.Fatalf("no expected output for %s: add the lesson's output to lessons", name)
				}
				got, err := e.Output(chapters.Options{})
				if err != nil {
					t.Fatalf("Output() error = %v", err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s printed something else than the lesson (-want +got):\n%s", name, diff)
				}
			})
		}
	}
}

// TestChapterOutput checks that a whole chapter prints its heading and each
// example's heading and output, in order, as the walkthrough shows it.
func TestChapterOutput(t *testing.T) {
	for _, c := range chapters.All() {
		t.Run(c.Name, func(t *testing.T) {
			want := c.Heading() + "\n"
			for _, e := range c.Examples {
				want += "\n" + e.Heading(c.Name) + "\n" + lessons[c.Name+"/"+e.Name]
			}
			got, err := c.Output(chapters.Options{})
			if err != nil {
				t.Fatalf("Output() error = %v", err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("chapter output differs (-want +got):\n%s", diff)
			}
		})
	}
}
