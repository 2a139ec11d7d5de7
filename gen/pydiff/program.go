package pydiff

import (
	"encoding/json"
	"fmt"
	"strings"
)

// JSON returns p as JSON, the form a [Tester] passes programs in; it
// panics if p cannot be marshalled, which a tester's program type never
// should.
func JSON[P any](p P) string {
	b, err := json.Marshal(p)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// Parse returns the program of its JSON, which must be valid: it panics
// otherwise, as the programs come from [JSON].
func Parse[P any](program string) P {
	var p P
	if err := json.Unmarshal([]byte(program), &p); err != nil {
		panic(err)
	}
	return p
}

// Block writes the statements of body to b, each by stmt, indented depth
// levels, or pass when body is empty, as Python wants a block to hold a
// statement.
func Block[S any](b *strings.Builder, body []S, depth int, stmt func(s S, depth int)) {
	if len(body) == 0 {
		fmt.Fprintf(b, "%spass\n", strings.Repeat("    ", depth))
	}
	for _, s := range body {
		stmt(s, depth)
	}
}
