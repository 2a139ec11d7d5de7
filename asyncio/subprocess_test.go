//go:build unix

package asyncio_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/coro"
)

// procRun is streamRun with a check, once Run has returned, that no
// goroutine or file descriptor of the processes is left.
func procRun(t *testing.T, body func(a *asyncio.A) error, opts ...asyncio.Option) {
	t.Helper()
	warmPoller(t)
	check := streamLeakCheck(t)
	streamRun(t, body, opts...)
	check()
}

// warmPoller opens and closes a pipe: the runtime's poller opens its
// descriptors, for good, with the first one, which must not count as a
// leak.
func warmPoller(t *testing.T) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	w.Close()
}

// output starts name with args, its stdout a pipe, and returns what it prints
// (Communicate) and Wait's error.
func output(a *asyncio.A, name string, args ...string) (string, error) {
	p, err := asyncio.CreateSubprocessExec(a, name, args, asyncio.WithStdout(asyncio.Pipe))
	if err != nil {
		return "", err
	}
	out, _, err := p.Communicate(a, nil)
	return string(out), err
}

func TestSubprocessFiftyGathered(t *testing.T) {
	const n = 50
	procRun(t, func(a *asyncio.A) error {
		var cmds []coro.Awaitable[string]
		for i := range n {
			cmds = append(cmds, asyncio.Async(func(a *asyncio.A) (string, error) {
				// The first ones sleep longest, so that they end last.
				return output(a, "sh", "-c", fmt.Sprintf("sleep 0.0%d; echo process %d", (n-i)/10, i))
			}))
		}
		outs, err := asyncio.Gather(a, cmds...)
		if err != nil {
			return err
		}
		for i, out := range outs {
			if want := fmt.Sprintf("process %d\n", i); out != want {
				t.Errorf("output %d = %q, want %q", i, out, want)
			}
		}
		return nil
	})
}

func TestSubprocessCommunicateLarge(t *testing.T) {
	input := bytes.Repeat([]byte("0123456789abcdef"), 4<<20/16) // 4 MiB
	tests := []struct {
		name             string
		args             []string
		stdout, stderr   []byte
		stdoutR, stderrR asyncio.Redirect
	}{
		{"cat", []string{"cat"}, input, nil, asyncio.Pipe, asyncio.Inherit},
		// Both pipes fill at once: reading one after the other would
		// deadlock.
		{"tee to both", []string{"tee", "/dev/fd/2"}, input, input, asyncio.Pipe, asyncio.Pipe},
		{"stderr to stdout", []string{"sh", "-c", "cat >&2"}, input, nil, asyncio.Pipe, asyncio.Stdout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			procRun(t, func(a *asyncio.A) error {
				p, err := asyncio.CreateSubprocessExec(a, tt.args[0], tt.args[1:],
					asyncio.WithStdin(asyncio.Pipe), asyncio.WithStdout(tt.stdoutR), asyncio.WithStderr(tt.stderrR))
				if err != nil {
					return err
				}
				stdout, stderr, err := p.Communicate(a, input)
				if err != nil {
					return err
				}
				if !bytes.Equal(stdout, tt.stdout) {
					t.Errorf("stdout: %d bytes, want %d bytes as sent", len(stdout), len(tt.stdout))
				}
				if !bytes.Equal(stderr, tt.stderr) {
					t.Errorf("stderr: %d bytes, want %d bytes", len(stderr), len(tt.stderr))
				}
				if code, ok := p.Returncode(); code != 0 || !ok {
					t.Errorf("Returncode() = %d, %v, want 0, true", code, ok)
				}
				return nil
			})
		})
	}
}

// The pipes close as soon as the child and the loop are done with them,
// not when Run returns.
func TestSubprocessPipesClosedAtEOF(t *testing.T) {
	procRun(t, func(a *asyncio.A) error {
		before := openFDs()
		for range 3 {
			p, err := asyncio.CreateSubprocessExec(a, "cat", nil,
				asyncio.WithStdin(asyncio.Pipe), asyncio.WithStdout(asyncio.Pipe), asyncio.WithStderr(asyncio.Pipe))
			if err != nil {
				return err
			}
			if out, _, err := p.Communicate(a, []byte("hello")); string(out) != "hello" || err != nil {
				t.Errorf("Communicate() = %q, %v, want hello, nil", out, err)
			}
		}
		if after := openFDs(); after != before {
			t.Errorf("open files after three processes: %d, want %d as before", after, before)
		}
		return nil
	})
}

