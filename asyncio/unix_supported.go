//go:build !(plan9 || js || wasip1)

package asyncio

// errUnixSockets is nil where the platform has Unix domain sockets (on
// Windows, from Windows 10 on; an older one fails the listen or dial).
var errUnixSockets error
