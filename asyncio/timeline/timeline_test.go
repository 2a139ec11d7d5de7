package timeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/asyncio/timeline"
	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

func TestMain(m *testing.M) { leaktest.Main(m) }

func slow(t int) *asyncio.Coro[int] {
	return asyncio.Async(func(a *asyncio.A) (int, error) {
		if err := asyncio.Sleep(a, time.Duration(t)*time.Second); err != nil {
			return 0, err
		}
		return t, nil
	})
}

// record runs main on the virtual clock with a Recorder installed.
func record[T any](t *testing.T, main func(a *asyncio.A) (T, error)) *timeline.Recorder {
	t.Helper()
	rec := timeline.NewRecorder()
	if _, err := asyncio.Run(context.Background(), asyncio.Async(main), asyncio.WithVirtualTime(), asyncio.WithHooks(rec.Hooks())); err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	return rec
}

// gathered is the lessons' gather(slow(3), slow(1), slow(2)).
func gathered(a *asyncio.A) ([]int, error) {
	return asyncio.Gather(a, slow(3), slow(1), slow(2))
}

// span abbreviates a Span for comparisons: "run 3s", "wait 0s-3s <sleep>".
func span(s timeline.Span) string {
	if s.Kind == timeline.Running {
		return fmt.Sprintf("run %v-%v", s.Start, s.End)
	}
	return fmt.Sprintf("wait %v-%v %s", s.Start, s.End, s.Awaiting)
}

func TestRecorderTasks(t *testing.T) {
	rec := record(t, gathered)
	type task struct {
		Name            string
		Spawned, Exited time.Duration
		Done            bool
		Spans           []string
	}
	var got []task
	for _, tk := range rec.Tasks() {
		var spans []string
		for _, s := range tk.Spans {
			spans = append(spans, span(s))
		}
		got = append(got, task{tk.Name, tk.Spawned, tk.Exited, tk.Done, spans})
	}
	// Each task is ready when created, steps to its first await, waits,
	// and takes one more step when woken, in which it ends.
	life := func(name string, awaiting string, d time.Duration) task {
		return task{name, 0, d, true, []string{
			"wait 0s-0s ",
			"run 0s-0s",
			fmt.Sprintf("wait 0s-%v %s", d, awaiting),
			fmt.Sprintf("run %v-%v", d, d),
		}}
	}
	want := []task{
		life("Task-1", "<gather pending>", 3*time.Second),
		life("Task-2", "<sleep>", 3*time.Second),
		life("Task-3", "<sleep>", 1*time.Second),
		life("Task-4", "<sleep>", 2*time.Second),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Tasks() (-want +got):\n%s", diff)
	}
	if got := rec.Duration(); got != 3*time.Second {
		t.Errorf("Duration() = %v, want 3s", got)
	}
}

// TestRecorderWhileRunning checks what a task reads of the recording while
// the run goes on: tasks still alive have their last span end at the
// latest time seen; renamed tasks carry their new name once they step.
func TestRecorderWhileRunning(t *testing.T) {
	var mid []timeline.Task
	rec := timeline.NewRecorder()
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		asyncio.CurrentTask(a).SetName("main")
		sleeper := asyncio.CreateTask(a, slow(5))
		if err := asyncio.Sleep(a, 2*time.Second); err != nil {
			return 0, err
		}
		mid = rec.Tasks()
		return sleeper.Await(a)
	}), asyncio.WithVirtualTime(), asyncio.WithHooks(rec.Hooks()))
	if err != nil {
		t.Fatal(err)
	}
	if len(mid) != 2 || mid[0].Done || mid[1].Done {
		t.Fatalf("Tasks() while running = %+v, want two live tasks", mid)
	}
	if got, want := span(mid[1].Spans[len(mid[1].Spans)-1]), "wait 0s-2s <sleep>"; got != want {
		t.Errorf("the sleeper's last span while running = %q, want %q", got, want)
	}
	if got := rec.Tasks()[0].Name; got != "main" {
		t.Errorf("the main task's name = %q, want main", got)
	}
	// Changing the copy does not change the recording.
	mid[1].Spans[0].Start = time.Hour
	if rec.Tasks()[1].Spans[0].Start != 0 {
		t.Error("Tasks() shares its spans with the recording")
	}
}

