package chapters

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
	"github.com/yieldfrom/asyncgo/asyncio/timeline"
	"github.com/yieldfrom/asyncgo/coro"
)

func init() {
	Register(Chapter{
		Number: 14,
		Name:   "when-things-go-wrong",
		Title:  "When things go wrong",
		Examples: []Example{
			{"cancel", "Cancelling a task", wrongCancel},
			{"timeout", "Timeout and WaitFor", wrongTimeout},
			{"deadlock", "A deadlock, reported instead of hanging", wrongDeadlock},
			{"panic", "A panic in a task", wrongPanic},
			{"leaks", "Tasks still running when main returns", wrongLeaks},
			{"never-awaited", "A coroutine never awaited", wrongNeverAwaited},
			{"slow-step", "A step that holds the loop", wrongSlowStep},
			{"snapshot", "A snapshot of the task tree", wrongSnapshot},
			{"settle", "Waiting until every other task is blocked", wrongSettle},
			{"schedules", "Seeded schedules", wrongSchedules},
			{"seeds", "Finding the seed of an order-dependent bug", wrongSeeds},
			{"trace", "A run recorded as a trace", wrongTrace},
		},
	})
}

// snippet: sleeper
func sleeper() *asyncio.Coro[struct{}] {
	return asyncio.AsyncErr(func(a *asyncio.A) error {
		defer fmt.Println("sleeper: deferred call")
		fmt.Println("sleeper: starting a long sleep")
		if err := asyncio.Sleep(a, time.Hour); err != nil {
			var cancelled *asyncio.CanceledError
			if errors.As(err, &cancelled) {
				fmt.Println("sleeper: cancelled, with the message", cancelled.Message)
			}
			return err // let it go on up
		}
		fmt.Println("sleeper: woke up")
		return nil
	})
}

// end snippet

func wrongCancel(opts Options) error {
	// snippet: cancel
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		t := asyncio.CreateTask(a, sleeper())
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		fmt.Println("main: cancelling the sleeper")
		t.Cancel("enough")
		_, err := asyncio.Await(a, t)
		fmt.Println("main: the sleeper ended with", err)
		fmt.Println("main: errors.Is(err, asyncio.ErrCanceled):", errors.Is(err, asyncio.ErrCanceled))
		fmt.Println("main: t.Cancelled():", t.Cancelled())
		return nil
	})
	// end snippet
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	return err
}

func wrongTimeout(opts Options) error {
	// snippet: timeout
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		err := asyncio.Timeout(a, 2*time.Second, func(*asyncio.TimeoutScope) error {
			_, err := asyncio.Await(a, slow(5))
			return err
		})
		fmt.Println("Timeout returned", err)
		fmt.Println("errors.Is(err, asyncio.ErrTimeout):", errors.Is(err, asyncio.ErrTimeout))
		fmt.Println("errors.Is(err, asyncio.ErrCanceled):", errors.Is(err, asyncio.ErrCanceled))

		v, err := asyncio.WaitFor(a, slow(1), 2*time.Second)
		fmt.Println("WaitFor returned", v, err)
		v, err = asyncio.WaitFor(a, slow(3), 2*time.Second)
		fmt.Println("WaitFor returned", v, err)
		return nil
	})
	// end snippet
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	return err
}

// snippet: deadlock-main
func consumer(reply *asyncio.Future[string]) *asyncio.Coro[string] {
	return asyncio.Async(func(a *asyncio.A) (string, error) {
		return asyncio.Await(a, reply) // nobody will ever set it
	})
}

func deadlockMain() *asyncio.Coro[string] {
	return asyncio.Async(func(a *asyncio.A) (string, error) {
		reply := asyncio.NewFuture[string](asyncio.GetRunningLoop(a))
		t := asyncio.CreateTask(a, consumer(reply))
		t.SetName("consumer")
		return asyncio.Await(a, t)
	})
}

// end snippet

