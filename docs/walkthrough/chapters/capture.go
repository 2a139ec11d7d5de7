package chapters

import (
	"errors"
	"os"
)

// Capture calls fn with os.Stdout redirected to a temporary file and returns
// what fn printed, with the error fn returned. It lets the tests and the
// Markdown generator run examples that print with fmt.Println, as the
// lessons' print does, without changing how the examples are written.
//
// os.Stdout is restored when fn returns or panics. Capture must not be
// called concurrently with itself or with anything else that prints to
// os.Stdout.
func Capture(fn func() error) (out string, err error) {
	f, err := os.CreateTemp("", "walkthrough-*.txt")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	defer f.Close()

	stdout := os.Stdout
	os.Stdout = f
	func() {
		// Restoring os.Stdout in a deferred call keeps a panicking example
		// from leaving the test binary printing into a deleted file.
		defer func() { os.Stdout = stdout }()
		err = fn()
	}()

	b, rerr := os.ReadFile(f.Name())
	return string(b), errors.Join(err, rerr)
}

// Output runs the example and returns what it printed.
func (e *Example) Output(opts Options) (string, error) {
	return Capture(func() error { return e.Run(opts) })
}

// Output runs the chapter as [Chapter.Run] does and returns what it
// printed.
func (c *Chapter) Output(opts Options) (string, error) {
	return Capture(func() error { return c.Run(opts) })
}
