package asyncio

import (
	"errors"
	"fmt"
	"testing"
)

func TestIsCancellation(t *testing.T) {
	cancel := newCanceledError("m")
	other := errors.New("other")
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"ErrCanceled", ErrCanceled, true},
		{"*CanceledError", cancel, true},
		{"wrapped with %w", fmt.Errorf("reading: %w", cancel), true},
		{"wrapped twice", fmt.Errorf("b: %w", fmt.Errorf("a: %w", ErrCanceled)), true},
		{"one of two %w", fmt.Errorf("%w (%w)", cancel, other), true},
		{"joined", errors.Join(other, cancel), true},
		{"a timeout", ErrTimeout, false},
		{"named with %v", fmt.Errorf("%w (%v)", ErrTimeout, cancel), false},
		{"another error", other, false},
		{"in a group", NewExceptionGroup("g", cancel), false},
		{"in a nested group", NewExceptionGroup("g", NewExceptionGroup("h", cancel)), false},
		{"a group wrapped with %w", fmt.Errorf("group: %w", NewExceptionGroup("g", cancel)), false},
		{"a group joined", errors.Join(NewExceptionGroup("g", cancel)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isCancellation(tt.err); got != tt.want {
				t.Errorf("isCancellation(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
