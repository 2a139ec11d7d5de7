package leaktest

import "testing"

func TestCount(t *testing.T) {
	const report = `goroutine 1 [running]:
main.main()
	/tmp/main.go:10 +0x1d

goroutine 7 [syscall]:
os/signal.signal_recv()
	/usr/local/go/src/runtime/sigqueue.go:152 +0x29
os/signal.loop()
	/usr/local/go/src/os/signal/signal_unix.go:23 +0x13
created by os/signal.Notify.func1.1 in goroutine 6
	/usr/local/go/src/os/signal/signal.go:151 +0x1f

goroutine 8 [coroutine]:
iter.Pull[...].func1()
	/usr/local/go/src/iter/iter.go:300 +0x1a
created by iter.Pull[...] in goroutine 1
	/usr/local/go/src/iter/iter.go:280 +0x25
`
	if got := count([]byte(report)); got != 2 {
		t.Errorf("count(report of 3 goroutines, one of them os/signal's) = %d, want 2", got)
	}
}
