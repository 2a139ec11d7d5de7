package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/yieldfrom/asyncgo/docs/walkthrough/chapters"
)

// A syncer renders the Markdown files of one docs directory.
type syncer struct {
	docs string // the docs directory
	root string // the module's root, its parent

	goSnippets map[string]snippet // by name
	pySnippets map[string]snippet // by "chapter/name", or "porting/program/name"
	python     string             // the python3 executable, or "" if there is none

	outputs   map[string]string // chapter and example outputs, by marker argument
	pyOutputs map[string]string // Python outputs, by marker argument

	// warnings are problems that do not make the Markdown wrong, such as a
	// missing python3; the caller prints them (or the test logs them).
	warnings []string
}

// A staleFile is a Markdown file whose content differs from what it should be.
type staleFile struct {
	path       string
	have, want string
}

// firstDiff describes the first line where f's content differs.
func (f staleFile) firstDiff() string {
	have, want := strings.Split(f.have, "\n"), strings.Split(f.want, "\n")
	for i := range max(len(have), len(want)) {
		var h, w string
		if i < len(have) {
			h = have[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if h != w {
			return fmt.Sprintf("line %d is %q, want %q", i+1, h, w)
		}
	}
	return "no difference"
}

func newSyncer(docs string) (*syncer, error) {
	s := &syncer{
		docs:      docs,
		root:      filepath.Join(docs, ".."),
		outputs:   map[string]string{},
		pyOutputs: map[string]string{},
	}
	var err error
	// The chapters' programs, and the complete programs ported from
	// Python in docs/porting, one directory each.
	s.goSnippets, err = goSnippets(filepath.Join(docs, "walkthrough", "chapters", "*.go"), filepath.Join(docs, "porting", "*", "*.go"))
	if err != nil {
		return nil, err
	}
	s.pySnippets = map[string]snippet{}
	if err := pySnippets(s.pySnippets, filepath.Join(docs, "walkthrough", "python"), ""); err != nil {
		return nil, err
	}
	if err := pySnippets(s.pySnippets, filepath.Join(docs, "porting"), "porting/"); err != nil {
		return nil, err
	}
	s.python = findPython()
	if s.python == "" {
		s.warnings = append(s.warnings, "python3 not found: Python output blocks are left as they are")
	}
	return s, nil
}

// sync renders every Markdown file in the docs directory and returns those
// whose content differs from the rendering. If write is set, it rewrites
// them. It also checks the index (see checkIndex).
func (s *syncer) sync(write bool) ([]staleFile, error) {
	paths, err := filepath.Glob(filepath.Join(s.docs, "*.md"))
	if err != nil {
		return nil, err
	}
	files := make([]string, len(paths))
	for i, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		files[i] = string(b)
	}
	s.runPython(files)

	var stale []staleFile
	var errs []error
	for i, path := range paths {
		have := files[i]
		want, err := s.render(path, have)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if want == have {
			continue
		}
		stale = append(stale, staleFile{path, have, want})
		if write {
			if err := os.WriteFile(path, []byte(want), 0o666); err != nil {
				return nil, err
			}
		}
	}
	errs = append(errs, s.checkIndex(paths)...)
	return stale, errors.Join(errs...)
}

var (
	markerRE = regexp.MustCompile(`^<!--\s*(snippet|decl|python|output|python-output):\s*(\S+)(\s+same-as-python)?\s*-->\s*$`)
	fenceRE  = regexp.MustCompile("^```")
)

// render returns md with the block after each marker replaced by what the
// marker asks for. path is used in error messages only.
func (s *syncer) render(path, md string) (string, error) {
	lines := strings.SplitAfter(md, "\n")
	var out []string
	var errs []error
	for i := 0; i < len(lines); i++ {
		out = append(out, lines[i])
		m := markerRE.FindStringSubmatch(strings.TrimRight(lines[i], "\r\n"))
		if m == nil {
			continue
		}
		kind, arg, samePython := m[1], m[2], m[3] != ""
		where := fmt.Sprintf("%s:%d", path, i+1)

		// The block that follows the marker, if any, is lines[i+1 : end].
		start, end := i+1, i+1
		if start < len(lines) && fenceRE.MatchString(lines[start]) {
			end = start + 1
			for end < len(lines) && strings.TrimSpace(lines[end]) != "```" {
				end++
			}
			if end == len(lines) {
				errs = append(errs, fmt.Errorf("%s: the block after %s has no closing ```", where, m[0]))
				out = append(out, lines[start:]...)
				break
			}
			end++
		}

		if !strings.HasSuffix(lines[i], "\n") {
			out[len(out)-1] += "\n"
		}
		lang, content, err := s.content(kind, arg)
		if err == nil && samePython {
			err = s.checkSamePython(kind, arg, content)
		}
		switch {
		case errors.Is(err, errNoPython):
			// Keep what is there; the warning has been recorded.
			content, lang = "", ""
		case err != nil:
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
		}
		if lang == "" || err != nil {
			out = append(out, lines[start:end]...)
		} else {
			if strings.Contains(content, "```") {
				errs = append(errs, fmt.Errorf("%s: %s %s contains ```, which would end its block", where, kind, arg))
			}
			out = append(out, "```"+lang+"\n", content+"\n", "```\n")
		}
		i = end - 1
	}
	return strings.Join(out, ""), errors.Join(errs...)
}

var errNoPython = errors.New("python3 not found")

// runPython runs, a few at a time, the Python programs whose output the
// Markdown files show or compare with, so that render finds their output
// ready. Python starts slowly, and the programs are independent. Failures
// are not cached; render runs those programs again and reports the error.
func (s *syncer) runPython(files []string) {
	if s.python == "" {
		return
	}
	var names []string
	for _, md := range files {
		for _, line := range strings.Split(md, "\n") {
			m := markerRE.FindStringSubmatch(strings.TrimRight(line, "\r"))
			if m != nil && (m[1] == "python-output" || m[1] == "output" && m[3] != "") && !slices.Contains(names, m[2]) {
				names = append(names, m[2])
			}
		}
	}
	type result struct {
		name, out string
		err       error
	}
	results := make(chan result, len(names))
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			out, err := s.execPython(name)
			results <- result{name, out, err}
		})
	}
	wg.Wait()
	close(results)
	for r := range results {
		if r.err == nil {
			s.pyOutputs[r.name] = r.out
		}
	}
}

