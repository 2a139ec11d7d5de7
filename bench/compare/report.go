package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// A Report is everything one run of compare found: where and how it
// measured, the table, the targets, and notes on what went wrong.
type Report struct {
	Machine Machine
	Method  []string // how the figures were made, one sentence each
	Rows    []Row
	Checks  []Check
	Notes   []string // footnotes to the table
	Errors  []string // runs that failed, in part or whole
	SVG     string   // the chart's file name, relative to the Markdown file; "" for none
}

// notes returns the footnotes that this run's memory figures call for:
// what each side counts, and Go's split of its figure into heap and stack.
func notes(goSide, pySide *Samples) []string {
	var n []string
	var parts []string
	for _, name := range []string{"IdleTaskMemory", "IdleGoroutineMemory"} {
		unit := goSide.primaryUnitOf(name)
		per, ok := strings.CutPrefix(unit, "B/")
		if !ok {
			continue
		}
		heap, stack := goSide.Summarize(name, "heapB/"+per), goSide.Summarize(name, "stackB/"+per)
		if heap.OK() && stack.OK() {
			parts = append(parts, fmt.Sprintf("%s %s heap + %s stack B/%s", name, formatValue(heap.Median), formatValue(stack.Median), per))
		}
	}
	if goSide.Has("IdleTaskMemory") || goSide.Has("IdleGoroutineMemory") {
		s := "Go's memory figures are the growth of HeapInuse+StackInuse after a garbage collection, per task or goroutine"
		if len(parts) > 0 {
			s += " (" + strings.Join(parts, "; ") + ")"
		}
		n = append(n, s+"; their allocs/op are per batch of 100,000.")
	}
	if heap, stack := goSide.Summarize("ConnMemory", "heapB/conn"), goSide.Summarize("ConnMemory", "stackB/conn"); heap.OK() && stack.OK() {
		n = append(n, fmt.Sprintf("ConnMemory is the same growth per idle server-side connection (%s heap + %s stack B/conn), over as many connections as its conns metric says; CPython's, what tracemalloc traces.",
			formatValue(heap.Median), formatValue(stack.Median)))
	}
	if tm := pySide.Summarize("IdleTaskMemory", unitBTask); tm.OK() {
		s := fmt.Sprintf("CPython's IdleTaskMemory is the growth of the memory tracemalloc traces, per task (%s B/task)", formatValue(tm.Median))
		if rss := pySide.Summarize("IdleTaskMemory", unitRSSBTask); rss.OK() {
			s += fmt.Sprintf("; its resident set grew by %s B/task", formatValue(rss.Median))
		}
		n = append(n, s+".")
	}
	return n
}

// missing stands for a figure this run did not measure.
const missing = "—"

// columns are the table's headings; right reports which are numbers.
var (
	columns = []string{"workload", "unit", "Go", "Go p25–p75", "Go allocs/op", "goroutine baseline", "baseline", "Go/baseline", "CPython", "CPython/Go"}
	right   = []bool{false, false, true, true, true, false, true, true, true, true}
)

// cells returns the row's cells, in the order of columns.
func (r Row) cells() []string {
	c := []string{r.Workload, r.Unit, missing, missing, missing, missing, missing, missing, missing, missing}
	if r.Go.OK() {
		c[2] = formatValue(r.Go.Median)
		c[3] = formatValue(r.Go.P25) + "–" + formatValue(r.Go.P75)
	}
	if r.Allocs.OK() {
		c[4] = formatValue(r.Allocs.Median)
	}
	if r.Base.OK() {
		c[5] = r.Baseline
		c[6] = formatValue(r.Base.Median)
		if r.Base.Unit != r.Unit {
			c[6] += " " + r.Base.Unit
		}
	}
	if v, ok := r.GoPerBaseline(); ok {
		c[7] = formatRatio(v)
	}
	if r.Python.OK() {
		c[8] = formatValue(r.Python.Median)
	}
	if v, ok := r.PythonPerGo(); ok {
		c[9] = formatRatio(v)
	}
	return c
}

// formatValue writes a figure with three or four significant digits, and
// thousands separators from 1,000 on: 4.61, 83.5, 184, 17,149. Whole
// numbers below 100 (allocs/op) have no decimals: 6, not 6.00.
func formatValue(v float64) string {
	switch a := math.Abs(v); {
	case a == math.Trunc(a) && a < 100:
		return fmt.Sprintf("%.0f", v)
	case a < 10:
		return fmt.Sprintf("%.2f", v)
	case a < 100:
		return fmt.Sprintf("%.1f", v)
	}
	s := fmt.Sprintf("%.0f", math.Abs(v))
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	for i, d := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return b.String()
}

