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
//     generators, which CPython forwards level by level; gen resumes the
//     innermost one directly, and pays a few stores per level.
//   - YieldFromInline/depth=N: the same chain built from generators that had
//     not started, which YieldFrom runs inline: the resume costs the same at
//     any depth.
//
// # Coroutines (coro_test.go)
//
//   - AwaitDepth/depth=N: one resume of a coroutine suspended at the bottom
//     of N awaits, each run inline: the same at any depth.
//   - AwaitCall: creating and awaiting a coroutine that returns at once.
//   - PlainCall: AwaitCall's work as a plain function call.
//
// # The event loop (loop_test.go, sync_test.go, echo_test.go, trace_test.go,
// throughput_test.go, datagram_test.go)
//
//   - Sleep0/tasks=N: one task step (resume, then Sleep(a, 0) again) with N
//     tasks taking turns, N = 1, 100, 10,000, 100,000.
//   - Spawn: one trivial task's whole life, gathered in batches of 1,000.
//   - FuturePingPong, QueuePingPong: one round trip between two tasks,
//     through a new future per hop, or through two queues.
//   - LockHandoff: one hand-off of a Lock among 100 waiting tasks.
//   - Timers: one timer firing among 100,000 pending ones.
//   - IdleTaskMemory: the memory of a suspended task (B/task metric).
//   - ConnMemory: the memory of an idle server-side connection (B/conn
//     metric; connmem_test.go, Unix only).
//   - EchoRoundTrip: one message to an echo server and back over loopback.
//   - TLSEchoRoundTrip, UnixEchoRoundTrip (echotls_test.go): the same over
//     TLS 1.3, and over a Unix domain socket.
//   - EchoThroughput/clients=1000: one round trip among 1,000 connections
//     busy at once, on one loop; EchoThroughputLoops/loops=2, the same over
//     two loops sharing the port with WithReusePort (throughput_test.go).
//   - DatagramRoundTrip: one UDP datagram to an echo endpoint and back over
//     loopback (datagram_test.go).
//   - SubprocessRun: one child process (true) started and waited for.
//   - SubprocessPipe: 1 MiB through cat and back with Communicate
//     (subprocess_test.go, Unix only).
//   - Sleep0Plain, Sleep0Hooked, Sleep0Traced: Sleep0/tasks=100 with no
//     hooks, with empty hooks, and with a timeline.Recorder.
//
// Their baselines (baseline_test.go, echo_test.go) do the same work with
// goroutines: GoroutineYield/goroutines=N (runtime.Gosched), GoroutineSpawn,
// ChanPingPong, IdleGoroutineMemory, ConnMemoryGoroutines,
// EchoRoundTripGoroutines (and its TLS and Unix twins, with crypto/tls and
// package net directly),
// EchoThroughputGoroutines/clients=1000 and DatagramRoundTripGoroutines;
// os/exec does it in SubprocessRunGoroutines and SubprocessPipeGoroutines.
//
// # Side by side with CPython
//
// go run ./bench/compare runs these benchmarks and the CPython programs of
// bench/python several times, interleaved, and prints one table of medians
// and ratios (also written to results.md and results.svg); README.md in
// this directory explains each workload and each target, and quotes the
// figures of a run on a named machine.
//
// # Figures
//
// Medians of 18 interleaved runs (-benchtime 200ms -count 1, each started
// when the load average was under 2.6) on a shared two-vCPU AMD EPYC
// virtual machine, Go 1.26. The machine is noisy: single runs vary by
// ±20% and more, which is why the ratios come from runs interleaved.
//
//	PullNext                    73 ns    0 allocs
//	PullCreateStop             555 ns    6 allocs
//	GenSend                     85 ns    0 allocs   1.17 × PullNext
//	GenLifecycle              1119 ns   11 allocs   2.0 × PullCreateStop
//	GenClose                  1313 ns   11 allocs
//	ChanGenerator              410 ns    0 allocs   4.8 × GenSend
//	YieldFrom/depth=1          115 ns    0 allocs
//	YieldFrom/depth=10         132 ns    0 allocs
//	YieldFrom/depth=100        396 ns    0 allocs   2.8 ns (0.04 × PullNext) per level
//	YieldFromInline/depth=1     84 ns    0 allocs
//	YieldFromInline/depth=10    84 ns    0 allocs
//	YieldFromInline/depth=100   85 ns    0 allocs   1.02 × depth=1
//	AwaitDepth/depth=1         101 ns    0 allocs
//	AwaitDepth/depth=10         99 ns    0 allocs
//	AwaitDepth/depth=100       100 ns    0 allocs   0.99 × depth=1
//	AwaitCall                  265 ns    3 allocs
//
// GenLifecycle is a bare iter.Pull's life plus what a generator adds to it:
// two more small allocations (its state, and the function iter.Pull runs;
// the handle itself stays on the stack here).
// (The figures above are older: a generator then also registered a
// runtime.AddCleanup to close it if it was dropped, which it no longer does
// unless a drop report is set; see gen.SetDropReport.)
package bench
