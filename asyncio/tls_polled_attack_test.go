//go:build linux

package asyncio_test

// Attacks on polled TLS connections (tlsconn.go, polled.go): once the
// handshake is over a TLS stream is read and written by the loop over its
// own socket. Real peers outside the loop (crypto/tls on goroutines,
// CPython's asyncio), and two TLS ends of one loop.

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

var tlsVersions = []struct {
	name string
	v    uint16
}{{"TLS1.2", tls.VersionTLS12}, {"TLS1.3", tls.VersionTLS13}}

// tlsOutsidePeer is outsidePeer whose peer is a TLS server with max
// version v; the loop's dialer speaks TLS.
func tlsOutsidePeer(t *testing.T, network string, v uint16, serve func(c *tls.Conn, raw net.Conn) error) (dial func(a *asyncio.A, opts ...asyncio.StreamOption) (*asyncio.StreamReader, *asyncio.StreamWriter, error), wait func() error) {
	p := testCerts(t)
	d, w := outsidePeer(t, network, func(c net.Conn) error {
		cfg := p.serverConfig()
		cfg.MaxVersion = v
		tc := tls.Server(c, cfg)
		defer c.Close()
		if err := tc.Handshake(); err != nil {
			return fmt.Errorf("peer handshake: %w", err)
		}
		return serve(tc, c)
	})
	dial = func(a *asyncio.A, opts ...asyncio.StreamOption) (*asyncio.StreamReader, *asyncio.StreamWriter, error) {
		cfg := p.clientConfig()
		cfg.MaxVersion = v
		return d(a, append([]asyncio.StreamOption{asyncio.WithTLS(cfg), asyncio.WithServerHostname("localhost")}, opts...)...)
	}
	return dial, w
}

// TestTLSPolledBigBothWays: the loop writes MBs with Drain to a TLS peer
// that echoes them, while another task reads the echo with a small
// reader limit (flow control pauses the TLS stream): every byte, in order,
// TLS 1.2 and 1.3, TCP and Unix, GOMAXPROCS 1 and 2.
func TestTLSPolledBigBothWays(t *testing.T) {
	const n = 4 << 20
	want := pattern(n)
	for _, procs := range []int{1, 2} {
		for _, network := range polledNetworks {
			for _, ver := range tlsVersions {
				t.Run(fmt.Sprintf("%s/%s/P%d", network, ver.name, procs), func(t *testing.T) {
					defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
					defer streamLeakCheck(t)()
					dial, wait := tlsOutsidePeer(t, network, ver.v, func(c *tls.Conn, raw net.Conn) error {
						if _, err := io.Copy(c, c); err != nil {
							return fmt.Errorf("peer echo: %w", err)
						}
						c.CloseWrite() // the loop may have closed already
						return nil
					})
					streamRun(t, func(a *asyncio.A) error {
						r, w, err := dial(a, asyncio.WithStreamLimit(1024))
						if err != nil {
							return err
						}
						reader := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) ([]byte, error) {
							var got []byte
							for len(got) < n {
								b, err := r.Read(a, 1000)
								if err == io.EOF {
									return got, nil
								}
								if err != nil {
									return got, err
								}
								if len(b) == 0 {
									return got, nil
								}
								got = append(got, b...)
								if len(got)%(256<<10) < 1000 {
									if err := asyncio.Sleep(a, time.Millisecond); err != nil {
										return got, err
									}
								}
							}
							return got, nil
						}))
						for off := 0; off < n; off += 10000 {
							w.Write(want[off:min(off+10000, n)])
							if err := w.Drain(a); err != nil {
								return fmt.Errorf("Drain at %d: %w", off, err)
							}
						}
						got, err := reader.Await(a)
						if err != nil {
							return fmt.Errorf("reader after %d bytes: %w", len(got), err)
						}
						if !bytes.Equal(got, want) {
							return fmt.Errorf("echo differs: got %d bytes, want %d; first difference at %d", len(got), n, firstDiff(got, want))
						}
						w.Close()
						return w.WaitClosed(a)
					})
					if err := wait(); err != nil {
						t.Error(err)
					}
				})
			}
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// batchConn holds what is written to it until flush: the TLS records of
// many writes go out in one socket write.
type batchConn struct {
	net.Conn
	mu  sync.Mutex
	buf []byte
	on  bool
}

