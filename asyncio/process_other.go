//go:build !unix && !windows

package asyncio

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"syscall"
)

// lookPathInEnv leaves cmd as exec.Command made it.
func lookPathInEnv(*exec.Cmd) {}

// shellCommand refuses: there is no known shell on this system.
func shellCommand(string) (*exec.Cmd, error) {
	return nil, fmt.Errorf("no shell on %s", runtime.GOOS)
}

// terminate kills the child: there is no SIGTERM to send.
func terminate(p *os.Process) error { return p.Kill() }

// exitStatus returns a reaped child's exit code.
func exitStatus(ps *os.ProcessState) (int, syscall.Signal) { return ps.ExitCode(), 0 }
