package asyncio

import (
	"context"
	"errors"
	"io"
	"os"
	"testing"
)

// pipePair returns two transports of l joined by two os.Pipe pairs: what
// one writes the other reads, as a child process's stdin and stdout would
// be joined to its parent.
func pipePair(t *testing.T, l *Loop) (x, y *transport) {
	t.Helper()
	r1, w1, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r2, w2, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	return newTransport(l, newPipeStream(r1, w2), 0, nil), newTransport(l, newPipeStream(r2, w1), 0, nil)
}

// TestTransportOverPipes checks that a transport runs over a pair of pipes
// as over a socket: bytes both ways, WriteEOF seen as EOF, Close and
// WaitClosed, and the loop's outside work back to none once both ends have
// ended; one left open is closed by Run's shutdown.
func TestTransportOverPipes(t *testing.T) {
	_, err := Run(context.Background(), Async(func(a *A) (struct{}, error) {
		l := GetRunningLoop(a)
		x, y := pipePair(t, l)
		if _, err := x.writer.WriteString("ping\n"); err != nil {
			return struct{}{}, err
		}
		line, err := y.reader.ReadLine(a)
		if string(line) != "ping\n" || err != nil {
			t.Errorf("ReadLine() = %q, %v, want %q, nil", line, err, "ping\n")
		}
		if !y.writer.CanWriteEOF() || y.writer.LocalAddr() != nil {
			t.Errorf("CanWriteEOF() = %v, LocalAddr() = %v, want true, nil", y.writer.CanWriteEOF(), y.writer.LocalAddr())
		}
		if _, err := y.writer.WriteString("pong"); err != nil {
			return struct{}{}, err
		}
		if err := y.writer.WriteEOF(); err != nil {
			return struct{}{}, err
		}
		data, err := x.reader.Read(a, -1)
		if string(data) != "pong" || err != nil {
			t.Errorf("Read(-1) = %q, %v, want %q, nil", data, err, "pong")
		}
		if data, err := x.reader.Read(a, 1); !errors.Is(err, io.EOF) {
			t.Errorf("Read(1) after the peer's EOF = %q, %v, want io.EOF", data, err)
		}
		x.writer.Close()
		y.writer.Close()
		for _, tr := range []*transport{x, y} {
			if err := tr.writer.WaitClosed(a); err != nil {
				t.Errorf("WaitClosed() = %v, want nil", err)
			}
		}
		if l.outside != 0 || l.arriving != 0 || l.listening != 0 {
			t.Errorf("after both ends closed: outside %d, arriving %d, listening %d, want none", l.outside, l.arriving, l.listening)
		}
		pipePair(t, l) // left open: Run closes them
		return struct{}{}, nil
	}))
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
}