func (b *batchConn) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.on {
		b.buf = append(b.buf, p...)
		return len(p), nil
	}
	return b.Conn.Write(p)
}

func (b *batchConn) flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.on = false
	_, err := b.Conn.Write(b.buf)
	b.buf = nil
	return err
}

// TestTLSPolledManyRecordsOneRead: the peer writes thousands of tiny TLS
// records (and then close_notify, or not, and FIN, or a reset) in one
// socket write, so that one read of the socket brings them all: every byte
// in order, then EOF (or the reset), no hang.
func TestTLSPolledManyRecordsOneRead(t *testing.T) {
	p := testCerts(t)
	for _, network := range polledNetworks {
		for _, ver := range tlsVersions {
			for _, end := range []string{"close_notify", "fin", "reset", "open"} {
				t.Run(network+"/"+ver.name+"/"+end, func(t *testing.T) {
					if end == "reset" && network == "unix" {
						t.Skip("no reset on Unix")
					}
					defer streamLeakCheck(t)()
					var want []byte
					for i := range 3000 {
						want = append(want, strconv.Itoa(i)...)
						want = append(want, ',')
					}
					d, wait := outsidePeer(t, network, func(c net.Conn) error {
						bc := &batchConn{Conn: c}
						cfg := p.serverConfig()
						cfg.MaxVersion = ver.v
						tc := tls.Server(bc, cfg)
						if err := tc.Handshake(); err != nil {
							c.Close()
							return err
						}
						// Wait for the client's go, so that the records come
						// after the handshake, to the polled socket.
						one := make([]byte, 3)
						if _, err := io.ReadFull(tc, one); err != nil {
							c.Close()
							return fmt.Errorf("peer read go: %w", err)
						}
						bc.on = true
						for i := range 3000 {
							tc.Write([]byte(strconv.Itoa(i) + ","))
						}
						switch end {
						case "close_notify":
							tc.CloseWrite()
						}
						c.SetWriteDeadline(time.Time{}) // CloseWrite left one
						if err := bc.flush(); err != nil {
							return err
						}
						switch end {
						case "reset":
							time.Sleep(50 * time.Millisecond)
							abortConn(c)
							return nil
						case "open":
							// Wait for the loop to close.
							io.Copy(io.Discard, c)
						}
						return c.Close()
					})
					streamRun(t, func(a *asyncio.A) error {
						cfg := p.clientConfig()
						cfg.MaxVersion = ver.v
						r, w, err := d(a, asyncio.WithTLS(cfg), asyncio.WithServerHostname("localhost"))
						if err != nil {
							return err
						}
						defer w.Close()
						w.WriteString("go!")
						if end == "open" {
							got, err := r.ReadExactly(a, len(want))
							if err != nil {
								return fmt.Errorf("ReadExactly: %v (%d)", err, len(got))
							}
							if !bytes.Equal(got, want) {
								return fmt.Errorf("got differs at %d", firstDiff(got, want))
							}
							return nil
						}
						var got []byte
						var rerr error
						for {
							b, err := r.Read(a, 64<<10)
							if err == io.EOF {
								break
							}
							if err != nil {
								rerr = err
								break
							}
							if len(b) == 0 {
								break
							}
							got = append(got, b...)
						}
						if end == "reset" {
							if !bytes.Equal(got, want[:len(got)]) {
								return fmt.Errorf("got differs at %d", firstDiff(got, want))
							}
							if rerr == nil && len(got) != len(want) {
								return fmt.Errorf("reset: EOF after %d of %d bytes, want an error", len(got), len(want))
							}
							return nil
						}
						if rerr != nil {
							return fmt.Errorf("Read after %d bytes: %w", len(got), rerr)
						}
						if !bytes.Equal(got, want) {
							return fmt.Errorf("got %d bytes, want %d, differs at %d", len(got), len(want), firstDiff(got, want))
						}
						return nil
					})
					if err := wait(); err != nil {
						t.Error(err)
					}
				})
			}
		}
	}
}

