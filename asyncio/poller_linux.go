//go:build linux

package asyncio

import (
	"encoding/binary"
	"errors"
	"os"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"
)

// A poller is the loop's own epoll instance: it watches the sockets whose
// I/O the loop does itself (see polled.go), and an eventfd that
// CallSoonThreadsafe writes to wake a loop asleep in epoll_wait. It is the
// selector of Python's loop, and the loop's goroutine alone uses it, except
// signal.
//
// Sockets are registered edge-triggered: an event says that something came
// since the last one, and the loop reads until it has seen the socket's
// buffer empty (see transport.pollRead).
type poller struct {
	epfd, evfd int
	// file is epfd as an os.File, which Go's netpoller watches, made the
	// first time the loop sleeps under GOMAXPROCS=1: a loop asleep in a
	// blocking epoll_wait holds its P, and with only one no other
	// goroutine (a ToThread call, a sender of CallSoonThreadsafe, a peer
	// in the same process) runs until sysmon takes it back, hundreds of
	// microseconds later. With file, the loop sleeps parked in Go's
	// scheduler instead (rc.Read). It is not made otherwise: Go's
	// netpoller would then be woken by every event of the loop's sockets.
	file *os.File
	rc   syscall.RawConn
	// sleeping is set while the loop is, or is about to be, asleep in the
	// poller: a sender that finds it set writes to the eventfd.
	sleeping atomic.Bool
	watched  map[int32]pollable
	events   []syscall.EpollEvent

	// The spacing of the polls a busy loop makes between batches (see
	// ran): since the last poll, ranCount callbacks have run; the next is due
	// after every, which doubles, up to maxPollSpacing, while polls find
	// nothing, and is back to one once one finds something.
	ranCount, every int
}

// maxPollSpacing is the most callbacks a busy loop runs between two polls
// of its sockets: a task step with an idle socket open then costs no
// epoll_wait of its own, and a socket's event waits at most that many
// callbacks.
const maxPollSpacing = 256

// epollET is EPOLLET, which package syscall spells as a negative int on
// some platforms.
const epollET = 1 << 31

func newPoller() (*poller, error) {
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	evfd, _, errno := syscall.RawSyscall(syscall.SYS_EVENTFD2, 0, syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if errno != 0 {
		syscall.Close(epfd)
		return nil, errno
	}
	if err := syscall.SetNonblock(epfd, true); err != nil {
		syscall.Close(int(evfd))
		syscall.Close(epfd)
		return nil, err
	}
	p := &poller{epfd: epfd, evfd: int(evfd), watched: map[int32]pollable{}, events: make([]syscall.EpollEvent, 128)}
	if err := syscall.EpollCtl(epfd, syscall.EPOLL_CTL_ADD, p.evfd, &syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(p.evfd)}); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

// add watches socket fd, on behalf of x: what comes in, room to write, and
// hang-ups.
func (p *poller) add(fd int, x pollable) error {
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLOUT | syscall.EPOLLRDHUP | epollET, Fd: int32(fd)}
	if err := syscall.EpollCtl(p.epfd, syscall.EPOLL_CTL_ADD, fd, &ev); err != nil {
		return err
	}
	p.watched[int32(fd)] = x
	return nil
}

// remove stops watching socket fd. It must be called before the socket is
// closed, while the descriptor is still its own.
func (p *poller) remove(fd int) {
	_ = syscall.EpollCtl(p.epfd, syscall.EPOLL_CTL_DEL, fd, nil)
	delete(p.watched, int32(fd))
}

// active reports whether the poller watches any socket: only then does
// the loop wait in epoll_wait.
func (p *poller) active() bool { return len(p.watched) > 0 }

// ran counts n callbacks run by a busy loop, and reports whether a poll is
// due: the loop then polls before its next batch.
func (p *poller) ran(n int) bool {
	p.ranCount += n
	return p.due()
}

// due reports whether the loop should poll before its next batch.
func (p *poller) due() bool { return p.ranCount >= p.every }

