package leaktest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
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

goroutine 23 [runnable]:
sync.(*Mutex).Lock(...)
	/usr/local/go/src/sync/mutex.go:46
example.com/pool.(*Pool).age(0x1f83e2784000)
	/tmp/pool.go:91 +0x27
runtime.runCleanups()
	/usr/local/go/src/runtime/mcleanup.go:745 +0xd9

goroutine 4 [finalizer wait]:
example.com/res.(*File).finalize(0x1f83e2790000)
	/tmp/res.go:12 +0x1a
runtime.runFinalizers()
	/usr/local/go/src/runtime/mfinal.go:255 +0x1f3

goroutine 8 [coroutine]:
iter.Pull[...].func1()
	/usr/local/go/src/iter/iter.go:300 +0x1a
created by iter.Pull[...] in goroutine 1
	/usr/local/go/src/iter/iter.go:280 +0x25
`
	got := parse([]byte(report))
	want := []string{
		"goroutine 1 [running]:\nmain.main()\n\t/tmp/main.go:10 +0x1d",
		"goroutine 8 [coroutine]:\niter.Pull[...].func1()\n\t/usr/local/go/src/iter/iter.go:300 +0x1a\n" +
			"created by iter.Pull[...] in goroutine 1\n\t/usr/local/go/src/iter/iter.go:280 +0x25",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parse(report of 5 goroutines: os/signal's, one running a cleanup, one running a finalizer and two of the program's) mismatch (-want +got):\n%s", diff)
	}
}