// TestTLSPolledAbortCloseWithPending: the peer stops reading; the loop
// writes MBs over TLS; Abort (or Close, then Abort) ends the connection,
// and WaitClosed returns promptly. A Close alone, whose flush never ends,
// is cut by the peer's reset.
func TestTLSPolledAbortCloseWithPending(t *testing.T) {
	for _, network := range polledNetworks {
		for _, how := range []string{"abort", "close+abort", "close+peerreset"} {
			t.Run(network+"/"+how, func(t *testing.T) {
				if how == "close+peerreset" && network == "unix" {
					t.Skip("no reset on Unix")
				}
				defer streamLeakCheck(t)()
				stop := make(chan struct{})
				var once sync.Once
				stopNow := func() { once.Do(func() { close(stop) }) }
				dial, wait := tlsOutsidePeer(t, network, tls.VersionTLS13, func(c *tls.Conn, raw net.Conn) error {
					<-stop
					if how == "close+peerreset" {
						abortConn(raw)
					}
					return nil
				})
				streamRun(t, func(a *asyncio.A) error {
					defer stopNow()
					_, w, err := dial(a)
					if err != nil {
						return err
					}
					big := pattern(8 << 20)
					w.Write(big)
					if !w.IsClosing() {
						// The socket is full: Drain would wait.
						tk := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) { return struct{}{}, w.Drain(a) }))
						asyncio.Sleep(a, 20*time.Millisecond)
						if tk.Done() {
							return fmt.Errorf("Drain returned with 8 MB unread by the peer")
						}
						defer tk.Await(a)
					}
					start := time.Now()
					switch how {
					case "abort":
						w.Abort()
					case "close+abort":
						w.Close()
						asyncio.Sleep(a, 10*time.Millisecond)
						w.Abort()
					case "close+peerreset":
						w.Close()
						asyncio.Sleep(a, 10*time.Millisecond)
						stopNow()
					}
					werr := w.WaitClosed(a)
					if d := time.Since(start); d > 2*time.Second {
						return fmt.Errorf("WaitClosed took %v (%v)", d, werr)
					}
					if _, err := w.Write([]byte("x")); !errors.Is(err, net.ErrClosed) && err == nil {
						return fmt.Errorf("Write after close = %v", err)
					}
					return nil
				})
				wait()
			})
		}
	}
}