func wrongDeadlock(opts Options) error {
	// snippet: deadlock
	_, err := asyncio.Run(context.Background(), deadlockMain(),
		append(loopOpts(opts), asyncio.WithStrictDeadlocks())...)
	var deadlock *asyncio.DeadlockError
	if !errors.As(err, &deadlock) {
		return err
	}
	headline, _, _ := strings.Cut(err.Error(), "\n")
	fmt.Println(headline)
	for _, t := range deadlock.Tasks {
		fmt.Println(t.Name, "awaits", t.Awaiting)
		for _, f := range t.AwaitChain {
			if name, ok := chapterFunc(f.Function); ok {
				fmt.Println("    in", name)
			}
		}
	}
	// end snippet
	return nil
}

// chapterFunc returns the name of the function of this package that fn, a
// function's full name from a stack frame, is or is a closure of:
// "consumer" for ".../chapters.consumer.func1". The deadlock example prints
// these names only, because the rest of a frame (the file's path, the line,
// the frames inside asyncio) differs from one checkout or edit to the next.
func chapterFunc(fn string) (string, bool) {
	fn, ok := strings.CutPrefix(path.Base(fn), "chapters.")
	if !ok {
		return "", false
	}
	// A closure is named after its function, and after the function that
	// function was inlined into, with a number: chapters.outer.inner.func1,
	// or chapters.outer.func1.inner.1.
	parts := strings.Split(fn, ".")
	for len(parts) > 1 && closureSuffix.MatchString(parts[len(parts)-1]) {
		parts = parts[:len(parts)-1]
	}
	return parts[len(parts)-1], true
}

var closureSuffix = regexp.MustCompile(`^(func)?[0-9]+$`)

// snippet: average

// average returns the mean of xs, rounded down. Given no numbers, it
// divides by zero, which panics.
func average(xs []int) int {
	sum := 0
	for _, x := range xs {
		sum += x
	}
	return sum / len(xs)
}

// end snippet

func wrongPanic(opts Options) error {
	// snippet: panic
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		t := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (int, error) {
			return average(nil), nil
		}))
		_, err := asyncio.Await(a, t)
		first, _, _ := strings.Cut(err.Error(), "\n")
		fmt.Println("the task failed:", first)
		var p *coro.PanicError
		if errors.As(err, &p) {
			fmt.Println("the stack names average:", bytes.Contains(p.Stack, []byte("chapters.average(")))
		}
		fmt.Println("main carries on")
		return nil
	})
	// end snippet
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	return err
}

// snippet: heartbeat

// heartbeat beats once a second until it is cancelled.
func heartbeat() *asyncio.Coro[struct{}] {
	return asyncio.AsyncErr(func(a *asyncio.A) error {
		defer fmt.Println("heartbeat: stopped")
		for {
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return err
			}
		}
	})
}

// heartbeatMain starts a heartbeat, works for three seconds and returns
// without stopping it: the bug.
func heartbeatMain() *asyncio.Coro[struct{}] {
	return asyncio.AsyncErr(func(a *asyncio.A) error {
		asyncio.CreateTask(a, heartbeat()).SetName("heartbeat")
		return asyncio.Sleep(a, 3*time.Second)
	})
}

// end snippet

func wrongLeaks(opts Options) error {
	// snippet: leaks
	_, err := asyncio.Run(context.Background(), heartbeatMain(), loopOpts(opts)...)
	fmt.Println("Run returned", err)

	_, err = asyncio.Run(context.Background(), heartbeatMain(), append(loopOpts(opts), asyncio.WithStrictLeaks())...)
	var leak *asyncio.LeakError
	if !errors.As(err, &leak) {
		return err
	}
	fmt.Println("with WithStrictLeaks, Run returned a *LeakError:")
	for _, r := range leak.Reports {
		fmt.Println("   ", r)
	}
	// end snippet
	return nil
}

// snippet: download