// A child that writes more than the loop buffers to a pipe nobody reads
// blocks, and Wait with it, as Python's docs warn; Communicate gets
// everything.
func TestSubprocessFullPipeBlocks(t *testing.T) {
	const size = 4 << 20
	procRun(t, func(a *asyncio.A) error {
		p, err := asyncio.CreateSubprocessExec(a, "head", []string{"-c", strconv.Itoa(size), "/dev/zero"},
			asyncio.WithStdout(asyncio.Pipe), asyncio.WithPipeLimit(1024))
		if err != nil {
			return err
		}
		_, err = asyncio.WaitFor(a, asyncio.Async(p.Wait), time.Hour)
		if !errors.Is(err, asyncio.ErrTimeout) {
			t.Errorf("WaitFor(Wait) = %v, want a timeout: the child blocks on its full pipe", err)
		}
		if code, ok := p.Returncode(); ok {
			t.Errorf("Returncode() = %d, true, want unset", code)
		}
		out, _, err := p.Communicate(a, nil)
		if err != nil {
			return err
		}
		if len(out) != size {
			t.Errorf("Communicate read %d bytes, want %d", len(out), size)
		}
		return nil
	}, asyncio.WithVirtualTime())
}

func TestSubprocessSignals(t *testing.T) {
	tests := []struct {
		name string
		end  func(p *asyncio.Process) error
		sig  syscall.Signal
	}{
		{"Kill", (*asyncio.Process).Kill, syscall.SIGKILL},
		{"Terminate", (*asyncio.Process).Terminate, syscall.SIGTERM},
		{"SendSignal(SIGUSR1)", func(p *asyncio.Process) error { return p.SendSignal(syscall.SIGUSR1) }, syscall.SIGUSR1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			procRun(t, func(a *asyncio.A) error {
				p, err := asyncio.CreateSubprocessExec(a, "sleep", []string{"10"})
				if err != nil {
					return err
				}
				if err := tt.end(p); err != nil {
					return err
				}
				code, err := p.Wait(a)
				if want := -int(tt.sig); code != want {
					t.Errorf("Wait() = %d, want %d", code, want)
				}
				var se *asyncio.SignaledError
				if !errors.As(err, &se) || se.Signal != tt.sig || se.Pid != p.Pid {
					t.Fatalf("Wait() error = %v, want a *SignaledError for %v", err, tt.sig)
				}
				want := fmt.Sprintf("asyncio: process %d (sleep 10) was killed by signal %d (%v)", p.Pid, int(tt.sig), tt.sig)
				if err.Error() != want {
					t.Errorf("Wait() error = %q, want %q", err, want)
				}
				if code, ok := p.Returncode(); code != -int(tt.sig) || !ok {
					t.Errorf("Returncode() = %d, %v, want %d, true", code, ok, -int(tt.sig))
				}
				if err := tt.end(p); !errors.Is(err, os.ErrProcessDone) {
					t.Errorf("%s after Wait = %v, want os.ErrProcessDone", tt.name, err)
				}
				return nil
			})
		})
	}
}

// A child that handles a signal goes on, and exits as it likes.
func TestSubprocessSignalHandled(t *testing.T) {
	procRun(t, func(a *asyncio.A) error {
		p, err := asyncio.CreateSubprocessExec(a, "sh",
			[]string{"-c", `trap 'echo got USR1; exit 3' USR1; echo ready; while :; do sleep 0.01; done`},
			asyncio.WithStdout(asyncio.Pipe))
		if err != nil {
			return err
		}
		if line, err := p.Stdout.ReadLine(a); err != nil || string(line) != "ready\n" {
			return fmt.Errorf("ReadLine() = %q, %v, want ready", line, err)
		}
		if err := p.SendSignal(syscall.SIGUSR1); err != nil {
			return err
		}
		out, _, err := p.Communicate(a, nil)
		code, _ := p.Returncode()
		if string(out) != "got USR1\n" || err != nil || code != 3 {
			t.Errorf("Communicate() = %q, %v, returncode %d; want \"got USR1\\n\", nil, 3", out, err, code)
		}
		return nil
	})
}