// TestTLSPolledSessionTickets: the loop is a TLS 1.3 client with a
// session cache, so that the server's NewSessionTicket messages (which
// Go's server sends right after the handshake, and which may come with
// the first data in one socket read) are taken on the loop; a second
// connection resumes.
func TestTLSPolledSessionTickets(t *testing.T) {
	p := testCerts(t)
	defer streamLeakCheck(t)()
	cache := tls.NewLRUClientSessionCache(4)
	scfg := p.serverConfig() // one set of ticket keys
	for i := range 2 {
		port, wait := tcpPeer(t, func(c net.Conn) error {
			defer c.Close()
			tc := tls.Server(c, scfg)
			if err := tc.Handshake(); err != nil {
				return err
			}
			if _, err := tc.Write([]byte("hello\n")); err != nil {
				return err
			}
			b := make([]byte, 3)
			if _, err := io.ReadFull(tc, b); err != nil {
				return err
			}
			if resumed := tc.ConnectionState().DidResume; resumed != (i == 1) {
				return fmt.Errorf("connection %d: DidResume = %v", i, resumed)
			}
			return tc.CloseWrite()
		})
		streamRun(t, func(a *asyncio.A) error {
			cfg := p.clientConfig()
			cfg.ClientSessionCache = cache
			r, w, err := asyncio.OpenConnection(a, "127.0.0.1", port, asyncio.WithTLS(cfg), asyncio.WithServerHostname("localhost"))
			if err != nil {
				return err
			}
			defer w.Close()
			if line, err := r.ReadLine(a); err != nil || string(line) != "hello\n" {
				return fmt.Errorf("ReadLine = %q, %v", line, err)
			}
			w.WriteString("bye")
			if b, err := r.Read(a, 10); err != io.EOF || len(b) != 0 {
				return fmt.Errorf("Read at end = %q, %v", b, err)
			}
			w.Close()
			return w.WaitClosed(a)
		})
		if err := wait(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestTLSPolledSameLoopVirtual: two TLS ends of one loop on virtual time
// move MBs both ways with Drain and paused readers: no false deadlock, no
// hang; then both ends wait to read from each other: a true deadlock.
func TestTLSPolledSameLoopVirtual(t *testing.T) {
	p := testCerts(t)
	for _, ver := range append(tlsVersions, struct {
		name string
		v    uint16
	}{"plain", 0}) {
		t.Run(ver.name, func(t *testing.T) {
			sopts := []asyncio.StreamOption{asyncio.WithStreamLimit(4096)}
			copts := []asyncio.StreamOption{asyncio.WithStreamLimit(4096)}
			defer streamLeakCheck(t)()
			const n = 2 << 20
			data := pattern(n)
			err := streamRunErr(func(a *asyncio.A) error {
				scfg := p.serverConfig()
				scfg.MaxVersion = ver.v
				if ver.v != 0 {
					sopts = append(sopts, asyncio.WithTLS(scfg))
				}
				got := make(chan []byte, 1)
				srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
					b, err := r.ReadExactly(a, n)
					if err != nil {
						return err
					}
					got <- b
					for off := 0; off < n; off += 50000 {
						w.Write(data[off:min(off+50000, n)])
						if err := w.Drain(a); err != nil {
							return err
						}
					}
					// A true deadlock: both ends read.
					_, err = r.ReadLine(a)
					return err
				}, "127.0.0.1", 0, sopts...)
				if err != nil {
					return err
				}
				defer srv.Close()
				ccfg := p.clientConfig()
				ccfg.MaxVersion = ver.v
				if ver.v != 0 {
					copts = append(copts, asyncio.WithTLS(ccfg), asyncio.WithServerHostname("localhost"))
				}
				r, w, err := asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port, copts...)
				if err != nil {
					return err
				}
				for off := 0; off < n; off += 30000 {
					w.Write(data[off:min(off+30000, n)])
					if err := w.Drain(a); err != nil {
						return err
					}
					if err := asyncio.Sleep(a, time.Millisecond); err != nil {
						return err
					}
				}
				back := make([]byte, 0, n)
				for len(back) < n {
					if err := asyncio.Sleep(a, time.Second); err != nil {
						return err
					}
					b, err := r.Read(a, 100000)
					if err != nil {
						return err
					}
					if len(b) == 0 {
						return fmt.Errorf("EOF after %d", len(back))
					}
					back = append(back, b...)
				}
				if !bytes.Equal(back, data) || !bytes.Equal(<-got, data) {
					return fmt.Errorf("data differs")
				}
				srv.Close() // a listening server may still get outside clients
				_, err = r.ReadLine(a)
				return fmt.Errorf("ReadLine returned %v with both ends reading", err)
			}, asyncio.WithVirtualTime())
			var de *asyncio.DeadlockError
			if !errors.As(err, &de) {
				t.Errorf("Run() = %v, want a DeadlockError", err)
			}
		})
	}
}

