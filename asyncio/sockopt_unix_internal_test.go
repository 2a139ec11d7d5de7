//go:build unix

package asyncio

import (
	"net"
	"syscall"
	"testing"
)

// sockopt returns the SOL_SOCKET option opt of the socket of c.
func sockopt(t *testing.T, c syscall.Conn, opt int) int {
	t.Helper()
	rc, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var v int
	if err := rc.Control(func(fd uintptr) { v = fdSockopt(t, int(fd), opt) }); err != nil {
		t.Fatal(err)
	}
	return v
}

// endpointSockopt returns the SOL_SOCKET option opt of the socket of e,
// whether the loop polls it or a goroutine reads it.
func endpointSockopt(t *testing.T, e *DatagramEndpoint, opt int) int {
	t.Helper()
	if e.polled {
		return fdSockopt(t, e.fd, opt)
	}
	return endpointSockopt(t, e, opt)
}

func fdSockopt(t *testing.T, fd, opt int) int {
	t.Helper()
	v, err := syscall.GetsockoptInt(fd, syscall.SOL_SOCKET, opt)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSocketOptionsSet checks the socket options that the options set, on
// the sockets they make.
func TestSocketOptionsSet(t *testing.T) {
	handler := func(a *A, r *StreamReader, w *StreamWriter) error { return nil }
	runInternal(t, func(a *A) error {
		e, err := CreateDatagramEndpoint(a, WithLocalAddr("127.0.0.1", 0), WithAllowBroadcast(), WithReusePort())
		if err != nil {
			return err
		}
		defer e.Close()
		if got := endpointSockopt(t, e, syscall.SO_BROADCAST); got == 0 {
			t.Errorf("WithAllowBroadcast: SO_BROADCAST = 0, want it set")
		}
		if got := endpointSockopt(t, e, soReusePort); got == 0 {
			t.Errorf("WithReusePort: SO_REUSEPORT = 0, want it set")
		}
		plain, err := CreateDatagramEndpoint(a, WithLocalAddr("127.0.0.1", 0))
		if err != nil {
			return err
		}
		defer plain.Close()
		if got := endpointSockopt(t, plain, syscall.SO_BROADCAST); got != 0 {
			t.Errorf("without WithAllowBroadcast: SO_BROADCAST = %d, want 0", got)
		}
		for _, tc := range []struct {
			name string
			opts []StreamOption
			want bool
		}{
			{"default", nil, true},
			{"WithReuseAddress(false)", []StreamOption{WithReuseAddress(false)}, false},
			{"WithReuseAddress(true)", []StreamOption{WithReuseAddress(true)}, true},
		} {
			srv, err := StartServer(a, handler, "127.0.0.1", 0, tc.opts...)
			if err != nil {
				return err
			}
			if got := sockopt(t, srv.ln.(*net.TCPListener), syscall.SO_REUSEADDR) != 0; got != tc.want {
				t.Errorf("%s: SO_REUSEADDR set = %v, want %v", tc.name, got, tc.want)
			}
			srv.Close()
			if err := srv.WaitClosed(a); err != nil {
				return err
			}
		}
		return nil
	})
}
