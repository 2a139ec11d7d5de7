package main

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// testReport returns a report of two runs with a workload on each side
// only, a baseline, a memory row and a target.
func testReport() *Report {
	goSide := samples(
		[]Result{
			{"Sleep0/tasks=1", map[string]float64{"ns/op": 190, "allocs/op": 0}},
			ns("GoroutineYield/goroutines=1", 100),
			ns("PullNext", 80),
			{"IdleTaskMemory", map[string]float64{"B/task": 2800}},
			{"IdleGoroutineMemory", map[string]float64{"B/goroutine": 2600}},
		},
		[]Result{
			{"Sleep0/tasks=1", map[string]float64{"ns/op": 210, "allocs/op": 0}},
			ns("GoroutineYield/goroutines=1", 100),
			ns("PullNext", 80),
		},
	)
	pySide := samples(
		[]Result{ns("Sleep0/tasks=1", 4000), ns("Sleep0/tasks=100000", 8000), {"IdleTaskMemory", map[string]float64{"B/task": 790}}},
		[]Result{ns("Sleep0/tasks=1", 4200), ns("Sleep0/tasks=100000", 8100)},
	)
	return &Report{
		Machine: Machine{
			CPU: "Test CPU <&>", CPUs: 2, Procs: 2, GOOS: "linux", GOARCH: "amd64",
			Go: "go1.26.8", Python: "CPython 3.11.7", Date: time.Date(2026, 11, 26, 17, 0, 0, 0, time.UTC),
			LoadBefore: "0.10", LoadAfter: "0.20",
		},
		Method: []string{"Medians of 2 runs."},
		Rows:   Rows(goSide, pySide),
		Checks: Evaluate([]Target{{Label: "Sleep0/tasks=1 ≤ 1.6× PullNext", Num: goRef("Sleep0/tasks=1"), Den: goRef("PullNext"), AtMost: true, Limit: 1.6}}, goSide, pySide),
		Notes:  []string{"A note."},
		SVG:    "results.svg",
	}
}

func TestWriteMarkdown(t *testing.T) {
	var b strings.Builder
	if err := testReport().WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{
		"**Machine:** Test CPU <&>, 2 logical CPUs (GOMAXPROCS 2), linux/amd64; go1.26.8; CPython 3.11.7; 2026-11-26 17:00 UTC; load average 0.10 before the runs, 0.20 after.",
		"| workload | unit | Go | Go p25–p75 | Go allocs/op | goroutine baseline | baseline | Go/baseline | CPython | CPython/Go |\n| --- | --- | --: | --: | --: | --- | --: | --: | --: | --: |\n",
		"| Sleep0/tasks=1 | ns/op | 200 | 195–205 | 0 | GoroutineYield/goroutines=1 | 100 | 2.00× | 4,100 | 20.5× |\n",
		"| Sleep0/tasks=100000 | ns/op | — | — | — | — | — | — | 8,050 | — |\n",
		"| IdleTaskMemory | B/task | 2,800 | 2,800–2,800 | — | IdleGoroutineMemory | 2,600 B/goroutine | 1.08× | 790 | 0.28× |\n",
		"\nA note.\n",
		"| Sleep0/tasks=1 ≤ 1.6× PullNext | 2.50× | no |\n",
		"![Medians of this run, log scale](results.svg)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("WriteMarkdown() lacks %q; it wrote:\n%s", want, md)
		}
	}
	if strings.Contains(md, "## Errors") {
		t.Errorf("WriteMarkdown() of a report without errors has an Errors section:\n%s", md)
	}
}

func TestWriteText(t *testing.T) {
	rep := testReport()
	rep.Errors = []string{"CPython run 2: exit status 1"}
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	var head, sleep string
	for _, l := range lines {
		switch {
		case strings.HasPrefix(strings.TrimSpace(l), "workload"):
			head = l
		case sleep == "" && strings.HasPrefix(strings.TrimSpace(l), "Sleep0/tasks=1 "):
			sleep = l
		}
	}
	if head == "" || sleep == "" {
		t.Fatalf("WriteText() lacks the heading or the Sleep0/tasks=1 row:\n%s", b.String())
	}
	// Names flush left, figures flush right: the columns line up.
	if runeIndex(head, "workload") != runeIndex(sleep, "Sleep0") {
		t.Errorf("workload column not aligned:\n%s\n%s", head, sleep)
	}
	if runeIndex(head, "CPython/Go")+utf8.RuneCountInString("CPython/Go") != runeIndex(sleep, "20.5×")+utf8.RuneCountInString("20.5×") {
		t.Errorf("CPython/Go column not right-aligned:\n%s\n%s", head, sleep)
	}
	for _, want := range []string{"Machine: Test CPU <&>", "Targets", "error: CPython run 2: exit status 1"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("WriteText() lacks %q:\n%s", want, b.String())
		}
	}
}

