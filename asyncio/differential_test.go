package asyncio_test

import (
	"testing"

	"github.com/yieldfrom/asyncgo/gen/pydiff"
)

// The differential test of the package: seeded random asyncio programs
// (diffprog_test.go), each rendered to Python (diffpython_test.go) and
// interpreted with this package (diffgo_test.go), must print the same
// trace. TestDifferentialCorpus replays the programs of testdata/differential
// against the traces CPython printed for them, with no Python needed;
// TestDifferentialCPython compares fresh programs in python3 itself
// (-pydiff.n programs from seed -pydiff.seed; -pydiff.update rewrites the
// corpus).
var diffTester = pydiff.Tester{
	Prelude:     diffPrelude,
	Dir:         "testdata/differential",
	CorpusSeeds: diffCorpusSeeds(),
	Generate:    func(seed uint64) string { return genDiffProgram(seed).json() },
	Python:      func(program string) string { return parseDiffProgram(program).python() },
	Interpret:   interpretDiff,
	Shrink:      shrinkDiffProgram,
}

// diffCorpusSeeds are the seeds of the corpus: 1 to 60, and the seeds of
// mismatches found and fixed since (fixedMismatchSeeds), all of which behave
// as in CPython.
//
// Seeds that differ from CPython are left out of the corpus rather than
// recorded with Go's behaviour; each is reproduced and shrunk by
//
//	go test -run TestDifferentialCPython ./asyncio -args -pydiff.seed=SEED -pydiff.n=1
//
// None is known.
func diffCorpusSeeds() []uint64 {
	var seeds []uint64
	for s := uint64(1); s <= 60; s++ {
		seeds = append(seeds, s)
	}
	return append(seeds, fixedMismatchSeeds...)
}

// fixedMismatchSeeds are fresh seeds that once differed from CPython, kept
// in the corpus so that the difference does not come back:
//   - 1003966, 1017240, 1022284: two Cancels with different messages
//     before the task runs, while it awaits a future: the first cancels
//     the future, and the task raises that future's CancelledError, with
//     the first message.
//   - 1009431: Lock.Release while the first waiter is cancelled but has
//     not run yet wakes nobody: the cancelled waiter passes the lock on
//     when it runs, one step later, so a waiter cancelled in that step
//     never gets into its critical section.
//   - 2061675, 2077364: a Queue waiter that was woken, but whose value (or
//     free slot) another task took first, waits again at the back of the
//     line.
var fixedMismatchSeeds = []uint64{1003966, 1017240, 1022284, 1009431, 2061675, 2077364}

func TestDifferentialCorpus(t *testing.T) { diffTester.TestCorpus(t) }

func TestDifferentialCPython(t *testing.T) { diffTester.TestFresh(t) }
