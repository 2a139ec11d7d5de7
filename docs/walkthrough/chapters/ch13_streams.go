package chapters

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

func init() {
	Register(Chapter{
		Number: 13,
		Name:   "streams",
		Title:  "Streams",
		Examples: []Example{
			{"echo", "An echo server and three clients at once", streamsEcho},
			{"one-by-one", "Three slow HTTP requests, one after another: 3 seconds", streamsOneByOne},
			{"gathered", "The same requests, gathered: 1 second", streamsGathered},
			{"datagrams", "A UDP server and its client", streamsDatagrams},
			{"loops", "One loop per core, one port", streamsLoops},
			{"unix", "An echo over a Unix socket", streamsUnix},
			{"tls", "An echo over TLS, with a certificate made on the spot", streamsTLS},
		},
	})
}

// snippet: echo-client

// echoClient connects to the echo server at port, sends each line, a
// second apart, and returns the answers.
func echoClient(port int, name string, lines ...string) *asyncio.Coro[[]string] {
	return asyncio.Async(func(a *asyncio.A) ([]string, error) {
		r, w, err := asyncio.OpenConnection(a, "127.0.0.1", port)
		if err != nil {
			return nil, err
		}
		defer w.Close()
		var answers []string
		for _, line := range lines {
			if err := asyncio.Sleep(a, time.Second); err != nil { // typing
				return nil, err
			}
			fmt.Fprintf(w, "%s: %s\n", name, line)
			if err := w.Drain(a); err != nil {
				return nil, err
			}
			answer, err := r.ReadLine(a)
			if err != nil {
				return nil, err
			}
			answers = append(answers, strings.TrimSuffix(string(answer), "\n"))
		}
		return answers, nil
	})
}

// end snippet

func streamsEcho(opts Options) error {
	// snippet: echo-server
	connections, echoed := 0, 0
	// echo serves one connection, in a task of its own: it sends every line
	// back until the client closes its end.
	echo := func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
		connections++
		for {
			line, err := r.ReadLine(a)
			if errors.Is(err, io.EOF) {
				return nil // returning closes the connection
			} else if err != nil {
				return err
			}
			echoed++
			w.Write(line)
			if err := w.Drain(a); err != nil {
				return err
			}
		}
	}
	// end snippet

	// snippet: echo-main
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		start := asyncio.GetRunningLoop(a).Time()
		server, err := asyncio.StartServer(a, echo, "127.0.0.1", 0) // port 0: any free port
		if err != nil {
			return err
		}
		port := server.Addr().Port
		results, err := asyncio.Gather(a,
			echoClient(port, "ann", "hello", "how are you?"),
			echoClient(port, "ben", "hi"),
			echoClient(port, "cat", "good morning", "nice day", "bye"),
		)
		server.Close() // what leaving Python's "async with server" does
		if err := errors.Join(err, server.WaitClosed(a)); err != nil {
			return err
		}
		for _, answers := range results {
			for _, answer := range answers {
				fmt.Println(answer)
			}
		}
		fmt.Println("the server served", connections, "connections and echoed", echoed, "lines in", since(a, start))
		return nil
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

// snippet: slow-page