// download pretends to download the page at url: it takes a second.
func download(url string) *asyncio.Coro[string] {
	return asyncio.Async(func(a *asyncio.A) (string, error) {
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return "", err
		}
		return "the page at " + url, nil
	})
}

// end snippet

func wrongNeverAwaited(opts Options) error {
	// snippet: never-awaited
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		download("/news") // the bug: no Await
		fmt.Println("main: returning")
		return nil
	})
	var reports bytes.Buffer
	_, err := asyncio.Run(context.Background(), main,
		append(loopOpts(opts), asyncio.WithDebug(), asyncio.WithDiagnostics(&reports))...)
	printReports(&reports)
	// end snippet
	return err
}

// printReports prints the loop's reports, one a line, without what changes
// from one run or one checkout to the next: how long something took, and
// the files and lines of the frames they name, whose functions it names as
// chapterFunc does.
func printReports(r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := reportDuration.ReplaceAllString(sc.Text(), " for …")
		line = reportFrame.ReplaceAllStringFunc(line, func(frame string) string {
			fn := reportFrame.FindStringSubmatch(frame)[1]
			if name, ok := chapterFunc(fn); ok {
				return name
			}
			return path.Base(fn)
		})
		fmt.Println(line)
	}
}

var (
	// reportDuration matches a duration in a report: " for 52ms".
	reportDuration = regexp.MustCompile(` for [0-9.]+(ns|µs|ms|s)\b`)
	// reportFrame matches a frame in a report: a function's full name and,
	// in parentheses, its file and line.
	reportFrame = regexp.MustCompile(`(\S+) \(\S+\.go:\d+\)`)
)

// snippet: hog

// hog holds the loop for a tenth of a second in each of its two steps:
// time.Sleep here stands for any call that blocks, such as reading a file,
// or for a long computation, which should have gone to ToThread (chapter 10).
func hog() *asyncio.Coro[struct{}] {
	return asyncio.AsyncErr(func(a *asyncio.A) error {
		time.Sleep(100 * time.Millisecond) // blocks the loop: the bug
		if err := asyncio.Sleep(a, 0); err != nil {
			return err
		}
		time.Sleep(100 * time.Millisecond)
		return nil
	})
}

// end snippet

func wrongSlowStep(opts Options) error {
	// snippet: slow-step
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		t := asyncio.CreateTask(a, hog())
		t.SetName("hog")
		_, err := asyncio.Await(a, t)
		return err
	})
	var reports bytes.Buffer
	_, err := asyncio.Run(context.Background(), main, append(loopOpts(opts),
		asyncio.WithDebug(),
		asyncio.WithSlowStepThreshold(40*time.Millisecond),
		asyncio.WithDiagnostics(&reports))...)
	printReports(&reports)
	// end snippet
	return err
}

// snippet: crawl

// crawl downloads the pages at once.
func crawl(urls ...string) *asyncio.Coro[[]string] {
	return asyncio.Async(func(a *asyncio.A) ([]string, error) {
		var downloads []coro.Awaitable[string]
		for _, url := range urls {
			downloads = append(downloads, download(url))
		}
		return asyncio.Gather(a, downloads...)
	})
}

// end snippet

func wrongSnapshot(opts Options) error {
	// snippet: snapshot
	main := asyncio.Async(func(a *asyncio.A) ([]string, error) {
		asyncio.CurrentTask(a).SetName("main")
		crawler := asyncio.CreateTask(a, crawl("/", "/news"))
		crawler.SetName("crawler")
		if err := asyncio.Sleep(a, 0); err != nil { // the crawler takes a step
			return nil, err
		}
		tree := asyncio.Snapshot(a)
		fmt.Print(inFunctions(tree))
		return asyncio.Await(a, crawler)
	})
	// end snippet
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	return err
}

