// Package chapters holds the programs of the walkthrough in docs/: one file
// per chapter, each registering a [Chapter] from an init function.
//
// A chapter is a list of examples. Each example is a small program that
// prints, the way the Python lessons print, to os.Stdout. The walkthrough
// command (docs/walkthrough) runs them for a reader; docs/internal/mdsync
// copies their code and their output into the chapter's Markdown; the tests
// check their output against the lessons'.
//
// # Adding a chapter
//
// Write chNN_name.go in this package with an init function that calls
// [Register], and docs/NN-name.md beside docs/README.md. Mark the code the
// Markdown shows with comment lines
//
//	// snippet: NAME
//	...
//	// end snippet
//
// and refer to it from the Markdown as described in docs/internal/mdsync.
package chapters

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Options are the walkthrough's settings, passed to every example.
type Options struct {
	// RealTime makes examples that sleep use the real clock. Otherwise they
	// use the event loop's virtual clock, which jumps straight to the next
	// timer, so that a chapter that sleeps for seconds prints the same
	// output at once.
	RealTime bool
}

// A Chapter is one chapter of the walkthrough.
type Chapter struct {
	// Number is the chapter's place in reading order, counting from 1.
	Number int
	// Name identifies the chapter on the command line and in the
	// Markdown's markers: lower case words joined by hyphens, such as
	// "send-throw-close".
	Name string
	// Title is the chapter's heading.
	Title string
	// Examples are the chapter's programs, in the order it shows them.
	Examples []Example
}

// An Example is one program of a chapter.
type Example struct {
	// Name identifies the example within its chapter; the example as a
	// whole is named "chapter/example", such as "generators/step".
	Name string
	// Title says in a few words what the example shows.
	Title string
	// Run runs the example, printing to os.Stdout.
	Run func(Options) error
}

// Doc returns the name of the chapter's Markdown file in docs/, such as
// "01-generators.md".
func (c *Chapter) Doc() string {
	return fmt.Sprintf("%02d-%s.md", c.Number, c.Name)
}

// Heading returns the line the walkthrough prints before the chapter's
// output, such as "== 1. Generators [generators] ==".
func (c *Chapter) Heading() string {
	return fmt.Sprintf("== %d. %s [%s] ==", c.Number, c.Title, c.Name)
}

// Heading returns the line printed before the example's output when its
// whole chapter runs, such as "-- Stepping with Next [generators/step]".
func (e *Example) Heading(chapter string) string {
	return fmt.Sprintf("-- %s [%s/%s]", e.Title, chapter, e.Name)
}

// Run prints the chapter's heading and runs its examples in order, each
// after its own heading and a blank line. It stops at the first example
// that fails and returns its error, naming the example.
func (c *Chapter) Run(opts Options) error {
	fmt.Println(c.Heading())
	for i := range c.Examples {
		e := &c.Examples[i]
		fmt.Println()
		fmt.Println(e.Heading(c.Name))
		if err := e.Run(opts); err != nil {
			return fmt.Errorf("%s/%s: %w", c.Name, e.Name, err)
		}
	}
	return nil
}

// Example returns the chapter's example with the given name.
func (c *Chapter) Example(name string) (*Example, bool) {
	for i := range c.Examples {
		if c.Examples[i].Name == name {
			return &c.Examples[i], true
		}
	}
	return nil, false
}

var (
	registry []*Chapter
	validID  = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// Register adds a chapter to the walkthrough. It is meant to be called from
// an init function, and panics if the chapter is malformed (no title, no
// examples, a name that is not lower-case words joined by hyphens) or if its
// number or name is already taken.
func Register(c Chapter) {
	switch {
	case c.Number < 1:
		panic(fmt.Sprintf("chapters.Register: chapter %q has number %d, want 1 or more", c.Name, c.Number))
	case !validID.MatchString(c.Name):
		panic(fmt.Sprintf("chapters.Register: chapter name %q is not lower-case words joined by hyphens", c.Name))
	case c.Title == "":
		panic(fmt.Sprintf("chapters.Register: chapter %q has no title", c.Name))
	case len(c.Examples) == 0:
		panic(fmt.Sprintf("chapters.Register: chapter %q has no examples", c.Name))
	}
	for _, r := range registry {
		if r.Number == c.Number || r.Name == c.Name {
			panic(fmt.Sprintf("chapters.Register: chapter %d %q clashes with chapter %d %q", c.Number, c.Name, r.Number, r.Name))
		}
	}
	seen := map[string]bool{}
	for _, e := range c.Examples {
		switch {
		case !validID.MatchString(e.Name):
			panic(fmt.Sprintf("chapters.Register: example name %q of chapter %q is not lower-case words joined by hyphens", e.Name, c.Name))
		case seen[e.Name]:
			panic(fmt.Sprintf("chapters.Register: chapter %q has two examples named %q", c.Name, e.Name))
		case e.Title == "" || e.Run == nil:
			panic(fmt.Sprintf("chapters.Register: example %s/%s needs a title and a Run function", c.Name, e.Name))
		}
		seen[e.Name] = true
	}
	c.Examples = slices.Clone(c.Examples)
	registry = append(registry, &c)
	slices.SortFunc(registry, func(a, b *Chapter) int { return cmp.Compare(a.Number, b.Number) })
}

// All returns the registered chapters in reading order.
func All() []*Chapter {
	return slices.Clone(registry)
}

// Lookup returns the chapter with the given name or number ("generators",
// or "1").
func Lookup(name string) (*Chapter, bool) {
	for _, c := range registry {
		if c.Name == name || fmt.Sprint(c.Number) == name {
			return c, true
		}
	}
	return nil, false
}

// LookupExample returns the example named "chapter/example".
func LookupExample(name string) (*Chapter, *Example, bool) {
	chapter, example, ok := strings.Cut(name, "/")
	if !ok {
		return nil, nil, false
	}
	c, ok := Lookup(chapter)
	if !ok {
		return nil, nil, false
	}
	e, ok := c.Example(example)
	if !ok {
		return nil, nil, false
	}
	return c, e, true
}
