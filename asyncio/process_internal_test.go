package asyncio

import (
	"io"
	"os"
	"testing"
)

// nopWriteCloser is a pipe end without a descriptor.
type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

// A pipe whose written end is an *os.File gives the loop its descriptor, so
// that writes to a child's stdin go straight to the pipe as a socket's do;
// one without a descriptor refuses, and is written by goroutines.
func TestPipeStreamSyscallConn(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if raw, err := newPipeStream(nil, w).SyscallConn(); raw == nil || err != nil {
		t.Errorf("SyscallConn() of an os.Pipe = %v, %v, want its RawConn", raw, err)
	}
	if raw, err := newPipeStream(r, nopWriteCloser{io.Discard}).SyscallConn(); raw != nil || err == nil {
		t.Errorf("SyscallConn() without a descriptor = %v, %v, want an error", raw, err)
	}
}
