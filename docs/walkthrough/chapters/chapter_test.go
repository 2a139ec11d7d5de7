package chapters_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/yieldfrom/asyncgo/docs/walkthrough/chapters"
)

func TestReadingOrder(t *testing.T) {
	all := chapters.All()
	if len(all) == 0 {
		t.Fatal("All() = [], want the registered chapters")
	}
	// Chapters still being written leave gaps in the numbering, so the
	// numbers need only increase, from 1.
	if all[0].Number != 1 {
		t.Errorf("the first chapter, %q, has number %d, want 1", all[0].Name, all[0].Number)
	}
	for i, c := range all[1:] {
		if prev := all[i]; c.Number <= prev.Number {
			t.Errorf("chapter %q has number %d after chapter %q with %d: chapters are numbered in reading order", c.Name, c.Number, prev.Name, prev.Number)
		}
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name string
		want string // chapter name, or "" for none
	}{
		{"generators", "generators"},
		{"1", "generators"},
		{"yield-from", "yield-from"},
		{"3", "yield-from"},
		{"Generators", ""},
		{"generators/step", ""},
		{"0", ""},
		{"", ""},
	}
	for _, tt := range tests {
		c, ok := chapters.Lookup(tt.name)
		switch {
		case tt.want == "" && ok:
			t.Errorf("Lookup(%q) = %q, true, want false", tt.name, c.Name)
		case tt.want != "" && (!ok || c.Name != tt.want):
			t.Errorf("Lookup(%q) = %v, %v, want %q, true", tt.name, c, ok, tt.want)
		}
	}
}

func TestLookupExample(t *testing.T) {
	tests := []struct {
		name          string
		chapter, want string // "" for none
	}{
		{"generators/step", "generators", "step"},
		{"1/step", "generators", "step"},
		{"send-throw-close/just-started", "send-throw-close", "just-started"},
		{"generators", "", ""},
		{"generators/", "", ""},
		{"generators/nope", "", ""},
		{"nope/step", "", ""},
	}
	for _, tt := range tests {
		c, e, ok := chapters.LookupExample(tt.name)
		switch {
		case tt.want == "" && ok:
			t.Errorf("LookupExample(%q) = %s/%s, true, want false", tt.name, c.Name, e.Name)
		case tt.want != "" && (!ok || c.Name != tt.chapter || e.Name != tt.want):
			t.Errorf("LookupExample(%q) = _, _, %v, want %s/%s, true", tt.name, ok, tt.chapter, tt.want)
		}
	}
}

func TestDoc(t *testing.T) {
	c, _ := chapters.Lookup("send-throw-close")
	if got, want := c.Doc(), "02-send-throw-close.md"; got != want {
		t.Errorf("Doc() = %q, want %q", got, want)
	}
}

func TestRegisterRejects(t *testing.T) {
	ok := chapters.Example{Name: "ex", Title: "An example", Run: func(chapters.Options) error { return nil }}
	tests := []struct {
		name    string
		chapter chapters.Chapter
		want    string // in the panic message
	}{
		{"number zero", chapters.Chapter{Number: 0, Name: "x", Title: "X", Examples: []chapters.Example{ok}}, "number 0"},
		{"bad name", chapters.Chapter{Number: 99, Name: "Bad Name", Title: "X", Examples: []chapters.Example{ok}}, "lower-case"},
		{"no title", chapters.Chapter{Number: 99, Name: "x", Examples: []chapters.Example{ok}}, "no title"},
		{"no examples", chapters.Chapter{Number: 99, Name: "x", Title: "X"}, "no examples"},
		{"number taken", chapters.Chapter{Number: 1, Name: "x", Title: "X", Examples: []chapters.Example{ok}}, "clashes"},
		{"name taken", chapters.Chapter{Number: 99, Name: "generators", Title: "X", Examples: []chapters.Example{ok}}, "clashes"},
		{"bad example name", chapters.Chapter{Number: 99, Name: "x", Title: "X", Examples: []chapters.Example{{Name: "a/b", Title: "T", Run: ok.Run}}}, "lower-case"},
		{"two examples with one name", chapters.Chapter{Number: 99, Name: "x", Title: "X", Examples: []chapters.Example{ok, ok}}, "two examples"},
		{"example without Run", chapters.Chapter{Number: 99, Name: "x", Title: "X", Examples: []chapters.Example{{Name: "ex", Title: "T"}}}, "Run function"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(chapters.All())
			defer func() {
				p := recover()
				if msg := fmt.Sprint(p); p == nil || !strings.Contains(msg, tt.want) {
					t.Errorf("Register panicked with %v, want a panic mentioning %q", p, tt.want)
				}
				if after := len(chapters.All()); after != before {
					t.Errorf("Register added a chapter it rejected: %d chapters before, %d after", before, after)
				}
			}()
			chapters.Register(tt.chapter)
		})
	}
}

func TestRunStopsAtFailure(t *testing.T) {
	errBoom := errors.New("boom")
	c := chapters.Chapter{Number: 1, Name: "c", Title: "C", Examples: []chapters.Example{
		{Name: "first", Title: "First", Run: func(chapters.Options) error { fmt.Println("first"); return nil }},
		{Name: "fails", Title: "Fails", Run: func(chapters.Options) error { return errBoom }},
		{Name: "never", Title: "Never", Run: func(chapters.Options) error { fmt.Println("never"); return nil }},
	}}
	out, err := c.Output(chapters.Options{})
	if !errors.Is(err, errBoom) || !strings.Contains(err.Error(), "c/fails") {
		t.Errorf("Output() error = %v, want errBoom naming c/fails", err)
	}
	want := "== 1. C [c] ==\n\n-- First [c/first]\nfirst\n\n-- Fails [c/fails]\n"
	if out != want {
		t.Errorf("Output() = %q, want %q", out, want)
	}
}

func TestCaptureRestoresStdout(t *testing.T) {
	stdout := os.Stdout
	func() {
		defer func() { _ = recover() }()
		chapters.Capture(func() error {
			fmt.Println("captured")
			panic("example panicked")
		})
	}()
	if os.Stdout != stdout {
		t.Errorf("os.Stdout was not restored after a panic")
	}
	out, err := chapters.Capture(func() error {
		fmt.Print("a")
		fmt.Println("b")
		return nil
	})
	if out != "ab\n" || err != nil {
		t.Errorf("Capture() = %q, %v, want %q, nil", out, err, "ab\n")
	}
}
