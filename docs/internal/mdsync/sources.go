package main

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// A snippet is a marked region of a source file.
type snippet struct {
	text  string
	where string // file:line of its start marker
}

// goSnippets returns the snippets of the .go files that match the glob
// patterns, by name.
func goSnippets(patterns ...string) (map[string]snippet, error) {
	all := map[string]snippet{}
	for _, pattern := range patterns {
		paths, err := filepath.Glob(pattern)
		if err != nil {
			return nil, err
		}
		for _, path := range paths {
			if err := readSnippets(all, path, "//", ""); err != nil {
				return nil, err
			}
		}
	}
	return all, nil
}

// pySnippets adds to all the snippets of the .py files under dir, each
// named prefix+"subdirectory/name".
func pySnippets(all map[string]snippet, dir, prefix string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".py" {
			return err
		}
		rel, err := filepath.Rel(dir, filepath.Dir(path))
		if err != nil {
			return err
		}
		return readSnippets(all, path, "#", prefix+filepath.ToSlash(rel)+"/")
	})
}

// readSnippets adds the snippets of the file at path to all, each named
// prefix+NAME, where comment starts the file's line comments.
func readSnippets(all map[string]snippet, path, comment, prefix string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	startMarker, endMarker := comment+" snippet: ", comment+" end snippet"
	type open struct {
		name, where string
		lines       []string
	}
	var stack []*open
	for i, line := range strings.Split(string(src), "\n") {
		where := fmt.Sprintf("%s:%d", path, i+1)
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, startMarker):
			name := prefix + strings.TrimSpace(strings.TrimPrefix(trimmed, startMarker))
			if prev, ok := all[name]; ok {
				return fmt.Errorf("%s: snippet %q is also at %s", where, name, prev.where)
			}
			for _, o := range stack {
				if o.name == name {
					return fmt.Errorf("%s: snippet %q is also at %s", where, name, o.where)
				}
			}
			stack = append(stack, &open{name: name, where: where})
		case trimmed == endMarker:
			if len(stack) == 0 {
				return fmt.Errorf("%s: %q without a snippet to end", where, endMarker)
			}
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			text := tidy(o.lines)
			if text == "" {
				return fmt.Errorf("%s: snippet %q is empty", o.where, o.name)
			}
			all[o.name] = snippet{text: text, where: o.where}
		default:
			for _, o := range stack {
				o.lines = append(o.lines, line)
			}
		}
	}
	if len(stack) > 0 {
		o := stack[len(stack)-1]
		return fmt.Errorf("%s: snippet %q has no %q", o.where, o.name, endMarker)
	}
	return nil
}

// tidy drops the blank lines at both ends of lines and the indentation they
// all share, and joins them.
func tidy(lines []string) string {
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	indent, first := "", true
	for _, line := range lines {
		if strings.TrimSpace(line) == "" {
			continue
		}
		lead := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		if first {
			indent, first = lead, false
		}
		for !strings.HasPrefix(lead, indent) {
			indent = indent[:len(indent)-1]
		}
	}
	out := make([]string, len(lines))
	for i, line := range lines {
		out[i] = strings.TrimRight(strings.TrimPrefix(line, indent), " \t\r")
	}
	return strings.Join(out, "\n")
}

