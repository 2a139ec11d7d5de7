package asyncio

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// A Process is a child process of a loop, started by CreateSubprocessExec
// or CreateSubprocessShell: Python's asyncio.subprocess.Process. Its methods
// must be called on its loop (from its tasks or callbacks).
//
// A child that writes more to a pipe than the loop buffers (twice the pipe
// limit, see WithPipeLimit) while no task reads it blocks in its write, and
// so never exits: Wait then waits for ever, as Python's documentation warns
// of its wait(). Communicate reads and writes every pipe at once, and is
// the way around it.
type Process struct {
	// Pid is the child's process ID.
	Pid int
	// Stdin writes to the child's standard input, if it is a Pipe, and is
	// nil otherwise. Close it to let the child read EOF.
	Stdin *StreamWriter
	// Stdout reads the child's standard output, if it is a Pipe, and is nil
	// otherwise.
	Stdout *StreamReader
	// Stderr reads the child's standard error, if it is a Pipe, and is nil
	// otherwise.
	Stderr *StreamReader

	loop    *Loop
	cmd     *exec.Cmd
	desc    string    // the command line, for errors and reports
	work    *external // the goroutine that waits for the child to exit
	exited  bool      // the child has exited and been reaped
	code    int       // its return code, once exited
	exitErr error     // a *SignaledError, or why the child could not be waited for
	ending  bool      // Kill or Terminate was called
	waiters waitQueue // the tasks in Wait
}

// A SignaledError says that a child process was ended by a signal: Wait
// and Communicate return it, and Returncode is then minus the signal's
// number, as in Python.
type SignaledError struct {
	// Pid is the child's process ID.
	Pid int
	// Command is the child's command line.
	Command string
	// Signal is the signal that ended it.
	Signal syscall.Signal
}

// Error says which process which signal ended: "asyncio: process 42 (sleep
// 10) was killed by signal 9 (killed)".
func (e *SignaledError) Error() string {
	return fmt.Sprintf("asyncio: process %d (%s) was killed by signal %d (%v)", e.Pid, e.Command, int(e.Signal), e.Signal)
}

// Returncode returns the child's exit status, and true, once it has exited
// and the loop has been told (Wait has returned, or could return at once);
// until then it returns 0, false (Python's returncode is None). A child
// ended by a signal has minus the signal's number, as in Python.
func (p *Process) Returncode() (int, bool) { return p.code, p.exited }

// Wait suspends the task running a until the child has exited, and returns
// its return code: Python's await proc.wait(). The error is nil whatever
// the exit status; it is a *SignaledError if a signal ended the child.
//
// If the task is cancelled while it waits, Wait returns the
// *CanceledError and the child goes on running, as in Python: a task that
// wants the child dead when it is cancelled kills it itself (see the
// example of Process.Kill).
//
// Wait does not read the pipes: with Stdout or Stderr a Pipe, read them
// (or use Communicate) or the child may block writing, and never exit.
func (p *Process) Wait(a *A) (int, error) {
	if err := p.onLoop(a, "Wait"); err != nil {
		return 0, err
	}
	if !p.exited {
		w := p.waiters.add(p.loop, "Process", "Wait")
		w.reason = p
		err := w.await(a)
		w.retire()
		if err != nil {
			return 0, err
		}
	}
	return p.code, p.exitErr
}

// Communicate writes input to the child's standard input and closes it,
// reads its standard output and standard error to the end, all at once,
// and waits for it to exit: Python's await proc.communicate(input). It
// returns what was read from each pipe (nil for one that is not a Pipe) and
// the error Wait returns. Input given without a Pipe for standard input is
// ignored, as in Python; the child closing its standard input before it has
// read all of it is not an error.
//
// Reading and writing at once, Communicate cannot deadlock however much
// goes either way (it buffers what it reads in memory). If the task is
// cancelled, Communicate returns the *CanceledError, what it has read is
// lost, and the child goes on running, as in Python.
func (p *Process) Communicate(a *A, input []byte) (stdout, stderr []byte, err error) {
	if err := p.onLoop(a, "Communicate"); err != nil {
		return nil, nil, err
	}
	if p.Stdin != nil {
		// The write buffers what the pipe does not take at once; Close
		// closes it once it is all written. A child that exits without
		// reading it all ends the write with an error, as Python's
		// communicate ignores BrokenPipeError.
		p.Stdin.Write(input)
		p.Stdin.Close()
	}
	switch {
	case p.Stdout != nil && p.Stderr != nil:
		outs, err := Gather(a, readAll(p.Stdout), readAll(p.Stderr))
		if err != nil {
			return nil, nil, err
		}
		stdout, stderr = outs[0], outs[1]
	case p.Stdout != nil:
		stdout, err = p.Stdout.Read(a, -1)
	case p.Stderr != nil:
		stderr, err = p.Stderr.Read(a, -1)
	}
	if err != nil {
		return nil, nil, err
	}
	_, err = p.Wait(a)
	return stdout, stderr, err
}

