package chapters

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/yieldfrom/asyncgo/asyncio"
)

func init() {
	Register(Chapter{
		Number: 16,
		Name:   "subprocesses",
		Title:  "Subprocesses",
		Examples: []Example{
			{"several", "Three commands at once, their outputs in order", subprocessesSeveral},
			{"pipeline", "A pipeline between two processes, through the loop", subprocessesPipeline},
		},
	})
}

// snippet: run-command

// runCommand runs cmd with the shell and says how it went: its return code
// and what it printed.
func runCommand(cmd string) *asyncio.Coro[string] {
	return asyncio.Async(func(a *asyncio.A) (string, error) {
		p, err := asyncio.CreateSubprocessShell(a, cmd, asyncio.WithStdout(asyncio.Pipe))
		if err != nil {
			return "", err
		}
		stdout, _, err := p.Communicate(a, nil)
		if err != nil {
			return "", err
		}
		code, _ := p.Returncode()
		output := strings.TrimRight(string(stdout), "\n")
		return fmt.Sprintf("%s -> returncode %d, output %s", cmd, code, output), nil
	})
}

// end snippet

func subprocessesSeveral(opts Options) error {
	// snippet: several-main
	main := asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		results, err := asyncio.Gather(a,
			runCommand("echo $((6 * 7))"),
			runCommand("printf '%s\\n' pear apple fig | sort | head -n 1"),
			runCommand("echo almost; exit 3"),
		)
		if err != nil {
			return struct{}{}, err
		}
		for _, r := range results {
			fmt.Println(r)
		}
		return struct{}{}, nil
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

func subprocessesPipeline(opts Options) error {
	// snippet: process-pipeline
	main := asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		producer, err := asyncio.CreateSubprocessExec(a, "printf", []string{`%s\n`, "pear", "apple", "fig"},
			asyncio.WithStdout(asyncio.Pipe))
		if err != nil {
			return struct{}{}, err
		}
		consumer, err := asyncio.CreateSubprocessExec(a, "sort", nil,
			asyncio.WithStdin(asyncio.Pipe), asyncio.WithStdout(asyncio.Pipe))
		if err != nil {
			return struct{}{}, err
		}
		// pump moves the producer's lines to the consumer, in capitals.
		pump := asyncio.Async(func(a *asyncio.A) (int, error) {
			n := 0
			for {
				line, err := producer.Stdout.ReadLine(a)
				if errors.Is(err, io.EOF) {
					break
				} else if err != nil {
					return n, err
				}
				consumer.Stdin.Write([]byte(strings.ToUpper(string(line))))
				if err := consumer.Stdin.Drain(a); err != nil {
					return n, err
				}
				n++
			}
			consumer.Stdin.Close() // sort sorts once its input ends
			return n, consumer.Stdin.WaitClosed(a)
		})
		pumping := asyncio.CreateTask(a, pump)
		sorted, err := consumer.Stdout.Read(a, -1) // while the pump runs
		if err != nil {
			return struct{}{}, err
		}
		pumped, err := pumping.Await(a)
		if err != nil {
			return struct{}{}, err
		}
		fmt.Print(string(sorted))
		producerCode, _ := producer.Wait(a)
		consumerCode, _ := consumer.Wait(a)
		fmt.Printf("pumped %d lines; printf exited with %d, sort with %d\n", pumped, producerCode, consumerCode)
		return struct{}{}, nil
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}
