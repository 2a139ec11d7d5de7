//go:build !unix

package asyncio

import "errors"

// Elsewhere than on Unix, reuse_address and reuse_port are refused (see
// socketConfig.check), broadcast is Go's default (allowed), and the backlog
// is the system's.
const (
	sockoptsSupported  = false
	reusePortSupported = false
)

func setSockopts(uintptr, *socketConfig) error { return errors.ErrUnsupported }

func relisten(uintptr, int) error { return nil }
