//go:build linux && !(mips || mipsle || mips64 || mips64le)

package asyncio

// soReusePort is Linux's SO_REUSEPORT (since 3.9), which package syscall
// does not define.
const soReusePort = 0xf
