package chapters_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/yieldfrom/asyncgo/docs/walkthrough/chapters"
)

// pythonIslice is what the lesson's list(islice(fib(), 20)) prints in
// Python. Go prints a slice the same way without the commas.
const pythonIslice = "[1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181, 6765]"

// pythonStep is what the lesson's step-by-step loop prints in Python, one
// f"{i:8} {n:8}" row per value: the Go example must print it byte for byte.
const pythonStep = `       0        1
       1        1
       2        2
       3        3
       4        5
       5        8
       6       13
       7       21
       8       34
       9       55
      10       89
      11      144
      12      233
      13      377
      14      610
      15      987
      16     1597
      17     2584
      18     4181
      19     6765
`

// lessonFunAB is what lesson 004's fun_a and fun_b print when they run
// together, by gather or by a round-robin runner.
const lessonFunAB = `Running coroutine *a*.
Running coroutine *b*.
Back in *a*.
Back in *b*.
`

// lessonSlow is what lessons 000 and 001 print for slow(3), slow(1) and
// slow(2) run together, before the results.
const lessonSlow = `About to sleep for 3 seconds
About to sleep for 1 seconds
About to sleep for 2 seconds
Slept for 1 seconds
Slept for 2 seconds
Slept for 3 seconds
`

// lessonTasks is what lesson 003 prints for tasks A and B: "Output" in its
// second example.
const lessonTasks = `task A 3
task B 2
Everything, everywhere, all at once
task A 2
task B 1
task A 1
done!
done!
`

// lessonGatherCountdown is what lesson 003 prints for its gather example.
const lessonGatherCountdown = `task A 4
task B 3
task A 3
task B 2
task A 2
task B 1
task A 1
done!
done!
Everything, everywhere, all at once
`