// decl returns the source of a declaration, with its doc comment: arg is
// "DIR.NAME" with DIR a directory of the module under root (such as "gen"
// or "gen/leaktest") and NAME a function, type, variable or constant
// ("Fib"), or a method ("Yielder.Yield").
func decl(root, arg string) (string, error) {
	slash := strings.LastIndex(arg, "/")
	dot := strings.Index(arg[slash+1:], ".")
	if dot < 0 {
		return "", fmt.Errorf("decl %q is not of the form DIR.NAME, such as gen.Yielder.Yield", arg)
	}
	dir, name := arg[:slash+1+dot], arg[slash+1+dot+1:]
	typ, ident, isMethod := strings.Cut(name, ".")
	if !isMethod {
		typ, ident = "", name
	}

	paths, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(dir), "*.go"))
	if err != nil {
		return "", err
	}
	fset := token.NewFileSet()
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return "", err
		}
		f, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return "", err
		}
		if n, doc := findDecl(f, typ, ident); n != nil {
			start := n.Pos()
			if doc != nil {
				start = doc.Pos()
			}
			text := string(src[fset.Position(start).Offset:fset.Position(n.End()).Offset])
			// Specs inside a parenthesized group are indented after their
			// first line; tidy dedents them as a block.
			lines := strings.Split(text, "\n")
			if len(lines) > 1 && fset.Position(start).Column > 1 {
				lines[0] = strings.Repeat("\t", fset.Position(start).Column-1) + lines[0]
			}
			return tidy(lines), nil
		}
	}
	return "", fmt.Errorf("no declaration %s in %s", name, filepath.Join(root, dir))
}

// findDecl finds the declaration of ident (a method of typ, if typ is set)
// in f, and returns it with its doc comment.
func findDecl(f *ast.File, typ, ident string) (ast.Node, *ast.CommentGroup) {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Name.Name == ident && receiver(d) == typ {
				return d, d.Doc
			}
		case *ast.GenDecl:
			if typ != "" {
				continue
			}
			for _, spec := range d.Specs {
				var names []*ast.Ident
				var doc *ast.CommentGroup
				switch spec := spec.(type) {
				case *ast.TypeSpec:
					names, doc = []*ast.Ident{spec.Name}, spec.Doc
				case *ast.ValueSpec:
					names, doc = spec.Names, spec.Doc
				}
				for _, n := range names {
					if n.Name != ident {
						continue
					}
					if !d.Lparen.IsValid() {
						return d, d.Doc
					}
					return spec, doc
				}
			}
		}
	}
	return nil, nil
}

// receiver returns the name of the type of d's receiver, or "".
func receiver(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return ""
	}
	t := d.Recv.List[0].Type
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// findPython returns the path of python3, or "" if there is none.
func findPython() string {
	path, err := exec.LookPath("python3")
	if err != nil {
		return ""
	}
	return path
}

// pyOutput returns what docs/walkthrough/python/NAME.py prints to stdout,
// without the final newline, running it unless it has run already.
func (s *syncer) pyOutput(name string) (string, error) {
	if out, ok := s.pyOutputs[name]; ok {
		return out, nil
	}
	out, err := s.execPython(name)
	if err != nil {
		return "", err
	}
	s.pyOutputs[name] = out
	return out, nil
}

// execPython runs docs/walkthrough/python/NAME.py and returns what it
// printed to stdout, without the final newline. It may be called
// concurrently.
func (s *syncer) execPython(name string) (string, error) {
	path := filepath.Join(s.docs, "walkthrough", "python", filepath.FromSlash(name)+".py")
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("no Python program for %q: %w", name, err)
	}
	if s.python == "" {
		return "", errNoPython
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	clock, err := filepath.Abs(filepath.Join(s.docs, "internal", "mdsync", "pyclock"))
	if err != nil {
		return "", err
	}
	cmd := exec.Command(s.python, abs)
	// The program imports its siblings, so it runs in its own directory;
	// no bytecode caches are left there. The sitecustomize module in
	// pyclock puts its event loops on a virtual clock, as the Go examples
	// run on one, so that programs that sleep for seconds finish at once.
	cmd.Dir = filepath.Dir(abs)
	pythonPath := clock
	if p := os.Getenv("PYTHONPATH"); p != "" {
		pythonPath += string(os.PathListSeparator) + p
	}
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1", "PYTHONHASHSEED=0", "PYTHONIOENCODING=utf-8", "PYTHONPATH="+pythonPath)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return "", fmt.Errorf("python3 %s: %v\n%s", path, err, stderr.Bytes())
		}
		return "", err
	}
	return strings.TrimSuffix(stdout.String(), "\n"), nil
}
