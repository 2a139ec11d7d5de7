// Package bench holds the benchmarks of this module; it has no code of its
// own, only _test.go files.
//
// Each benchmark measures one unit per op (one resume, one generator's
// whole life, one Send through a chain of delegations) and reports
// allocations, so that the figures can be set side by side as ratios: our
// generators against the raw iter.Pull they are built on, and against the
// goroutine-and-channels generator a Go programmer would write without them.
//
// Run them all with
//
//	go test -bench . ./bench/
//
// or, for figures steady enough to compare,
//
//	go test -run '^$' -bench . -benchtime 200ms -count 3 ./bench/
//
// # Generators (gen_test.go)
//
//   - PullNext: one next of a raw iter.Pull iterator, the floor.
//   - PullCreateStop: iter.Pull, one next, stop.
//   - GenSend: one Send round trip on a started generator.
//   - GenLifecycle: one generator from New to its end (one yield).
//   - GenClose: New, one Next, Close.
//   - ChanGenerator: GenSend's generator as a goroutine with two unbuffered
//     channels.
//   - YieldFrom/depth=N: one Send through N already-started delegating
//     generators; YieldFrom forwards it level by level, as CPython does.
//   - YieldFromInline/depth=N: the same chain built from generators that had
//     not started, which YieldFrom runs inline: the resume costs the same at
//     any depth.
package bench
