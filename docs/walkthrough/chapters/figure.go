package chapters

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// A Figure is a picture in docs/ drawn from a real run of a chapter's
// programs, such as the timelines of chapter 9. The Markdown links to it
// as an image; docs/internal/figures writes it (go generate ./docs/...)
// and its test fails when the file in docs/ is not what Render draws now.
type Figure struct {
	// Name is the file's name in docs/, such as "why-async-sync.svg".
	Name string
	// Render runs the programs and draws the picture. The same programs
	// must draw the same bytes every time: they run on the virtual clock.
	Render func() ([]byte, error)
}

var (
	figures     []Figure
	figureNames = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*\.svg$`)
)

// RegisterFigure adds a figure, from an init function. It panics if the
// name is not lower-case words joined by hyphens ending in .svg, or is
// taken.
func RegisterFigure(f Figure) {
	if !figureNames.MatchString(f.Name) || f.Render == nil {
		panic(fmt.Sprintf("chapters.RegisterFigure: figure %q needs a name like why-async-sync.svg and a Render function", f.Name))
	}
	for _, g := range figures {
		if g.Name == f.Name {
			panic(fmt.Sprintf("chapters.RegisterFigure: figure %q registered twice", f.Name))
		}
	}
	figures = append(figures, f)
	slices.SortFunc(figures, func(a, b Figure) int { return strings.Compare(a.Name, b.Name) })
}

// Figures returns the registered figures, by name.
func Figures() []Figure { return slices.Clone(figures) }
