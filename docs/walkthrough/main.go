// Command walkthrough runs the programs of the walkthrough in docs/, chapter
// by chapter, printing what each prints under its heading.
//
// Usage:
//
//	go run ./docs/walkthrough [-real] [NAME ...]
//	go run ./docs/walkthrough -list
//
// With no NAME it runs every chapter in reading order. A NAME is a chapter's
// name or number ("generators", "1") or one example of a chapter
// ("generators/step"). The flags are:
//
//	-list  list the chapters and their examples, in reading order
//	-real  sleep in real time; by default the event loop's virtual clock
//	       jumps straight to the next timer, so that the chapters about
//	       asyncio print their output at once
//
// An unknown NAME is an error, reported before anything runs, and the exit
// status is 2, as for a bad flag. A chapter that fails makes the exit status 1.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/yieldfrom/asyncgo/docs/walkthrough/chapters"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

// run is the command with its arguments, returning the exit status. The
// chapters print to os.Stdout, as the lessons' print does, so the listing
// and the headings go there too; errors and usage go to stderr.
func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("walkthrough", flag.ContinueOnError)
	fs.SetOutput(stderr)
	list := fs.Bool("list", false, "list the chapters and their examples, in reading order")
	realTime := fs.Bool("real", false, "sleep in real time instead of on the virtual clock")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: walkthrough [-real] [chapter | chapter/example ...]")
		fmt.Fprintln(stderr, "       walkthrough -list")
		fs.PrintDefaults()
	}

	// Flags may come after the names too (walkthrough generators -real),
	// which the flag package alone would take for names.
	var names []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 2
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		names = append(names, args[0])
		args = args[1:]
	}

	if *list {
		if len(names) > 0 {
			fmt.Fprintln(stderr, "walkthrough: -list takes no chapter names")
			return 2
		}
		printList()
		return 0
	}

	type step struct {
		chapter *chapters.Chapter
		example *chapters.Example // nil for the whole chapter
	}
	var steps []step
	if len(names) == 0 {
		for _, c := range chapters.All() {
			steps = append(steps, step{chapter: c})
		}
	}
	for _, name := range names {
		if c, ok := chapters.Lookup(name); ok {
			steps = append(steps, step{chapter: c})
		} else if c, e, ok := chapters.LookupExample(name); ok {
			steps = append(steps, step{c, e})
		} else {
			fmt.Fprintf(stderr, "walkthrough: unknown chapter %q (walkthrough -list shows the chapters)\n", name)
			return 2
		}
	}

	opts := chapters.Options{RealTime: *realTime}
	for i, s := range steps {
		if i > 0 {
			fmt.Println()
		}
		var err error
		if s.example == nil {
			err = s.chapter.Run(opts)
		} else {
			fmt.Println(s.example.Heading(s.chapter.Name))
			err = s.example.Run(opts)
		}
		if err != nil {
			fmt.Fprintln(stderr, "walkthrough:", err)
			return 1
		}
	}
	return 0
}

// printList prints each chapter's number, name and title, and under it the
// names and titles of its examples, in columns.
func printList() {
	all := chapters.All()
	chapterWidth, exampleWidth := 0, 0
	for _, c := range all {
		chapterWidth = max(chapterWidth, len(c.Name))
		for _, e := range c.Examples {
			exampleWidth = max(exampleWidth, len(c.Name)+1+len(e.Name))
		}
	}
	for _, c := range all {
		fmt.Printf("%2d  %-*s  %s\n", c.Number, chapterWidth, c.Name, c.Title)
		for _, e := range c.Examples {
			fmt.Printf("      %-*s  %s\n", exampleWidth, c.Name+"/"+e.Name, e.Title)
		}
	}
}