// inFunctions returns tree.String() with the file and line at the end of
// each task's line replaced by the function of this package that they are
// in, as chapterFunc names it, for the reason chapterFunc gives.
func inFunctions(tree asyncio.TaskTree) string {
	in := map[string]string{}
	for _, t := range tree {
		for _, f := range t.AwaitChain {
			if name, ok := chapterFunc(f.Function); ok {
				in[t.Name] = name
				break
			}
		}
	}
	var b strings.Builder
	for line := range strings.Lines(tree.String()) {
		name, _, _ := strings.Cut(strings.TrimLeft(line, " "), " ")
		b.WriteString(treePlace.ReplaceAllLiteralString(line, " in "+in[name]+"\n"))
	}
	return b.String()
}

// treePlace matches the file and line that end a line of TaskTree.String.
var treePlace = regexp.MustCompile(` at \S+\.go:\d+\n$`)

// snippet: pipeline

// pipeline starts two tasks in tg joined by a queue: the first takes words
// from in and passes them on in upper case, the second appends them to
// *stored. Neither knows when it is done: each waits for more, until its
// queue is shut down.
func pipeline(tg *asyncio.TaskGroup, in *asyncio.Queue[string], stored *[]string) {
	var upper asyncio.Queue[string]
	asyncio.CreateTask(tg, asyncio.AsyncErr(func(a *asyncio.A) error {
		defer upper.Shutdown(false)
		for {
			word, err := in.Get(a)
			if errors.Is(err, asyncio.ErrQueueShutDown) {
				return nil
			} else if err != nil {
				return err
			}
			if err := upper.Put(a, strings.ToUpper(word)); err != nil {
				return err
			}
		}
	}))
	asyncio.CreateTask(tg, asyncio.AsyncErr(func(a *asyncio.A) error {
		for {
			word, err := upper.Get(a)
			if errors.Is(err, asyncio.ErrQueueShutDown) {
				return nil
			} else if err != nil {
				return err
			}
			*stored = append(*stored, word)
		}
	}))
}

// end snippet

func wrongSettle(opts Options) error {
	// snippet: settle
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		start := asyncio.GetRunningLoop(a).Time()
		return asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			var in asyncio.Queue[string]
			var stored []string
			pipeline(tg, &in, &stored)
			// The pipeline starts, and waits for words.
			if err := asyncio.WaitAllTasksBlocked(a); err != nil {
				return err
			}
			for _, word := range []string{"one", "two", "three"} {
				if err := in.PutNowait(word); err != nil {
					return err
				}
			}
			if err := asyncio.Sleep(a, 0); err != nil {
				return err
			}
			fmt.Println("after Sleep(a, 0):", stored)
			if err := asyncio.WaitAllTasksBlocked(a); err != nil {
				return err
			}
			fmt.Println("after WaitAllTasksBlocked:", stored, "at", since(a, start))
			in.Shutdown(false)
			return nil
		})
	})
	// end snippet
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	return err
}

// snippet: run-order

// order runs three tasks that are ready at the same time, with the options
// given, and returns the order in which they ran.
func order(opts ...asyncio.Option) (string, error) {
	var ran []string
	task := func(name string) *asyncio.Coro[struct{}] {
		return asyncio.AsyncErr(func(a *asyncio.A) error {
			ran = append(ran, name)
			return nil
		})
	}
	main := asyncio.Async(func(a *asyncio.A) ([]struct{}, error) {
		return asyncio.Gather(a, task("a"), task("b"), task("c"))
	})
	_, err := asyncio.Run(context.Background(), main, opts...)
	return strings.Join(ran, " "), err
}

// end snippet

func wrongSchedules(opts Options) error {
	// snippet: schedules
	ran, err := order(loopOpts(opts)...)
	if err != nil {
		return err
	}
	fmt.Println("no seed:", ran)
	for seed := uint64(1); seed <= 5; seed++ {
		ran, err := order(append(loopOpts(opts), asyncio.WithSeed(seed))...)
		if err != nil {
			return err
		}
		fmt.Printf("seed %d:  %s\n", seed, ran)
	}
	ran, err = order(append(loopOpts(opts), asyncio.WithSeed(2))...)
	if err != nil {
		return err
	}
	fmt.Println("seed 2 again:", ran)
	// end snippet
	return nil
}

