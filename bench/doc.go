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
//
// # Figures
//
// Medians of ten runs of -benchtime 200ms on a shared two-vCPU AMD EPYC
// virtual machine, Go 1.26 (noisy: single runs vary by ±20%):
//
//	PullNext                    73 ns    0 allocs
//	PullCreateStop             404 ns    6 allocs
//	GenSend                     97 ns    0 allocs   1.33 × PullNext
//	GenLifecycle              2003 ns   12 allocs   4.95 × PullCreateStop
//	GenClose                  2475 ns   12 allocs
//	ChanGenerator              304 ns    0 allocs   3.1 × GenSend
//	YieldFrom/depth=1          200 ns
//	YieldFrom/depth=10         960 ns
//	YieldFrom/depth=100      11745 ns   117 ns (1.6 × PullNext) per level
//	YieldFromInline/depth=1     99 ns
//	YieldFromInline/depth=10   100 ns
//	YieldFromInline/depth=100  103 ns   1.04 × depth=1
//
// In GenLifecycle and GenClose about half the time goes to
// runtime.AddCleanup, through which gen closes generators that are dropped
// while suspended; the cleanup stays registered after the generator ends.
package bench