// TestRecorderRealClock checks that on the real clock a step that works
// for a while is as long as that work.
func TestRecorderRealClock(t *testing.T) {
	const work = 3 * time.Millisecond
	rec := timeline.NewRecorder()
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		time.Sleep(work) // the loop's clock moves while the step runs
		return 0, nil
	}), asyncio.WithHooks(rec.Hooks()))
	if err != nil {
		t.Fatal(err)
	}
	tasks := rec.Tasks()
	if len(tasks) != 1 {
		t.Fatalf("recorded %d tasks, want 1", len(tasks))
	}
	var step timeline.Span
	for _, s := range tasks[0].Spans {
		if s.Kind == timeline.Running {
			step = s
		}
	}
	if d := step.End - step.Start; d < work {
		t.Errorf("the step lasted %v, want at least %v", d, work)
	}
}

// TestRecorderErrors checks that a task's error is recorded.
func TestRecorderErrors(t *testing.T) {
	boom := errors.New("boom")
	rec := timeline.NewRecorder()
	_, _ = asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		return 0, boom
	}), asyncio.WithVirtualTime(), asyncio.WithHooks(rec.Hooks()))
	if tasks := rec.Tasks(); len(tasks) != 1 || !errors.Is(tasks[0].Err, boom) {
		t.Errorf("Tasks() = %+v, want one task that failed with boom", tasks)
	}
}

// traceFile is the structure of a Chrome trace, as far as the tests read it.
type traceFile struct {
	DisplayTimeUnit string `json:"displayTimeUnit"`
	TraceEvents     []struct {
		Name string          `json:"name"`
		Cat  string          `json:"cat"`
		Ph   string          `json:"ph"`
		Pid  int             `json:"pid"`
		Tid  int             `json:"tid"`
		Ts   *float64        `json:"ts"`
		Dur  *float64        `json:"dur"`
		Args json.RawMessage `json:"args"`
	} `json:"traceEvents"`
}

func TestWriteTrace(t *testing.T) {
	rec := record(t, gathered)
	var b bytes.Buffer
	if err := rec.WriteTrace(&b); err != nil {
		t.Fatal(err)
	}
	var tr traceFile
	if err := json.Unmarshal(b.Bytes(), &tr); err != nil {
		t.Fatalf("WriteTrace wrote invalid JSON: %v\n%s", err, b.String())
	}
	// Per thread: its name, then its events as "ph name ts+dur".
	threads := map[int]string{}
	events := map[int][]string{}
	for _, e := range tr.TraceEvents {
		if e.Pid != 1 {
			t.Errorf("event %+v has pid %d, want 1", e, e.Pid)
		}
		switch e.Ph {
		case "M":
			if e.Name == "thread_name" {
				var args struct{ Name string }
				if err := json.Unmarshal(e.Args, &args); err != nil {
					t.Fatal(err)
				}
				threads[e.Tid] = args.Name
			}
		case "X":
			if e.Ts == nil || e.Dur == nil {
				t.Fatalf("complete event %+v lacks ts or dur", e)
			}
			ev := fmt.Sprintf("%s/%s@%v+%v", e.Cat, e.Name, *e.Ts/1e6, *e.Dur/1e6)
			if e.Cat == "wait" {
				var args struct{ Awaiting string }
				if err := json.Unmarshal(e.Args, &args); err != nil {
					t.Fatal(err)
				}
				ev += " " + args.Awaiting
			}
			events[e.Tid] = append(events[e.Tid], ev)
		case "i":
			events[e.Tid] = append(events[e.Tid], fmt.Sprintf("%s@%v", e.Name, *e.Ts/1e6))
		default:
			t.Errorf("event %+v has phase %q, want M, X or i", e, e.Ph)
		}
	}
	if diff := cmp.Diff(map[int]string{1: "Task-1", 2: "Task-2", 3: "Task-3", 4: "Task-4"}, threads); diff != "" {
		t.Errorf("threads (-want +got):\n%s", diff)
	}
	// Times in seconds: ts and dur are microseconds.
	life := func(wait string, d int) []string {
		return []string{"created@0", "step/step@0+0", fmt.Sprintf("wait/%s@0+%d <%s pending>", wait, d, wait), fmt.Sprintf("step/step@%d+0", d), fmt.Sprintf("ended@%d", d)}
	}
	sleep := func(d int) []string {
		l := life("sleep", d)
		l[2] = fmt.Sprintf("wait/sleep@0+%d <sleep>", d)
		return l
	}
	want := map[int][]string{1: life("gather", 3), 2: sleep(3), 3: sleep(1), 4: sleep(2)}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("events by thread (-want +got):\n%s", diff)
	}
	if strings.Contains(b.String(), `\u003c`) {
		t.Error("WriteTrace escaped < in JSON strings, which makes the file hard to read")
	}
}

// svgNode is an element of an SVG document, as far as the tests read it.
type svgNode struct {
	Name     string
	Attrs    map[string]string
	Text     string
	Children []*svgNode
}

