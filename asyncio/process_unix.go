//go:build unix

package asyncio

import (
	"os"
	"os/exec"
	"syscall"
)

// shellCommand runs cmd with /bin/sh, as Python's create_subprocess_shell
// does on Unix.
func shellCommand(cmd string) (*exec.Cmd, error) {
	return exec.Command("/bin/sh", "-c", cmd), nil
}

// terminate sends SIGTERM.
func terminate(p *os.Process) error { return p.Signal(syscall.SIGTERM) }

// exitStatus returns a reaped child's return code, minus the signal's
// number if a signal ended it, and that signal (0 if none did).
func exitStatus(ps *os.ProcessState) (int, syscall.Signal) {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return -int(ws.Signal()), ws.Signal()
	}
	return ps.ExitCode(), 0
}
