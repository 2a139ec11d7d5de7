package asyncio

import (
	"fmt"
	"strings"
)

// An ExceptionGroup is several errors reported as one, as a TaskGroup
// reports the failures of its tasks: Python's ExceptionGroup. errors.Is and
// errors.As look into every member (through Unwrap), and Split divides the
// group by kind as Python's except* does.
type ExceptionGroup struct {
	// Message says where the errors came from.
	Message string
	// Exceptions are the member errors, in the order they happened; members
	// may themselves be groups.
	Exceptions []error
}

// NewExceptionGroup returns a group of errs with message msg.
func NewExceptionGroup(msg string, errs ...error) *ExceptionGroup {
	return &ExceptionGroup{Message: msg, Exceptions: errs}
}

// Error returns the message and the number of members, then each member.
func (g *ExceptionGroup) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%d sub-exception", g.Message, len(g.Exceptions))
	if len(g.Exceptions) != 1 {
		b.WriteString("s")
	}
	b.WriteString(")")
	for i, err := range g.Exceptions {
		fmt.Fprintf(&b, "\n  [%d] %s", i+1, strings.ReplaceAll(err.Error(), "\n", "\n      "))
	}
	return b.String()
}

// Unwrap returns the members, for errors.Is and errors.As.
func (g *ExceptionGroup) Unwrap() []error { return g.Exceptions }

// Split divides the group into the errors for which match reports true and
// the rest, keeping the nesting of subgroups, as Python's
// ExceptionGroup.split and except* do. Either result is nil when it would
// be empty.
//
// match is called with the members that are not groups, never with a group:
// an errors.Is or errors.As test, which would see through a group to every
// member, selects exactly the members that match, as except* selects by
// class.
//
//	except* RuntimeError as eg:      runtime, rest := eg.Split(isRuntime)
func (g *ExceptionGroup) Split(match func(error) bool) (matched, rest *ExceptionGroup) {
	var in, out []error
	for _, err := range g.Exceptions {
		if sub, ok := err.(*ExceptionGroup); ok {
			m, r := sub.Split(match)
			if m != nil {
				in = append(in, m)
			}
			if r != nil {
				out = append(out, r)
			}
			continue
		}
		if match(err) {
			in = append(in, err)
		} else {
			out = append(out, err)
		}
	}
	if len(in) > 0 {
		matched = &ExceptionGroup{Message: g.Message, Exceptions: in}
	}
	if len(out) > 0 {
		rest = &ExceptionGroup{Message: g.Message, Exceptions: out}
	}
	return matched, rest
}

// Subgroup returns the part of the group that match selects, or nil: the
// first result of Split.
func (g *ExceptionGroup) Subgroup(match func(error) bool) *ExceptionGroup {
	m, _ := g.Split(match)
	return m
}