// TestTLSPolledStartTLSBig: StartTLS between two ends of one loop, then
// MBs both ways at once, under GOMAXPROCS 1 and 2.
func TestTLSPolledStartTLSBig(t *testing.T) {
	p := testCerts(t)
	for _, procs := range []int{1, 2} {
		for _, virtual := range []bool{false, true} {
			t.Run(fmt.Sprintf("P%d/virtual=%v", procs, virtual), func(t *testing.T) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				defer streamLeakCheck(t)()
				const n = 3 << 20
				data := pattern(n)
				var opts []asyncio.Option
				if virtual {
					opts = append(opts, asyncio.WithVirtualTime())
				}
				streamRun(t, func(a *asyncio.A) error {
					srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
						if _, err := r.ReadLine(a); err != nil {
							return err
						}
						w.WriteString("ok\n")
						if err := w.StartTLS(a, p.serverConfig()); err != nil {
							return err
						}
						// Echo in chunks.
						for {
							b, err := r.Read(a, 70000)
							if err != nil && err != io.EOF {
								return err
							}
							if len(b) == 0 {
								w.Close()
								return w.WaitClosed(a)
							}
							w.Write(b)
							if err := w.Drain(a); err != nil {
								return err
							}
						}
					}, "127.0.0.1", 0)
					if err != nil {
						return err
					}
					defer srv.Close()
					r, w, err := asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port)
					if err != nil {
						return err
					}
					w.WriteString("STARTTLS\n")
					if l, err := r.ReadLine(a); err != nil || string(l) != "ok\n" {
						return fmt.Errorf("%q %v", l, err)
					}
					if err := w.StartTLS(a, p.clientConfig(), asyncio.WithServerHostname("localhost")); err != nil {
						return err
					}
					rd := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) ([]byte, error) {
						var got []byte
						for len(got) < n {
							b, err := r.Read(a, 1<<16)
							if err == io.EOF {
								return got, nil
							}
							if err != nil || len(b) == 0 {
								return got, err
							}
							got = append(got, b...)
						}
						return got, nil
					}))
					for off := 0; off < n; off += 1 << 17 {
						w.Write(data[off:min(off+1<<17, n)])
						if err := w.Drain(a); err != nil {
							return err
						}
					}
					got, err := rd.Await(a)
					if err != nil {
						return err
					}
					if !bytes.Equal(got, data) {
						return fmt.Errorf("echo: %d bytes, want %d, differs at %d", len(got), n, firstDiff(got, data))
					}
					w.Close()
					if err := w.WaitClosed(a); err != nil {
						return err
					}
					return closeServer(a, srv)
				}, opts...)
			})
		}
	}
}

// TestTLSPolledCancelDrainAndRead cancels Drain and Read of a polled TLS
// stream in the middle of big transfers, again and again: nothing lost,
// nothing duplicated.
func TestTLSPolledCancelDrainAndRead(t *testing.T) {
	defer streamLeakCheck(t)()
	const n = 2 << 20
	data := pattern(n)
	dial, wait := tlsOutsidePeer(t, "tcp", tls.VersionTLS13, func(c *tls.Conn, raw net.Conn) error {
		buf := make([]byte, 1000)
		for {
			k, err := c.Read(buf)
			if k > 0 {
				if _, err := c.Write(buf[:k]); err != nil {
					return err
				}
			}
			if err == io.EOF {
				return c.CloseWrite()
			}
			if err != nil {
				return err
			}
			time.Sleep(10 * time.Microsecond)
		}
	})
	streamRun(t, func(a *asyncio.A) error {
		r, w, err := dial(a, asyncio.WithStreamLimit(2048))
		if err != nil {
			return err
		}
		rd := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) ([]byte, error) {
			var got []byte
			for i := 0; ; i++ {
				k := min(5000, n-len(got)) // more than twice the limit
				tk := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) ([]byte, error) { return r.ReadExactly(a, k) }))
				if i%3 == 0 {
					asyncio.Sleep(a, 0)
					tk.Cancel()
				}
				b, err := tk.Await(a)
				var ce *asyncio.CanceledError
				if errors.As(err, &ce) {
					continue
				}
				if err != nil {
					return got, err
				}
				got = append(got, b...)
				if len(got) == n {
					return got, nil
				}
			}
		}))
		for off := 0; off < n; off += 40000 {
			w.Write(data[off:min(off+40000, n)])
			tk := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) { return struct{}{}, w.Drain(a) }))
			asyncio.Sleep(a, 0)
			tk.Cancel()
			tk.Await(a)
		}
		if err := w.Drain(a); err != nil {
			return err
		}
		got, err := rd.Await(a)
		if err != nil {
			return err
		}
		if !bytes.Equal(got, data) {
			return fmt.Errorf("got %d want %d, differs at %d", len(got), n, firstDiff(got, data))
		}
		w.Close()
		return w.WaitClosed(a)
	})
	if err := wait(); err != nil {
		t.Error(err)
	}
}

