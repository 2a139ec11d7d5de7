//go:build unix

package asyncio

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// shellCommand runs cmd with /bin/sh, as Python's create_subprocess_shell
// does on Unix.
func shellCommand(cmd string) (*exec.Cmd, error) {
	return exec.Command("/bin/sh", "-c", cmd), nil
}

// lookPathInEnv looks cmd's program up in the PATH of the environment the
// child gets, if it is named without a path, as Python's subprocess does
// (os.get_exec_path(env)): the last PATH of cmd.Env, or /bin:/usr/bin
// (os.defpath) if it has none. exec.Command looked in this process's PATH.
func lookPathInEnv(cmd *exec.Cmd) {
	name := cmd.Args[0]
	if strings.Contains(name, "/") {
		return
	}
	path := "/bin:/usr/bin"
	for _, kv := range cmd.Env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = v
		}
	}
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			cmd.Path, cmd.Err = p, nil
			return
		}
	}
	cmd.Path, cmd.Err = name, &exec.Error{Name: name, Err: exec.ErrNotFound}
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
