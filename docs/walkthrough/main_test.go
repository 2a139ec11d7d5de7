package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/yieldfrom/asyncgo/docs/walkthrough/chapters"
	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

func TestMain(m *testing.M) { leaktest.Main(m) }

// walkthrough runs the command in this process and returns its exit
// status, what it printed to os.Stdout and what it printed to stderr.
func walkthrough(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var errBuf bytes.Buffer
	out, err := chapters.Capture(func() error {
		code = run(args, &errBuf)
		return nil
	})
	if err != nil {
		t.Fatalf("capturing the output of walkthrough %v: %v", args, err)
	}
	return code, out, errBuf.String()
}

func TestList(t *testing.T) {
	code, out, errOut := walkthrough(t, "-list")
	if code != 0 || errOut != "" {
		t.Fatalf("walkthrough -list = exit %d, stderr %q, want exit 0 and no stderr", code, errOut)
	}
	// Each chapter's line starts with its number and name and holds its
	// title, in reading order, and its examples follow it. (A chapter's
	// name alone may occur earlier, in an example's title.)
	rest := "\n" + out
	for _, c := range chapters.All() {
		start := fmt.Sprintf("\n%2d  %s ", c.Number, c.Name)
		i := strings.Index(rest, start)
		if i < 0 {
			t.Fatalf("walkthrough -list does not list chapter %q in reading order:\n%s", c.Name, out)
		}
		line, _, _ := strings.Cut(rest[i+1:], "\n")
		if !strings.Contains(line, c.Title) {
			t.Errorf("walkthrough -list line for %q = %q, want it to hold the title %q", c.Name, line, c.Title)
		}
		for _, e := range c.Examples {
			if !strings.Contains(out, c.Name+"/"+e.Name) {
				t.Errorf("walkthrough -list does not list example %s/%s", c.Name, e.Name)
			}
		}
		rest = rest[i+len(start):]
	}
	first, _, _ := strings.Cut(out, "\n")
	if want := " 1  generators"; !strings.HasPrefix(first, want) {
		t.Errorf("walkthrough -list first line = %q, want it to start with %q", first, want)
	}
}

func TestUnknownChapter(t *testing.T) {
	for _, args := range [][]string{
		{"no-such-chapter"},
		{"generators", "no-such-chapter"}, // nothing runs before the error
		{"generators/no-such-example"},
		{"99"},
	} {
		code, out, errOut := walkthrough(t, args...)
		bad := args[len(args)-1]
		if code != 2 {
			t.Errorf("walkthrough %v = exit %d, want 2", args, code)
		}
		if out != "" {
			t.Errorf("walkthrough %v printed %q, want nothing on stdout", args, out)
		}
		if want := `unknown chapter "` + bad + `"`; !strings.Contains(errOut, want) || !strings.Contains(errOut, "-list") {
			t.Errorf("walkthrough %v stderr = %q, want it to contain %q and point to -list", args, errOut, want)
		}
	}
}

func TestBadUsage(t *testing.T) {
	for _, args := range [][]string{
		{"-no-such-flag"},
		{"-list", "generators"},
	} {
		code, out, errOut := walkthrough(t, args...)
		if code != 2 || out != "" || errOut == "" {
			t.Errorf("walkthrough %v = exit %d, stdout %q, stderr %q; want exit 2, a message on stderr only", args, code, out, errOut)
		}
	}
}

func TestRunChapters(t *testing.T) {
	var want []string
	for _, c := range chapters.All() {
		out, err := c.Output(chapters.Options{})
		if err != nil {
			t.Fatalf("chapter %s: %v", c.Name, err)
		}
		want = append(want, out)
	}
	tests := []struct {
		args []string
		want string
	}{
		{nil, strings.Join(want, "\n")},
		{[]string{"generators"}, want[0]},
		{[]string{"1"}, want[0]},
		// The generator chapters do not sleep, so -real changes nothing.
		{[]string{"generators", "-real"}, want[0]},
		{[]string{"yield-from", "generators"}, want[2] + "\n" + want[0]},
	}
	for _, tt := range tests {
		code, out, errOut := walkthrough(t, tt.args...)
		if code != 0 || errOut != "" {
			t.Errorf("walkthrough %v = exit %d, stderr %q, want exit 0", tt.args, code, errOut)
		}
		if out != tt.want {
			t.Errorf("walkthrough %v printed\n%s\nwant\n%s", tt.args, out, tt.want)
		}
	}
}

func TestRunExample(t *testing.T) {
	code, out, _ := walkthrough(t, "generators/islice")
	want := "-- The first 20 Fibonacci numbers [generators/islice]\n" +
		"[1 1 2 3 5 8 13 21 34 55 89 144 233 377 610 987 1597 2584 4181 6765]\n"
	if code != 0 || out != want {
		t.Errorf("walkthrough generators/islice = exit %d, printed %q, want exit 0, %q", code, out, want)
	}
}