const pyTLSPeer = `
import asyncio, ssl, sys
async def main():
    port, cert, key, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    r, w = await asyncio.open_connection('127.0.0.1', port, ssl=ctx, server_side=True) if False else (None, None)
    done = asyncio.get_running_loop().create_future()
    async def handle(r, w):
        total = 0
        while True:
            b = await r.read(65536)
            if not b:
                break
            total += len(b)
            w.write(b)
            await w.drain()
        w.close()
        try:
            await w.wait_closed()
        except Exception:
            pass
        done.set_result(total)
    srv = await asyncio.start_server(handle, '127.0.0.1', 0, ssl=ctx)
    print(srv.sockets[0].getsockname()[1], flush=True)
    total = await done
    srv.close()
    print(total, flush=True)
asyncio.run(main())
`

// TestTLSPolledCPythonPeer: a CPython asyncio TLS echo server; the loop
// sends MBs and reads them back.
func TestTLSPolledCPythonPeer(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3")
	}
	p := testCerts(t)
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "c.pem"), filepath.Join(dir, "k.pem")
	os.WriteFile(cert, p.serverPEM, 0o600)
	os.WriteFile(key, p.serverKeyPEM, 0o600)
	const n = 3 << 20
	cmd := exec.Command(py, "-c", pyTLSPeer, "0", cert, key, strconv.Itoa(n))
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	var port int
	if _, err := fmt.Fscan(out, &port); err != nil {
		cmd.Process.Kill()
		t.Fatal(err)
	}
	defer streamLeakCheck(t)()
	data := pattern(n)
	streamRun(t, func(a *asyncio.A) error {
		r, w, err := asyncio.OpenConnection(a, "127.0.0.1", port, asyncio.WithTLS(p.clientConfig()), asyncio.WithServerHostname("localhost"))
		if err != nil {
			return err
		}
		rd := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) ([]byte, error) {
			var got []byte
			for len(got) < n {
				b, err := r.Read(a, 1<<16)
				if err != nil || len(b) == 0 {
					return got, err
				}
				got = append(got, b...)
			}
			return got, nil
		}))
		for off := 0; off < n; off += 100000 {
			w.Write(data[off:min(off+100000, n)])
			if err := w.Drain(a); err != nil {
				return err
			}
		}
		g, err := rd.Await(a)
		if err != nil {
			return fmt.Errorf("reader: %w (%d bytes)", err, len(g))
		}
		if !bytes.Equal(g, data) {
			return fmt.Errorf("echo: %d bytes, want %d, differs at %d", len(g), n, firstDiff(g, data))
		}
		w.Close()
		return w.WaitClosed(a)
	})
	var total int
	fmt.Fscan(out, &total)
	if total != n {
		t.Errorf("python got %d bytes, want %d", total, n)
	}
}

var _ = syscall.EAGAIN

// TestTLSPolledTrueDeadlock: two TLS ends of one loop that both wait to
// read, as socketDeadlock's plain ones: a DeadlockError, on virtual time
// and with WithStrictDeadlocks.
func TestTLSPolledTrueDeadlock(t *testing.T) {
	p := testCerts(t)
	for _, opts := range [][]asyncio.Option{{asyncio.WithVirtualTime()}, {asyncio.WithStrictDeadlocks()}} {
		defer streamLeakCheck(t)()
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		_, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			accepted := asyncio.NewFuture[struct{}](asyncio.GetRunningLoop(a))
			srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
				accepted.SetResult(struct{}{})
				_, err := r.ReadLine(a)
				return err
			}, "127.0.0.1", 0, asyncio.WithTLS(p.serverConfig()))
			if err != nil {
				return struct{}{}, err
			}
			r, _, err := asyncio.OpenConnection(a, "127.0.0.1", srv.Addr().Port, asyncio.WithTLS(p.clientConfig()), asyncio.WithServerHostname("localhost"))
			if err != nil {
				return struct{}{}, err
			}
			if _, err := accepted.Await(a); err != nil {
				return struct{}{}, err
			}
			srv.Close()
			_, err = r.ReadLine(a)
			return struct{}{}, err
		}), append([]asyncio.Option{asyncio.WithStrictLeaks()}, opts...)...)
		cancel()
		var de *asyncio.DeadlockError
		if !errors.As(err, &de) {
			t.Errorf("Run() = %v, want a DeadlockError", err)
		}
	}
}
