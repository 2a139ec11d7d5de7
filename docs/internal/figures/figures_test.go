package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yieldfrom/asyncgo/docs/walkthrough/chapters"
	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

func TestMain(m *testing.M) { leaktest.Main(m) }

const docs = "../.."

// TestFiguresUpToDate fails when a picture in docs/ differs from what its
// programs draw now, as go generate ./docs/... would write it.
func TestFiguresUpToDate(t *testing.T) {
	stale, err := sync(docs, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range stale {
		t.Errorf("docs/%s is out of date (run go generate ./docs/...)", name)
	}
}

// TestFiguresUsed checks that every figure is shown by a page of docs/, so
// that none is drawn for nothing.
func TestFiguresUsed(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join(docs, "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	var markdown strings.Builder
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		markdown.Write(b)
	}
	registered := map[string]bool{}
	for _, f := range chapters.Figures() {
		registered[f.Name] = true
		if !strings.Contains(markdown.String(), "]("+f.Name+")") {
			t.Errorf("no page in docs/ shows %s: want an image link ![...](%s)", f.Name, f.Name)
		}
	}
}
