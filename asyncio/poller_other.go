//go:build !linux

package asyncio

import (
	"errors"
	"sync/atomic"
	"time"
)

// A poller is the loop's own readiness poller, which only Linux has (see
// poller_linux.go); elsewhere newPoller fails and a goroutine reads every
// socket.
type poller struct{ sleeping atomic.Bool }

func newPoller() (*poller, error) { return nil, errors.ErrUnsupported }

func (*poller) add(int, pollable) error              { return errors.ErrUnsupported }
func (*poller) remove(int)                           {}
func (*poller) active() bool                         { return false }
func (*poller) ran(int) bool                         { return false }
func (*poller) due() bool                            { return false }
func (*poller) wait(time.Duration, func() bool) bool { return false }
func (*poller) signal()                              {}
func (*poller) close()                               {}

// Without a poller there is no loopSocket (see newLoopSocket): these are
// never called.
func sockRead(int, []byte) (int, error)  { return 0, errors.ErrUnsupported }
func sockWrite(int, []byte) (int, error) { return 0, errors.ErrUnsupported }
func sockClose(int) error                { return errors.ErrUnsupported }
func sockShutdownWrite(int) error        { return errors.ErrUnsupported }
func dupSocket(uintptr) (int, error)     { return -1, errors.ErrUnsupported }
