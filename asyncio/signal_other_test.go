//go:build !unix

package asyncio_test

import (
	"errors"
	"os"
	"testing"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// TestAddSignalHandlerUnsupported checks that, without Unix signals,
// AddSignalHandler refuses with an error wrapping errors.ErrUnsupported.
func TestAddSignalHandlerUnsupported(t *testing.T) {
	r := asyncio.NewRunner(asyncio.WithVirtualTime())
	defer r.Close()
	if err := r.Loop().AddSignalHandler(os.Interrupt, func() {}); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("AddSignalHandler = %v, want an error wrapping errors.ErrUnsupported", err)
	}
}
