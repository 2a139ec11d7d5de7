package gen_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/yieldfrom/asyncgo/gen"
)

func TestClose(t *testing.T) {
	// Each body records its deferred call, what its Yield reported, and
	// returns as the case says when it sees ErrGeneratorExit.
	closing := func(onExit func(y *gen.Yielder[int, int]) (string, error)) func(*recorder) intBody {
		return func(rec *recorder) intBody {
			return func(y *gen.Yielder[int, int]) (string, error) {
				defer rec.add("deferred")
				for i := 0; i < 2; i++ {
					_, err := y.Yield(i)
					if errors.Is(err, gen.ErrGeneratorExit) {
						rec.add("Yield reported %v", err)
						return onExit(y)
					}
				}
				return "done", nil
			}
		}
	}
	returnExit := closing(func(*gen.Yielder[int, int]) (string, error) { return "", gen.ErrGeneratorExit })
	tests := []struct {
		name       string
		body       func(*recorder) intBody
		before     []op
		closes     int // how many times to call Close; all but the first must return nil
		want       error
		wantRec    []string
		wantResult string
		wantErr    error
	}{
		{
			name:    "suspended: deferred calls run",
			body:    returnExit,
			before:  []op{opNext},
			closes:  1,
			want:    nil,
			wantRec: []string{"Yield reported generator exit", "deferred"},
			wantErr: gen.ErrGeneratorExit,
		},
		{
			name:    "twice",
			body:    returnExit,
			before:  []op{opNext},
			closes:  2,
			want:    nil,
			wantRec: []string{"Yield reported generator exit", "deferred"},
			wantErr: gen.ErrGeneratorExit,
		},
		{
			name:       "finished",
			body:       returnExit,
			before:     []op{opNext, opNext, opNext},
			closes:     1,
			want:       nil,
			wantRec:    []string{"deferred"},
			wantResult: "done",
			wantErr:    nil,
		},
		{
			// The body never runs, so nothing is recorded.
			name:    "not started",
			body:    returnExit,
			closes:  1,
			want:    nil,
			wantRec: nil,
			wantErr: gen.ErrGeneratorExit,
		},
		{
			// Python 3.11's close() discards the value; Result keeps it.
			name:       "body returns a value and no error",
			body:       closing(func(*gen.Yielder[int, int]) (string, error) { return "cleaned up", nil }),
			before:     []op{opNext},
			closes:     1,
			want:       nil,
			wantRec:    []string{"Yield reported generator exit", "deferred"},
			wantResult: "cleaned up",
			wantErr:    gen.ErrGeneratorExit,
		},
		{
			name:    "body returns another error",
			body:    closing(func(*gen.Yielder[int, int]) (string, error) { return "", errCleanup }),
			before:  []op{opNext},
			closes:  2,
			want:    errCleanup,
			wantRec: []string{"Yield reported generator exit", "deferred"},
			wantErr: errCleanup,
		},
		{
			// Python raises RuntimeError("generator ignored GeneratorExit").
			name: "body ignores the close",
			body: closing(func(y *gen.Yielder[int, int]) (string, error) {
				y.Yield(99)
				return "not reached", nil
			}),
			before:  []op{opNext},
			closes:  2,
			want:    gen.ErrIgnoredClose,
			wantRec: []string{"Yield reported generator exit", "deferred"},
			wantErr: gen.ErrIgnoredClose,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			g := gen.New(tt.body(rec))
			for _, o := range tt.before {
				apply(g, o)
			}
			// A Close that hangs would hang the test; run it where a
			// deadline can catch it.
			done := make(chan error, 1)
			go func() { done <- g.Close() }()
			var err error
			select {
			case err = <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("Close() did not return within 5s")
			}
			if err != tt.want {
				t.Errorf("Close() = %v, want %v", err, tt.want)
			}
			for i := 1; i < tt.closes; i++ {
				if err := g.Close(); err != nil {
					t.Errorf("Close() number %d = %v, want <nil>", i+1, err)
				}
			}
			if got := g.State(); got != gen.Closed {
				t.Errorf("State() = %v, want %v", got, gen.Closed)
			}
			if diff := cmp.Diff(tt.wantRec, rec.events); diff != "" {
				t.Errorf("body recorded (-want +got):\n%s", diff)
			}
			if r, err := g.Result(); r != tt.wantResult || !errors.Is(err, tt.wantErr) {
				t.Errorf("Result() = %q, %v, want %q, %v", r, err, tt.wantResult, tt.wantErr)
			}
			if v, ok := g.Next(); ok {
				t.Errorf("Next() after Close = %d, %t, want 0, false", v, ok)
			}
		})
	}
}

// TestCloseUnwindPanics checks that a panic raised by a deferred call while
// a body that ignored its close is unwound is not lost: Close panics with it,
// as iter.Pull's stop does.
func TestCloseUnwindPanics(t *testing.T) {
	g := gen.New(func(y *gen.Yielder[int, int]) (string, error) {
		defer func() {
			recover()
			panic("deferred call failed")
		}()
		y.Yield(0)
		y.Yield(1) // ignores the close
		return "", nil
	})
	g.Next()
	p := catch(func() { g.Close() })
	if p != "deferred call failed" {
		t.Errorf("Close() panicked with %v, want %q", p, "deferred call failed")
	}
	if got := g.State(); got != gen.Closed {
		t.Errorf("State() = %v, want %v", got, gen.Closed)
	}
	if err := g.Close(); err != nil {
		t.Errorf("second Close() = %v, want <nil>", err)
	}
}