// parseSVG parses an XML document into a tree, failing t if it is not
// well-formed.
func parseSVG(t *testing.T, doc []byte) *svgNode {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	root := &svgNode{}
	stack := []*svgNode{root}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v\n%s", err, doc)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &svgNode{Name: tok.Name.Local, Attrs: map[string]string{}}
			for _, a := range tok.Attr {
				n.Attrs[a.Name.Local] = a.Value
			}
			top := stack[len(stack)-1]
			top.Children = append(top.Children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			stack[len(stack)-1].Text += string(tok)
		}
	}
	if len(root.Children) != 1 || root.Children[0].Name != "svg" {
		t.Fatalf("the document's root is not one svg element")
	}
	return root.Children[0]
}

// walk calls fn for n and every element under it.
func (n *svgNode) walk(fn func(*svgNode)) {
	fn(n)
	for _, c := range n.Children {
		c.walk(fn)
	}
}

func TestWriteSVG(t *testing.T) {
	rec := record(t, gathered)
	var b bytes.Buffer
	if err := rec.WriteSVG(&b, timeline.SVGOptions{Title: "gather(slow(3), slow(1), slow(2)) & co", Duration: 6 * time.Second}); err != nil {
		t.Fatal(err)
	}
	svg := parseSVG(t, b.Bytes())

	var texts []string
	lanes := map[string][]*svgNode{}
	svg.walk(func(n *svgNode) {
		if n.Name == "text" {
			texts = append(texts, n.Text)
		}
		if n.Name == "g" && strings.HasPrefix(n.Attrs["id"], "task-") {
			lanes[n.Attrs["id"]] = n.Children
		}
	})
	for _, want := range []string{"gather(slow(3), slow(1), slow(2)) & co", "Task-1", "Task-2", "Task-3", "Task-4", "gather · 3 s", "sleep · 1 s", "0 s", "3 s", "6 s"} {
		if !slices.Contains(texts, want) {
			t.Errorf("the SVG has no text %q; its texts are %q", want, texts)
		}
	}
	if len(lanes) != 4 {
		t.Fatalf("the SVG has %d task lanes, want 4", len(lanes))
	}
	// Each lane: one wait bar and two step bars, the steps at least a few
	// pixels wide although they take no time.
	for id, children := range lanes {
		var runs, waits int
		for _, c := range children {
			if c.Name != "rect" {
				continue
			}
			title := ""
			if len(c.Children) > 0 {
				title = c.Children[0].Text
			}
			switch {
			case strings.Contains(title, " runs at "):
				runs++
				if w, _ := strconv.ParseFloat(c.Attrs["width"], 64); w < 2 {
					t.Errorf("%s: step bar %q is %v pixels wide, want it visible", id, title, w)
				}
			case strings.Contains(title, " awaits "):
				waits++
			}
		}
		if runs != 2 || waits != 1 {
			t.Errorf("%s has %d step bars and %d wait bars, want 2 and 1", id, runs, waits)
		}
	}

	// The same recording gives the same bytes.
	var again bytes.Buffer
	if err := rec.WriteSVG(&again, timeline.SVGOptions{Title: "gather(slow(3), slow(1), slow(2)) & co", Duration: 6 * time.Second}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), again.Bytes()) {
		t.Error("WriteSVG wrote different bytes for the same recording")
	}
}

// TestWriteSVGEmptyAndShort checks the pictures of a recording of nothing
// and of a run whose tasks never sleep: both are well-formed, with an axis.
func TestWriteSVGEmptyAndShort(t *testing.T) {
	for name, rec := range map[string]*timeline.Recorder{
		"nothing":   timeline.NewRecorder(),
		"no sleeps": record(t, func(a *asyncio.A) (int, error) { return 0, asyncio.Sleep(a, 0) }),
		"short":     record(t, func(a *asyncio.A) (int, error) { return 0, asyncio.Sleep(a, 1500*time.Microsecond) }),
	} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := rec.WriteSVG(&b, timeline.SVGOptions{}); err != nil {
				t.Fatal(err)
			}
			svg := parseSVG(t, b.Bytes())
			if svg.Attrs["width"] != "800" {
				t.Errorf("width = %q, want the default 800", svg.Attrs["width"])
			}
			var b2 bytes.Buffer
			if err := rec.WriteTrace(&b2); err != nil || !json.Valid(b2.Bytes()) {
				t.Errorf("WriteTrace() = %v, valid JSON %v", err, json.Valid(b2.Bytes()))
			}
		})
	}
}