func TestSubprocessExitStatus(t *testing.T) {
	procRun(t, func(a *asyncio.A) error {
		p, err := asyncio.CreateSubprocessShell(a, "exit 7")
		if err != nil {
			return err
		}
		if code, err := p.Wait(a); code != 7 || err != nil {
			t.Errorf("Wait() = %d, %v, want 7, nil", code, err)
		}
		// The shell's answer to a command it cannot find.
		p, err = asyncio.CreateSubprocessShell(a, "no-such-program-here 2>/dev/null")
		if err != nil {
			return err
		}
		if code, err := p.Wait(a); code != 127 || err != nil {
			t.Errorf("Wait() of a missing command = %d, %v, want 127, nil", code, err)
		}
		return nil
	})
}

func TestSubprocessStartErrors(t *testing.T) {
	dir := t.TempDir()
	missingDir := dir + "/gone"
	tests := []struct {
		name   string
		prog   string
		opts   []asyncio.ProcessOption
		is     error
		substr string
	}{
		{"not in PATH", "no-such-program-here", nil, exec.ErrNotFound, `"no-such-program-here": executable file not found`},
		{"no such path", dir + "/no-such-program", nil, fs.ErrNotExist, dir + "/no-such-program: no such file"},
		{"no such directory", "true", []asyncio.ProcessOption{asyncio.WithDir(missingDir)}, fs.ErrNotExist, "chdir " + missingDir + ": no such file"},
		{"Stdout for stdout", "true", []asyncio.ProcessOption{asyncio.WithStdout(asyncio.Stdout)}, nil, "the Stdout redirect is for stderr only"},
		{"unknown redirect for stdin", "true", []asyncio.ProcessOption{asyncio.WithStdin(asyncio.Redirect(9))}, nil, "unknown redirect Redirect(9)"},
		{"unknown redirect for stdout", "true", []asyncio.ProcessOption{asyncio.WithStdout(asyncio.Redirect(9))}, nil, "unknown redirect Redirect(9)"},
		{"unknown redirect for stderr", "true", []asyncio.ProcessOption{asyncio.WithStderr(asyncio.Redirect(9))}, nil, "unknown redirect Redirect(9)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			procRun(t, func(a *asyncio.A) error {
				opts := append([]asyncio.ProcessOption{asyncio.WithStdin(asyncio.Pipe),
					asyncio.WithStdout(asyncio.Pipe), asyncio.WithStderr(asyncio.Pipe)}, tt.opts...)
				p, err := asyncio.CreateSubprocessExec(a, tt.prog, nil, opts...)
				if p != nil || err == nil {
					t.Fatalf("CreateSubprocessExec() = %v, %v, want an error", p, err)
				}
				if tt.is != nil && !errors.Is(err, tt.is) {
					t.Errorf("error %v, want one wrapping %v", err, tt.is)
				}
				if !strings.HasPrefix(err.Error(), "asyncio.CreateSubprocessExec: ") || !strings.Contains(err.Error(), tt.substr) {
					t.Errorf("error %q, want asyncio.CreateSubprocessExec: ...%s...", err, tt.substr)
				}
				return nil
			})
		})
	}
}

func TestSubprocessRedirects(t *testing.T) {
	dir := t.TempDir()
	procRun(t, func(a *asyncio.A) error {
		p, err := asyncio.CreateSubprocessShell(a, `echo out; echo err >&2; echo "$GREETING"; pwd`,
			asyncio.WithStdout(asyncio.Pipe), asyncio.WithStderr(asyncio.Stdout),
			asyncio.WithDir(dir), asyncio.WithEnv([]string{"GREETING=hello"}))
		if err != nil {
			return err
		}
		if p.Stdin != nil || p.Stderr != nil {
			t.Errorf("Stdin, Stderr = %v, %v, want nil: they are not pipes", p.Stdin, p.Stderr)
		}
		out, errOut, err := p.Communicate(a, []byte("ignored"))
		if want := "out\nerr\nhello\n" + dir + "\n"; string(out) != want || errOut != nil || err != nil {
			t.Errorf("Communicate() = %q, %q, %v, want %q, nil, nil", out, errOut, err, want)
		}

		p, err = asyncio.CreateSubprocessShell(a, `echo out; echo err >&2`,
			asyncio.WithStdout(asyncio.DevNull), asyncio.WithStderr(asyncio.Pipe))
		if err != nil {
			return err
		}
		if p.Stdout != nil {
			t.Errorf("Stdout = %v, want nil for DevNull", p.Stdout)
		}
		out, errOut, err = p.Communicate(a, nil)
		if out != nil || string(errOut) != "err\n" || err != nil {
			t.Errorf("Communicate() = %q, %q, %v, want nil, \"err\\n\", nil", out, errOut, err)
		}
		return nil
	})
}

