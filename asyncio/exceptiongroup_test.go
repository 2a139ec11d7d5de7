package asyncio_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// notFound is an error type, to match with errors.As as except* matches a
// class.
type notFound struct{ name string }

func (e *notFound) Error() string { return "not found: " + e.name }

// describe renders a group as Python's repr does, with members in
// brackets, so that a whole tree compares in one string.
func describe(err error) string {
	if err == nil {
		return "None"
	}
	eg, ok := err.(*asyncio.ExceptionGroup)
	if !ok {
		return err.Error()
	}
	var parts []string
	for _, e := range eg.Exceptions {
		parts = append(parts, describe(e))
	}
	return fmt.Sprintf("%s[%s]", eg.Message, strings.Join(parts, " "))
}

// groupOrNil keeps a nil *ExceptionGroup from becoming a non-nil error.
func groupOrNil(g *asyncio.ExceptionGroup) error {
	if g == nil {
		return nil
	}
	return g
}

func TestExceptionGroupSplit(t *testing.T) {
	// eg = ExceptionGroup("outer", [a, ExceptionGroup("inner", [b, c]), d])
	// with a, c ValueErrors, b a NotFound, d a KeyError.
	errA, errC, errD := errors.New("a"), errors.New("c"), errors.New("d")
	isValue := func(err error) bool { return errors.Is(err, errA) || errors.Is(err, errC) }
	errB := &notFound{"b"}
	eg := asyncio.NewExceptionGroup("outer", errA, asyncio.NewExceptionGroup("inner", errB, errC), errD)

	tests := []struct {
		name                string
		match               func(error) bool
		wantMatch, wantRest string
	}{
		{
			name:      "except* ValueError (errors.Is)",
			match:     isValue,
			wantMatch: "outer[a inner[c]]",
			wantRest:  "outer[inner[not found: b] d]",
		},
		{
			name: "except* NotFound (errors.As)",
			match: func(err error) bool {
				var nf *notFound
				return errors.As(err, &nf)
			},
			wantMatch: "outer[inner[not found: b]]",
			wantRest:  "outer[a inner[c] d]",
		},
		{
			name:      "nothing matches",
			match:     func(err error) bool { return errors.Is(err, errors.ErrUnsupported) },
			wantMatch: "None",
			wantRest:  "outer[a inner[not found: b c] d]",
		},
		{
			name:      "everything matches",
			match:     func(error) bool { return true },
			wantMatch: "outer[a inner[not found: b c] d]",
			wantRest:  "None",
		},
		{
			name:      "a leaf by identity",
			match:     func(err error) bool { return err == errD },
			wantMatch: "outer[d]",
			wantRest:  "outer[a inner[not found: b c]]",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, r := eg.Split(tt.match)
			if got := describe(groupOrNil(m)); got != tt.wantMatch {
				t.Errorf("matched = %s, want %s", got, tt.wantMatch)
			}
			if got := describe(groupOrNil(r)); got != tt.wantRest {
				t.Errorf("rest = %s, want %s", got, tt.wantRest)
			}
			if got := describe(groupOrNil(eg.Subgroup(tt.match))); got != tt.wantMatch {
				t.Errorf("Subgroup = %s, want %s", got, tt.wantMatch)
			}
		})
	}
	if got, want := describe(eg), "outer[a inner[not found: b c] d]"; got != want {
		t.Errorf("Split changed the group: %s, want %s", got, want)
	}
}

