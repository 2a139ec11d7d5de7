package asyncio

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"
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

// tcpPair returns both ends of a TCP connection over 127.0.0.1.
func tcpPair(t *testing.T) (client, server *net.TCPConn) {
	t.Helper()
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c, err := net.DialTCP("tcp", nil, ln.Addr().(*net.TCPAddr))
	if err != nil {
		t.Fatal(err)
	}
	s, err := ln.AcceptTCP()
	if err != nil {
		c.Close()
		t.Fatal(err)
	}
	return c, s
}

// TestRawReaderReadsAsConnRead checks that a rawReader, which reads a socket
// through its RawConn so that an idle connection holds no buffer, reads
// what the connection's Read would, and fails as it would: the same
// errors, said as a *net.OpError of a "read" between the same addresses.
func TestRawReaderReadsAsConnRead(t *testing.T) {
	if !directWrites {
		t.Skipf("no raw reads on %s", runtime.GOOS)
	}
	tests := []struct {
		name    string
		setUp   func(t *testing.T, own, peer *net.TCPConn) // before the read
		want    string
		wantErr error // nil, io.EOF, or what the *net.OpError wraps
	}{
		{"data", func(t *testing.T, _, peer *net.TCPConn) {
			if _, err := peer.Write([]byte("hello")); err != nil {
				t.Fatal(err)
			}
		}, "hello", nil},
		{"EOF", func(t *testing.T, _, peer *net.TCPConn) { peer.Close() }, "", io.EOF},
		{"reset", func(t *testing.T, _, peer *net.TCPConn) {
			peer.SetLinger(0)
			peer.Close()
		}, "", syscall.ECONNRESET},
		{"closed", func(t *testing.T, own, _ *net.TCPConn) { own.Close() }, "", net.ErrClosed},
		{"deadline", func(t *testing.T, own, _ *net.TCPConn) {
			own.SetReadDeadline(time.Unix(1, 0))
		}, "", os.ErrDeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			own, peer := tcpPair(t)
			defer own.Close()
			defer peer.Close()
			tt.setUp(t, own, peer)
			r := newRawReader(own)
			if r == nil {
				t.Fatal("newRawReader(*net.TCPConn) = nil")
			}
			got, err := r.Read(minReadSize)
			if string(got) != tt.want || !errors.Is(err, tt.wantErr) {
				t.Fatalf("Read() = %q, %v, want %q, %v", got, err, tt.want, tt.wantErr)
			}
			if tt.wantErr == nil || tt.wantErr == io.EOF {
				return
			}
			var op *net.OpError
			if !errors.As(err, &op) || op.Op != "read" || op.Source.String() != own.LocalAddr().String() || op.Addr.String() != own.RemoteAddr().String() {
				t.Errorf("Read() error = %#v, want a *net.OpError of a read from %v to %v", err, own.LocalAddr(), own.RemoteAddr())
			}
		})
	}
}

// TestReadBuffersCoverReadSizes checks that there is a pool of read
// buffers for every size a reader goroutine reads at.
func TestReadBuffersCoverReadSizes(t *testing.T) {
	if got := minReadSize << (len(readBuffers) - 1); got != maxReadSize {
		t.Errorf("the largest pooled read buffer has %d bytes, want maxReadSize, %d", got, maxReadSize)
	}
	for size := minReadSize; size <= maxReadSize; size *= 2 {
		b := readBuffer(size)
		if len(*b) != size {
			t.Errorf("readBuffer(%d) has %d bytes", size, len(*b))
		}
		putReadBuffer(b)
	}
}

// TestDirectWriteDoesNotAllocate checks that the loop's direct write to a
// socket (tryWrite) allocates nothing.
func TestDirectWriteDoesNotAllocate(t *testing.T) {
	if !directWrites {
		t.Skipf("no direct writes on %s", runtime.GOOS)
	}
	_, err := Run(context.Background(), Async(func(a *A) (struct{}, error) {
		own, peer := tcpPair(t)
		defer peer.Close()
		tr := newTransport(GetRunningLoop(a), own, 0, nil)
		defer tr.writer.Close()
		msg := []byte("x")
		allocs := testing.AllocsPerRun(100, func() {
			if n, err := tr.tryWrite(msg); n != 1 || err != nil {
				t.Fatalf("tryWrite() = %d, %v, want 1, nil", n, err)
			}
		})
		if allocs != 0 {
			t.Errorf("tryWrite allocates %v times, want 0", allocs)
		}
		return struct{}{}, nil
	}))
	if err != nil {
		t.Fatal(err)
	}
}
