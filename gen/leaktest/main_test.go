package leaktest_test

import (
	"testing"

	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

// The package checks itself as it checks the others.
func TestMain(m *testing.M) { leaktest.Main(m) }
