//go:build !unix

package asyncio

import (
	"errors"
	"fmt"
	"os"
	"runtime"
)

// catchable returns an error: signal handlers need Unix signals.
func catchable(os.Signal) error {
	return fmt.Errorf("signal handlers are not supported on %s: %w", runtime.GOOS, errors.ErrUnsupported)
}
