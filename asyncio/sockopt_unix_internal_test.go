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
	var gerr error
	if err := rc.Control(func(fd uintptr) { v, gerr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, opt) }); err != nil {
		t.Fatal(err)
	}
	if gerr != nil {
		t.Fatal(gerr)
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
		if got := sockopt(t, e.conn, syscall.SO_BROADCAST); got == 0 {
			t.Errorf("WithAllowBroadcast: SO_BROADCAST = 0, want it set")
		}
		if got := sockopt(t, e.conn, soReusePort); got == 0 {
			t.Errorf("WithReusePort: SO_REUSEPORT = 0, want it set")
		}
		plain, err := CreateDatagramEndpoint(a, WithLocalAddr("127.0.0.1", 0))
		if err != nil {
			return err
		}
		defer plain.Close()
		if got := sockopt(t, plain.conn, syscall.SO_BROADCAST); got != 0 {
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
