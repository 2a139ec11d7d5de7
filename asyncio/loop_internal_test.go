package asyncio

import (
	"context"
	"testing"
)

// TestInboxAllocatesOncePerDrain checks that the calls other goroutines
// hand the loop cost one allocation per drain of the inbox, however many
// came: a busy loop's hand-overs (a reader goroutine's data, say) come in
// batches, and each must not cost the loop an allocation of its own.
func TestInboxAllocatesOncePerDrain(t *testing.T) {
	_, err := Run(context.Background(), Async(func(a *A) (struct{}, error) {
		l := GetRunningLoop(a)
		fn := func() {}
		const calls = 10
		allocs := testing.AllocsPerRun(100, func() {
			for range calls {
				if err := l.CallSoonThreadsafe(fn); err != nil {
					t.Fatal(err)
				}
			}
			l.drainInbox()
			for l.ready.len() > 0 {
				l.ready.pop() // not run: only the hand-over is measured
			}
		})
		if allocs != 1 {
			t.Errorf("%d calls through the inbox and a drain allocate %v times, want 1", calls, allocs)
		}
		return struct{}{}, nil
	}))
	if err != nil {
		t.Fatal(err)
	}
}
