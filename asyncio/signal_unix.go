//go:build unix

package asyncio

import (
	"fmt"
	"os"
	"syscall"
)

// catchable returns an error if sig cannot have a handler.
func catchable(sig os.Signal) error {
	s, ok := sig.(syscall.Signal)
	switch {
	case !ok:
		return fmt.Errorf("%v is not a syscall.Signal", sig)
	case s == syscall.SIGKILL || s == syscall.SIGSTOP:
		return fmt.Errorf("%v cannot be caught", sig)
	}
	return nil
}