// lessons holds what each example must print: the lessons' output where a
// lesson prints something, and otherwise what Python prints for the
// example's Python twin in docs/walkthrough/python, with Python's spelling
// of values (None, 10.0, exception reprs) replaced by Go's. Every example
// of every chapter must be listed here.
var lessons = map[string]string{
	"generators/pause": `caller: created it, state GEN_CREATED
pausing: started
caller: got 1 state GEN_SUSPENDED
caller: does some work
pausing: continues where it left off
caller: got 2
pausing: done
caller: it is finished, state GEN_CLOSED
`,
	"generators/islice": strings.ReplaceAll(pythonIslice, ",", "") + "\n",
	"generators/step":   pythonStep,
	"generators/pull": `caller: nothing ran yet
body: started
caller: got 1
body: continues where it left off
caller: got 2
body: done
caller: finished
`,

	"send-throw-close/send": `0 true
10 true
20 true
15 true
`,
	"send-throw-close/slot": `0 true
10 true
20 true
15 true
`,
	"send-throw-close/just-started": `Send panicked: gen.Send: can't send non-zero value to a just-started generator
0 true
`,
	"send-throw-close/throw-handled": `0
1
2
counter: reset
after the reset: 0
1
`,
	"send-throw-close/throw-unhandled": `0
Throw ended the generator with bad input
GEN_CLOSED
`,
	"send-throw-close/close": `printer: open
printer: got hello
printer: got world
printer: Yield reported generator exit
printer: deferred call
Close returned <nil>
GEN_CLOSED
`,
	"send-throw-close/ignored-close": `stubborn: ignoring generator exit
stubborn: deferred call
Close returned generator ignored close
GEN_CLOSED
`,

	"yield-from/delegate": `1
2
outer: YieldFrom returned "result of inner"
3
finished with "result of outer", error <nil>
`,
	"yield-from/send": `tally: first two add up to 3
tally: next three add up to 60
total 63
`,
	"yield-from/throw": `working
worker: deferred call
supervisor: worker ended with stop
supervisor carries on
`,
	"yield-from/close": `1
child: deferred call
parent: deferred call
Close returned <nil>
GEN_CLOSED
`,
	"yield-from/depth": `[1 1 2 3 5]
values passed from level to level: 50
[1 1 2 3 5]
`,
	"yield-from/inline": `sub's state: GEN_SUSPENDED
sub.Next panicked: gen.Send: generator already executing (it is being delegated to by YieldFrom)
`,

	"coroutines/by-hand": `state: GEN_CREATED
Running coroutine *a*.
Send returned <nil> true state: GEN_SUSPENDED
Back in *a*.
Send returned <nil> false state: GEN_CLOSED
result from *a* <nil>
`,
	"coroutines/round-robin": lessonFunAB + "[result from *a* result from *b*]\n",
	"coroutines/await": `Running coroutine *a*.
driver: the coroutine suspended; resuming it
Back in *a*.
Running coroutine *b*.
driver: the coroutine suspended; resuming it
Back in *b*.
result: result from *a*, result from *b*
`,
	"coroutines/await-twice": `Running coroutine *a*.
Back in *a*.
result from *a* <nil>
the second Await returned cannot reuse already awaited coroutine
`,
	"coroutines/gather": lessonFunAB + "[result from *a* result from *b*]\n",

	"event-loop/hello": "hello\nworld\n",
	"event-loop/mini-loop": `loop: at 0s, resuming main
hello
loop: main sleeps until 1s
loop: nothing is ready; the clock jumps to 1s
loop: at 1s, resuming main
world
loop: main returned
`,
	"event-loop/leftovers": `main: running as Task-1
forever: started as Task-2
main: returning, with forever still asleep
forever: Sleep returned canceled
asyncio: task Task-2 was still pending when main returned, awaiting <sleep>; it was cancelled
Run returned "main's result", <nil>
`,
	"event-loop/nested": `Run returned: asyncio: Run, RunWith and Runner.Close cannot be called from a running event loop
errors.Is(err, asyncio.ErrNestedRun): true
hello
world
`,

	"tasks/countdown": `simple count 4
simple count 3
simple count 2
simple count 1
done!
`,
	"tasks/tasks": lessonTasks,
	"tasks/timeline": `0s task A 3
0s task B 2
1s Everything, everywhere, all at once
1s task A 2
1s task B 1
2s task A 1
2s task B done!
3s task A done!
3s main: task A is done
3s main: task B is done
`,
	"tasks/no-await": `task A 3
task B 2
Everything, everywhere, all at once
task A 2
task B 1
asyncio: task Task-2 was still pending when main returned, awaiting <sleep>; it was cancelled
asyncio: task Task-3 was still pending when main returned, awaiting <sleep>; it was cancelled
task A cancelled: true
task B cancelled: true
`,

	"gather/slow": lessonSlow + "[3 1 2]\n",
	"gather/one-by-one": `About to sleep for 3 seconds
Slept for 3 seconds
About to sleep for 1 seconds
Slept for 1 seconds
About to sleep for 2 seconds
Slept for 2 seconds
[3 1 2] after 6s
`,
	"gather/together":  lessonSlow + "[3 1 2] after 3s\n",
	"gather/countdown": lessonGatherCountdown,
	"gather/mixed":     "ann [7 9]\n",

	"taskgroup/taskgroup": lessonSlow + "3 1 2\n",
	"taskgroup/errors":    "[First error Second error]\n",
	"taskgroup/cancel-siblings": `About to sleep for 3 seconds
unhandled errors in a TaskGroup (1 sub-exception)
  [1] boom
after 1s
slow(3) cancelled: true
`,
	"taskgroup/gather-error": `About to sleep for 3 seconds
Gather returned boom after 1s
Slept for 3 seconds
`,

	// Lesson 000's f(): do_a and do_b together, others only at the await.
	"why-async/order": `one: do_a
one: do_b
one: do_c
two: do_a
two: do_b
two: do_c
three: do_a
three: do_b
three: do_c
one: do_d
two: do_d
three: do_d
`,
	"why-async/no-locks": "count = 3000\n",
	"why-async/across-await": `alice sees 100
bob sees 100
alice leaves 70
bob leaves 50
balance = 50
`,
	"why-async/with-lock": `alice sees 100
alice leaves 70
bob sees 70
bob leaves 20
balance = 20
`,
	// The one-by-one and gathered runs of lesson 000's slow(), with what the
	// timeline recorded: 6 seconds, then 3.
	"why-async/sync-timeline": `About to sleep for 3 seconds
Slept for 3 seconds
About to sleep for 1 seconds
Slept for 1 seconds
About to sleep for 2 seconds
Slept for 2 seconds
[3 1 2] after 6s
Task-1 waits 0s-3s for <sleep>
Task-1 waits 3s-4s for <sleep>
Task-1 waits 4s-6s for <sleep>
`,
	"why-async/async-timeline": lessonSlow + `[3 1 2] after 3s
Task-1 waits 0s-3s for <gather pending>
Task-2 waits 0s-3s for <sleep>
Task-3 waits 0s-1s for <sleep>
Task-4 waits 0s-2s for <sleep>
`,

	"threads/pipe": `reader: waiting for a line, in a thread
writer: the loop is free while the reader blocks
reader: got: hello through the pipe
`,
	"threads/cancel": `main: cancelling the fetch
main: the fetch ended with canceled: no longer needed
after Run: the worker saw context canceled
`,
	"threads/cpu": "9592 primes below 100000\n",

	// A queue of two between a producer and a consumer that takes a
	// second a job: the producer is held back to the consumer's pace.
	"sync-and-queues/queue": `0s put job 1
0s put job 2
0s put job 3
1s job 1 done
1s put job 4
2s job 2 done
2s put job 5
3s job 3 done
4s job 4 done
5s job 5 done
5s all jobs done
5s consumer: cancelled while it waited for a job
`,
	"sync-and-queues/cache-race": `ann fetches a token
ben fetches a token
cat fetches a token
ann uses token from ann
ben uses token from ben
cat uses token from cat
`,
	"sync-and-queues/cache-lock": `ann fetches a token
ann uses token from ann
ben uses token from ann
cat uses token from ann
`,
	"sync-and-queues/fairness": `0s ann was cancelled, without the lock
0s ben has the lock
1s cat has the lock
`,
	"sync-and-queues/event": `0s ann is on the blocks
0s ben is on the blocks
0s cat is on the blocks
1s go!
1s ann runs
1s ben runs
1s cat runs
3s ann arrives
3s ben arrives
3s cat arrives
`,
	"sync-and-queues/semaphore": `0s download 1 starts
0s download 2 starts
1s download 1 done
1s download 2 done
1s download 3 starts
1s download 4 starts
2s download 3 done
2s download 4 done
2s download 5 starts
3s download 5 done
3s five downloads, at most 2 at once
`,
	// What the twin prints on Python 3.13, which added Queue.shutdown.
	"sync-and-queues/shutdown": `0s no more jobs
1s w1 did job 1
1s w2 did job 2
1s w2 goes home
2s w1 did job 3
2s w1 goes home
`,

	"async-generators/ticker": `0s: tick 0
1s: tick 1
2s: tick 2
ticker: cleaned up
3s: the loop is over
`,
	"async-generators/asend": "0s: 0\n1s: 10\n2s: 15\n",
	"async-generators/break": `tick 0
tick 1
main: out of the loop; the ticker waits at its yield
ticker: cleaned up
main: closed it
`,
	"async-generators/left-open": `tick 0
tick 1
main: returning, with the ticker still open
ticker: cleaned up
Run returned
`,
	"async-generators/aclosing": `tick 0
tick 1
ticker: cleaned up
main: Aclosing returned <nil>
`,

	"streams/echo": `ann: hello
ann: how are you?
ben: hi
cat: good morning
cat: nice day
cat: bye
the server served 3 connections and echoed 6 lines in 3s
`,
	// Lesson 003's "Waiting for a HTTP response", three times: one after
	// another, then at the same time.
	"streams/one-by-one": `GET /1 -> this is page /1
GET /2 -> this is page /2
GET /3 -> this is page /3
3 responses after 3s
`,
	"streams/gathered": `GET /1 -> this is page /1
GET /2 -> this is page /2
GET /3 -> this is page /3
3 responses after 1s
`,
	"streams/datagrams": `one -> ONE
two -> TWO
three -> THREE
`,
	"streams/loops": `2 loops served 10 clients on one port
`,
	"streams/unix": `echo: hello over a Unix socket
echo: bye
`,
	"streams/tls": `TLS version: 1.3
server certificate for: localhost
echo: hello over TLS
echo: bye
`,

	"when-things-go-wrong/cancel": `sleeper: starting a long sleep
main: cancelling the sleeper
sleeper: cancelled, with the message enough
sleeper: deferred call
main: the sleeper ended with canceled: enough
main: errors.Is(err, asyncio.ErrCanceled): true
main: t.Cancelled(): true
`,
	"when-things-go-wrong/timeout": `About to sleep for 5 seconds
Timeout returned asyncio: timeout
errors.Is(err, asyncio.ErrTimeout): true
errors.Is(err, asyncio.ErrCanceled): false
About to sleep for 1 seconds
Slept for 1 seconds
WaitFor returned 1 <nil>
About to sleep for 3 seconds
WaitFor returned 0 asyncio: timeout
`,
	"when-things-go-wrong/deadlock": `asyncio: deadlock: no task can run, no timer is pending and no outside work is in flight
Task-1 awaits <Task consumer pending>
    in deadlockMain
consumer awaits <Future pending>
    in consumer
`,
	"when-things-go-wrong/panic": `the task failed: panic: runtime error: integer divide by zero
the stack names average: true
main carries on
`,
	// Run cancels the heartbeat and reports it, or, under WithStrictLeaks,
	// returns the report as a *LeakError. Python's asyncio.run cancels it
	// silently.
	"when-things-go-wrong/leaks": `heartbeat: stopped
asyncio: task heartbeat was still pending when main returned, awaiting <sleep>; it was cancelled
Run returned <nil>
heartbeat: stopped
with WithStrictLeaks, Run returned a *LeakError:
    task heartbeat was still pending when main returned, awaiting <sleep>; it was cancelled
`,
	// Python warns "RuntimeWarning: coroutine 'download' was never awaited"
	// as the coroutine is destroyed; Go's debug mode reports it when the
	// loop closes.
	"when-things-go-wrong/never-awaited": `main: returning
asyncio: coroutine was never awaited; created at download, called from wrongNeverAwaited
`,
	// Python's debug mode logs "Executing <Task pending name='hog'
	// coro=<hog() running at ...> ...> took 0.051 seconds", and again for
	// the step that ends the task.
	"when-things-go-wrong/slow-step": `asyncio: slow step: hog held the loop for … (it stopped at hog)
asyncio: slow step: hog held the loop for … (it ended)
`,
	// What Python 3.14's python -m asyncio pstree shows; older Pythons
	// have no counterpart.
	"when-things-go-wrong/snapshot": `main [running] in wrongSnapshot
  crawler [waiting] awaiting <gather pending> in crawl
    Task-3 [ready]
    Task-4 [ready]
`,
	// Trio's wait_all_tasks_blocked; asyncio has no counterpart.
	"when-things-go-wrong/settle": `after Sleep(a, 0): []
after WaitAllTasksBlocked: [ONE TWO THREE] at 0s
`,
	// The orders that math/rand/v2's PCG gives these seeds; asyncio has
	// no seeded schedules.
	"when-things-go-wrong/schedules": `no seed: a b c
seed 1:  a b c
seed 2:  b c a
seed 3:  b c a
seed 4:  a b c
seed 5:  a b c
seed 2 again: b c a
`,
	"when-things-go-wrong/seeds": `no seed: "hello", <nil>
seed 1: "", unhandled errors in a TaskGroup (1 sub-exception)
  [1] no handler for echo
patientClient: "hello" under seeds 1 to 100
`,
	// Chapter 9's gathered run, and the trace events of the task that runs
	// slow(1).
	"when-things-go-wrong/trace": lessonSlow + `{"name":"thread_name","ph":"M","pid":1,"tid":3,"args":{"name":"Task-3"}},
{"name":"thread_sort_index","ph":"M","pid":1,"tid":3,"args":{"sort_index":3}},
{"name":"created","cat":"task","ph":"i","s":"t","pid":1,"tid":3,"ts":0},
{"name":"step","cat":"step","ph":"X","pid":1,"tid":3,"ts":0,"dur":0},
{"name":"sleep","cat":"wait","ph":"X","pid":1,"tid":3,"ts":0,"dur":1000000,"args":{"awaiting":"<sleep>"}},
{"name":"step","cat":"step","ph":"X","pid":1,"tid":3,"ts":1000000,"dur":0},
{"name":"ended","cat":"task","ph":"i","s":"t","pid":1,"tid":3,"ts":1000000},
`,

	"processes-and-signals/sigterm": `main: serving; waiting for SIGTERM
handler: working on hello
operator: kill -TERM
main: SIGTERM: no new connections; finishing the one in flight
handler: done
client: got HELLO
main: bye, after 1s
`,
	"processes-and-signals/runner": `first run returned; the ticker is pending
second run got tick 0, tick 1, tick 2 after 3s
the ticker is done
`,
	"subprocesses/several": `echo $((6 * 7)) -> returncode 0, output 42
printf '%s\n' pear apple fig | sort | head -n 1 -> returncode 0, output apple
echo almost; exit 3 -> returncode 3, output almost
`,
	"subprocesses/pipeline": `APPLE
FIG
PEAR
pumped 3 lines; printf exited with 0, sort with 0
`,

	// The porting guide's examples print what their Python twins, in
	// docs/walkthrough/python/porting, print.
	"porting/gather-future": `started, not done yet
callback: done
a b
CancelledError, though g.cancelled() is false
`,
	"porting/gather-kinds": `ann 7 9
0 1 2
completed: 1
completed: 2
completed: 3
`,
	"porting/awaitables": `q.get(): timed out
event.wait(): set
lock.acquire() in a task: locked
shield(task): timed out; saved
sleep(2): timed out
`,
	"porting/nothing": `hello, task
hello, gather 1
hello, gather 2
hello, group
`,
	"porting/timeouts": `timeout=0: 0 done, 1 pending
timeout=None: 1 done, 0 pending
wait_for(..., 0): timed out at once
wait_for(..., None): y
`,
	"porting/errors": "TimeoutError\nCancelledError\n",
	"porting/agen": `0 1 end
finished, not running
`,
	"porting/async-with": `A has a permit
B has a permit
A has the lock
B gives its permit back
C has a permit
A gives its permit back
C has the lock
C gives its permit back
`,
	"porting/except-star": `ValueError: bad value
KeyError: 1
`,
	"porting/queues": `fast got m0
fast got m1
fast got m2
evicting slow
slow leaves
fast got m3
fast got m4
fast leaves
`,
	"porting/background": `a ran
b ran
0 left
`,
	"porting/interrupt": `serving until Ctrl-C
cleaning up
interrupted
`,
	// Python has no signal.NotifyContext; the context says why it ended.
	"porting/interrupt-context": `serving until Ctrl-C
cleaning up
interrupted: interrupt signal received
`,
}

func TestLessons(t *testing.T) {
	for _, c := range chapters.All() {
		for _, e := range c.Examples {
			name := c.Name + "/" + e.Name
			t.Run(name, func(t *testing.T) {
				want, ok := lessons[name]
				if !ok {
					t.Fatalf("no expected output for %s: add the lesson's output to lessons", name)
				}
				got, err := e.Output(chapters.Options{})
				if err != nil {
					t.Fatalf("Output() error = %v", err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s printed something else than the lesson (-want +got):\n%s", name, diff)
				}
			})
		}
	}
}

// TestChapterOutput checks that a whole chapter prints its heading and each
// example's heading and output, in order, as the walkthrough shows it.
func TestChapterOutput(t *testing.T) {
	for _, c := range chapters.All() {
		t.Run(c.Name, func(t *testing.T) {
			want := c.Heading() + "\n"
			for _, e := range c.Examples {
				want += "\n" + e.Heading(c.Name) + "\n" + lessons[c.Name+"/"+e.Name]
			}
			got, err := c.Output(chapters.Options{})
			if err != nil {
				t.Fatalf("Output() error = %v", err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("chapter output differs (-want +got):\n%s", diff)
			}
		})
	}
}
