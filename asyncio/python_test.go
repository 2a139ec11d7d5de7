package asyncio_test

import (
	"bufio"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The CPython peers of the datagram and interop tests.

// python3 returns the path of python3, or skips the test.
func python3(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not on the PATH: this test needs a CPython asyncio peer")
	}
	return p
}

// pythonPeer starts python3 with script, which must print one line once it
// serves (its port, say), and then run until its stdin closes or it is
// done; it returns that line, trimmed. When the test ends it closes the
// script's stdin and fails the test if the script fails; a script still
// running after 30 s is killed. It skips the test where python3 is absent.
func pythonPeer(t *testing.T, script string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	cmd := exec.CommandContext(ctx, python3(t), append([]string{"-c", script}, args...)...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		defer cancel()
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			t.Errorf("python3: %v\n%s", err, stderr.String())
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("python3 said nothing: %v\n%s", err, stderr.String())
	}
	return strings.TrimSpace(line)
}
