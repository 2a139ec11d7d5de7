package asyncio

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"os"
	"strings"
)

// OpenUnixConnection connects to the Unix domain socket at path and returns
// the connection's two halves: Python's
//
//	reader, writer = await asyncio.open_unix_connection(path)
//
// It is OpenConnection for a Unix socket, with the same streams, options
// and cancellation; a path starting with "@" names a socket in Linux's
// abstract namespace. The two ends of a Unix connection are not paired
// within a loop as TCP's are (see OpenConnection): a read waiting on
// either counts as outside work, so the virtual clock moves past it only
// after the idle threshold. Where the platform has no Unix domain sockets
// it returns an error wrapping errors.ErrUnsupported.
func OpenUnixConnection(a *A, path string, opts ...StreamOption) (*StreamReader, *StreamWriter, error) {
	t, err := currentTask(a)
	if err != nil {
		return nil, nil, err
	}
	if errUnixSockets != nil {
		return nil, nil, errUnixSockets
	}
	return openStream(a, t.loop, "asyncio.OpenUnixConnection", "unix", path, "", true, newStreamConfig(opts))
}

// StartUnixServer starts a server on the Unix domain socket at path and
// returns it once it is listening: Python's
//
//	server = await asyncio.start_unix_server(handler, path)
//
// It is StartServer for a Unix socket, with the same handler, options and
// shutdown (Close, CloseClients, AbortClients, WaitClosed, ServeForever);
// ListenAddr returns the socket's *net.UnixAddr. A socket file left at path
// by an earlier server is removed first, as Python does; any other file
// there makes StartUnixServer fail. The server removes its socket file when
// it is closed (Python 3.13's cleanup_socket), at the latest when Run
// returns, unless another server's has replaced it. Where the platform has no Unix domain sockets it returns an
// error wrapping errors.ErrUnsupported.
func StartUnixServer(a *A, handler func(a *A, r *StreamReader, w *StreamWriter) error, path string, opts ...StreamOption) (*Server, error) {
	t, err := currentTask(a)
	if err != nil {
		return nil, err
	}
	if handler == nil {
		panic("asyncio.StartUnixServer: nil handler")
	}
	if errUnixSockets != nil {
		return nil, errUnixSockets
	}
	cfg := newStreamConfig(opts)
	cfg.tls.check("asyncio.StartUnixServer", true)
	ln, err := awaitOutside(a, t.loop, true, func(ctx context.Context) (net.Listener, error) {
		if err := removeStaleSocket(path); err != nil {
			return nil, err
		}
		var lc net.ListenConfig
		ln, err := lc.Listen(ctx, "unix", path)
		if err != nil {
			return nil, err
		}
		return ownSocketFile(ln, path), nil
	})
	if err != nil {
		return nil, err
	}
	return newServer(t.loop, ln, handler, cfg), nil
}

// abstractSocket reports whether path names a socket in Linux's abstract
// namespace, which has no files.
func abstractSocket(path string) bool {
	return strings.HasPrefix(path, "@") || strings.HasPrefix(path, "\x00")
}

// removeStaleSocket removes the socket file at path, if there is one: what
// a server that did not close (a crashed process) left behind.
func removeStaleSocket(path string) error {
	if abstractSocket(path) {
		return nil
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case fi.Mode()&fs.ModeSocket == 0:
		return nil // Listen fails with "address already in use"
	}
	return os.Remove(path)
}

// A socketFileListener is a Unix listener that removes its socket file when
// it is closed only if the file is still its own: another server may have
// replaced it since (see removeStaleSocket), whose file must stay. Python
// 3.13's cleanup_socket checks the file's inode the same way. (A
// net.UnixListener unlinks its path, whatever file is there.)
type socketFileListener struct {
	net.Listener
	path string
	file os.FileInfo
}

// ownSocketFile returns ln, listening at path, as a socketFileListener.
func ownSocketFile(ln net.Listener, path string) net.Listener {
	ul, ok := ln.(*net.UnixListener)
	if !ok || abstractSocket(path) {
		return ln
	}
	ul.SetUnlinkOnClose(false)
	fi, err := os.Stat(path)
	if err != nil {
		return ln // removed already: whatever is there later is not its own
	}
	return &socketFileListener{Listener: ln, path: path, file: fi}
}

func (l *socketFileListener) Close() error {
	err := l.Listener.Close()
	if fi, serr := os.Stat(l.path); serr == nil && os.SameFile(fi, l.file) {
		_ = os.Remove(l.path)
	}
	return err
}
