package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

func TestMain(m *testing.M) { leaktest.Main(m) }

// TestMarkdownUpToDate fails when a Markdown file in docs/ differs from what
// go generate ./docs/... would write: when a snippet, a declaration or an
// output changed and the Markdown was not regenerated. It runs every
// chapter and every Python twin that the Markdown shows, as mdsync does.
func TestMarkdownUpToDate(t *testing.T) {
	s, err := newSyncer(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	stale, err := s.sync(false)
	for _, w := range s.warnings {
		t.Log("warning:", w)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range stale {
		t.Errorf("docs/%s is out of date (run go generate ./docs/...): %s", filepath.Base(f.path), f.firstDiff())
	}
}

func TestRender(t *testing.T) {
	s := &syncer{
		goSnippets: map[string]snippet{"hello": {text: "fmt.Println(\"hello\")"}},
		pySnippets: map[string]snippet{"ch/hello": {text: "print(\"hello\")"}},
		outputs:    map[string]string{"ch/ex": "hello", "ch/other": "bye"},
		pyOutputs:  map[string]string{"ch/ex": "hello", "ch/other": "hello"},
		python:     "python3",
	}
	tests := []struct {
		name, in, want string
		err            string // in the error, if one is expected
	}{{
		name: "replaces a block",
		in:   "text\n<!-- snippet: hello -->\n```go\nold\ncode\n```\nafter\n",
		want: "text\n<!-- snippet: hello -->\n```go\nfmt.Println(\"hello\")\n```\nafter\n",
	}, {
		name: "inserts a missing block",
		in:   "<!-- snippet: hello -->\nafter\n",
		want: "<!-- snippet: hello -->\n```go\nfmt.Println(\"hello\")\n```\nafter\n",
	}, {
		name: "inserts at the end of the file",
		in:   "<!-- output: ch/ex -->",
		want: "<!-- output: ch/ex -->\n```text\nhello\n```\n",
	}, {
		name: "up to date is unchanged",
		in:   "<!-- output: ch/ex -->\n```text\nhello\n```\n",
		want: "<!-- output: ch/ex -->\n```text\nhello\n```\n",
	}, {
		name: "python and python output",
		in:   "<!-- python: ch/hello -->\n```\n```\n<!-- python-output: ch/ex -->\n",
		want: "<!-- python: ch/hello -->\n```python\nprint(\"hello\")\n```\n<!-- python-output: ch/ex -->\n```text\nhello\n```\n",
	}, {
		name: "same-as-python holds",
		in:   "<!-- output: ch/ex same-as-python -->\n",
		want: "<!-- output: ch/ex same-as-python -->\n```text\nhello\n```\n",
	}, {
		name: "same-as-python does not hold",
		in:   "<!-- output: ch/other same-as-python -->\n",
		err:  "marked same-as-python",
	}, {
		name: "other comments are left alone",
		in:   "<!-- a comment -->\n```go\nx\n```\n",
		want: "<!-- a comment -->\n```go\nx\n```\n",
	}, {
		name: "unknown snippet",
		in:   "<!-- snippet: nope -->\n",
		err:  `no Go snippet "nope"`,
	}, {
		name: "unknown output",
		in:   "<!-- output: nope/nope -->\n",
		err:  `no chapter or example "nope/nope"`,
	}, {
		name: "unterminated block",
		in:   "<!-- snippet: hello -->\n```go\nold\n",
		err:  "no closing",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.render("test.md", tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("render() error = %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("render() error = %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("render() differs (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRenderWithoutPython checks that Python output blocks are kept as they
// are when there is no python3 to run.
func TestRenderWithoutPython(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "walkthrough", "python", "ch"), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "walkthrough", "python", "ch", "ex.py"), []byte("print(1)\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	s := &syncer{docs: dir, pyOutputs: map[string]string{}}
	in := "<!-- python-output: ch/ex -->\n```text\nas it was\n```\n"
	got, err := s.render("test.md", in)
	if err != nil || got != in {
		t.Errorf("render() = %q, %v, want the input unchanged", got, err)
	}
}

func TestReadSnippets(t *testing.T) {
	tests := []struct {
		name, src string
		want      map[string]string
		err       string
	}{{
		name: "dedented and trimmed",
		src:  "package x\n\nfunc f() {\n\t// snippet: body\n\n\tif true {\n\t\tg()\n\t}\n\n\t// end snippet\n}\n",
		want: map[string]string{"body": "if true {\n\tg()\n}"},
	}, {
		name: "nested",
		src:  "// snippet: outer\na\n// snippet: inner\nb\n// end snippet\nc\n// end snippet\n",
		want: map[string]string{"outer": "a\nb\nc", "inner": "b"},
	}, {
		name: "unterminated",
		src:  "// snippet: a\nx\n",
		err:  `has no "// end snippet"`,
	}, {
		name: "end without start",
		src:  "x\n// end snippet\n",
		err:  "without a snippet",
	}, {
		name: "duplicate",
		src:  "// snippet: a\nx\n// end snippet\n// snippet: a\ny\n// end snippet\n",
		err:  `snippet "a" is also at`,
	}, {
		name: "empty",
		src:  "// snippet: a\n\n// end snippet\n",
		err:  "is empty",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.go")
			if err := os.WriteFile(path, []byte(tt.src), 0o666); err != nil {
				t.Fatal(err)
			}
			all := map[string]snippet{}
			err := readSnippets(all, path, "//", "")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("readSnippets() error = %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("readSnippets() error = %v", err)
			}
			got := map[string]string{}
			for name, sn := range all {
				got[name] = sn.text
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("readSnippets() differs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecl(t *testing.T) {
	root := t.TempDir()
	src := `package p

// F does f.
func F() {}

// T is a type.
type T[V any] struct{ v V }

// M is a method.
func (t *T[V]) M() V { return t.v }

var (
	// A is a.
	A = 1

	// B is b.
	B = map[string]int{
		"x": 1,
	}
)

// C is alone.
const C = 3
`
	if err := os.MkdirAll(filepath.Join(root, "p", "q"), 0o777); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"p", "p/q"} {
		if err := os.WriteFile(filepath.Join(root, dir, "p.go"), []byte(src), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		arg, want, err string
	}{
		{arg: "p.F", want: "// F does f.\nfunc F() {}"},
		{arg: "p/q.F", want: "// F does f.\nfunc F() {}"},
		{arg: "p.T", want: "// T is a type.\ntype T[V any] struct{ v V }"},
		{arg: "p.T.M", want: "// M is a method.\nfunc (t *T[V]) M() V { return t.v }"},
		{arg: "p.B", want: "// B is b.\nB = map[string]int{\n\t\"x\": 1,\n}"},
		{arg: "p.C", want: "// C is alone.\nconst C = 3"},
		{arg: "p.M", err: "no declaration M"},
		{arg: "p.T.F", err: "no declaration T.F"},
		{arg: "p", err: "not of the form"},
	}
	for _, tt := range tests {
		got, err := decl(root, tt.arg)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("decl(%q) error = %v, want one containing %q", tt.arg, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("decl(%q) = %q, %v, want %q, nil", tt.arg, got, err, tt.want)
		}
	}
}

// TestSnippetSources checks where snippets come from: Go snippets from every
// file that matches one of the patterns, Python snippets named by the
// directory under their root, after the root's prefix, so that the
// programs of docs/porting do not clash with the chapters' twins.
func TestSnippetSources(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"walkthrough/chapters/ch01.go": "// snippet: one\none()\n// end snippet\n",
		"porting/prog/main.go":         "// snippet: two\ntwo()\n// end snippet\n",
		"walkthrough/python/prog/a.py": "# snippet: three\nthree()\n# end snippet\n",
		"porting/prog/prog.py":         "# snippet: three\nported()\n# end snippet\n",
	}
	for name, text := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o666); err != nil {
			t.Fatal(err)
		}
	}

	goAll, err := goSnippets(filepath.Join(dir, "walkthrough", "chapters", "*.go"), filepath.Join(dir, "porting", "*", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	pyAll := map[string]snippet{}
	if err := pySnippets(pyAll, filepath.Join(dir, "walkthrough", "python"), ""); err != nil {
		t.Fatal(err)
	}
	if err := pySnippets(pyAll, filepath.Join(dir, "porting"), "porting/"); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for name, sn := range goAll {
		got["go "+name] = sn.text
	}
	for name, sn := range pyAll {
		got["py "+name] = sn.text
	}
	want := map[string]string{
		"go one":                "one()",
		"go two":                "two()",
		"py prog/three":         "three()",
		"py porting/prog/three": "ported()",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("snippets (-want +got):\n%s", diff)
	}
}
