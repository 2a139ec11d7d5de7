package asyncio_test

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// TestStartServerBacklog checks that WithBacklog reaches the listening
// socket, as ss(8) reports it (Send-Q of a listening socket is its
// backlog).
func TestStartServerBacklog(t *testing.T) {
	ss, err := exec.LookPath("ss")
	if err != nil || runtime.GOOS != "linux" {
		t.Skip("no ss(8) on this system to read a socket's backlog with")
	}
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		for _, backlog := range []int{1, 7} {
			srv, err := asyncio.StartServer(a, chunkEchoHandler, "127.0.0.1", 0, asyncio.WithBacklog(backlog))
			if err != nil {
				return err
			}
			out, err := asyncio.ToThread(a, func(ctx context.Context) ([]byte, error) {
				return exec.CommandContext(ctx, ss, "-ltnH", "sport = :"+strconv.Itoa(srv.Addr().Port)).Output()
			})
			if err != nil {
				return err
			}
			if f := strings.Fields(string(out)); len(f) < 3 || f[2] != strconv.Itoa(backlog) {
				t.Errorf("ss for WithBacklog(%d): %q, want a backlog (Send-Q) of %d", backlog, out, backlog)
			}
			if err := closeServer(a, srv); err != nil {
				return err
			}
		}
		return nil
	})
}

// TestWithBacklogPanics checks the panic of a backlog below 1.
func TestWithBacklogPanics(t *testing.T) {
	defer func() {
		if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "asyncio.WithBacklog") {
			t.Errorf("WithBacklog(0) panicked with %v, want a panic naming it", p)
		}
	}()
	asyncio.WithBacklog(0)
}

// TestOpenConnectionLocalAddr checks that WithLocalAddr binds the client's
// end: the server sees the client at that address.
func TestOpenConnectionLocalAddr(t *testing.T) {
	defer streamLeakCheck(t)()
	// A free port for the client's end.
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	local := probe.Addr().(*net.TCPAddr).Port
	probe.Close()
	streamRun(t, func(a *asyncio.A) error {
		seen := make(chan string, 1)
		srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			seen <- w.RemoteAddr().String()
			return nil
		}, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		r, w, err := asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port,
			asyncio.WithLocalAddr("127.0.0.1", local), asyncio.WithHappyEyeballsDelay(250*time.Millisecond))
		if err != nil {
			return err
		}
		if got, want := w.LocalAddr().String(), "127.0.0.1:"+strconv.Itoa(local); got != want {
			t.Errorf("LocalAddr() = %s, want %s", got, want)
		}
		if _, err := r.Read(a, -1); err != nil {
			return err
		}
		if got, want := <-seen, "127.0.0.1:"+strconv.Itoa(local); got != want {
			t.Errorf("the server saw the client at %s, want %s", got, want)
		}
		w.Close()
		if err := w.WaitClosed(a); err != nil {
			return err
		}
		return closeServer(a, srv)
	})
}