// wait waits in epoll_wait for at most d (d < 0: as long as it takes; 0:
// not at all), hands every event to its socket, and reports whether
// anything came: an event, or a wake-up from signal. pending reports
// whether a call already waits in the loop's inbox, checked once sleeping
// is set, so that a sender either sees it set or its call is seen.
func (p *poller) wait(d time.Duration, pending func() bool) bool {
	if d == 0 {
		n := p.epollWait()
		p.dispatch(p.events[:n])
		p.ranCount = 0
		if n > 0 {
			p.every = 1
		} else {
			p.every = min(max(2*p.every, 1), maxPollSpacing)
		}
		return n > 0
	}
	p.sleeping.Store(true)
	if pending() {
		p.sleeping.Store(false)
		return true
	}
	p.ranCount, p.every = 0, 1
	if p.file == nil && runtime.GOMAXPROCS(0) == 1 {
		p.file = os.NewFile(uintptr(p.epfd), "epoll")
		if rc, err := p.file.SyscallConn(); err == nil {
			p.rc = rc
		}
	}
	if p.rc == nil {
		return p.block(d)
	}
	// Parked in Go's scheduler until the epoll instance has something, or
	// the deadline passes: never early, as Go's deadlines are not.
	if d > 0 {
		_ = p.file.SetReadDeadline(time.Now().Add(d))
	} else {
		_ = p.file.SetReadDeadline(time.Time{})
	}
	n := 0
	err := p.rc.Read(func(uintptr) bool {
		n = p.epollWait()
		return n > 0
	})
	p.sleeping.Store(false)
	if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
		panic("asyncio: waiting for the poller: " + err.Error())
	}
	p.dispatch(p.events[:n])
	return n > 0
}

// block waits in a blocking epoll_wait, for at most d (d < 0: as long as
// it takes).
func (p *poller) block(d time.Duration) bool {
	var end time.Time
	if d > 0 {
		end = time.Now().Add(d)
	}
	for {
		ms := -1
		if d >= 0 {
			// Rounded up, so that a timer is never early (as asyncio's
			// selector timeout).
			ms = int((d + time.Millisecond - 1) / time.Millisecond)
		}
		n, err := syscall.EpollWait(p.epfd, p.events, ms)
		if err == syscall.EINTR {
			if d > 0 {
				if d = time.Until(end); d <= 0 {
					p.sleeping.Store(false)
					return false
				}
			}
			continue
		} else if err != nil {
			panic("asyncio: epoll_wait: " + err.Error())
		}
		p.sleeping.Store(false)
		p.dispatch(p.events[:n])
		return n > 0
	}
}

// epollWait takes the events ready now, without waiting.
func (p *poller) epollWait() int {
	for {
		n, err := syscall.EpollWait(p.epfd, p.events, 0)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			panic("asyncio: epoll_wait: " + err.Error())
		}
		return n
	}
}

func (p *poller) dispatch(events []syscall.EpollEvent) {
	for _, ev := range events {
		if int(ev.Fd) == p.evfd {
			var b [8]byte
			_, _ = syscall.Read(p.evfd, b[:])
			continue
		}
		if x := p.watched[ev.Fd]; x != nil {
			const hup = syscall.EPOLLRDHUP | syscall.EPOLLHUP | syscall.EPOLLERR
			x.pollReady(ev.Events&(syscall.EPOLLIN|hup) != 0, ev.Events&(syscall.EPOLLOUT|syscall.EPOLLHUP|syscall.EPOLLERR) != 0, ev.Events&hup != 0)
		}
	}
}

// signal wakes the loop from its epoll_wait; the caller has just cleared
// sleeping.
func (p *poller) signal() {
	var b [8]byte
	binary.NativeEndian.PutUint64(b[:], 1)
	for {
		if _, err := syscall.Write(p.evfd, b[:]); err != syscall.EINTR {
			return
		}
	}
}

func (p *poller) close() {
	syscall.Close(p.evfd)
	if p.file != nil {
		p.file.Close()
	} else {
		syscall.Close(p.epfd)
	}
}

// The system calls of a loopSocket.
var (
	sockRead  = syscall.Read
	sockWrite = syscall.Write
	sockClose = syscall.Close
)

func sockShutdownWrite(fd int) error { return syscall.Shutdown(fd, syscall.SHUT_WR) }

// dupSocket duplicates a socket's descriptor, close-on-exec.
func dupSocket(fd uintptr) (int, error) {
	nfd, _, errno := syscall.Syscall(syscall.SYS_FCNTL, fd, syscall.F_DUPFD_CLOEXEC, 0)
	if errno != 0 {
		return -1, errno
	}
	return int(nfd), nil
}
