package asyncio_test

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// The TCP echo server and client of Python's streams documentation, in one
// program: the server's handler reads a line and writes it back, and the
// client sends a line and reads the answer.
//
//	async def handle_echo(reader, writer):
//	    data = await reader.readline()
//	    print(f"Server received {data!r}")
//	    writer.write(data)
//	    await writer.drain()
//	    print("Server closes the connection")
//	    writer.close()
//	    await writer.wait_closed()
//
//	async def main():
//	    server = await asyncio.start_server(handle_echo, '127.0.0.1', 0)
//	    port = server.sockets[0].getsockname()[1]
//	    reader, writer = await asyncio.open_connection('127.0.0.1', port)
//	    ...
func ExampleStartServer() {
	handleEcho := func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
		data, err := r.ReadLine(a)
		if err != nil {
			return err
		}
		fmt.Printf("Server received %q\n", data)
		w.Write(data)
		if err := w.Drain(a); err != nil {
			return err
		}
		fmt.Println("Server closes the connection")
		w.Close()
		return w.WaitClosed(a)
	}
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		server, err := asyncio.StartServer(a, handleEcho, "127.0.0.1", 0)
		if err != nil {
			return struct{}{}, err
		}
		reader, writer, err := asyncio.OpenConnection(a, "127.0.0.1", server.Addr().Port)
		if err != nil {
			return struct{}{}, err
		}
		fmt.Printf("Client sends %q\n", "Hello World!\n")
		writer.Write([]byte("Hello World!\n"))
		if err := writer.Drain(a); err != nil {
			return struct{}{}, err
		}
		data, err := reader.ReadLine(a)
		if err != nil {
			return struct{}{}, err
		}
		fmt.Printf("Client received %q\n", data)
		if _, err := reader.ReadLine(a); err != nil {
			fmt.Println("Client reads", err)
		}
		writer.Close()
		if err := writer.WaitClosed(a); err != nil {
			return struct{}{}, err
		}
		server.Close() // async with server: ...
		return struct{}{}, server.WaitClosed(a)
	}))
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// Client sends "Hello World!\n"
	// Server received "Hello World!\n"
	// Server closes the connection
	// Client received "Hello World!\n"
	// Client reads EOF
}

// Fetching three answers from a server that takes a second over each, one
// after the other and then all at once with Gather. The server is a task
// of the same loop, and the loop runs on the virtual clock: it jumps ahead
// whenever no task can run and no byte is in flight between the two ends
// of any connection, so the program prints the times it would take, and
// takes milliseconds.
func ExampleOpenConnection_gather() {
	// The server answers each line, in capitals, a second after it arrives.
	slowUpper := func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
		line, err := r.ReadLine(a)
		if err != nil {
			return err
		}
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		_, err = w.Write(bytes.ToUpper(line))
		return err
	}
	fetch := func(port int, word string) *asyncio.Coro[string] {
		return asyncio.Async(func(a *asyncio.A) (string, error) {
			r, w, err := asyncio.OpenConnection(a, "127.0.0.1", port)
			if err != nil {
				return "", err
			}
			defer w.Close()
			fmt.Fprintln(w, word)
			answer, err := r.ReadLine(a)
			return string(bytes.TrimSpace(answer)), err
		})
	}
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		server, err := asyncio.StartServer(a, slowUpper, "127.0.0.1", 0)
		if err != nil {
			return struct{}{}, err
		}
		defer server.Close()
		port, loop := server.Addr().Port, asyncio.GetRunningLoop(a)

		start := loop.Time()
		var answers []string
		for _, word := range []string{"one", "two", "three"} {
			answer, err := asyncio.Await(a, fetch(port, word))
			if err != nil {
				return struct{}{}, err
			}
			answers = append(answers, answer)
		}
		fmt.Println("one by one:", answers, "in", loop.Time().Sub(start))

		start = loop.Time()
		answers, err = asyncio.Gather(a, fetch(port, "one"), fetch(port, "two"), fetch(port, "three"))
		if err != nil {
			return struct{}{}, err
		}
		fmt.Println("gathered:  ", answers, "in", loop.Time().Sub(start))
		return struct{}{}, nil
	}), asyncio.WithVirtualTime())
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// one by one: [ONE TWO THREE] in 3s
	// gathered:   [ONE TWO THREE] in 1s
}
