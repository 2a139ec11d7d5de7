// Command crawler is a small web crawler, and the site it crawls: the Go
// port of crawler.py beside it, line for line where the languages allow.
//
// The crawler fetches pages over HTTP/1.0, a few at a time, follows the
// links it finds, gives up on a page that takes too long, and prints what
// it found. The site is a tiny server in the same program, with a page that
// is too slow and a link to a page that is missing.
//
// Usage:
//
//	go run ./docs/porting/crawler [-virtual]
//
// With -virtual the loop runs on the virtual clock and the crawl takes no
// real time, as in the test, which compares what this program prints with
// what crawler.py prints.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

var link = regexp.MustCompile(`href="(/[^"]*)"`)

// pages is the site: each page and the pages it links to.
var pages = map[string][]string{
	"/":          {"/about", "/blog", "/shop"},
	"/about":     {"/", "/team"},
	"/team":      {"/about"},
	"/blog":      {"/blog/1", "/blog/2", "/archive"},
	"/blog/1":    {"/blog/2", "/"},
	"/blog/2":    {"/blog/1", "/missing"},
	"/archive":   {},
	"/shop":      {"/shop/cart"},
	"/shop/cart": {"/shop"},
}

var slow = map[string]time.Duration{"/archive": 5 * time.Second} // the others take 100ms

func servePage(a *asyncio.A, r *asyncio.StreamReader, w *asyncio.StreamWriter) error {
	request, err := r.ReadLine(a) // GET /path HTTP/1.0
	if err != nil {
		return err
	}
	if err := skipHeaders(a, r); err != nil {
		return err
	}
	path := strings.Fields(string(request))[1]
	delay, ok := slow[path]
	if !ok {
		delay = 100 * time.Millisecond
	}
	if err := asyncio.Sleep(a, delay); err != nil {
		return err
	}
	if links, ok := pages[path]; ok {
		var body strings.Builder
		for _, p := range links {
			fmt.Fprintf(&body, "<a href=%q>%s</a>\n", p, p)
		}
		w.Write([]byte("HTTP/1.0 200 OK\r\n\r\n" + body.String()))
	} else {
		w.Write([]byte("HTTP/1.0 404 Not Found\r\n\r\n"))
	}
	w.Drain(a) // an error means the crawler gave up on us
	return nil
}

// skipHeaders reads the headers, up to a blank line.
func skipHeaders(a *asyncio.A, r *asyncio.StreamReader) error {
	for {
		line, err := r.ReadLine(a)
		if err != nil || len(bytes.TrimSpace(line)) == 0 {
			return err
		}
	}
}

type page struct {
	status int
	body   []byte
}

func fetch(port int, path string) *asyncio.Coro[page] {
	return asyncio.Async(func(a *asyncio.A) (page, error) {
		r, w, err := asyncio.OpenConnection(a, "127.0.0.1", port)
		if err != nil {
			return page{}, err
		}
		defer w.Close()
		w.Write([]byte("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n"))
		if err := w.Drain(a); err != nil {
			return page{}, err
		}
		line, err := r.ReadLine(a)
		if err != nil {
			return page{}, err
		}
		status, err := strconv.Atoi(strings.Fields(string(line))[1])
		if err != nil {
			return page{}, err
		}
		if err := skipHeaders(a, r); err != nil {
			return page{}, err
		}
		body, err := r.Read(a, -1)
		return page{status, body}, err
	})
}

type crawler struct {
	port    int
	workers int
	timeout time.Duration
	queue   *asyncio.Queue[string]
	seen    map[string]bool
	results map[string]string
}

func newCrawler(port, workers int, timeout time.Duration) *crawler {
	return &crawler{port, workers, timeout, asyncio.NewQueue[string](0), map[string]bool{}, map[string]string{}}
}

func (c *crawler) add(path string) {
	if !c.seen[path] {
		c.seen[path] = true
		c.queue.PutNowait(path)
	}
}

// snippet: porting-crawler-work

func (c *crawler) work(a *asyncio.A) error {
	for {
		path, err := c.queue.Get(a)
		if err != nil {
			return err
		}
		p, err := asyncio.WaitFor(a, fetch(c.port, path), c.timeout)
		switch {
		case errors.Is(err, asyncio.ErrTimeout):
			c.results[path] = "timed out"
		case errors.Is(err, asyncio.ErrCanceled):
			return err
		case err != nil:
			c.results[path] = "failed: " + err.Error()
		default:
			links := link.FindAllSubmatch(p.body, -1)
			c.results[path] = fmt.Sprintf("%d, %d links", p.status, len(links))
			for _, l := range links {
				c.add(string(l[1]))
			}
		}
		c.queue.TaskDone()
	}
}

func (c *crawler) crawl(a *asyncio.A, root string) (map[string]string, error) {
	c.add(root)
	workers := make([]*asyncio.Task[struct{}], c.workers)
	for i := range workers {
		workers[i] = asyncio.CreateTask(a, asyncio.AsyncErr(c.work))
	}
	defer func() {
		for _, w := range workers {
			w.Cancel()
		}
		asyncio.GatherReturnExceptions(a, asyncio.Awaitables(workers)...)
	}()
	return c.results, c.queue.Join(a)
}

// end snippet

func run(a *asyncio.A, stdout io.Writer) error {
	server, err := asyncio.StartServer(a, servePage, "127.0.0.1", 0)
	if err != nil {
		return err
	}
	loop := asyncio.GetRunningLoop(a)
	start := loop.Time()
	results, err := newCrawler(server.Addr().Port, 3, 2*time.Second).crawl(a, "/")
	elapsed := loop.Time().Sub(start)
	server.Close()
	if err := errors.Join(err, server.WaitClosed(a)); err != nil {
		return err
	}
	paths := slices.Sorted(maps.Keys(results))
	for _, path := range paths {
		fmt.Fprintf(stdout, "%-12s %s\n", path, results[path])
	}
	fmt.Fprintf(stdout, "%d pages in %v\n", len(results), elapsed.Round(time.Second))
	return nil
}

func main() {
	virtual := flag.Bool("virtual", false, "run on the virtual clock")
	flag.Parse()
	opts := []asyncio.Option{asyncio.WithInterrupt()}
	if *virtual {
		opts = append(opts, asyncio.WithVirtualTime())
	}
	_, err := asyncio.Run(context.Background(), asyncio.AsyncErr(func(a *asyncio.A) error {
		return run(a, os.Stdout)
	}), opts...)
	if errors.Is(err, asyncio.ErrInterrupted) {
		fmt.Println("interrupted")
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "crawler:", err)
		os.Exit(1)
	}
}