// Stdin and Stdout are streams: a conversation with cat, line by line,
// with Drain, and EOF when Stdin closes.
func TestSubprocessConversation(t *testing.T) {
	procRun(t, func(a *asyncio.A) error {
		p, err := asyncio.CreateSubprocessExec(a, "cat", nil, asyncio.WithStdin(asyncio.Pipe), asyncio.WithStdout(asyncio.Pipe))
		if err != nil {
			return err
		}
		for i := range 3 {
			fmt.Fprintf(p.Stdin, "line %d\n", i)
			if err := p.Stdin.Drain(a); err != nil {
				return err
			}
			line, err := p.Stdout.ReadLine(a)
			if want := fmt.Sprintf("line %d\n", i); string(line) != want || err != nil {
				t.Errorf("ReadLine() = %q, %v, want %q, nil", line, err, want)
			}
		}
		p.Stdin.Close()
		if line, err := p.Stdout.ReadLine(a); line != nil || err == nil {
			t.Errorf("ReadLine() after Stdin.Close = %q, %v, want EOF", line, err)
		}
		if err := p.Stdin.WaitClosed(a); err != nil {
			return err
		}
		code, err := p.Wait(a)
		if code != 0 || err != nil {
			t.Errorf("Wait() = %d, %v, want 0, nil", code, err)
		}
		return nil
	})
}

// Cancelling a task in Wait or Communicate leaves the child running, as in
// Python.
func TestSubprocessCancelLeavesChild(t *testing.T) {
	for _, op := range []string{"Wait", "Communicate"} {
		t.Run(op, func(t *testing.T) {
			procRun(t, func(a *asyncio.A) error {
				p, err := asyncio.CreateSubprocessExec(a, "sleep", []string{"10"}, asyncio.WithStdout(asyncio.Pipe))
				if err != nil {
					return err
				}
				waiter := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
					if op == "Wait" {
						return p.Wait(a)
					}
					_, _, err := p.Communicate(a, nil)
					return 0, err
				}))
				if err := asyncio.Sleep(a, 0); err != nil {
					return err
				}
				waiter.Cancel("")
				if _, err := waiter.Await(a); !errors.Is(err, asyncio.ErrCanceled) {
					t.Errorf("%s in a cancelled task = %v, want a cancellation", op, err)
				}
				if code, ok := p.Returncode(); ok {
					t.Errorf("Returncode() = %d, true, want unset", code)
				}
				if err := p.SendSignal(syscall.Signal(0)); err != nil {
					t.Errorf("the child is gone after the cancellation: SendSignal(0) = %v", err)
				}
				if err := p.Kill(); err != nil {
					return err
				}
				if code, _ := p.Wait(a); code != -int(syscall.SIGKILL) {
					t.Errorf("Wait() after Kill = %d, want %d", code, -int(syscall.SIGKILL))
				}
				return nil
			})
		})
	}
}

