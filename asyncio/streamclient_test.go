package asyncio_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// The clients and handlers of the load tests, and of the TLS and Unix
// socket tests, on every platform.

// loadMessage is message j of client i: a line whose length varies from
// message to message, so that lines straddle reads.
func loadMessage(i, j int) []byte {
	head := fmt.Sprintf("client %d message %d ", i, j)
	return append(append([]byte(head), bytes.Repeat([]byte{'a' + byte(i%26)}, (i*31+j*17)%300)...), '\n')
}

// loadEchoHandler echoes lines until EOF; a failing connection ends it
// without an error, so that faults the test causes on purpose are not
// logged.
func loadEchoHandler(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
	if err := echoHandler(a, r, w); errors.Is(err, asyncio.ErrCanceled) {
		return err
	}
	return nil
}

// loadClient sends msgs messages in bursts of burst, reads the echo of each
// burst, and checks that every line comes back in order; opts are
// OpenConnection's.
func loadClient(port, i, msgs, burst int, opts ...asyncio.StreamOption) *asyncio.Coro[int] {
	return asyncio.Async(func(a *asyncio.A) (int, error) {
		r, w, err := asyncio.OpenConnection(a, "127.0.0.1", port, opts...)
		if err != nil {
			return 0, fmt.Errorf("client %d: %w", i, err)
		}
		defer w.Close()
		n := 0
		for j := 0; j < msgs; j += burst {
			for k := j; k < min(j+burst, msgs); k++ {
				w.Write(loadMessage(i, k))
			}
			if err := w.Drain(a); err != nil {
				return n, fmt.Errorf("client %d: Drain: %w", i, err)
			}
			for k := j; k < min(j+burst, msgs); k++ {
				line, err := r.ReadLine(a)
				if err != nil {
					return n, fmt.Errorf("client %d: message %d: %w", i, k, err)
				}
				if want := loadMessage(i, k); !bytes.Equal(line, want) {
					return n, fmt.Errorf("client %d: message %d = %q, want %q", i, k, line, want)
				}
				n += len(line)
			}
		}
		w.Close()
		return n, w.WaitClosed(a)
	})
}

// checkLoadClients awaits the loadClient tasks cs, each of msgs messages,
// client i at index i, and fails t for each that fails or does not get back
// all it sent.
func checkLoadClients(t *testing.T, a *asyncio.A, cs []*asyncio.Task[int], msgs int) {
	t.Helper()
	for i, c := range cs {
		got, err := c.Await(a)
		if err != nil {
			t.Error(err)
		} else if want := wantBytes(i, msgs); got != want {
			t.Errorf("client %d got %d bytes back, want %d", i, got, want)
		}
	}
}

// wantBytes is what loadClient(_, i, msgs, _) gets back.
func wantBytes(i, msgs int) int {
	n := 0
	for j := range msgs {
		n += len(loadMessage(i, j))
	}
	return n
}
