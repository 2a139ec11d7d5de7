//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package asyncio_test

import (
	"errors"
	"testing"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// TestReusePortRefused checks that where the system has no SO_REUSEPORT,
// StartServer and CreateDatagramEndpoint refuse WithReusePort, saying so.
func TestReusePortRefused(t *testing.T) {
	streamRun(t, func(a *asyncio.A) error {
		if _, err := asyncio.StartServer(a, chunkEchoHandler, "127.0.0.1", 0, asyncio.WithReusePort()); !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("StartServer(WithReusePort()) = %v, want errors.ErrUnsupported", err)
		}
		if _, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0), asyncio.WithReusePort()); !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("CreateDatagramEndpoint(WithReusePort()) = %v, want errors.ErrUnsupported", err)
		}
		return nil
	})
}
