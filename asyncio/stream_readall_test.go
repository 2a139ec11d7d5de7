package asyncio_test

import (
	"errors"
	"testing"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// Read(a, -1) takes the data block by block as it comes; cancelled, it puts
// every block back, so that the next read finds all of it, in order.
func TestStreamReadAllCancelledKeepsData(t *testing.T) {
	streamRun(t, func(a *asyncio.A) error {
		r := asyncio.NewStreamReader(asyncio.GetRunningLoop(a), 0)
		r.FeedData([]byte("abc"))
		reader := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) ([]byte, error) { return r.Read(a, -1) }))
		for _, block := range []string{"def", "ghi"} {
			if err := asyncio.Sleep(a, 0); err != nil {
				return err
			}
			r.FeedData([]byte(block))
		}
		reader.Cancel("")
		if got, err := reader.Await(a); !errors.Is(err, asyncio.ErrCanceled) {
			t.Fatalf("Read(-1) = %q, %v, want a cancellation", got, err)
		}
		r.FeedData([]byte("jkl"))
		r.FeedEOF()
		got, err := r.Read(a, -1)
		if string(got) != "abcdefghijkl" || err != nil {
			t.Errorf("Read(-1) after the cancelled one = %q, %v, want \"abcdefghijkl\", nil", got, err)
		}
		return nil
	})
}
