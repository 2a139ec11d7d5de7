package gen_test

import (
	"testing"

	"github.com/yieldfrom/asyncgo/gen/pydiff"
)

// The differential test of the package: seeded random generator functions
// and call sequences (diffprog_test.go), each rendered to Python and
// interpreted with this package (diffgo_test.go), must print the same
// trace. TestDifferentialCorpus replays the programs of testdata/differential
// against the traces CPython printed for them, with no Python needed;
// TestDifferentialCPython compares fresh programs in python3 itself
// (-pydiff.n programs from seed -pydiff.seed; -pydiff.update rewrites the
// corpus). FuzzProtocol checks the same protocol against a model of its own.
var diffTester = pydiff.Tester{
	Prelude:     diffPrelude,
	Dir:         "testdata/differential",
	CorpusSeeds: diffCorpusSeeds(),
	Generate:    func(seed uint64) string { return genDiffProgram(seed).json() },
	Python:      func(program string) string { return parseDiffProgram(program).python() },
	Interpret:   interpretDiff,
	Shrink:      shrinkDiffProgram,
}

// diffCorpusSeeds are the seeds of the corpus.
func diffCorpusSeeds() []uint64 {
	var seeds []uint64
	for s := uint64(1); s <= 60; s++ {
		seeds = append(seeds, s)
	}
	return seeds
}

func TestDifferentialCorpus(t *testing.T) { diffTester.TestCorpus(t) }

func TestDifferentialCPython(t *testing.T) { diffTester.TestFresh(t) }
