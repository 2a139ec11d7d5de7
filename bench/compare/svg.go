package main

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"
	"unicode/utf8"
)

// The chart's geometry, in pixels.
const (
	svgWidth   = 1000
	labelRight = 196 // workload names end here
	plotLeft   = 206 // the log axis runs from plotLeft
	plotRight  = 890 // to plotRight, where value labels must end too
	ratioRight = 988 // the CPython/Go column ends here
	barHeight  = 10
	barGap     = 2  // between the bars of one workload
	rowGap     = 9  // between workloads
	headGap    = 16 // above a section's name
)

// A series is one kind of bar: a side of the comparison.
type series struct {
	label, color string
	value        func(Row) Summary
}

var chartSeries = []series{
	{"asyncgo (Go)", "#00a3cc", func(r Row) Summary { return r.Go }},
	{"goroutines + channels (Go baseline)", "#8f969c", func(r Row) Summary { return r.Base }},
	{"CPython asyncio", "#f0a202", func(r Row) Summary { return r.Python }},
}

// A panel is a part of the chart with its own axis: time per op, or
// bytes per task, which no one axis can hold.
type panel struct {
	title string
	rows  []Row
}

// panels splits rows by what their unit measures: time (ns/...) or memory
// (B/...). Rows of any other unit are left out of the chart.
func panels(rows []Row) []panel {
	time := panel{title: "Time per op (ns), log scale: shorter is faster"}
	mem := panel{title: "Memory per idle task (bytes), log scale: shorter is smaller"}
	for _, r := range rows {
		switch {
		case strings.HasPrefix(r.Unit, "ns/"):
			time.rows = append(time.rows, r)
		case strings.HasPrefix(r.Unit, "B/"):
			mem.rows = append(mem.rows, r)
		}
	}
	var ps []panel
	for _, p := range []panel{time, mem} {
		if len(p.rows) > 0 {
			ps = append(ps, p)
		}
	}
	return ps
}

// logAxis maps values onto [plotLeft, plotRight] on a log scale. It
// starts at a power of ten and ends where the longest bar's value label
// still fits before plotRight.
type logAxis struct{ lo, hi float64 } // log10 of the ends

// valueCharWidth is about how wide a character of a value label is, in
// pixels: the chart has no font metrics, and DejaVu Sans at 10px averages
// a little over 6.
const valueCharWidth = 6.2

func newLogAxis(rows []Row) logAxis {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range rows {
		for _, s := range chartSeries {
			if v := s.value(r); v.OK() && v.Median > 0 {
				lo = min(lo, math.Log10(min(v.Median, v.P25)))
				hi = max(hi, math.Log10(max(v.Median, v.P75)))
			}
		}
	}
	if math.IsInf(lo, 0) {
		return logAxis{0, 1}
	}
	a := logAxis{math.Floor(lo), max(hi, math.Floor(lo)+1)}
	// Stretch the axis until every label fits; 200 steps of a twentieth
	// of a decade is more than any label needs.
	for range 200 {
		fits := true
		for _, r := range rows {
			for i := range chartSeries {
				if _, end, ok := a.label(r, i); ok && end > plotRight {
					fits = false
				}
			}
		}
		if fits {
			break
		}
		a.hi += 0.05
	}
	return a
}

// label returns the value label of series i's bar in row r and the x at
// which it ends; ok is false if the row has no such bar.
func (a logAxis) label(r Row, i int) (text string, end float64, ok bool) {
	v := chartSeries[i].value(r)
	if !v.OK() || v.Median <= 0 {
		return "", 0, false
	}
	text = formatValue(v.Median) + " " + shortUnit(v.Unit)
	if i == 1 {
		// Which baseline it is, as it is not in the row's name.
		text += "  " + r.Baseline
	}
	return text, a.labelX(r, i) + valueCharWidth*float64(utf8.RuneCountInString(text)), true
}

// labelX returns where series i's value label starts in row r: past the
// bar, and past the whisker of Go's bar.
func (a logAxis) labelX(r Row, i int) float64 {
	v := chartSeries[i].value(r)
	x := a.x(v.Median) + 4
	if i == 0 && v.N > 1 {
		x = max(x, a.x(v.P75)+4)
	}
	return x
}

func (a logAxis) x(v float64) float64 {
	if v <= 0 {
		return plotLeft
	}
	f := (math.Log10(v) - a.lo) / (a.hi - a.lo)
	return plotLeft + math.Max(0, math.Min(1, f))*(plotRight-plotLeft)
}

