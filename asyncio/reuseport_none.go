//go:build unix && !linux && !darwin && !dragonfly && !freebsd && !netbsd && !openbsd

package asyncio

// soReusePort is 0 on the Unix systems without SO_REUSEPORT (AIX, Solaris,
// illumos): reuse_port is refused there.
const soReusePort = 0
