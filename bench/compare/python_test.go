package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParsePython(t *testing.T) {
	tests := []struct {
		name    string
		out     string
		want    []Result
		wantErr string // a substring of the error, "" for none
	}{
		{
			name: "time and memory",
			out: `{"name": "Sleep0/tasks=1", "ns_per_op": 2390.5, "ops": 4847}
{"name": "IdleTaskMemory", "bytes_per_task": 787.9, "rss_bytes_per_task": 880.1, "tasks": 100000, "method": "tracemalloc"}
{"name": "ConnMemory", "bytes_per_conn": 4957.0, "conns": 9950, "method": "tracemalloc"}
`,
			want: []Result{
				{"Sleep0/tasks=1", map[string]float64{"ns/op": 2390.5}},
				{"IdleTaskMemory", map[string]float64{"B/task": 787.9, "RSS-B/task": 880.1}},
				{"ConnMemory", map[string]float64{"B/conn": 4957.0}},
			},
		},
		{
			name: "a figure the platform could not measure is null",
			out:  `{"name": "IdleTaskMemory", "bytes_per_task": 787.9, "rss_bytes_per_task": null}` + "\n",
			want: []Result{{"IdleTaskMemory", map[string]float64{"B/task": 787.9}}},
		},
		{
			name: "other lines are skipped",
			out:  "warming up\n\n  {\"name\": \"GenSend\", \"ns_per_op\": 40}\nDone.\n",
			want: []Result{{"GenSend", map[string]float64{"ns/op": 40}}},
		},
		{
			name:    "a broken line is an error, after the good ones",
			out:     "{\"name\": \"GenSend\", \"ns_per_op\": 40}\n{\"name\": \n{\"name\": \"PlainCall\", \"ns_per_op\": 30}\n",
			want:    []Result{{"GenSend", map[string]float64{"ns/op": 40}}, {"PlainCall", map[string]float64{"ns/op": 30}}},
			wantErr: "bad result line",
		},
		{
			name:    "no name",
			out:     `{"ns_per_op": 40}` + "\n",
			wantErr: "has no name",
		},
		{
			name:    "no figure",
			out:     `{"name": "GenSend", "ops": 40}` + "\n",
			wantErr: "has no figure",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parsePython(strings.NewReader(tt.out))
			if tt.wantErr == "" && err != nil {
				t.Errorf("parsePython() error = %v, want nil", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("parsePython() error = %v, want one containing %q", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parsePython() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPythonPrograms(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"loop.py", "_harness.py", "gen.py", "README.md", "coro.py"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	got, err := pythonPrograms(dir)
	if err != nil {
		t.Fatalf("pythonPrograms() error = %v", err)
	}
	want := []string{filepath.Join(dir, "coro.py"), filepath.Join(dir, "gen.py"), filepath.Join(dir, "loop.py")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pythonPrograms() mismatch (-want +got):\n%s", diff)
	}
}

// TestPythonProgramsOfThisModule checks that the programs compare runs are
// the ones bench/python holds.
func TestPythonProgramsOfThisModule(t *testing.T) {
	got, err := pythonPrograms(filepath.Join("..", "python"))
	if err != nil {
		t.Fatalf("pythonPrograms() error = %v", err)
	}
	for i, p := range got {
		got[i] = filepath.Base(p)
	}
	if diff := cmp.Diff([]string{"connmem.py", "coro.py", "datagram.py", "echo.py", "gen.py", "loop.py", "proc.py"}, got); diff != "" {
		t.Errorf("pythonPrograms(bench/python) mismatch (-want +got):\n%s", diff)
	}
}
