package asyncio_test

import (
	"testing"

	"github.com/yieldfrom/asyncgo/gen/leaktest"
)

func TestMain(m *testing.M) { leaktest.Main(m) }
