//go:build unix

package asyncio_test

import (
	"os"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// tlsLoadFullEnv, set to 1, runs TestTLSLoad at the size issue 15 names,
// 1,000 clients × 100 messages (2 s on two cores, 40 s under -race);
// without it, the test runs 200 × 50, which every CI run can afford.
const tlsLoadFullEnv = "ASYNCGO_TLS_LOAD_FULL"

// TestTLSLoad has 200 TLS clients (1,000 with tlsLoadFullEnv) send 50
// messages each (100) to one TLS echo server at the same time, in bursts
// of one to five lines, while other clients vanish in the middle of their
// handshakes: some close after half a hello, some after connecting, some
// reset the connection. Every byte of the good clients must come back in
// order, the handler must run for none of the others, and nothing may be
// left when Run returns.
func TestTLSLoad(t *testing.T) {
	p := testCerts(t)
	clients, msgs := 200, 50
	if os.Getenv(tlsLoadFullEnv) == "1" {
		clients, msgs = 1000, 100
	}
	n := loadClients(t, clients)
	defer streamLeakCheck(t)()
	start := time.Now()
	streamRun(t, func(a *asyncio.A) error {
		handled := 0
		srv, err := asyncio.StartServer(a, func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
			handled++
			return loadEchoHandler(a, r, w)
		}, "127.0.0.1", 0, asyncio.WithTLS(p.serverConfig()))
		if err != nil {
			return err
		}
		port := srv.Addr().Port
		good := make([]*asyncio.Task[int], n)
		for i := range good {
			good[i] = asyncio.CreateTask(a, loadClient(port, i, msgs, 1+i%5, asyncio.WithTLS(p.clientConfig())))
		}
		vanish := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			for i := range n / 2 {
				r, w, err := asyncio.OpenConnection(a, "127.0.0.1", port)
				if err != nil {
					return struct{}{}, err
				}
				switch i % 3 {
				case 0: // half a ClientHello, then gone
					w.Write([]byte{22, 3, 1, 0, 200, 1, 0, 0})
					w.Close()
				case 1: // gone at once
					w.Close()
				case 2: // gone, dropping what it wrote
					w.Write([]byte{22, 3, 1})
					w.Abort()
				}
				r.Read(a, -1)
				if err := w.WaitClosed(a); err != nil {
					return struct{}{}, err
				}
			}
			return struct{}{}, nil
		}))
		checkLoadClients(t, a, good, msgs)
		if _, err := vanish.Await(a); err != nil {
			return err
		}
		if err := closeServer(a, srv); err != nil {
			return err
		}
		if handled != n {
			t.Errorf("the handler ran %d times, want %d: once per client whose handshake succeeded", handled, n)
		}
		return nil
	})
	t.Logf("%d TLS clients × %d messages, %d vanishing mid-handshake, in %v", n, msgs, n/2, time.Since(start))
}
