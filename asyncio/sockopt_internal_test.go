package asyncio

import (
	"context"
	"testing"
	"time"
)

// TestHappyEyeballsDelay checks how WithHappyEyeballsDelay maps to the
// dialer's FallbackDelay: a delay is the delay; ≤ 0 turns the race off (a
// negative FallbackDelay); without the option, Go's default (0: 300ms).
func TestHappyEyeballsDelay(t *testing.T) {
	tests := []struct {
		name string
		opts []StreamOption
		want time.Duration
	}{
		{"default", nil, 0},
		{"250ms", []StreamOption{WithHappyEyeballsDelay(250 * time.Millisecond)}, 250 * time.Millisecond},
		{"0", []StreamOption{WithHappyEyeballsDelay(0)}, -1},
		{"negative", []StreamOption{WithHappyEyeballsDelay(-time.Second)}, -1},
	}
	for _, tc := range tests {
		d, err := newStreamConfig(tc.opts).sock.dialer(context.Background(), "tcp")
		if err != nil {
			t.Fatal(err)
		}
		if d.FallbackDelay != tc.want {
			t.Errorf("%s: FallbackDelay = %v, want %v", tc.name, d.FallbackDelay, tc.want)
		}
	}
}
