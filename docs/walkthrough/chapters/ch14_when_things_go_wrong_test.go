package chapters

import (
	"testing"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/asyncio/asynciotest"
)

// snippet: seeds-test

// TestStartup runs startup with the fixed client under a hundred
// schedules. Were one to fail, Seeds would stop there and log its seed,
// with a go test -run pattern and an asynciotest.Replay call that run
// that schedule again.
func TestStartup(t *testing.T) {
	asynciotest.Seeds(t, 100, func(t *testing.T, opts ...asyncio.Option) {
		reply, err := asynciotest.Run(t, startup(patientClient), opts...)
		if reply != "hello" || err != nil {
			t.Errorf("startup(patientClient) = %q, %v, want \"hello\", nil", reply, err)
		}
	})
}

// end snippet
