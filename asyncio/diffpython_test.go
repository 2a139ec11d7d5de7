package asyncio_test

import (
	"fmt"
	"strings"

	"github.com/yieldfrom/asyncgo/gen/pydiff"
)

// diffPrelude is the Python every program of the differential test runs
// after: an event loop on a virtual clock, the program's state and
// run_program (see gen/pydiff).
//
// VirtualLoop is asyncio's own loop whose selector, instead of blocking
// for the time to the next timer, moves the clock forward by that much
// (and raises Deadlock when there is no timer to wait for), so that the
// order of events is exact, as under WithVirtualTime. Timers due at the
// same instant fire in the order they were scheduled: CPython's heap of
// timers leaves that order to the heap's accidents, which a program cannot
// rely on, and Go's loop fires them in order.
//
// TaskGroup cancels its tasks in the order they were created (CPython
// iterates over a set), and run_program ends the run as asyncio.run does,
// cancelling the tasks left in the order they were created (asyncio.run
// takes them from a set), then prints main's outcome.
const diffPrelude = `import asyncio, heapq, itertools


class Deadlock(Exception):
    pass


class E(Exception):
    pass


class _Timer(asyncio.TimerHandle):
    __slots__ = ("_seq",)

    def __lt__(self, other):
        return (self._when, self._seq) < (other._when, other._seq)


class _Selector:
    def __init__(self, loop):
        self.loop = loop

    def select(self, timeout):
        if timeout is None:
            raise Deadlock()
        self.loop._now += timeout
        return []

    def close(self):
        pass


class VirtualLoop(asyncio.BaseEventLoop):
    def __init__(self):
        super().__init__()
        self._now = 0.0
        self._selector = _Selector(self)
        self._seq = itertools.count()
        self.created = []

    def time(self):
        return self._now

    def _process_events(self, event_list):
        pass

    def _write_to_self(self):
        pass

    def call_at(self, when, callback, *args, context=None):
        timer = _Timer(when, callback, args, self, context)
        timer._seq = next(self._seq)
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer

    def create_task(self, coro, **kwargs):
        task = super().create_task(coro, **kwargs)
        self.created.append(task)
        return task


class _Ordered(dict):
    def add(self, x):
        self[x] = None

    def discard(self, x):
        self.pop(x, None)


class TaskGroup(asyncio.TaskGroup):
    def __init__(self):
        super().__init__()
        self._tasks = _Ordered()


async def wait_for(aw, d):
    # Python 3.12's wait_for for d > 0: the awaitable runs inline, in a
    # timeout (3.11's wraps it in a task of its own).
    async with asyncio.timeout(d):
        return await aw


def desc(x, show=True):
    if isinstance(x, BaseExceptionGroup):
        return "group[" + ", ".join(desc(e) for e in x.exceptions) + "]"
    if isinstance(x, TimeoutError):
        return "timeout"
    if isinstance(x, asyncio.CancelledError):
        if show and x.args and x.args[0]:
            return "cancelled(%s)" % x.args[0]
        return "cancelled"
    if isinstance(x, E):
        return "E(%s)" % x.args[0]
    if isinstance(x, BaseException):
        return "other %s: %s" % (type(x).__name__, x)
    if isinstance(x, list):
        # A task's cancellation reaches gather without its message.
        return "[" + ", ".join(desc(e, False) for e in x) + "]"
    if isinstance(x, bool):
        return "true" if x else "false"
    return str(x)


class State:
    def __init__(self, queue):
        self.T = {}
        self.Q = asyncio.Queue(queue)
        self.L = asyncio.Lock()
        self.SEM = asyncio.Semaphore(2)
        self.EV = asyncio.Event()
        self.out = None
        self.stopped = False
        self.main_done = False

    def say(self, who, what):
        if not self.stopped:
            self.out("%d %s %s" % (asyncio.get_running_loop().time(), who, what))

    def spawning(self, who):
        # Go's Run lets tasks created after main ended run to their end;
        # asyncio.run leaves them pending. The trace stops there.
        if self.main_done and not self.stopped:
            self.say(who, "spawn after main: trace ends")
            self.stopped = True

    def spawn(self, who, slot, coro):
        self.spawning(who)
        self.T[slot] = asyncio.get_running_loop().create_task(coro)
        self.say(who, "spawn %d" % slot)

    def tgspawn(self, who, tg, slot, coro):
        self.T[slot] = tg.create_task(coro)
        self.say(who, "spawn %d" % slot)

    def gather(self, who, coros, return_exceptions):
        self.spawning(who)
        return asyncio.gather(*coros, return_exceptions=return_exceptions)

    def cancel(self, who, slot, msg):
        t = self.T.get(slot)
        if t is None:
            self.say(who, "cancel %d: none" % slot)
        else:
            self.say(who, "cancel %d -> %s" % (slot, desc(t.cancel(msg))))


def run_program(ns, out):
    S = ns["S"]
    S.out = out
    loop = VirtualLoop()

    async def main():
        try:
            return await ns["f0"]()
        finally:
            S.main_done = True

    try:
        task = loop.create_task(main())
        try:
            loop.run_until_complete(task)
        except Deadlock:
            raise
        except BaseException:
            pass
        if task.cancelled():
            result = "cancelled"
        elif task.exception() is not None:
            result = desc(task.exception())
        else:
            result = desc(task.result())
        pending = [t for t in loop.created if not t.done()]
        for t in pending:
            t.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        if not S.stopped:
            out("end main -> " + result)
    except Deadlock:
        if not S.stopped:
            out("deadlock")
    finally:
        S.stopped = True
        loop.close()
`