// formatRatio writes a ratio with two or three significant digits:
// 0.0031×, 0.84×, 1.25×, 23.4×, 118×.
func formatRatio(v float64) string {
	switch a := math.Abs(v); {
	case a < 0.1:
		return fmt.Sprintf("%.2g×", v)
	case a < 10:
		return fmt.Sprintf("%.2f×", v)
	case a < 100:
		return fmt.Sprintf("%.1f×", v)
	}
	return fmt.Sprintf("%.0f×", v)
}

// cells returns the check's cells: target, measured, met.
func (c Check) cells() []string {
	if !c.Measured {
		return []string{c.Label, missing, missing}
	}
	v := formatRatio(c.Value)
	if !c.Ratio() {
		v = formatValue(c.Value)
		if c.Num.Unit != "" {
			v += " " + c.Num.Unit
		}
	}
	met := "no"
	if c.Met {
		met = "yes"
	}
	return []string{c.Label, v, met}
}

// WriteText writes the report for a terminal: aligned columns, no markup.
func (rep *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Machine: %s\n", rep.Machine)
	for _, m := range rep.Method {
		fmt.Fprintf(&b, "%s\n", m)
	}
	b.WriteString("\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	// tabwriter aligns every column one way; pad the text columns by hand
	// so that names stay flush left.
	writeAligned(tw, columns, right, rep.Rows)
	tw.Flush()
	for _, n := range rep.Notes {
		fmt.Fprintf(&b, "\n%s", n)
	}
	if len(rep.Notes) > 0 {
		b.WriteString("\n")
	}
	if len(rep.Checks) > 0 {
		b.WriteString("\nTargets\n\n")
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "target\tmeasured\tmet\t")
		for _, c := range rep.Checks {
			fmt.Fprintln(tw, strings.Join(c.cells(), "\t")+"\t")
		}
		tw.Flush()
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(&b, "\nerror: %s\n", e)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeAligned writes rows to a right-aligning tabwriter, padding the cells
// of left-aligned columns to their column's width first.
func writeAligned(tw io.Writer, head []string, right []bool, rows []Row) {
	table := [][]string{head}
	for _, r := range rows {
		table = append(table, r.cells())
	}
	width := make([]int, len(head))
	for _, cs := range table {
		for i, c := range cs {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	for _, cs := range table {
		for i, c := range cs {
			if !right[i] {
				c += strings.Repeat(" ", width[i]-len([]rune(c)))
			}
			fmt.Fprint(tw, c, "\t")
		}
		fmt.Fprintln(tw)
	}
}

// WriteMarkdown writes the report as a Markdown document.
func (rep *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# Benchmarks: asyncgo, goroutines and CPython asyncio\n\n")
	b.WriteString("Written by `go run ./bench/compare`; bench/README.md says what each workload measures and how to read this table.\n\n")
	fmt.Fprintf(&b, "**Machine:** %s.\n\n", rep.Machine)
	for _, m := range rep.Method {
		fmt.Fprintf(&b, "%s\n", m)
	}
	b.WriteString("\n")
	mdRow(&b, columns)
	seps := make([]string, len(columns))
	for i := range seps {
		seps[i] = "---"
		if right[i] {
			seps[i] = "--:"
		}
	}
	mdRow(&b, seps)
	for _, r := range rep.Rows {
		mdRow(&b, r.cells())
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(&b, "\n%s\n", n)
	}
	if len(rep.Checks) > 0 {
		b.WriteString("\n## Targets\n\n")
		b.WriteString("Each target is a ratio of this run's medians (bench/README.md says why each is what it is).\n\n")
		mdRow(&b, []string{"target", "measured", "met"})
		mdRow(&b, []string{"---", "--:", "---"})
		for _, c := range rep.Checks {
			mdRow(&b, c.cells())
		}
	}
	if rep.SVG != "" {
		fmt.Fprintf(&b, "\n## Chart\n\n![Medians of this run, log scale](%s)\n", rep.SVG)
	}
	if len(rep.Errors) > 0 {
		b.WriteString("\n## Errors\n\nSome runs failed; their figures are missing above.\n\n```\n")
		for _, e := range rep.Errors {
			fmt.Fprintf(&b, "%s\n", e)
		}
		b.WriteString("```\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdRow(b *strings.Builder, cells []string) {
	b.WriteString("|")
	for _, c := range cells {
		fmt.Fprintf(b, " %s |", strings.ReplaceAll(c, "|", `\|`))
	}
	b.WriteString("\n")
}
