package gen_test

import (
	"testing"

	"github.com/yieldfrom/asyncgo/gen"
)

func TestStateString(t *testing.T) {
	tests := []struct {
		s    gen.State
		want string
	}{
		{gen.Created, "GEN_CREATED"},
		{gen.Running, "GEN_RUNNING"},
		{gen.Suspended, "GEN_SUSPENDED"},
		{gen.Closed, "GEN_CLOSED"},
		{gen.State(9), "State(invalid)"},
	}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("State(%d).String() = %q, want %q", uint8(tt.s), got, tt.want)
		}
	}
}

// TestState follows a generator through its life, one op at a time, as
// inspect.getgeneratorstate would report it, and checks that the body, each
// time it looks at its own generator, sees it running.
func TestState(t *testing.T) {
	type step struct {
		op   op
		want gen.State
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"run to the end", []step{
			{opNext, gen.Suspended},
			{opSend(7), gen.Suspended},
			{opNext, gen.Closed},
			{opNext, gen.Closed},
		}},
		{"close while suspended", []step{{opNext, gen.Suspended}, {opClose, gen.Closed}}},
		{"close before the start", []step{{opClose, gen.Closed}, {opNext, gen.Closed}}},
		{"throw before the start", []step{{opThrow(errBoom), gen.Closed}}},
		{"throw while suspended", []step{{opNext, gen.Suspended}, {opThrow(errBoom), gen.Closed}}},
		{"throw after the end", []step{
			{opNext, gen.Suspended},
			{opNext, gen.Suspended},
			{opNext, gen.Closed},
			{opThrow(errBoom), gen.Closed},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var inside []gen.State
			var g *intGen
			g = gen.New(func(y *gen.Yielder[int, int]) (string, error) {
				defer func() { inside = append(inside, g.State()) }()
				inside = append(inside, g.State())
				for i := range 2 {
					if _, err := y.Yield(i); err != nil {
						return "", err
					}
					inside = append(inside, g.State())
				}
				return "done", nil
			})
			defer g.Close()
			if got := g.State(); got != gen.Created {
				t.Fatalf("State() before the first op = %v, want %v", got, gen.Created)
			}
			for i, s := range tt.steps {
				if out := apply(g, s.op); out.panic != nil {
					t.Fatalf("step %d: %s", i, describe(s.op, out))
				}
				if got := g.State(); got != s.want {
					t.Errorf("step %d: State() after %v = %v, want %v", i, s.op, got, s.want)
				}
			}
			for i, s := range inside {
				if s != gen.Running {
					t.Errorf("State() seen by the body, look %d = %v, want %v", i, s, gen.Running)
				}
			}
		})
	}
}
