package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

func TestMain(m *testing.M) { leaktest.Main(m) }

// want is what the crawl prints: every page the site links to, with the
// slow one given up on and the missing one reported, and the time it took,
// mostly the 2s it waited for the slow one. Pages that are fetched at the
// same virtual instant may finish in either order, which moves the end of
// the crawl by a tenth of a second: the time is printed in whole seconds.
const want = `/            200, 3 links
/about       200, 2 links
/archive     timed out
/blog        200, 3 links
/blog/1      200, 2 links
/blog/2      200, 2 links
/missing     404, 0 links
/shop        200, 1 links
/shop/cart   200, 1 links
/team        200, 1 links
10 pages in 2s
`

// crawl runs the Go crawler on the virtual clock and returns what it printed.
func crawl(t *testing.T) string {
	t.Helper()
	var out bytes.Buffer
	_, err := asyncio.Run(context.Background(), asyncio.AsyncErr(func(a *asyncio.A) error {
		return run(a, &out)
	}), asyncio.WithVirtualTime())
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return out.String()
}

func TestCrawl(t *testing.T) {
	if diff := cmp.Diff(want, crawl(t)); diff != "" {
		t.Errorf("the crawl printed something else (-want +got):\n%s", diff)
	}
}

// TestSameAsPython runs crawler.py, the program this one ports, on the
// virtual clock the walkthrough's Python programs use
// (docs/internal/mdsync/pyclock), and checks that both print the same.
func TestSameAsPython(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: crawler.py is not compared")
	}
	clock, err := filepath.Abs(filepath.Join("..", "..", "internal", "mdsync", "pyclock"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "crawler.py")
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1", "PYTHONPATH="+clock)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	pyOut, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3 crawler.py: %v\n%s", err, stderr.Bytes())
	}
	if stderr.Len() > 0 {
		t.Errorf("python3 crawler.py wrote to stderr:\n%s", stderr.Bytes())
	}
	if diff := cmp.Diff(string(pyOut), crawl(t)); diff != "" {
		t.Errorf("Go and Python print different crawls (-python +go):\n%s", diff)
	}
}

// lineCounts returns how many lines the file at path has, and how many of
// them are neither blank nor comments: lines that start with comment, and,
// in Python, the lines of docstrings.
func lineCounts(t *testing.T, path, comment string) (total, code int) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	inDoc := false
	for _, line := range strings.Split(strings.TrimSuffix(string(src), "\n"), "\n") {
		total++
		s := strings.TrimSpace(line)
		if comment == "#" && strings.HasPrefix(s, `"""`) {
			if len(s) < 6 || !strings.HasSuffix(s, `"""`) {
				inDoc = !inDoc
			}
			continue
		}
		if !inDoc && s != "" && !strings.HasPrefix(s, comment) {
			code++
		}
	}
	return total, code
}

// TestLineCounts checks the table of the porting guide that compares the
// two programs' lengths.
func TestLineCounts(t *testing.T) {
	guide, err := os.ReadFile(filepath.Join("..", "..", "17-porting.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ path, comment string }{{"crawler.py", "#"}, {"main.go", "//"}} {
		total, code := lineCounts(t, f.path, f.comment)
		row := fmt.Sprintf("| %s | %d | %d |", f.path, total, code)
		if !strings.Contains(string(guide), row) {
			t.Errorf("docs/17-porting.md has no row %q: update its table of line counts", row)
		}
	}
}