// python renders p as Python source (to run after diffPrelude).
func (p diffProgram) python() string {
	var b strings.Builder
	fmt.Fprintf(&b, "S = State(%d)\n", p.QueueSize)
	for i, body := range p.Funcs {
		fmt.Fprintf(&b, "\n\nasync def f%d():\n", i)
		pyBlock(&b, i, body, 1)
		fmt.Fprintf(&b, "    return %d\n", i)
	}
	return b.String()
}

func pyBlock(b *strings.Builder, i int, body []diffStmt, depth int) {
	pydiff.Block(b, body, depth, func(s diffStmt, depth int) { pyStmt(b, i, s, depth) })
}

func pyStmt(b *strings.Builder, i int, s diffStmt, depth int) {
	in := strings.Repeat("    ", depth)
	who := fmt.Sprintf("%q", fmt.Sprintf("f%d", i))
	line := func(format string, args ...any) {
		b.WriteString(in + fmt.Sprintf(format, args...) + "\n")
	}
	say := func(what string) { line("S.say(%s, %s)", who, what) }
	switch s.Op {
	case "print":
		say(fmt.Sprintf(`"p%d"`, s.N))
	case "sleep":
		line("await asyncio.sleep(%d)", s.N)
	case "spawn":
		line("S.spawn(%s, %d, f%d())", who, s.Slot, s.N)
	case "tgspawn":
		line("S.tgspawn(%s, tg, %d, f%d())", who, s.Slot, s.N)
	case "await":
		line("if S.T.get(%d) is None:", s.Slot)
		line(`    S.say(%s, "await %d: none")`, who, s.Slot)
		line("else:")
		line(`    S.say(%s, "await %d -> " + desc(await S.T[%d]))`, who, s.Slot, s.Slot)
	case "cancel":
		msg := "None"
		if s.Msg != "" {
			msg = fmt.Sprintf("%q", s.Msg)
		}
		line("S.cancel(%s, %d, %s)", who, s.Slot, msg)
	case "call":
		say(fmt.Sprintf(`"call f%d -> " + desc(await f%d())`, s.N, s.N))
	case "gather":
		var cs []string
		for _, f := range s.Fns {
			cs = append(cs, fmt.Sprintf("f%d()", f))
		}
		say(fmt.Sprintf(`"gather -> " + desc(await S.gather(%s, [%s], %s))`, who, strings.Join(cs, ", "), pyBool(s.Flag)))
	case "waitfor":
		say(fmt.Sprintf(`"wait_for f%d -> " + desc(await wait_for(f%d(), %d))`, s.N, s.N, s.D))
	case "timeout":
		line("async with asyncio.timeout(%d):", s.D)
		pyBlock(b, i, s.Body, depth+1)
		say(`"timeout ok"`)
	case "group":
		line("try:")
		line("    async with TaskGroup() as tg:")
		pyBlock(b, i, s.Body, depth+2)
		line(`    S.say(%s, "group ok")`, who)
		line("except Exception as e:")
		line(`    S.say(%s, "group -> " + desc(e))`, who)
	case "put", "get", "wait":
		line("try:")
		switch s.Op {
		case "put":
			line("    await wait_for(S.Q.put(%d), %d)", s.N, s.D)
			line(`    S.say(%s, "put %d")`, who, s.N)
		case "get":
			line(`    S.say(%s, "get -> " + desc(await wait_for(S.Q.get(), %d)))`, who, s.D)
		default:
			line("    await wait_for(S.EV.wait(), %d)", s.D)
			line(`    S.say(%s, "event")`, who)
		}
		line("except TimeoutError:")
		line(`    S.say(%s, "%s timed out")`, who, s.Op)
	case "lock":
		line("async with S.L:")
		line(`    S.say(%s, "locked")`, who)
		pyBlock(b, i, s.Body, depth+1)
	case "sem":
		line("async with S.SEM:")
		line(`    S.say(%s, "acquired")`, who)
		pyBlock(b, i, s.Body, depth+1)
	case "set":
		line("S.EV.set()")
		say(`"set"`)
	case "clear":
		line("S.EV.clear()")
		say(`"clear"`)
	case "except":
		line("try:")
		pyBlock(b, i, s.Body, depth+1)
		line("except Exception as e:")
		line(`    S.say(%s, "caught " + desc(e))`, who)
		pyBlock(b, i, s.Else, depth+1)
	case "cancelled":
		line("try:")
		pyBlock(b, i, s.Body, depth+1)
		line("except asyncio.CancelledError as e:")
		line(`    S.say(%s, "caught " + desc(e, %s))`, who, pyBool(s.Show))
		pyBlock(b, i, s.Else, depth+1)
		if s.Flag {
			line("    return %d", s.N)
		} else {
			line("    raise")
		}
	case "finally":
		line("try:")
		pyBlock(b, i, s.Body, depth+1)
		line("finally:")
		line(`    S.say(%s, "finally")`, who)
		pyBlock(b, i, s.Else, depth+1)
	case "raise":
		line(`raise E("p%d")`, s.N)
	case "return":
		line("return %d", s.N)
	default:
		panic("pyStmt: unknown op " + s.Op)
	}
}

func pyBool(v bool) string {
	if v {
		return "True"
	}
	return "False"
}
