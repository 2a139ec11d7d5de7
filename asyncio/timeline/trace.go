package timeline

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"
)

// WriteTrace writes the recording as a Chrome trace: JSON in the Trace
// Event Format, which https://ui.perfetto.dev and chrome://tracing open.
// Each task is a thread of one process named "asyncio", in creation order,
// named after the task. Each step is a complete ("X") event named "step";
// each wait is a complete event named after what the task awaited (its
// args hold Awaiting in full), from the end of one step to the start of
// the next, so that the wake-up is where the wait ends. A task ready to
// run waits for "ready"; a zero-length one is left out. The task's
// creation and end are instant ("i") events; an end carries the task's
// error, if any. Timestamps are in microseconds from the start of the
// recording.
func (r *Recorder) WriteTrace(w io.Writer) error {
	bw := bufio.NewWriter(w)
	// One event per line: the file stays readable and diffable.
	bw.WriteString(`{"displayTimeUnit":"ms","traceEvents":[` + "\n")
	first := true
	emit := func(e traceEvent) error {
		if !first {
			bw.WriteString(",\n")
		}
		first = false
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false) // "<sleep>" reads better than "\u003csleep\u003e"
		if err := enc.Encode(e); err != nil {
			return err
		}
		_, err := bw.WriteString(strings.TrimSuffix(b.String(), "\n"))
		return err
	}
	if err := emit(traceEvent{Name: "process_name", Ph: "M", Pid: 1, Args: &traceArgs{Name: "asyncio"}}); err != nil {
		return err
	}
	for i, t := range r.Tasks() {
		tid := i + 1
		events := []traceEvent{
			{Name: "thread_name", Ph: "M", Pid: 1, Tid: tid, Args: &traceArgs{Name: t.Name}},
			{Name: "thread_sort_index", Ph: "M", Pid: 1, Tid: tid, Args: &traceArgs{SortIndex: &tid}},
			{Name: "created", Cat: "task", Ph: "i", S: "t", Pid: 1, Tid: tid, Ts: micros(t.Spawned)},
		}
		for _, s := range t.Spans {
			dur := micros(s.End - s.Start)
			switch s.Kind {
			case Running:
				events = append(events, traceEvent{Name: "step", Cat: "step", Ph: "X", Pid: 1, Tid: tid, Ts: micros(s.Start), Dur: &dur})
			case Waiting:
				a := &traceArgs{Awaiting: s.Awaiting}
				if s.Awaiting == "" {
					if s.End == s.Start {
						continue // ready, and run at once: nothing to show
					}
					a = nil
				}
				events = append(events, traceEvent{Name: label(s.Awaiting), Cat: "wait", Ph: "X", Pid: 1, Tid: tid, Ts: micros(s.Start), Dur: &dur, Args: a})
			}
		}
		if t.Done {
			e := traceEvent{Name: "ended", Cat: "task", Ph: "i", S: "t", Pid: 1, Tid: tid, Ts: micros(t.Exited)}
			if t.Err != nil {
				e.Args = &traceArgs{Error: t.Err.Error()}
			}
			events = append(events, e)
		}
		for _, e := range events {
			if err := emit(e); err != nil {
				return err
			}
		}
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}

// A traceEvent is one event of the Trace Event Format; see "Trace Event
// Format" (Google, docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU).
type traceEvent struct {
	Name string       `json:"name"`
	Cat  string       `json:"cat,omitempty"`
	Ph   string       `json:"ph"`
	S    string       `json:"s,omitempty"` // the scope of an instant event
	Pid  int          `json:"pid"`
	Tid  int          `json:"tid"`
	Ts   json.Number  `json:"ts,omitempty"`
	Dur  *json.Number `json:"dur,omitempty"`
	Args *traceArgs   `json:"args,omitempty"`
}

type traceArgs struct {
	Name      string `json:"name,omitempty"`
	SortIndex *int   `json:"sort_index,omitempty"`
	Awaiting  string `json:"awaiting,omitempty"`
	Error     string `json:"error,omitempty"`
}

// micros formats d in microseconds, the unit of trace timestamps, exactly.
func micros(d time.Duration) json.Number {
	return json.Number(strconv.FormatFloat(float64(d)/float64(time.Microsecond), 'f', -1, 64))
}

// label shortens what a task awaited for display: "<sleep>" is "sleep",
// "<Task Task-2 pending>" is "Task Task-2", "<Future pending: waiting for
// X>" is "X", and nothing (a task ready to run) is "ready".
func label(awaiting string) string {
	if awaiting == "" {
		return "ready"
	}
	s := strings.TrimSuffix(strings.TrimPrefix(awaiting, "<"), ">")
	if head, rest, ok := strings.Cut(s, " pending"); ok {
		s = head
		if why, ok := strings.CutPrefix(rest, ": waiting for "); ok {
			s = why
		}
	}
	return s
}
