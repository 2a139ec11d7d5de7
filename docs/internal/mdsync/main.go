// Command mdsync keeps the code and the output shown in the walkthrough's
// Markdown (docs/*.md) the same as the code that compiles and the output it
// really prints. It is run by go generate in docs/:
//
//	go generate ./docs/...
//
// # Markers
//
// A Markdown file asks for a block with an HTML comment on a line of its own,
// followed by the fenced block that mdsync owns and rewrites (or by nothing,
// and mdsync inserts the block):
//
//	<!-- snippet: NAME -->         Go code between the lines "// snippet: NAME"
//	                               and "// end snippet" in docs/walkthrough/chapters,
//	                               or in a program of docs/porting (docs/porting/*/*.go)
//	<!-- decl: PKG.NAME -->        a declaration with its doc comment, from the
//	                               package in directory PKG of the module:
//	                               fib.Fib, gen.Yielder.Yield, gen.ErrRunning
//	<!-- python: CHAPTER/NAME -->  Python code between "# snippet: NAME" and
//	                               "# end snippet" in docs/walkthrough/python/CHAPTER
//	<!-- python: porting/PROGRAM/NAME -->  the same in docs/porting/PROGRAM
//	<!-- output: CHAPTER -->       what a chapter prints, as the walkthrough
//	<!-- output: CHAPTER/EXAMPLE -->  command prints it, or one example
//	<!-- python-output: CHAPTER/EXAMPLE -->  what python3 prints running
//	                               docs/walkthrough/python/CHAPTER/EXAMPLE.py
//
// An output marker may end with "same-as-python" before the "-->": then the
// example's Python twin, docs/walkthrough/python/CHAPTER/EXAMPLE.py, must
// print the same, byte for byte, which lets the text say so.
//
// Snippet regions may nest; the marker lines never appear in a snippet, and
// a snippet is dedented and trimmed of blank lines at both ends. The chapters
// run in this process, on the virtual clock. The Python programs run on a
// virtual clock too: pyclock/sitecustomize.py, which mdsync puts on
// PYTHONPATH, gives their asyncio event loops one, so that they print the
// same at once instead of sleeping for seconds. When python3 is not
// installed, Python output blocks are left as they are, with a warning.
//
// mdsync also checks the index: every registered chapter has its file
// NN-name.md and is linked from README.md, and every NN-*.md file belongs
// to a registered chapter.
//
// With -check, mdsync changes nothing and exits with status 1 if a file is
// out of date; the test in this directory does the same.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	dir := flag.String("dir", ".", "the `directory` of the Markdown files (docs/)")
	check := flag.Bool("check", false, "report the files that are out of date instead of rewriting them")
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}

	s, err := newSyncer(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mdsync:", err)
		os.Exit(1)
	}
	stale, err := s.sync(!*check)
	for _, w := range s.warnings {
		fmt.Fprintln(os.Stderr, "mdsync: warning:", w)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mdsync:", err)
		os.Exit(1)
	}
	for _, f := range stale {
		if *check {
			fmt.Fprintf(os.Stderr, "mdsync: %s is out of date: %s\n", f.path, f.firstDiff())
		} else {
			fmt.Fprintf(os.Stderr, "mdsync: wrote %s\n", f.path)
		}
	}
	if *check && len(stale) > 0 {
		os.Exit(1)
	}
}
