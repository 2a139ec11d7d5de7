//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package asyncio

import "syscall"

// soReusePort is the system's SO_REUSEPORT.
const soReusePort = syscall.SO_REUSEPORT