// svgWriter accumulates the chart; its methods write one element each.
type svgWriter struct{ strings.Builder }

func (w *svgWriter) text(x, y float64, anchor, class, s string) {
	fmt.Fprintf(w, `<text x="%.1f" y="%.1f" text-anchor="%s" class="%s">%s</text>`+"\n", x, y, anchor, class, html.EscapeString(s))
}

func (w *svgWriter) rect(x, y, width, height float64, fill, title string) {
	fmt.Fprintf(w, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s</title></rect>`+"\n", x, y, width, height, fill, html.EscapeString(title))
}

func (w *svgWriter) line(x1, y1, x2, y2 float64, class string) {
	fmt.Fprintf(w, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="%s"/>`+"\n", x1, y1, x2, y2, class)
}

// WriteSVG writes the report's rows as a horizontal bar chart: one group
// of bars per workload (Go, its goroutine baseline, CPython), medians on a
// log scale, with the Go runs' p25–p75 as a whisker and CPython/Go at the
// right.
func (rep *Report) WriteSVG(out io.Writer) error {
	var w svgWriter
	y := 28.0
	w.text(12, y, "start", "title", "asyncgo benchmarks: Go, goroutines and CPython asyncio")
	y += 18
	m := rep.Machine
	w.text(12, y, "start", "sub", fmt.Sprintf("%s, %d logical CPUs (GOMAXPROCS %d), %s/%s", m.CPU, m.CPUs, m.Procs, m.GOOS, m.GOARCH))
	y += 15
	sub := m.Go
	if m.Python != "" {
		sub += ", " + m.Python
	}
	sub += ", " + m.Date.UTC().Format("2006-01-02 15:04 UTC")
	if m.LoadBefore != "" {
		sub += fmt.Sprintf(", load average %s → %s", m.LoadBefore, m.LoadAfter)
	}
	w.text(12, y, "start", "sub", sub)
	y += 15
	w.text(12, y, "start", "sub", spreadNote(rep.Rows))

	// The legend.
	y += 24
	x := 12.0
	for _, s := range chartSeries {
		w.rect(x, y-barHeight+1, 14, barHeight, s.color, s.label)
		w.text(x+19, y, "start", "legend", s.label)
		x += 19 + 6.6*float64(utf8.RuneCountInString(s.label)) + 24
	}
	w.line(x, y-barHeight/2+1, x+18, y-barHeight/2+1, "iqr")
	w.line(x, y-barHeight+2, x, y, "iqr")
	w.line(x+18, y-barHeight+2, x+18, y, "iqr")
	w.text(x+24, y, "start", "legend", "Go p25–p75")

	for _, p := range panels(rep.Rows) {
		y += 34
		y = w.panel(p, y)
	}
	y += 16

	var doc strings.Builder
	fmt.Fprintf(&doc, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%.0f" viewBox="0 0 %d %.0f" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">`+"\n", svgWidth, y, svgWidth, y)
	doc.WriteString(`<style>
.title { font-size: 17px; font-weight: bold; fill: #1b1f23; }
.sub { font-size: 11.5px; fill: #57606a; }
.legend { font-size: 12px; fill: #1b1f23; }
.panel { font-size: 13.5px; font-weight: bold; fill: #1b1f23; }
.section { font-size: 11px; font-weight: bold; fill: #57606a; text-transform: uppercase; letter-spacing: 0.05em; }
.name { font-size: 12px; fill: #1b1f23; }
.value { font-size: 10px; fill: #3d444d; }
.tick { font-size: 10.5px; fill: #57606a; }
.ratio { font-size: 11.5px; fill: #1b1f23; font-weight: bold; }
.ratiohead { font-size: 10.5px; fill: #57606a; }
.grid { stroke: #d8dee4; stroke-width: 1; }
.minor { stroke: #eef1f4; stroke-width: 1; }
.axis { stroke: #8c959f; stroke-width: 1; }
.iqr { stroke: #0b2e3a; stroke-width: 1.3; }
</style>
<rect width="100%" height="100%" fill="#ffffff"/>
`)
	doc.WriteString(w.String())
	doc.WriteString("</svg>\n")
	_, err := io.WriteString(out, doc.String())
	return err
}

// spreadNote says what the bars and whiskers are, from how many runs.
func spreadNote(rows []Row) string {
	n := 0
	for _, r := range rows {
		n = max(n, r.Go.N, r.Python.N)
	}
	ratio := "At the right, CPython's figure over Go's: above 1×, Go's is lower."
	if n <= 1 {
		return "One run of each side: bars are single measurements. " + ratio
	}
	return fmt.Sprintf("Bars are medians of %d interleaved runs of each side. %s", n, ratio)
}

// panel draws p from y down and returns the y below it.
func (w *svgWriter) panel(p panel, y float64) float64 {
	ax := newLogAxis(p.rows)
	w.text(12, y, "start", "panel", p.title)
	w.text(ratioRight, y, "end", "ratiohead", "CPython/Go")
	y += 20
	// Decade labels above the plot; the grid lines are drawn once the
	// panel's height is known.
	for d := ax.lo; d <= ax.hi; d++ {
		if x := ax.x(math.Pow(10, d)); x < plotRight-20 {
			w.text(x, y, "middle", "tick", axisLabel(math.Pow(10, d), p.rows[0].Unit))
		}
	}
	y += 8
	gridTop := y
	var body svgWriter
	sections := make(map[string]bool)
	for _, r := range p.rows {
		sections[section(r.Workload)] = true
	}
	last := ""
	for _, r := range p.rows {
		if s := section(r.Workload); s != last && len(sections) > 1 {
			last = s
			y += headGap
			body.text(12, y, "start", "section", s)
		}
		y = body.row(r, ax, y+rowGap)
	}
	y += rowGap
	for d := ax.lo; d <= ax.hi; d++ {
		for k := 2.0; k <= 9 && d+math.Log10(k) <= ax.hi; k++ {
			xm := ax.x(k * math.Pow(10, d))
			w.line(xm, gridTop, xm, y, "minor")
		}
		xd := ax.x(math.Pow(10, d))
		w.line(xd, gridTop, xd, y, "grid")
	}
	w.line(plotLeft, gridTop, plotLeft, y, "axis")
	w.WriteString(body.String())
	return y
}

// row draws one workload's bars from y down and returns the y below them.
func (w *svgWriter) row(r Row, ax logAxis, y float64) float64 {
	var bars []int
	for i, s := range chartSeries {
		if v := s.value(r); v.OK() && v.Median > 0 {
			bars = append(bars, i)
		}
	}
	height := float64(max(len(bars), 1))*(barHeight+barGap) - barGap
	w.text(labelRight, y+height/2+4, "end", "name", r.Workload)
	if v, ok := r.PythonPerGo(); ok {
		w.text(ratioRight, y+height/2+4, "end", "ratio", formatRatio(v))
	}
	for _, i := range bars {
		s := chartSeries[i]
		v := s.value(r)
		x := ax.x(v.Median)
		title := fmt.Sprintf("%s, %s: %s %s", r.Workload, s.label, formatValue(v.Median), v.Unit)
		if i == 1 {
			title = fmt.Sprintf("%s: %s %s", r.Baseline, formatValue(v.Median), v.Unit)
		}
		w.rect(plotLeft, y, x-plotLeft, barHeight, s.color, title)
		if i == 0 && v.N > 1 {
			lo, hi := ax.x(v.P25), ax.x(v.P75)
			mid := y + barHeight/2
			w.line(lo, mid, hi, mid, "iqr")
			w.line(lo, y+1, lo, y+barHeight-1, "iqr")
			w.line(hi, y+1, hi, y+barHeight-1, "iqr")
		}
		label, _, _ := ax.label(r, i)
		w.text(ax.labelX(r, i), y+barHeight-1.5, "start", "value", label)
		y += barHeight + barGap
	}
	if len(bars) == 0 {
		w.text(plotLeft+4, y+barHeight-1.5, "start", "value", "not measured")
		y += barHeight + barGap
	}
	return y - barGap
}

// shortUnit drops the "/op" of a unit, which every bar shares: "ns/op"
// becomes "ns", "B/task" stays.
func shortUnit(unit string) string { return strings.TrimSuffix(unit, "/op") }

// axisLabel names a power of ten in the panel's unit, scaled to read
// well: 1 ns, 10 ns, 100 ns, 1 µs, ...; 100 B, 1 kB, ...
func axisLabel(v float64, unit string) string {
	if strings.HasPrefix(unit, "ns/") {
		switch {
		case v >= 1e9:
			return fmt.Sprintf("%g s", v/1e9)
		case v >= 1e6:
			return fmt.Sprintf("%g ms", v/1e6)
		case v >= 1e3:
			return fmt.Sprintf("%g µs", v/1e3)
		}
		return fmt.Sprintf("%g ns", v)
	}
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%g MB", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%g kB", v/1e3)
	}
	return fmt.Sprintf("%g B", v)
}
