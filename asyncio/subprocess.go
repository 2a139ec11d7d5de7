package asyncio

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// A Redirect says what a child process's standard stream is connected to:
// the values of Python's stdin=, stdout= and stderr= arguments of
// create_subprocess_exec.
type Redirect uint8

const (
	// Inherit gives the child this process's own stream: Python's None, and
	// the default, as in Python.
	Inherit Redirect = iota
	// Pipe connects the stream to the loop: Python's asyncio.subprocess.PIPE.
	// The Process's Stdin, Stdout or Stderr is then set.
	Pipe
	// DevNull connects the stream to the null device: Python's
	// asyncio.subprocess.DEVNULL.
	DevNull
	// Stdout, for stderr only, sends the child's standard error where its
	// standard output goes: Python's asyncio.subprocess.STDOUT.
	Stdout
)

// String returns the Python name of the redirect.
func (r Redirect) String() string {
	switch r {
	case Inherit:
		return "None"
	case Pipe:
		return "PIPE"
	case DevNull:
		return "DEVNULL"
	case Stdout:
		return "STDOUT"
	}
	return fmt.Sprintf("Redirect(%d)", uint8(r))
}

// A ProcessOption configures CreateSubprocessExec and CreateSubprocessShell.
// Only this package makes them.
type ProcessOption interface {
	applyProcess(*processConfig)
}

type processConfig struct {
	stdin, stdout, stderr Redirect
	dir                   string
	env                   []string
	limit                 int
}

type processOptionFunc func(*processConfig)

func (f processOptionFunc) applyProcess(c *processConfig) { f(c) }

// WithStdin connects the child's standard input: Python's stdin=. With
// Pipe, the Process's Stdin writes to it.
func WithStdin(r Redirect) ProcessOption {
	return processOptionFunc(func(c *processConfig) { c.stdin = r })
}

// WithStdout connects the child's standard output: Python's stdout=. With
// Pipe, the Process's Stdout reads it.
func WithStdout(r Redirect) ProcessOption {
	return processOptionFunc(func(c *processConfig) { c.stdout = r })
}

// WithStderr connects the child's standard error: Python's stderr=. With
// Pipe, the Process's Stderr reads it; with Stdout, it goes where standard
// output goes.
func WithStderr(r Redirect) ProcessOption {
	return processOptionFunc(func(c *processConfig) { c.stderr = r })
}

// WithDir runs the child in directory dir: Python's cwd=. A directory that
// does not exist makes the call fail with an error wrapping fs.ErrNotExist.
func WithDir(dir string) ProcessOption {
	return processOptionFunc(func(c *processConfig) { c.dir = dir })
}

// WithEnv gives the child the environment env, "KEY=value" strings, as
// exec.Cmd.Env: Python's env=. Without it (or with nil) the child inherits
// this process's environment. A program named without a path is looked up
// in env's PATH, as Python's subprocess does (in /bin:/usr/bin if env has
// no PATH; on Windows, in this process's PATH, as there too).
func WithEnv(env []string) ProcessOption {
	return processOptionFunc(func(c *processConfig) { c.env = env })
}

// WithPipeLimit sets the buffer limit of the Process's Stdout and Stderr
// StreamReaders: Python's limit= argument of create_subprocess_exec. It
// works as WithStreamLimit does for a connection: it bounds ReadLine, and
// once more than twice the limit is buffered and no task reads, the pipe is
// not read, and a child that goes on writing blocks. A limit ≤ 0 means
// DefaultStreamLimit.
func WithPipeLimit(n int) ProcessOption {
	return processOptionFunc(func(c *processConfig) {
		if n <= 0 {
			n = DefaultStreamLimit
		}
		c.limit = n
	})
}

// CreateSubprocessExec starts the program name with the arguments args, as
// os/exec does, and returns its Process: Python's
//
//	proc = await asyncio.create_subprocess_exec(name, *args, stdout=PIPE)
//
// The child's standard streams are this process's own unless options say
// otherwise (WithStdin, WithStdout, WithStderr); a stream given Pipe is read
// or written through the Process's StreamReader or StreamWriter, with the
// same buffering, limit and Drain as a connection's. Options: WithDir,
// WithEnv, WithPipeLimit.
//
// The child is started on the loop's goroutine (a fork and an exec, as
// Python does); a goroutine waits for it to exit and tells the loop. If it
// cannot start, the error says why and names the program: it wraps
// exec.ErrNotFound for a name not found in $PATH, fs.ErrNotExist for a path
// or a working directory that does not exist. Every child is the loop's: a
// child still running when Run returns is killed, waited for and reported
// as a task still pending is (see Run).
func CreateSubprocessExec(a *A, name string, args []string, opts ...ProcessOption) (*Process, error) {
	return spawn(a, "asyncio.CreateSubprocessExec", exec.Command(name, args...), opts)
}