// readAll reads r to the end, as a coroutine for Gather.
func readAll(r *StreamReader) *Coro[[]byte] {
	return Async(func(a *A) ([]byte, error) { return r.Read(a, -1) })
}

// SendSignal sends sig to the child: Python's proc.send_signal(sig). Once
// the child has been reaped it returns an error wrapping
// os.ErrProcessDone (Python does nothing); on Windows only os.Kill can be
// sent.
func (p *Process) SendSignal(sig os.Signal) error {
	if err := p.cmd.Process.Signal(sig); err != nil {
		return fmt.Errorf("asyncio.Process.SendSignal: %w", err)
	}
	return nil
}

// Terminate asks the child to end: Python's proc.terminate(). On Unix it
// sends SIGTERM, which the child may catch; on Windows it kills the child.
// Once the child has been reaped it returns an error wrapping
// os.ErrProcessDone.
func (p *Process) Terminate() error {
	if err := terminate(p.cmd.Process); err != nil {
		return fmt.Errorf("asyncio.Process.Terminate: %w", err)
	}
	p.ending = true
	return nil
}

// Kill kills the child: Python's proc.kill(). On Unix it sends SIGKILL.
// Once the child has been reaped it returns an error wrapping
// os.ErrProcessDone. Kill does not wait: Wait does.
func (p *Process) Kill() error {
	if err := p.cmd.Process.Kill(); err != nil {
		return fmt.Errorf("asyncio.Process.Kill: %w", err)
	}
	p.ending = true
	return nil
}

// onLoop checks that a runs on p's loop.
func (p *Process) onLoop(a *A, op string) error {
	t, err := currentTask(a)
	if err == nil && t.loop != p.loop {
		err = ErrDifferentLoop
	}
	if err != nil {
		return fmt.Errorf("asyncio.Process.%s: %w", op, err)
	}
	return nil
}

// waitExit is the goroutine that waits for the child to exit and reaps it,
// and tells the loop.
func (p *Process) waitExit() {
	err := p.cmd.Wait()
	// The loop cannot be gone: the goroutine counts as its outside work.
	_ = p.loop.CallSoonThreadsafe(func() { p.exit(err) })
}

// exit records the child's end, on the loop, and wakes the tasks in Wait.
func (p *Process) exit(err error) {
	p.work.done()
	p.exited = true
	delete(p.loop.procs.running, p)
	if ps := p.cmd.ProcessState; ps != nil {
		var sig syscall.Signal
		p.code, sig = exitStatus(ps)
		if sig != 0 {
			p.exitErr = &SignaledError{Pid: p.Pid, Command: p.desc, Signal: sig}
		}
	} else {
		p.code, p.exitErr = -1, fmt.Errorf("asyncio: waiting for process %d (%s): %w", p.Pid, p.desc, err)
	}
	p.waiters.finishAll(nil)
}

// String describes the process, for diagnostics: "<Process 42 (sleep 10)
// running>".
func (p *Process) String() string {
	state := "running"
	if p.exited {
		state = fmt.Sprintf("returncode=%d", p.code)
	}
	return fmt.Sprintf("<Process %d (%s) %s>", p.Pid, p.desc, state)
}

// children is a loop's record of its child processes: those still running,
// which shutdown kills and waits for, and those it killed unasked.
type children struct {
	running map[*Process]struct{}
	killed  []*Process
}

func (l *Loop) children() *children {
	if l.procs == nil {
		l.procs = &children{running: map[*Process]struct{}{}}
	}
	return l.procs
}

func (c *children) add(p *Process) { c.running[p] = struct{}{} }

// killChildren kills the children still running, once the tasks have
// ended; shutdown then waits for them as for any outside work. A child the
// program was already ending (Kill, Terminate) is killed too, since it may
// ignore SIGTERM, as Python's transport kills a child still running when
// it is closed, but not reported; the others are reported as leaks, as
// tasks still pending are.
func (l *Loop) killChildren() {
	if l.procs == nil {
		return
	}
	for p := range l.procs.running {
		err := p.cmd.Process.Kill()
		if p.ending || errors.Is(err, os.ErrProcessDone) {
			continue // ended by the program, or exited: the news is on its way
		}
		l.procs.killed = append(l.procs.killed, p)
	}
}

// childReports reports the children killChildren killed unasked, as
// still running when the loop's last main returned or its Runner closed
// (when), as pendingReports reports tasks.
func (l *Loop) childReports(when string) []string {
	if l.procs == nil {
		return nil
	}
	var reports []string
	for _, p := range l.procs.killed {
		reports = append(reports, fmt.Sprintf("process %d (%s) was still running when %s; it was killed", p.Pid, p.desc, when))
	}
	return reports
}