// runeIndex is strings.Index in runes, which is what columns line up in.
func runeIndex(s, substr string) int {
	i := strings.Index(s, substr)
	if i < 0 {
		return -1
	}
	return utf8.RuneCountInString(s[:i])
}

func TestWriteSVG(t *testing.T) {
	var b strings.Builder
	if err := testReport().WriteSVG(&b); err != nil {
		t.Fatal(err)
	}
	svg := b.String()
	// Well-formed XML, with the labels escaped.
	d := xml.NewDecoder(strings.NewReader(svg))
	rects, texts := 0, []string{}
	inText := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("WriteSVG() is not well-formed XML: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			inText = tok.Name.Local == "text"
			if tok.Name.Local == "rect" {
				rects++
			}
		case xml.CharData:
			if inText {
				texts = append(texts, string(tok))
			}
		case xml.EndElement:
			inText = false
		}
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"Test CPU <&>", "Sleep0/tasks=1", "Sleep0/tasks=100000", "IdleTaskMemory", "20.5×", "100 ns  GoroutineYield/goroutines=1", "2,800 B/task"} {
		if !strings.Contains(all, want) {
			t.Errorf("WriteSVG() has no text %q; its texts:\n%s", want, all)
		}
	}
	// The background, three legend swatches, and one bar per figure:
	// PullNext one, Sleep0/tasks=1 three, Sleep0/tasks=100000 one,
	// IdleTaskMemory three.
	if want := 1 + 3 + 1 + 3 + 1 + 3; rects != want {
		t.Errorf("WriteSVG() has %d rects, want %d", rects, want)
	}
}

func TestAxisLabel(t *testing.T) {
	tests := []struct {
		v    float64
		unit string
		want string
	}{
		{1, "ns/op", "1 ns"},
		{100, "ns/op", "100 ns"},
		{1000, "ns/timer", "1 µs"},
		{1e5, "ns/op", "100 µs"},
		{1e6, "ns/op", "1 ms"},
		{1e10, "ns/op", "10 s"},
		{100, "B/task", "100 B"},
		{1e4, "B/task", "10 kB"},
		{1e6, "B/task", "1 MB"},
	}
	for _, tt := range tests {
		if got := axisLabel(tt.v, tt.unit); got != tt.want {
			t.Errorf("axisLabel(%g, %q) = %q, want %q", tt.v, tt.unit, got, tt.want)
		}
	}
}

func TestNotes(t *testing.T) {
	goSide := samples([]Result{
		{"IdleTaskMemory", map[string]float64{"B/task": 2957, "heapB/task": 922, "stackB/task": 2035}},
		{"IdleGoroutineMemory", map[string]float64{"B/goroutine": 2618}},
		{"ConnMemory", map[string]float64{"B/conn": 7691, "heapB/conn": 3432, "stackB/conn": 4258, "conns": 9950}},
	})
	pySide := samples([]Result{{"IdleTaskMemory", map[string]float64{"B/task": 788, "RSS-B/task": 880}}})
	want := []string{
		"Go's memory figures are the growth of HeapInuse+StackInuse after a garbage collection, per task or goroutine (IdleTaskMemory 922 heap + 2,035 stack B/task); their allocs/op are per batch of 100,000.",
		"ConnMemory is the same growth per idle server-side connection (3,432 heap + 4,258 stack B/conn), over as many connections as its conns metric says; CPython's, what tracemalloc traces.",
		"CPython's IdleTaskMemory is the growth of the memory tracemalloc traces, per task (788 B/task); its resident set grew by 880 B/task.",
	}
	if diff := cmp.Diff(want, notes(goSide, pySide)); diff != "" {
		t.Errorf("notes() mismatch (-want +got):\n%s", diff)
	}
	if got := notes(samples(), samples()); got != nil {
		t.Errorf("notes() of no memory figures = %q, want none", got)
	}
}
