// Package docs is the walkthrough of this module: chapters in Markdown that
// rebuild Python's asyncio from generators up, lesson by lesson, with the
// Python beside the Go. Start at README.md.
//
// The package has no code. The chapters' programs are in
// docs/walkthrough/chapters, run by the command in docs/walkthrough, and
// the code and output the Markdown shows are copied from them by
// docs/internal/mdsync, which go generate runs:
//
//	go generate ./docs/...
//
// The tests fail when a Markdown file differs from what mdsync would write.
package docs

//go:generate go run ./internal/mdsync
