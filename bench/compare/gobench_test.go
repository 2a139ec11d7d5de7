package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseGoBench(t *testing.T) {
	tests := []struct {
		name  string
		procs int
		out   string
		want  []Result
	}{
		{
			name:  "plain, with the GOMAXPROCS suffix",
			procs: 2,
			out: `goos: linux
goarch: amd64
pkg: github.com/yieldfrom/asyncgo/bench
cpu: AMD EPYC
BenchmarkPullNext-2                            	13437746	        83.51 ns/op	       0 B/op	       0 allocs/op
BenchmarkSleep0/tasks=10000-2                  	  838707	      1216 ns/op	       0 B/op	       0 allocs/op
PASS
ok  	github.com/yieldfrom/asyncgo/bench	58.722s
`,
			want: []Result{
				{"PullNext", map[string]float64{"ns/op": 83.51, "B/op": 0, "allocs/op": 0}},
				{"Sleep0/tasks=10000", map[string]float64{"ns/op": 1216, "B/op": 0, "allocs/op": 0}},
			},
		},
		{
			name:  "custom metrics",
			procs: 2,
			out: `BenchmarkTimers-2                              	  350986	      4223 ns/op	      4223 ns/timer	     140 B/op	       1 allocs/op
BenchmarkIdleTaskMemory-2                      	       1	1455616189 ns/op	      2794 B/task	84315304 B/op	 1599824 allocs/op
`,
			want: []Result{
				{"Timers", map[string]float64{"ns/op": 4223, "ns/timer": 4223, "B/op": 140, "allocs/op": 1}},
				{"IdleTaskMemory", map[string]float64{"ns/op": 1455616189, "B/task": 2794, "B/op": 84315304, "allocs/op": 1599824}},
			},
		},
		{
			name:  "GOMAXPROCS 1: no suffix, and a name ending in digits is kept",
			procs: 1,
			out:   "BenchmarkYieldFrom/depth=1-2 \t 100 \t 200.6 ns/op\n",
			want:  []Result{{"YieldFrom/depth=1-2", map[string]float64{"ns/op": 200.6}}},
		},
		{
			name:  "only the GOMAXPROCS suffix is stripped",
			procs: 8,
			out:   "BenchmarkSleep0/tasks=1-2-8 \t 100 \t 1 ns/op\n",
			want:  []Result{{"Sleep0/tasks=1-2", map[string]float64{"ns/op": 1}}},
		},
		{
			name:  "a benchmark that logs splits its line",
			procs: 2,
			out: `BenchmarkGenSend-2   	
    gen_test.go:12: a log line
    gen_test.go:13: 42 more
11753224	       105.0 ns/op	       0 B/op	       0 allocs/op
BenchmarkGenClose-2 	1000000	      1681 ns/op
`,
			want: []Result{
				{"GenSend", map[string]float64{"ns/op": 105, "B/op": 0, "allocs/op": 0}},
				{"GenClose", map[string]float64{"ns/op": 1681}},
			},
		},
		{
			name:  "a failed benchmark has no figures",
			procs: 2,
			out: `--- FAIL: BenchmarkSpawn-2
    loop_test.go:48: asyncio.Run() = _, boom, want nil
BenchmarkChanPingPong-2 	2835637	       365.7 ns/op
FAIL
exit status 1
FAIL	github.com/yieldfrom/asyncgo/bench	3.1s
`,
			want: []Result{{"ChanPingPong", map[string]float64{"ns/op": 365.7}}},
		},
		{
			name:  "nothing",
			procs: 2,
			out:   "PASS\n",
			want:  nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseGoBench(strings.NewReader(tt.out), tt.procs)
			if err != nil {
				t.Fatalf("parseGoBench() error = %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseGoBench() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPrimaryUnit(t *testing.T) {
	tests := []struct {
		metrics map[string]float64
		want    string
	}{
		{map[string]float64{"ns/op": 1, "B/op": 0, "allocs/op": 0}, "ns/op"},
		{map[string]float64{"ns/op": 1, "B/task": 2794, "B/op": 0, "allocs/op": 0}, "B/task"},
		{map[string]float64{"ns/op": 1, "ns/timer": 1, "MB/s": 3}, "ns/timer"},
		{map[string]float64{"ns/op": 1, "z/op": 1, "a/op": 1}, "a/op"},
		{map[string]float64{"ns/op": 1, "B/task": 2, "heapB/task": 1, "stackB/task": 1}, "B/task"},
		{map[string]float64{"ns/op": 1, "allocsB/task": 2, "B/task": 1}, "B/task"},
		{map[string]float64{}, "ns/op"},
	}
	for _, tt := range tests {
		if got := primaryUnit(tt.metrics); got != tt.want {
			t.Errorf("primaryUnit(%v) = %q, want %q", tt.metrics, got, tt.want)
		}
	}
}
