//go:build linux && (mips || mipsle || mips64 || mips64le)

package asyncio

// soReusePort is SO_REUSEPORT on Linux's MIPS ports, which package syscall
// does not define.
const soReusePort = 0x200
