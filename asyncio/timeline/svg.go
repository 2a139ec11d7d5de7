package timeline

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// SVGOptions are the settings of WriteSVG. The zero value is a picture
// 800 pixels wide, without a title, whose time axis spans the recording.
type SVGOptions struct {
	// Title is drawn above the lanes, if set.
	Title string
	// Width is the picture's width in pixels; 0 means 800.
	Width int
	// Duration is the length of the time axis; 0 means the recording's
	// own duration. Pictures meant to be compared side by side should
	// share one, so that a second is as wide in each.
	Duration time.Duration
	// Label, if set, returns the text at the start of a task's lane: the
	// task's name with what it runs, say. By default it is the name.
	Label func(t Task) string
	// LabelWidth is the width in pixels of the column of labels; 0 fits
	// the longest. Pictures to compare side by side should share it too.
	LabelWidth int
}

// The picture's geometry, in pixels, and its palette: dark bars for steps,
// light ones for waits, on white, so that it reads on a light page and
// stands out on a dark one.
const (
	svgDefaultWidth   = 800
	svgMargin         = 16
	svgTitleHeight    = 30
	svgLaneHeight     = 30
	svgBarHeight      = 20
	svgAxisHeight     = 42
	svgLegendHeight   = 26
	svgMinRunWidth    = 3   // a step on the virtual clock takes no time
	svgCharWidth      = 6.6 // the average width of a character at 11px
	svgLabelCharWidth = 7.4 // at 13px, the lanes' labels
	svgFont           = `font-family="Helvetica, Arial, sans-serif"`

	colorBackground = "#ffffff"
	colorStripe     = "#f3f5f8"
	colorText       = "#1f2328"
	colorMuted      = "#59636e"
	colorGrid       = "#d8dee4"
	colorRun        = "#1f5fbf"
	colorWait       = "#cfe2fb"
	colorWaitEdge   = "#7ea8e0"
	colorWaitText   = "#163a6b"
	colorReady      = "#eceff2"
	colorReadyEdge  = "#b6bec7"
)