func TestExceptionGroupExceptStar(t *testing.T) {
	// Python:
	//	try: raise eg
	//	except* ValueError as g: ...   outer[a inner[c]]
	//	except* NotFound as g: ...     outer[inner[b]]
	//	except* Exception as g: ...    outer[d]
	// Chaining Split on the rest is how the clauses consume the group.
	errA, errC, errD := errors.New("a"), errors.New("c"), errors.New("d")
	errB := &notFound{"b"}
	var rest error = asyncio.NewExceptionGroup("outer", errA, asyncio.NewExceptionGroup("inner", errB, errC), errD)
	clauses := []struct {
		name  string
		match func(error) bool
	}{
		{"ValueError", func(err error) bool { return errors.Is(err, errA) || errors.Is(err, errC) }},
		{"NotFound", func(err error) bool { var nf *notFound; return errors.As(err, &nf) }},
		{"Exception", func(error) bool { return true }},
	}
	var got []string
	for _, c := range clauses {
		var eg *asyncio.ExceptionGroup
		if !errors.As(rest, &eg) {
			break
		}
		m, r := eg.Split(c.match)
		if m != nil {
			got = append(got, c.name+": "+describe(m))
		}
		rest = groupOrNil(r)
	}
	want := []string{"ValueError: outer[a inner[c]]", "NotFound: outer[inner[not found: b]]", "Exception: outer[d]"}
	if !slices.Equal(got, want) {
		t.Errorf("clauses caught %q, want %q", got, want)
	}
	if rest != nil {
		t.Errorf("left over: %v, want nothing", rest)
	}
}

func TestExceptionGroupIsAs(t *testing.T) {
	errA := errors.New("a")
	errB := &notFound{"b"}
	eg := asyncio.NewExceptionGroup("outer", errA, fmt.Errorf("wrapped: %w", asyncio.NewExceptionGroup("inner", errB)))
	if !errors.Is(eg, errA) {
		t.Errorf("errors.Is(group, member) = false")
	}
	var nf *notFound
	if !errors.As(eg, &nf) || nf != errB {
		t.Errorf("errors.As(group, *notFound) = %v, want the nested member", nf)
	}
	if errors.Is(eg, errors.ErrUnsupported) {
		t.Errorf("errors.Is(group, non-member) = true")
	}
	var inner *asyncio.ExceptionGroup
	if !errors.As(eg, &inner) || inner != eg {
		t.Errorf("errors.As(group, *ExceptionGroup) = %v, want the group itself", inner)
	}
	if got := eg.Unwrap(); len(got) != 2 || got[0] != errA {
		t.Errorf("Unwrap() = %v, want the members", got)
	}
}

func TestExceptionGroupError(t *testing.T) {
	tests := []struct {
		eg   *asyncio.ExceptionGroup
		want string
	}{
		{asyncio.NewExceptionGroup("msg", errors.New("x")), "msg (1 sub-exception)\n  [1] x"},
		{
			asyncio.NewExceptionGroup("msg", errors.New("x"), errors.New("y")),
			"msg (2 sub-exceptions)\n  [1] x\n  [2] y",
		},
		{
			asyncio.NewExceptionGroup("outer", asyncio.NewExceptionGroup("inner", errors.New("x")), errors.New("y")),
			"outer (2 sub-exceptions)\n  [1] inner (1 sub-exception)\n        [1] x\n  [2] y",
		},
	}
	for _, tt := range tests {
		if got := tt.eg.Error(); got != tt.want {
			t.Errorf("Error() =\n%s\nwant\n%s", got, tt.want)
		}
	}
}

func TestExceptionGroupFromTaskGroup(t *testing.T) {
	// The lesson's except* RuntimeError around the busted task group,
	// with a non-matching failure left over.
	type runtimeError struct{ error }
	busted := func(err error) *asyncio.Coro[struct{}] {
		return asyncio.Async(func(a *asyncio.A) (struct{}, error) { return struct{}{}, err })
	}
	err := vrun0(func(a *asyncio.A) error {
		return asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			asyncio.CreateTask(tg, busted(runtimeError{errors.New("First error")}))
			asyncio.CreateTask(tg, busted(errors.New("other")))
			asyncio.CreateTask(tg, busted(runtimeError{errors.New("Second error")}))
			return nil
		})
	})
	var eg *asyncio.ExceptionGroup
	if !errors.As(err, &eg) {
		t.Fatalf("WithTaskGroup = %v, want an *ExceptionGroup", err)
	}
	runtime, rest := eg.Split(func(err error) bool { var re runtimeError; return errors.As(err, &re) })
	if got, want := describe(groupOrNil(runtime)), "unhandled errors in a TaskGroup[First error Second error]"; got != want {
		t.Errorf("except* runtimeError caught %s, want %s", got, want)
	}
	if got, want := describe(groupOrNil(rest)), "unhandled errors in a TaskGroup[other]"; got != want {
		t.Errorf("rest = %s, want %s", got, want)
	}
}