// CreateSubprocessShell runs cmd with the system's shell: Python's
//
//	proc = await asyncio.create_subprocess_shell(cmd, stdout=PIPE)
//
// On Unix the shell is /bin/sh -c cmd; on Windows it is %ComSpec% /c cmd.
// The caller must quote what cmd holds, as in Python. Everything else is as
// for CreateSubprocessExec; a command the shell cannot find is not an
// error here, but the shell's exit status 127.
func CreateSubprocessShell(a *A, cmd string, opts ...ProcessOption) (*Process, error) {
	c, err := shellCommand(cmd)
	if err != nil {
		return nil, fmt.Errorf("asyncio.CreateSubprocessShell: %w", err)
	}
	return spawn(a, "asyncio.CreateSubprocessShell", c, opts)
}

// spawn starts cmd as a child of the loop running a, with its standard
// streams as opts say; call names the caller in errors.
func spawn(a *A, call string, cmd *exec.Cmd, opts []ProcessOption) (*Process, error) {
	t, err := currentTask(a)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", call, err)
	}
	cfg := processConfig{limit: DefaultStreamLimit}
	for _, o := range opts {
		o.applyProcess(&cfg)
	}
	cmd.Dir, cmd.Env = cfg.dir, cfg.env
	if cfg.env != nil {
		lookPathInEnv(cmd)
	}
	var st stdio
	defer st.closeChildEnds()
	if err := st.connect(cmd, &cfg); err != nil {
		st.closeParentEnds()
		return nil, fmt.Errorf("%s: %w", call, err)
	}
	if err := cmd.Start(); err != nil {
		st.closeParentEnds()
		return nil, fmt.Errorf("%s: %w", call, err)
	}
	l := t.loop
	p := &Process{Pid: cmd.Process.Pid, loop: l, cmd: cmd, desc: describeCommand(cmd)}
	if st.stdin != nil {
		p.Stdin = newTransport(l, newPipeStream(nil, st.stdin), cfg.limit, nil).writer
	}
	if st.stdout != nil {
		p.Stdout = newTransport(l, newPipeStream(st.stdout, nil), cfg.limit, nil).reader
	}
	if st.stderr != nil {
		p.Stderr = newTransport(l, newPipeStream(st.stderr, nil), cfg.limit, nil).reader
	}
	l.children().add(p)
	p.work = newExternal(l, outsideWork)
	go p.waitExit()
	return p, nil
}

// stdio holds the pipes of a child being started: the parent's ends, which
// the loop adopts, and the child's, which are closed once the child has
// them (or has failed to start).
type stdio struct {
	stdin          *os.File // the parent writes
	stdout, stderr *os.File // the parent reads
	child          []*os.File
}

// connect sets cmd's standard streams as cfg says, making the pipes.
func (s *stdio) connect(cmd *exec.Cmd, cfg *processConfig) error {
	if cfg.stdin == Stdout || cfg.stdout == Stdout {
		return errors.New("the Stdout redirect is for stderr only")
	}
	switch cfg.stdin {
	case Inherit:
		cmd.Stdin = os.Stdin
	case Pipe:
		r, w, err := os.Pipe()
		if err != nil {
			return err
		}
		cmd.Stdin, s.stdin = r, w
		s.child = append(s.child, r)
	case DevNull: // os/exec opens the null device for a nil Stdin
	default:
		return fmt.Errorf("unknown redirect %v", cfg.stdin)
	}
	var err error
	var out *os.File
	if out, s.stdout, err = s.output(cfg.stdout, os.Stdout); err != nil {
		return err
	}
	if out != nil {
		cmd.Stdout = out
	}
	if cfg.stderr == Stdout {
		cmd.Stderr = cmd.Stdout
		return nil
	}
	if out, s.stderr, err = s.output(cfg.stderr, os.Stderr); err != nil {
		return err
	}
	if out != nil {
		cmd.Stderr = out
	}
	return nil
}

// output returns what the child writes an output stream to (nil for the
// null device, which os/exec opens) and, for a pipe, the end the parent
// reads.
func (s *stdio) output(r Redirect, own *os.File) (child, parent *os.File, err error) {
	switch r {
	case Inherit:
		return own, nil, nil
	case Pipe:
		pr, pw, err := os.Pipe()
		if err != nil {
			return nil, nil, err
		}
		s.child = append(s.child, pw)
		return pw, pr, nil
	case DevNull:
		return nil, nil, nil
	}
	return nil, nil, fmt.Errorf("unknown redirect %v", r)
}

func (s *stdio) closeChildEnds() {
	for _, f := range s.child {
		f.Close()
	}
}

func (s *stdio) closeParentEnds() {
	for _, f := range []*os.File{s.stdin, s.stdout, s.stderr} {
		if f != nil {
			f.Close()
		}
	}
}

// describeCommand returns the command line of cmd, for errors and reports:
// "sleep 10".
func describeCommand(cmd *exec.Cmd) string {
	const maxLen = 60
	s := strings.Join(cmd.Args, " ")
	if len(s) > maxLen {
		s = s[:maxLen-3] + "..."
	}
	return s
}
