package asyncio_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// unixPath returns a path for a Unix socket in a temporary directory of the
// test, short enough for sockaddr_un.
func unixPath(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "aio")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, "s")
}

// isSocket reports whether a socket file is at path.
func isSocket(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode()&fs.ModeSocket != 0
}

// TestUnixEcho runs clients of a Unix socket echo server in the same loop:
// the same streams as TCP (lines, WriteEOF, Close, WaitClosed), the
// socket's address, and the socket file removed when the server closes.
func TestUnixEcho(t *testing.T) {
	path := unixPath(t)
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		srv, err := asyncio.StartUnixServer(a, echoHandler, path)
		if err != nil {
			return err
		}
		if ua, ok := srv.ListenAddr().(*net.UnixAddr); !ok || ua.Name != path || srv.Addr() != nil {
			t.Errorf("ListenAddr() = %#v, Addr() = %v, want a *net.UnixAddr named %q and nil", srv.ListenAddr(), srv.Addr(), path)
		}
		if !isSocket(path) {
			t.Errorf("no socket file at %s while the server listens", path)
		}
		clients := make([]*asyncio.Task[int], 50)
		for i := range clients {
			clients[i] = asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
				r, w, err := asyncio.OpenUnixConnection(a, path)
				if err != nil {
					return 0, err
				}
				defer w.Close()
				if !w.CanWriteEOF() {
					return 0, errors.New("CanWriteEOF() = false on a Unix socket")
				}
				const msgs = 20
				for j := range msgs {
					w.Write(loadMessage(i, j))
				}
				if err := w.WriteEOF(); err != nil {
					return 0, err
				}
				got, err := r.Read(a, -1)
				if err != nil {
					return 0, err
				}
				var want []byte
				for j := range msgs {
					want = append(want, loadMessage(i, j)...)
				}
				if !bytes.Equal(got, want) {
					return 0, fmt.Errorf("client %d: got %q back, want %q", i, got, want)
				}
				w.Close()
				return len(got), w.WaitClosed(a)
			}))
		}
		for _, c := range clients {
			if _, err := c.Await(a); err != nil {
				t.Error(err)
			}
		}
		if err := closeServer(a, srv); err != nil {
			return err
		}
		if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("after Close and WaitClosed, Stat(%s) = %v, want the file gone", path, err)
		}
		return nil
	})
}

// TestUnixServerSocketFile checks what StartUnixServer does with the file
// at its path: a socket left by an earlier server is replaced, any other
// file is left alone and the start fails, and a server still open when Run
// returns has removed its socket file.
func TestUnixServerSocketFile(t *testing.T) {
	stale, other, open := unixPath(t), unixPath(t), unixPath(t)
	ln, err := net.Listen("unix", stale)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if err := os.WriteFile(other, []byte("not a socket"), 0o600); err != nil {
		t.Fatal(err)
	}
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		srv, err := asyncio.StartUnixServer(a, echoHandler, stale)
		if err != nil {
			t.Errorf("StartUnixServer over a stale socket file: %v, want it replaced", err)
		} else if err := closeServer(a, srv); err != nil {
			return err
		}
		if srv, err := asyncio.StartUnixServer(a, echoHandler, other); err == nil {
			t.Errorf("StartUnixServer over a regular file succeeded, want an error")
			closeServer(a, srv)
		}
		if data, err := os.ReadFile(other); string(data) != "not a socket" {
			t.Errorf("the regular file at the path = %q, %v, want it untouched", data, err)
		}
		if _, _, err := asyncio.OpenUnixConnection(a, stale); err == nil {
			t.Errorf("OpenUnixConnection to a closed server succeeded, want an error")
		}
		_, err = asyncio.StartUnixServer(a, echoHandler, open)
		return err // left open: Run closes it
	})
	if _, err := os.Stat(open); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("after Run, Stat of the socket of a server left open = %v, want the file gone", err)
	}
}

// TestUnixAbortAndEOF checks the ends of a Unix connection: a client's
// Abort makes the server's read end, and a server handler that returns
// closes the client's stream with EOF.
func TestUnixAbortAndEOF(t *testing.T) {
	path := unixPath(t)
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		srv, err := asyncio.StartUnixServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			line, err := r.ReadLine(a)
			if err != nil {
				return nil
			}
			if string(line) == "bye\n" {
				fmt.Fprint(w, "bye\n")
				return nil
			}
			_, err = r.Read(a, -1) // until the client aborts
			return err
		}, path)
		if err != nil {
			return err
		}
		r, w, err := asyncio.OpenUnixConnection(a, path)
		if err != nil {
			return err
		}
		w.WriteString("bye\n")
		if line, err := r.ReadLine(a); string(line) != "bye\n" || err != nil {
			t.Errorf("ReadLine() = %q, %v, want %q", line, err, "bye\n")
		}
		if data, err := r.Read(a, 1); err != io.EOF {
			t.Errorf("Read after the handler returned = %q, %v, want io.EOF", data, err)
		}
		w.Close()
		_, w2, err := asyncio.OpenUnixConnection(a, path)
		if err != nil {
			return err
		}
		w2.WriteString("stay\n")
		w2.Abort()
		if err := w2.WaitClosed(a); err != nil {
			t.Errorf("WaitClosed after Abort = %v, want nil", err)
		}
		return closeServer(a, srv)
	})
}

// TestUnixServerReplacedKeepsFile checks that a server whose socket file
// was replaced by another server's (StartUnixServer removes a socket file
// in its way, as Python does) leaves the other's file when it closes, as
// Python 3.13's cleanup_socket, which checks the file is still its own:
// the second server goes on accepting clients at the path.
func TestUnixServerReplacedKeepsFile(t *testing.T) {
	path := unixPath(t)
	defer streamLeakCheck(t)()
	streamRun(t, func(a *asyncio.A) error {
		first, err := asyncio.StartUnixServer(a, echoHandler, path)
		if err != nil {
			return err
		}
		second, err := asyncio.StartUnixServer(a, echoHandler, path)
		if err != nil {
			return err
		}
		if err := closeServer(a, first); err != nil {
			return err
		}
		if !isSocket(path) {
			t.Errorf("closing the first server removed the second server's socket file")
		}
		r, w, err := asyncio.OpenUnixConnection(a, path)
		if err != nil {
			t.Errorf("OpenUnixConnection to the second server = %v, want it to connect", err)
		} else {
			w.WriteString("hi\n")
			if line, err := r.ReadLine(a); string(line) != "hi\n" || err != nil {
				t.Errorf("echo through the second server = %q, %v, want \"hi\\n\"", line, err)
			}
			w.Close()
			w.WaitClosed(a)
		}
		if err := closeServer(a, second); err != nil {
			return err
		}
		if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Stat of the path after both servers closed = %v, want the file gone", err)
		}
		return nil
	})
}
