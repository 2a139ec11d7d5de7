// Command figures writes the pictures of the walkthrough (docs/*.svg) that
// are drawn from real runs of its programs, such as the timelines of
// chapter 9: each registered chapters.Figure, rendered, in the docs
// directory. It is run by go generate:
//
//	go generate ./docs/...
//
// With -check it changes nothing and exits with status 1 if a picture is
// out of date; the test in this directory does the same.
package main

//go:generate go run . -dir ../..

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/yieldfrom/asyncgo/docs/walkthrough/chapters"
)

func main() {
	dir := flag.String("dir", "docs", "the `directory` of the pictures (docs/)")
	check := flag.Bool("check", false, "report the pictures that are out of date instead of writing them")
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	stale, err := sync(*dir, !*check)
	if err != nil {
		fmt.Fprintln(os.Stderr, "figures:", err)
		os.Exit(1)
	}
	for _, name := range stale {
		if *check {
			fmt.Fprintf(os.Stderr, "figures: %s is out of date\n", filepath.Join(*dir, name))
		} else {
			fmt.Fprintf(os.Stderr, "figures: wrote %s\n", filepath.Join(*dir, name))
		}
	}
	if *check && len(stale) > 0 {
		os.Exit(1)
	}
}

// sync renders every figure and returns the names of those whose file in
// dir differs (or is missing). If write is set, it writes them.
func sync(dir string, write bool) ([]string, error) {
	var stale []string
	for _, f := range chapters.Figures() {
		want, err := f.Render()
		if err != nil {
			return nil, fmt.Errorf("drawing %s: %w", f.Name, err)
		}
		path := filepath.Join(dir, f.Name)
		have, err := os.ReadFile(path)
		if err == nil && bytes.Equal(have, want) {
			continue
		}
		stale = append(stale, f.Name)
		if write {
			if err := os.WriteFile(path, want, 0o666); err != nil {
				return nil, err
			}
		}
	}
	return stale, nil
}