// A child left running when main returns is killed, reaped and reported as
// a pending task is; one the program was already killing is not reported.
func TestSubprocessReapedAtRunEnd(t *testing.T) {
	warmPoller(t)
	check := streamLeakCheck(t)
	var pids []int
	err := streamRunErr(func(a *asyncio.A) error {
		for _, kill := range []bool{false, true} {
			p, err := asyncio.CreateSubprocessExec(a, "sleep", []string{"10"}, asyncio.WithStdin(asyncio.Pipe), asyncio.WithStdout(asyncio.Pipe))
			if err != nil {
				return err
			}
			pids = append(pids, p.Pid)
			if kill {
				if err := p.Kill(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	var le *asyncio.LeakError
	if !errors.As(err, &le) {
		t.Fatalf("Run() = %v, want a *LeakError", err)
	}
	want := fmt.Sprintf("process %d (sleep 10) was still running when main returned; it was killed", pids[0])
	if len(le.Reports) != 1 || le.Reports[0] != want {
		t.Errorf("leaks = %q, want [%q]", le.Reports, want)
	}
	for _, pid := range pids {
		// Reaped: the pid no longer names a process of ours, not even a
		// zombie.
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("kill(%d, 0) after Run = %v, want ESRCH: the child was not reaped", pid, err)
		}
	}
	check()
}

// Without WithStrictLeaks, the report goes to the diagnostics writer.
func TestSubprocessReapReported(t *testing.T) {
	var diag bytes.Buffer
	var pid int
	_, err := asyncio.Run(t.Context(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		p, err := asyncio.CreateSubprocessShell(a, "exec sleep 10")
		if err == nil {
			pid = p.Pid
		}
		return struct{}{}, err
	}), asyncio.WithDiagnostics(&diag))
	if err != nil {
		t.Fatalf("Run() = %v", err)
	}
	want := fmt.Sprintf("asyncio: process %d (/bin/sh -c exec sleep 10) was still running when main returned; it was killed\n", pid)
	if diag.String() != want {
		t.Errorf("diagnostics = %q, want %q", diag.String(), want)
	}
}

// A Runner's Close reports the children it kills as it reports pending
// tasks: still running "when the Runner closed", not "when main returned".
func TestSubprocessReapReportedByRunnerClose(t *testing.T) {
	var diag bytes.Buffer
	var pid int
	r := asyncio.NewRunner(asyncio.WithDiagnostics(&diag))
	_, err := asyncio.RunWith(r, t.Context(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		p, err := asyncio.CreateSubprocessExec(a, "sleep", []string{"10"})
		if err == nil {
			pid = p.Pid
		}
		return struct{}{}, err
	}))
	if err != nil {
		t.Fatalf("RunWith() = %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	want := fmt.Sprintf("asyncio: process %d (sleep 10) was still running when the Runner closed; it was killed\n", pid)
	if diag.String() != want {
		t.Errorf("diagnostics = %q, want %q", diag.String(), want)
	}
}

// cpythonPeer is a CPython asyncio program run as a child: it echoes its
// standard input in capitals through asyncio's pipe transports until EOF,
// then waits for SIGTERM (loop.add_signal_handler) and exits with 5.
const cpythonPeer = `
import asyncio, signal, sys

async def main():
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    wt, wp = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin, sys.stdout)
    writer = asyncio.StreamWriter(wt, wp, reader, loop)
    terminated = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, terminated.set)
    n = 0
    while line := await reader.readline():
        writer.write(line.upper())
        await writer.drain()
        n += 1
    writer.write(f"echoed {n} lines; waiting for SIGTERM\n".encode())
    await writer.drain()
    await terminated.wait()
    writer.write(b"terminated\n")
    await writer.drain()
    sys.exit(5)

asyncio.run(main())
`

// Our pipes against CPython's: a CPython asyncio child echoes what a task
// writes while another reads, and handles the SIGTERM of Terminate.
func TestSubprocessCPythonPeer(t *testing.T) {
	python := python3(t)
	const lines = 2000
	procRun(t, func(a *asyncio.A) error {
		p, err := asyncio.CreateSubprocessExec(a, python, []string{"-c", cpythonPeer},
			asyncio.WithStdin(asyncio.Pipe), asyncio.WithStdout(asyncio.Pipe))
		if err != nil {
			return err
		}
		writer := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			for i := range lines {
				fmt.Fprintf(p.Stdin, "line %d of the test %s\n", i, strings.Repeat("x", 100))
				if err := p.Stdin.Drain(a); err != nil {
					return struct{}{}, err
				}
			}
			p.Stdin.Close()
			return struct{}{}, p.Stdin.WaitClosed(a)
		}))
		for i := range lines {
			line, err := p.Stdout.ReadLine(a)
			if want := fmt.Sprintf("LINE %d OF THE TEST %s\n", i, strings.Repeat("X", 100)); string(line) != want || err != nil {
				return fmt.Errorf("line %d = %q, %v, want %q", i, line, err, want)
			}
		}
		if _, err := writer.Await(a); err != nil {
			return err
		}
		line, err := p.Stdout.ReadLine(a)
		if want := fmt.Sprintf("echoed %d lines; waiting for SIGTERM\n", lines); string(line) != want || err != nil {
			return fmt.Errorf("ReadLine() = %q, %v, want %q", line, err, want)
		}
		if err := p.Terminate(); err != nil {
			return err
		}
		rest, _, err := p.Communicate(a, nil)
		if code, _ := p.Returncode(); string(rest) != "terminated\n" || err != nil || code != 5 {
			t.Errorf("after Terminate: Communicate() = %q, %v, returncode %d; want \"terminated\\n\", nil, 5", rest, err, code)
		}
		return nil
	})
}

// Writing to a child that has exited without reading fails as Python's
// drain does (BrokenPipeError): with an error wrapping syscall.EPIPE.
func TestSubprocessBrokenPipe(t *testing.T) {
	procRun(t, func(a *asyncio.A) error {
		p, err := asyncio.CreateSubprocessExec(a, "true", nil, asyncio.WithStdin(asyncio.Pipe))
		if err != nil {
			return err
		}
		if _, err := p.Wait(a); err != nil {
			return err
		}
		// Nobody holds the pipe's other end any more: the first write fails.
		p.Stdin.Write(make([]byte, 1<<20))
		if err := p.Stdin.Drain(a); !errors.Is(err, syscall.EPIPE) {
			t.Errorf("Drain() = %v, want an error wrapping EPIPE", err)
		}
		return nil
	})
}

// A child that ignores the SIGTERM of Terminate is still killed when main
// returns, as Python's transport kills a child still running when it is
// closed: Run does not wait for it for ever. It is not reported, since the
// program was ending it.
func TestSubprocessTerminateIgnoredAtRunEnd(t *testing.T) {
	warmPoller(t)
	check := streamLeakCheck(t)
	var pid int
	done := make(chan error, 1)
	go func() {
		done <- streamRunErr(func(a *asyncio.A) error {
			p, err := asyncio.CreateSubprocessShell(a, "trap '' TERM; echo ready; while :; do sleep 0.05; done", asyncio.WithStdout(asyncio.Pipe))
			if err != nil {
				return err
			}
			pid = p.Pid
			if line, err := p.Stdout.ReadLine(a); string(line) != "ready\n" || err != nil {
				return fmt.Errorf("ReadLine() = %q, %v, want ready", line, err)
			}
			return p.Terminate()
		})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run() = %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		syscall.Kill(pid, syscall.SIGKILL)
		<-done
		t.Fatal("Run waited for a child that ignores SIGTERM")
	}
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("kill(%d, 0) after Run = %v, want ESRCH", pid, err)
	}
	check()
}

