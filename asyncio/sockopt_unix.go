//go:build unix

package asyncio

import (
	"os"
	"syscall"
)

// sockoptsSupported says whether setSockopts can set SO_REUSEADDR and
// SO_BROADCAST (see socketConfig.check).
const sockoptsSupported = true

// reusePortSupported says whether this system has SO_REUSEPORT.
const reusePortSupported = soReusePort != 0

// setSockopts sets the options of c on the socket fd, before it binds.
func setSockopts(fd uintptr, c *socketConfig) error {
	set := func(name string, opt, v int) error {
		if err := syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, opt, v); err != nil {
			return os.NewSyscallError("setsockopt "+name, err)
		}
		return nil
	}
	if c.reuseAddress != 0 {
		if err := set("SO_REUSEADDR", syscall.SO_REUSEADDR, max(c.reuseAddress, 0)); err != nil {
			return err
		}
	}
	if c.reusePort {
		if !reusePortSupported {
			return errNoReusePort
		}
		if err := set("SO_REUSEPORT", soReusePort, 1); err != nil {
			return err
		}
	}
	if c.datagram {
		broadcast := 0
		if c.broadcast {
			broadcast = 1
		}
		if err := set("SO_BROADCAST", syscall.SO_BROADCAST, broadcast); err != nil {
			return err
		}
	}
	return nil
}

// relisten calls listen(2) on a listening socket, which changes its
// backlog.
func relisten(fd uintptr, backlog int) error {
	return os.NewSyscallError("listen", syscall.Listen(int(fd), backlog))
}
