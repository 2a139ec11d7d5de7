//go:build plan9 || js || wasip1

package asyncio

import (
	"errors"
	"fmt"
	"runtime"
)

// errUnixSockets is what OpenUnixConnection and StartUnixServer return
// where the platform has no Unix domain sockets.
var errUnixSockets = fmt.Errorf("asyncio: Unix domain sockets are not supported on %s: %w", runtime.GOOS, errors.ErrUnsupported)