// A program named without a path is looked up in the PATH of the
// environment the child gets, as Python's subprocess does
// (os.get_exec_path(env)); an environment without PATH searches
// /bin:/usr/bin, Python's os.defpath.
func TestSubprocessLooksUpEnvPath(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "asyncgo-env-path-test")
	if err := os.WriteFile(prog, []byte("#!/bin/sh\necho found in the env PATH\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	procRun(t, func(a *asyncio.A) error {
		p, err := asyncio.CreateSubprocessExec(a, "asyncgo-env-path-test", nil,
			asyncio.WithEnv([]string{"PATH=/nonexistent:" + dir}), asyncio.WithStdout(asyncio.Pipe))
		if err != nil {
			return err
		}
		out, _, err := p.Communicate(a, nil)
		if err != nil {
			return err
		}
		if string(out) != "found in the env PATH\n" {
			t.Errorf("output %q, want the program found in the env's PATH", out)
		}
		// Our own PATH does not count when env is given.
		if _, err := asyncio.CreateSubprocessExec(a, "go", []string{"version"}, asyncio.WithEnv([]string{"PATH=" + dir})); !errors.Is(err, exec.ErrNotFound) {
			t.Errorf("CreateSubprocessExec(go) with PATH=%s = %v, want exec.ErrNotFound", dir, err)
		}
		// No PATH in env: /bin:/usr/bin.
		p, err = asyncio.CreateSubprocessExec(a, "sh", []string{"-c", "echo ok"}, asyncio.WithEnv([]string{}), asyncio.WithStdout(asyncio.Pipe))
		if err != nil {
			return err
		}
		if out, _, err := p.Communicate(a, nil); string(out) != "ok\n" || err != nil {
			t.Errorf("sh from an env without PATH: %q, %v, want ok", out, err)
		}
		return nil
	})
}
