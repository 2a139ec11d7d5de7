//go:build unix

package bench_test

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"testing"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// The benchmarks of this file measure child processes, one per op:
// SubprocessRun starts the smallest program there is (true) and waits for
// it; SubprocessPipe sends 1 MiB through cat and reads it back. The asyncio
// side runs in one loop on the real clock; the baselines do the same with
// os/exec, as a Go programmer would without an event loop. Both are mostly
// the kernel's fork, exec and exit (and for the pipe, the copies): what the
// loop adds is a goroutine that waits for the child and hands its exit to
// the loop, and pipes read and written by goroutines that hand their
// results to the loop.

// benchProgram returns the path of name, so that neither side looks it up
// in $PATH on every op.
func benchProgram(b *testing.B, name string) string {
	path, err := exec.LookPath(name)
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkSubprocessRun measures one child's life with asyncio:
// CreateSubprocessExec of true, its standard streams on the null device,
// and Wait.
func BenchmarkSubprocessRun(b *testing.B) {
	b.ReportAllocs()
	prog := benchProgram(b, "true")
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		for range b.N {
			p, err := asyncio.CreateSubprocessExec(a, prog, nil,
				asyncio.WithStdin(asyncio.DevNull), asyncio.WithStdout(asyncio.DevNull), asyncio.WithStderr(asyncio.DevNull))
			if err != nil {
				return struct{}{}, err
			}
			if code, err := p.Wait(a); code != 0 || err != nil {
				return struct{}{}, fmt.Errorf("Wait() = %d, %v, want 0, nil", code, err)
			}
		}
		return struct{}{}, nil
	}))
	if err != nil {
		b.Fatalf("asyncio.Run() = _, %v, want nil", err)
	}
}

// BenchmarkSubprocessRunGoroutines is SubprocessRun's baseline:
// exec.Command(true).Run(), whose standard streams are the null device too.
func BenchmarkSubprocessRunGoroutines(b *testing.B) {
	b.ReportAllocs()
	prog := benchProgram(b, "true")
	for range b.N {
		if err := exec.Command(prog).Run(); err != nil {
			b.Fatal(err)
		}
	}
}

// pipeSize is what SubprocessPipe sends through cat.
const pipeSize = 1 << 20

// BenchmarkSubprocessPipe measures 1 MiB through cat and back with asyncio:
// CreateSubprocessExec with stdin and stdout pipes, and Communicate, which
// writes while it reads.
func BenchmarkSubprocessPipe(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(pipeSize)
	prog := benchProgram(b, "cat")
	input := bytes.Repeat([]byte("x"), pipeSize)
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		for range b.N {
			p, err := asyncio.CreateSubprocessExec(a, prog, nil,
				asyncio.WithStdin(asyncio.Pipe), asyncio.WithStdout(asyncio.Pipe), asyncio.WithStderr(asyncio.DevNull))
			if err != nil {
				return struct{}{}, err
			}
			out, _, err := p.Communicate(a, input)
			if err != nil || len(out) != pipeSize {
				return struct{}{}, fmt.Errorf("Communicate() = %d bytes, %v, want %d, nil", len(out), err, pipeSize)
			}
		}
		return struct{}{}, nil
	}))
	if err != nil {
		b.Fatalf("asyncio.Run() = _, %v, want nil", err)
	}
}

// BenchmarkSubprocessPipeGoroutines is SubprocessPipe's baseline: os/exec's
// Output, with a reader as Stdin; it copies each pipe with a goroutine, and
// returns the output in a new buffer, as Communicate does.
func BenchmarkSubprocessPipeGoroutines(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(pipeSize)
	prog := benchProgram(b, "cat")
	input := bytes.Repeat([]byte("x"), pipeSize)
	for range b.N {
		cmd := exec.Command(prog)
		cmd.Stdin = bytes.NewReader(input)
		out, err := cmd.Output()
		if err != nil || len(out) != pipeSize {
			b.Fatalf("Output() = %d bytes, %v, want %d, nil", len(out), err, pipeSize)
		}
	}
}
