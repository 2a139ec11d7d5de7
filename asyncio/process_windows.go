//go:build windows

package asyncio

import (
	"os"
	"os/exec"
	"syscall"
)

// lookPathInEnv leaves cmd as exec.Command made it: on Windows, as in
// Python, a program is looked up in this process's PATH, whatever the
// child's environment.
func lookPathInEnv(*exec.Cmd) {}

// shellCommand runs cmd with %ComSpec% /c, as Python's
// create_subprocess_shell does on Windows; the command line is passed as
// it is, unquoted.
func shellCommand(cmd string) (*exec.Cmd, error) {
	shell := os.Getenv("ComSpec")
	if shell == "" {
		shell = "cmd.exe"
	}
	c := exec.Command(shell)
	c.SysProcAttr = &syscall.SysProcAttr{CmdLine: shell + " /c " + cmd}
	return c, nil
}

// terminate kills the child: Windows has no SIGTERM, and Python's
// terminate calls TerminateProcess, as Kill does.
func terminate(p *os.Process) error { return p.Kill() }

// exitStatus returns a reaped child's exit code; no signal ends a process
// on Windows.
func exitStatus(ps *os.ProcessState) (int, syscall.Signal) { return ps.ExitCode(), 0 }
