package gen_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/yieldfrom/asyncgo/gen"
)

// handler yields 0, 1, ... and, when an error is thrown in, records it and
// yields -1 in place of the next value; it stops at the close.
func handler(rec *recorder) intBody {
	return func(y *gen.Yielder[int, int]) (string, error) {
		rec.add("body started")
		v := 0
		for {
			_, err := y.Yield(v)
			switch {
			case errors.Is(err, gen.ErrGeneratorExit):
				return "", err
			case err != nil:
				rec.add("body caught %v", err)
				v = -1
			default:
				v++
			}
		}
	}
}

func TestThrow(t *testing.T) {
	tests := []struct {
		name    string
		body    func(*recorder) intBody
		before  []op // ops before the Throw
		want    outcome
		wantRec []string
		// wantState is the state after the throw; once it is Closed,
		// Result must report wantResult and an error wrapping wantErr.
		wantState  gen.State
		wantResult string
		wantErr    error
	}{
		{
			name:      "handled, yields again",
			body:      handler,
			before:    []op{opNext, opNext},
			want:      outcome{v: -1, ok: true},
			wantRec:   []string{"body started", "body caught boom"},
			wantState: gen.Suspended,
		},
		{
			name: "not handled",
			body: func(rec *recorder) intBody {
				return func(y *gen.Yielder[int, int]) (string, error) {
					rec.add("body started")
					defer rec.add("body deferred")
					if _, err := y.Yield(0); err != nil {
						return "", fmt.Errorf("body: %w", err)
					}
					return "done", nil
				}
			},
			before:    []op{opNext},
			want:      outcome{},
			wantRec:   []string{"body started", "body deferred"},
			wantState: gen.Closed,
			wantErr:   errBoom,
		},
		{
			// Python raises the error from throw without running the body.
			name:      "not started",
			body:      handler,
			want:      outcome{},
			wantRec:   nil,
			wantState: gen.Closed,
			wantErr:   errBoom,
		},
		{
			// Python would raise the error again; nothing changes here.
			name: "closed",
			body: func(rec *recorder) intBody {
				return func(y *gen.Yielder[int, int]) (string, error) {
					rec.add("body started")
					return "done", nil
				}
			},
			before:     []op{opNext},
			want:       outcome{},
			wantRec:    []string{"body started"},
			wantState:  gen.Closed,
			wantResult: "done",
			wantErr:    nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			g := gen.New(tt.body(rec))
			defer g.Close()
			for _, o := range tt.before {
				apply(g, o)
			}
			v, ok := g.Throw(errBoom)
			if got := (outcome{v: v, ok: ok}); got != tt.want {
				t.Errorf("Throw(boom) = %d, %t, want %d, %t", v, ok, tt.want.v, tt.want.ok)
			}
			if got := g.State(); got != tt.wantState {
				t.Errorf("State() = %v, want %v", got, tt.wantState)
			}
			if diff := cmp.Diff(tt.wantRec, rec.events); diff != "" {
				t.Errorf("body recorded (-want +got):\n%s", diff)
			}
			if tt.wantState != gen.Closed {
				return
			}
			if r, err := g.Result(); r != tt.wantResult || !errors.Is(err, tt.wantErr) {
				t.Errorf("Result() = %q, %v, want %q, %v", r, err, tt.wantResult, tt.wantErr)
			}
		})
	}
}

func TestThrowNil(t *testing.T) {
	tests := []struct {
		name   string
		before []op
		want   gen.State
	}{
		{"not started", nil, gen.Created},
		{"suspended", []op{opNext}, gen.Suspended},
		{"closed", []op{opNext, opNext}, gen.Closed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := gen.New(countTo(1))
			defer g.Close()
			for _, o := range tt.before {
				apply(g, o)
			}
			if p := catch(func() { g.Throw(nil) }); p == nil {
				t.Errorf("Throw(nil) did not panic")
			}
			if got := g.State(); got != tt.want {
				t.Errorf("State() after Throw(nil) = %v, want %v", got, tt.want)
			}
		})
	}
}