// snippet: startup

// A router maps names to handlers. Ready is set once the service has
// registered its handler.
type router struct {
	handlers map[string]func(string) string
	ready    asyncio.Event
}

// service registers its handler as it starts.
func service(r *router) *asyncio.Coro[string] {
	return asyncio.Async(func(a *asyncio.A) (string, error) {
		r.handlers["echo"] = func(s string) string { return s }
		r.ready.Set()
		return "", nil
	})
}

// client calls the handler as it starts. It assumes that the service has
// registered it, because the service's task was created first: the bug.
func client(r *router) *asyncio.Coro[string] {
	return asyncio.Async(func(a *asyncio.A) (string, error) {
		echo, ok := r.handlers["echo"]
		if !ok {
			return "", errors.New("no handler for echo")
		}
		return echo("hello"), nil
	})
}

// startup starts the service, then the client that newClient makes, and
// returns the client's reply.
func startup(newClient func(*router) *asyncio.Coro[string]) *asyncio.Coro[string] {
	return asyncio.Async(func(a *asyncio.A) (string, error) {
		r := &router{handlers: map[string]func(string) string{}}
		var c *asyncio.Task[string]
		err := asyncio.WithTaskGroup(a, func(tg *asyncio.TaskGroup) error {
			asyncio.CreateTask(tg, service(r))
			c = asyncio.CreateTask(tg, newClient(r))
			return nil
		})
		if err != nil {
			return "", err
		}
		return c.Result()
	})
}

// end snippet

// snippet: patient-client

// patientClient is client, fixed: it waits until the service is ready.
func patientClient(r *router) *asyncio.Coro[string] {
	return asyncio.Async(func(a *asyncio.A) (string, error) {
		if err := r.ready.Wait(a); err != nil {
			return "", err
		}
		return asyncio.Await(a, client(r))
	})
}

// end snippet

func wrongSeeds(opts Options) error {
	// snippet: seeds
	reply, err := asyncio.Run(context.Background(), startup(client), loopOpts(opts)...)
	fmt.Printf("no seed: %q, %v\n", reply, err)
	for seed := uint64(1); seed <= 100; seed++ {
		reply, err := asyncio.Run(context.Background(), startup(client), append(loopOpts(opts), asyncio.WithSeed(seed))...)
		fmt.Printf("seed %d: %q, %v\n", seed, reply, err)
		if err != nil {
			break
		}
	}
	// end snippet
	// snippet: seeds-fixed
	for seed := uint64(1); seed <= 100; seed++ {
		reply, err := asyncio.Run(context.Background(), startup(patientClient), append(loopOpts(opts), asyncio.WithSeed(seed))...)
		if err != nil || reply != "hello" {
			return fmt.Errorf("seed %d: %q, %v", seed, reply, err)
		}
	}
	fmt.Println("patientClient: \"hello\" under seeds 1 to 100")
	// end snippet
	return nil
}

func wrongTrace(opts Options) error {
	// snippet: trace
	rec := timeline.NewRecorder()
	_, err := asyncio.Run(context.Background(), gathered(),
		append(loopOpts(opts), asyncio.WithHooks(rec.Hooks()))...)
	if err != nil {
		return err
	}
	var trace bytes.Buffer // or a file, to open in ui.perfetto.dev
	if err := rec.WriteTrace(&trace); err != nil {
		return err
	}
	for line := range strings.Lines(trace.String()) {
		if strings.Contains(line, `"tid":3,`) { // Task-3, which runs slow(1)
			fmt.Print(line)
		}
	}
	// end snippet
	return nil
}