// checkSamePython checks the claim of an output marker with same-as-python:
// that the Go example prints what its Python twin prints.
func (s *syncer) checkSamePython(kind, arg, goOut string) error {
	if kind != "output" {
		return fmt.Errorf("same-as-python is for output markers, not %s", kind)
	}
	pyOut, err := s.pyOutput(arg)
	switch {
	case errors.Is(err, errNoPython):
		return nil
	case err != nil:
		return err
	case pyOut != goOut:
		return fmt.Errorf("output %s is marked same-as-python, but Go prints\n%s\nand Python prints\n%s", arg, goOut, pyOut)
	}
	return nil
}

// content returns the fenced block's language and content for a marker.
func (s *syncer) content(kind, arg string) (lang, content string, err error) {
	switch kind {
	case "snippet":
		sn, ok := s.goSnippets[arg]
		if !ok {
			return "", "", fmt.Errorf("no Go snippet %q in docs/walkthrough/chapters or docs/porting", arg)
		}
		return "go", sn.text, nil
	case "python":
		sn, ok := s.pySnippets[arg]
		if !ok {
			return "", "", fmt.Errorf("no Python snippet %q in docs/walkthrough/python or docs/porting", arg)
		}
		return "python", sn.text, nil
	case "decl":
		text, err := decl(s.root, arg)
		return "go", text, err
	case "output":
		out, err := s.output(arg)
		return "text", out, err
	case "python-output":
		out, err := s.pyOutput(arg)
		return "text", out, err
	}
	panic("unreachable: markerRE matched " + kind)
}

// output runs a chapter ("generators") or one example ("generators/step")
// and returns what it printed, without the final newline.
func (s *syncer) output(name string) (string, error) {
	if out, ok := s.outputs[name]; ok {
		return out, nil
	}
	var out string
	var err error
	if c, ok := chapters.Lookup(name); ok && c.Name == name {
		out, err = c.Output(chapters.Options{})
	} else if _, e, ok := chapters.LookupExample(name); ok {
		out, err = e.Output(chapters.Options{})
	} else {
		return "", fmt.Errorf("no chapter or example %q (go run ./docs/walkthrough -list shows them)", name)
	}
	if err != nil {
		return "", fmt.Errorf("running %s: %w", name, err)
	}
	out = strings.TrimSuffix(out, "\n")
	s.outputs[name] = out
	return out, nil
}

// checkIndex reports a registered chapter without its Markdown file or its
// link in README.md, and a chapter-like Markdown file (NN-name.md) that no
// registered chapter owns.
func (s *syncer) checkIndex(paths []string) []error {
	var errs []error
	readme, err := os.ReadFile(filepath.Join(s.docs, "README.md"))
	if err != nil {
		return []error{err}
	}
	var docs []string
	for _, c := range chapters.All() {
		docs = append(docs, c.Doc())
		if _, err := os.Stat(filepath.Join(s.docs, c.Doc())); err != nil {
			errs = append(errs, fmt.Errorf("chapter %d %q has no Markdown file %s", c.Number, c.Name, c.Doc()))
		}
		if !strings.Contains(string(readme), "]("+c.Doc()+")") {
			errs = append(errs, fmt.Errorf("README.md has no link to chapter %d, (%s)", c.Number, c.Doc()))
		}
	}
	chapterFile := regexp.MustCompile(`^[0-9][0-9]-.*\.md$`)
	for _, p := range paths {
		base := filepath.Base(p)
		if chapterFile.MatchString(base) && !slices.Contains(docs, base) {
			errs = append(errs, fmt.Errorf("%s is named like a chapter, but no chapter is registered for it", base))
		}
	}
	return errs
}