// WriteSVG draws the recording as an SVG picture: one lane per task, in
// creation order, with the task's name on the left; a dark bar while the
// task ran (at least a few pixels wide, since on the virtual clock a step
// takes no time), and a light bar while it waited, labelled with what it
// awaited and for how long when the label fits; under the lanes, a time
// axis in seconds (or smaller units, for short recordings). Every bar has a
// tooltip with the full description. The SVG is self-contained and the
// same recording always gives the same bytes.
func (r *Recorder) WriteSVG(w io.Writer, opts SVGOptions) error {
	tasks := r.Tasks()
	width := opts.Width
	if width <= 0 {
		width = svgDefaultWidth
	}
	span := opts.Duration
	if span <= 0 {
		span = r.Duration()
	}
	unit, step := axisUnit(span)
	if span <= 0 {
		span = step
	}

	labels := make([]string, len(tasks))
	gutter := 60.0
	for i, t := range tasks {
		labels[i] = t.Name
		if opts.Label != nil {
			labels[i] = opts.Label(t)
		}
		gutter = max(gutter, float64(len([]rune(labels[i])))*svgLabelCharWidth+2*svgMargin)
	}
	if opts.LabelWidth > 0 {
		gutter = float64(svgMargin + opts.LabelWidth)
	}
	left := gutter
	right := float64(width - svgMargin - 10) // room for the last tick label
	top := float64(svgMargin)
	if opts.Title != "" {
		top += svgTitleHeight
	}
	lanesBottom := top + float64(len(tasks)*svgLaneHeight)
	height := int(lanesBottom) + svgAxisHeight + svgLegendHeight + svgMargin
	x := func(d time.Duration) float64 {
		return left + (right-left)*float64(d)/float64(span)
	}

	b := &svgWriter{w: bufio.NewWriter(w)}
	b.printf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" %s font-size="13">`+"\n", width, height, width, height, svgFont)
	b.printf(`<rect width="%d" height="%d" fill="%s"/>`+"\n", width, height, colorBackground)
	if opts.Title != "" {
		b.printf(`<text x="%d" y="%d" font-size="16" font-weight="bold" fill="%s">%s</text>`+"\n", svgMargin, svgMargin+18, colorText, escape(opts.Title))
	}

	// Lanes: stripes and names, then the grid over them, then the bars.
	for i := range tasks {
		y := top + float64(i*svgLaneHeight)
		if i%2 == 0 {
			b.printf(`<rect x="%d" y="%s" width="%s" height="%d" fill="%s"/>`+"\n", svgMargin, num(y), num(right-svgMargin+4), svgLaneHeight, colorStripe)
		}
		b.printf(`<text x="%d" y="%s" fill="%s">%s</text>`+"\n", svgMargin+6, num(y+svgLaneHeight/2+4.5), colorText, escape(labels[i]))
	}
	var ticks []time.Duration
	for d := time.Duration(0); d <= span+step/1000; d += step {
		ticks = append(ticks, d)
	}
	for _, d := range ticks {
		b.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`+"\n", num(x(d)), num(top), num(x(d)), num(lanesBottom+5), colorGrid)
	}
	for i, t := range tasks {
		y := top + float64(i*svgLaneHeight) + (svgLaneHeight-svgBarHeight)/2
		b.printf(`<g id="task-%d">`+"\n", i+1)
		// Waits first, so that the steps at their ends are drawn over them.
		for _, s := range t.Spans {
			if s.Kind != Waiting || s.End <= s.Start {
				continue
			}
			x0, x1 := x(s.Start), x(s.End)
			fill, edge, text := colorWait, colorWaitEdge, colorWaitText
			if s.Awaiting == "" {
				fill, edge, text = colorReady, colorReadyEdge, colorMuted
			}
			long := label(s.Awaiting) + " · " + formatDuration(s.End-s.Start)
			b.printf(`<rect x="%s" y="%s" width="%s" height="%d" rx="3" fill="%s" stroke="%s" stroke-width="1"><title>%s</title></rect>`+"\n",
				num(x0), num(y), num(x1-x0), svgBarHeight, fill, edge, escape(t.Name+" awaits "+describe(s.Awaiting)+" for "+formatDuration(s.End-s.Start)))
			room := x1 - x0 - 2*svgMinRunWidth - 8
			for _, l := range []string{long, label(s.Awaiting)} {
				if float64(len([]rune(l)))*svgCharWidth <= room {
					b.printf(`<text x="%s" y="%s" font-size="11" fill="%s">%s</text>`+"\n", num(x0+svgMinRunWidth+5), num(y+svgBarHeight/2+4), text, escape(l))
					break
				}
			}
		}
		for _, s := range t.Spans {
			if s.Kind != Running {
				continue
			}
			x0, w := x(s.Start), max(x(s.End)-x(s.Start), svgMinRunWidth)
			x0 = min(x0, right-w)
			b.printf(`<rect x="%s" y="%s" width="%s" height="%d" fill="%s"><title>%s</title></rect>`+"\n",
				num(x0), num(y), num(w), svgBarHeight, colorRun, escape(t.Name+" runs at "+formatDuration(s.Start)+" for "+formatDuration(s.End-s.Start)))
		}
		b.printf("</g>\n")
	}

	// The time axis.
	ay := lanesBottom + 5
	b.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`+"\n", num(left), num(ay), num(right), num(ay), colorMuted)
	for _, d := range ticks {
		b.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`+"\n", num(x(d)), num(ay), num(x(d)), num(ay+5), colorMuted)
		b.printf(`<text x="%s" y="%s" font-size="11" text-anchor="middle" fill="%s">%s</text>`+"\n", num(x(d)), num(ay+18), colorMuted, formatTick(d, unit))
	}
	b.printf(`<text x="%d" y="%s" font-size="11" fill="%s">time</text>`+"\n", svgMargin+6, num(ay+18), colorMuted)

	// The legend.
	ly := ay + svgAxisHeight - 4
	lx := left
	b.printf(`<rect x="%s" y="%s" width="14" height="12" fill="%s"/>`+"\n", num(lx), num(ly-10), colorRun)
	b.printf(`<text x="%s" y="%s" font-size="12" fill="%s">running (a step)</text>`+"\n", num(lx+20), num(ly), colorText)
	lx += 140
	b.printf(`<rect x="%s" y="%s" width="28" height="12" rx="2" fill="%s" stroke="%s"/>`+"\n", num(lx), num(ly-10), colorWait, colorWaitEdge)
	b.printf(`<text x="%s" y="%s" font-size="12" fill="%s">waiting, labelled with what it awaits</text>`+"\n", num(lx+34), num(ly), colorText)
	b.printf("</svg>\n")
	return b.flush()
}

// svgWriter writes formatted text, keeping the first error.
type svgWriter struct {
	w   *bufio.Writer
	err error
}

func (b *svgWriter) printf(format string, args ...any) {
	if b.err == nil {
		_, b.err = fmt.Fprintf(b.w, format, args...)
	}
}

func (b *svgWriter) flush() error {
	if b.err != nil {
		return b.err
	}
	return b.w.Flush()
}

// num formats a coordinate with at most one decimal.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

func escape(s string) string { return escaper.Replace(s) }

// describe is what a wait's tooltip says the task awaited.
func describe(awaiting string) string {
	if awaiting == "" {
		return "its turn (it was ready)"
	}
	return awaiting
}

// axisUnit chooses the unit of the axis labels and the distance between
// ticks for an axis of length span: 1, 2 or 5 times a power of ten, about
// five to ten ticks.
func axisUnit(span time.Duration) (unit, step time.Duration) {
	if span <= 0 {
		return time.Second, time.Second
	}
	raw := float64(span) / 8
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	step = time.Duration(pow)
	for _, m := range []float64{1, 2, 5, 10} {
		if pow*m >= raw {
			step = time.Duration(pow * m)
			break
		}
	}
	step = max(step, 1)
	switch {
	case span >= time.Second:
		unit = time.Second
	case span >= time.Millisecond:
		unit = time.Millisecond
	default:
		unit = time.Microsecond
	}
	return unit, step
}

var unitNames = map[time.Duration]string{time.Second: "s", time.Millisecond: "ms", time.Microsecond: "µs"}

// formatTick writes d in unit: "1.5 s".
func formatTick(d, unit time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(unit), 'f', -1, 64) + " " + unitNames[unit]
}

// formatDuration writes d in the largest unit that keeps it at least 1,
// to three significant digits: "3 s", "250 ms", "34.4 ms", "0 s".
func formatDuration(d time.Duration) string {
	unit := time.Second
	switch {
	case d == 0 || d >= time.Second:
	case d >= time.Millisecond:
		unit = time.Millisecond
	case d >= time.Microsecond:
		unit = time.Microsecond
	default:
		return strconv.FormatInt(int64(d), 10) + " ns"
	}
	v := float64(d) / float64(unit)
	scale := 100.0
	switch {
	case v >= 100:
		scale = 1
	case v >= 10:
		scale = 10
	}
	return strconv.FormatFloat(math.Round(v*scale)/scale, 'f', -1, 64) + " " + unitNames[unit]
}