// slowPage answers an HTTP request a second after it arrives, with a page
// that names the path asked for.
func slowPage(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
	request, err := r.ReadUntil(a, []byte("\r\n\r\n")) // the request line and the headers
	if err != nil {
		return err
	}
	path := strings.Fields(string(request))[1] // GET /1 HTTP/1.0

	if err := asyncio.Sleep(a, time.Second); err != nil { // a slow backend
		return err
	}
	body := "this is page " + path
	fmt.Fprintf(w, "HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	return w.Drain(a)
}

// end snippet

// snippet: fetch

// fetch asks the server at port for path, over HTTP/1.0, and returns the
// body of the response.
func fetch(port int, path string) *asyncio.Coro[string] {
	return asyncio.Async(func(a *asyncio.A) (string, error) {
		r, w, err := asyncio.OpenConnection(a, "127.0.0.1", port)
		if err != nil {
			return "", err
		}
		defer w.Close()
		fmt.Fprintf(w, "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", path)
		if err := w.Drain(a); err != nil {
			return "", err
		}
		response, err := r.Read(a, -1) // HTTP/1.0: the server closes when it is done
		if err != nil {
			return "", err
		}
		_, body, _ := bytes.Cut(response, []byte("\r\n\r\n"))
		return string(body), nil
	})
}

// end snippet

func streamsOneByOne(opts Options) error {
	// snippet: fetch-one-by-one
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		server, err := asyncio.StartServer(a, slowPage, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		defer server.Close()
		port := server.Addr().Port

		paths := []string{"/1", "/2", "/3"}
		start := asyncio.GetRunningLoop(a).Time()
		for _, path := range paths {
			body, err := asyncio.Await(a, fetch(port, path))
			if err != nil {
				return err
			}
			fmt.Println("GET", path, "->", body)
		}
		fmt.Println(len(paths), "responses after", since(a, start))
		return nil
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

func streamsGathered(opts Options) error {
	// snippet: fetch-gathered
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		server, err := asyncio.StartServer(a, slowPage, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		defer server.Close()
		port := server.Addr().Port

		paths := []string{"/1", "/2", "/3"}
		start := asyncio.GetRunningLoop(a).Time()
		var fetches []asyncio.Awaitable[string]
		for _, path := range paths {
			fetches = append(fetches, fetch(port, path))
		}
		bodies, err := asyncio.Gather(a, fetches...)
		if err != nil {
			return err
		}
		for i, body := range bodies {
			fmt.Println("GET", paths[i], "->", body)
		}
		fmt.Println(len(paths), "responses after", since(a, start))
		return nil
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

func streamsDatagrams(opts Options) error {
	// snippet: datagrams
	main := asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		server, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithLocalAddr("127.0.0.1", 0))
		if err != nil {
			return struct{}{}, err
		}
		// upper answers every datagram with its text in capitals, until the
		// server is closed: the DatagramProtocol of the Python program.
		upper := asyncio.CreateTask(a, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			for {
				data, addr, err := server.RecvFrom(a)
				if errors.Is(err, asyncio.ErrEndpointClosed) {
					return struct{}{}, nil
				} else if err != nil {
					return struct{}{}, err
				}
				if err := server.SendTo(bytes.ToUpper(data), addr); err != nil {
					return struct{}{}, err
				}
			}
		}))

		port := int(server.LocalAddr().Port())
		client, err := asyncio.CreateDatagramEndpoint(a, asyncio.WithRemoteAddr("127.0.0.1", port))
		if err != nil {
			return struct{}{}, err
		}
		for _, word := range []string{"one", "two", "three"} {
			if err := client.SendTo([]byte(word), netip.AddrPort{}); err != nil { // to the remote address
				return struct{}{}, err
			}
			answer, _, err := client.RecvFrom(a)
			if err != nil {
				return struct{}{}, err
			}
			fmt.Println(word, "->", string(answer))
		}
		client.Close()
		server.Close()
		_, err = upper.Await(a)
		return struct{}{}, err
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

func streamsLoops(opts Options) error {
	// snippet: loops
	const loops = 2 // runtime.NumCPU() in a real server
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var served atomic.Int64 // shared by the loops: only thread-safe calls
	hello := func(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
		served.Add(1)
		_, err := w.Write([]byte("hello\n"))
		return err
	}

	ports := make(chan int)
	errs := make(chan error, loops)
	serve := func(port int) { // one loop, on its own goroutine
		_, err := asyncio.Run(ctx, asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			server, err := asyncio.StartServer(a, hello, "127.0.0.1", port, asyncio.WithReusePort())
			if err != nil {
				return struct{}{}, err
			}
			ports <- server.Addr().Port
			return struct{}{}, server.ServeForever(a) // until ctx is cancelled
		}), loopOpts(opts)...)
		errs <- err
	}
	port := 0
	for i := range loops {
		go serve(port) // the first loop picks a free port, the others listen on it too
		select {
		case p := <-ports:
			if i == 0 {
				port = p
			}
		case err := <-errs:
			return err
		}
	}

	for range 10 { // ten clients, in plain Go
		c, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			return err
		}
		_, err = io.ReadAll(c)
		c.Close()
		if err != nil {
			return err
		}
	}
	stop()
	for range loops {
		if err := <-errs; !errors.Is(err, asyncio.ErrCanceled) {
			return err
		}
	}
	fmt.Println(loops, "loops served", served.Load(), "clients on one port")
	// end snippet
	return nil
}
