package chapters

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// The examples of chapter 15 about signals and the Runner; its
// subprocesses are elsewhere.

// snippet: sigterm-handler

// upper returns a stream handler that answers a line with the line in
// upper case, after a second of work; it sets working when it starts.
func upper(working *asyncio.Event) func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
	return func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
		line, err := r.ReadLine(a)
		if err != nil {
			return err
		}
		fmt.Printf("handler: working on %s\n", bytes.TrimSpace(line))
		working.Set()
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		w.Write(bytes.ToUpper(line))
		if err := w.Drain(a); err != nil {
			return err
		}
		fmt.Println("handler: done")
		w.Close()
		return w.WaitClosed(a)
	}
}

// end snippet

// snippet: sigterm-client

// shout sends a line to the server at port and prints the answer.
func shout(port int, line string) *asyncio.Coro[struct{}] {
	return asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		r, w, err := asyncio.OpenConnection(a, "127.0.0.1", port)
		if err != nil {
			return struct{}{}, err
		}
		defer w.Close()
		w.Write([]byte(line + "\n"))
		answer, err := r.ReadLine(a)
		if err != nil {
			return struct{}{}, err
		}
		fmt.Printf("client: got %s\n", bytes.TrimSpace(answer))
		return struct{}{}, nil
	})
}

// terminate sends SIGTERM to this process, as `kill PID` would.
func terminate() error {
	p, err := os.FindProcess(os.Getpid())
	if err != nil {
		return err
	}
	return p.Signal(syscall.SIGTERM)
}

// end snippet

func signalsSIGTERM(opts Options) error {
	// snippet: sigterm-main
	main := asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		loop := asyncio.GetRunningLoop(a)
		start := loop.Time()
		var stop asyncio.Event
		if err := loop.AddSignalHandler(syscall.SIGTERM, stop.Set); err != nil {
			return struct{}{}, err
		}

		var working asyncio.Event
		server, err := asyncio.StartServer(a, upper(&working), "127.0.0.1", 0)
		if err != nil {
			return struct{}{}, err
		}
		fmt.Println("main: serving; waiting for SIGTERM")
		request := asyncio.CreateTask(a, shout(server.Addr().Port, "hello"))
		asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			if err := working.Wait(a); err != nil {
				return struct{}{}, err
			}
			fmt.Println("operator: kill -TERM")
			return struct{}{}, terminate()
		}))

		if err := stop.Wait(a); err != nil {
			return struct{}{}, err
		}
		loop.RemoveSignalHandler(syscall.SIGTERM) // a second SIGTERM ends the process
		fmt.Println("main: SIGTERM: no new connections; finishing the one in flight")
		server.Close()
		if err := server.WaitClosed(a); err != nil {
			return struct{}{}, err
		}
		if _, err := request.Await(a); err != nil {
			return struct{}{}, err
		}
		fmt.Printf("main: bye, after %v\n", loop.Time().Sub(start).Round(time.Second))
		return struct{}{}, nil
	})
	// On the virtual clock, wait up to a second of real time for the signal
	// before time moves on (see below).
	_, err := asyncio.Run(context.Background(), main, append(loopOpts(opts), asyncio.WithIdleThreshold(time.Second))...)
	// end snippet
	return err
}

func signalsRunner(opts Options) error {
	// snippet: runner
	queue := asyncio.NewQueue[string](0)
	startTicker := asyncio.Async(func(a *asyncio.A) (*asyncio.Task[struct{}], error) {
		return asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			for i := range 3 {
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return struct{}{}, err
				}
				if err := queue.Put(a, fmt.Sprint("tick ", i)); err != nil {
					return struct{}{}, err
				}
			}
			return struct{}{}, nil
		})), nil
	})
	collect := func(n int) *asyncio.Coro[[]string] {
		return asyncio.Async(func(a *asyncio.A) ([]string, error) {
			var got []string
			for range n {
				v, err := queue.Get(a)
				if err != nil {
					return nil, err
				}
				got = append(got, v)
			}
			return got, nil
		})
	}
	state := func(t *asyncio.Task[struct{}]) string {
		if t.Done() {
			return "done"
		}
		return "pending"
	}

	runner := asyncio.NewRunner(loopOpts(opts)...)
	defer runner.Close()
	ctx := context.Background()
	ticker, err := asyncio.RunWith(runner, ctx, startTicker)
	if err != nil {
		return err
	}
	fmt.Println("first run returned; the ticker is", state(ticker))
	start := runner.Loop().Time()
	got, err := asyncio.RunWith(runner, ctx, collect(3))
	if err != nil {
		return err
	}
	fmt.Printf("second run got %s after %v\n", strings.Join(got, ", "), runner.Loop().Time().Sub(start).Round(time.Second))
	fmt.Println("the ticker is", state(ticker))
	// end snippet
	return runner.Close()
}
