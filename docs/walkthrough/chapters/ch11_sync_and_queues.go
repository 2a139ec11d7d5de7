package chapters

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

func init() {
	Register(Chapter{
		Number: 11,
		Name:   "sync-and-queues",
		Title:  "Synchronization and queues",
		Examples: []Example{
			{"queue", "A producer held back by a bounded queue", syncQueue},
			{"cache-race", "Read, await, write: three fetches", syncCacheRace},
			{"cache-lock", "The same, under a lock: one fetch", syncCacheLock},
			{"fairness", "First come, first served; a cancelled waiter passes on its turn", syncFairness},
			{"event", "An event starts the runners together", syncEvent},
			{"semaphore", "At most two downloads at once", syncSemaphore},
			{"shutdown", "Shutting a queue down sends the workers home", syncShutdown},
		},
	})
}

func syncQueue(opts Options) error {
	// snippet: queue
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		start := asyncio.GetRunningLoop(a).Time()
		queue := asyncio.NewQueue[int](2)

		consumer := asyncio.AsyncErr(func(a *asyncio.A) error {
			for {
				job, err := queue.Get(a)
				if err != nil {
					fmt.Println(since(a, start), "consumer: cancelled while it waited for a job")
					return err
				}
				if err := asyncio.Sleep(a, time.Second); err != nil { // work on it
					return err
				}
				fmt.Println(since(a, start), "job", job, "done")
				queue.TaskDone()
			}
		})

		worker := asyncio.CreateTask(a, consumer)
		for job := 1; job <= 5; job++ {
			if err := queue.Put(a, job); err != nil { // waits while the queue is full
				return err
			}
			fmt.Println(since(a, start), "put job", job)
		}
		if err := queue.Join(a); err != nil { // until TaskDone was called for every job
			return err
		}
		fmt.Println(since(a, start), "all jobs done")
		worker.Cancel()
		_, _, err := asyncio.GatherReturnExceptions(a, worker)
		return err
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

func syncCacheRace(opts Options) error {
	// snippet: cache-race
	var token string
	getToken := func(name string) *asyncio.Coro[struct{}] {
		return asyncio.AsyncErr(func(a *asyncio.A) error {
			if token == "" {
				fmt.Println(name, "fetches a token")
				if err := asyncio.Sleep(a, time.Second); err != nil { // ask the auth server
					return err
				}
				token = "token from " + name
			}
			fmt.Println(name, "uses", token)
			return nil
		})
	}
	main := asyncio.Async(func(a *asyncio.A) ([]struct{}, error) {
		return asyncio.Gather(a, getToken("ann"), getToken("ben"), getToken("cat"))
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

func syncCacheLock(opts Options) error {
	// snippet: cache-lock
	var token string
	var lock asyncio.Lock
	getToken := func(name string) *asyncio.Coro[struct{}] {
		return asyncio.AsyncErr(func(a *asyncio.A) error {
			if err := lock.Acquire(a); err != nil {
				return err
			}
			defer lock.Release()
			if token == "" {
				fmt.Println(name, "fetches a token")
				if err := asyncio.Sleep(a, time.Second); err != nil { // ask the auth server
					return err
				}
				token = "token from " + name
			}
			fmt.Println(name, "uses", token)
			return nil
		})
	}
	main := asyncio.Async(func(a *asyncio.A) ([]struct{}, error) {
		return asyncio.Gather(a, getToken("ann"), getToken("ben"), getToken("cat"))
	})
	// end snippet
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	return err
}

func syncFairness(opts Options) error {
	// snippet: fairness
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		start := asyncio.GetRunningLoop(a).Time()
		var lock asyncio.Lock

		worker := func(name string) *asyncio.Coro[struct{}] {
			return asyncio.AsyncErr(func(a *asyncio.A) error {
				if err := lock.Acquire(a); err != nil {
					fmt.Println(since(a, start), name, "was cancelled, without the lock")
					return err
				}
				defer lock.Release()
				fmt.Println(since(a, start), name, "has the lock")
				return asyncio.Sleep(a, time.Second)
			})
		}

		if err := lock.Acquire(a); err != nil {
			return err
		}
		tasks := asyncio.CreateTasks(a, []*asyncio.Coro[struct{}]{worker("ann"), worker("ben"), worker("cat")})
		if err := asyncio.Sleep(a, 0); err != nil { // they queue up for the lock, in this order
			return err
		}
		lock.Release() // hands the lock to ann, who has not run yet
		tasks[0].Cancel()
		_, _, err := asyncio.GatherReturnExceptions(a, asyncio.Awaitables(tasks)...)
		return err
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

func syncEvent(opts Options) error {
	// snippet: event
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		start := asyncio.GetRunningLoop(a).Time()
		var whistle asyncio.Event

		runner := func(name string) *asyncio.Coro[struct{}] {
			return asyncio.AsyncErr(func(a *asyncio.A) error {
				fmt.Println(since(a, start), name, "is on the blocks")
				if err := whistle.Wait(a); err != nil {
					return err
				}
				fmt.Println(since(a, start), name, "runs")
				if err := asyncio.Sleep(a, 2*time.Second); err != nil {
					return err
				}
				fmt.Println(since(a, start), name, "arrives")
				return nil
			})
		}

		var runners []asyncio.Awaitable[struct{}]
		for _, name := range []string{"ann", "ben", "cat"} {
			runners = append(runners, asyncio.CreateTask(a, runner(name)))
		}
		if err := asyncio.Sleep(a, time.Second); err != nil {
			return err
		}
		fmt.Println(since(a, start), "go!")
		whistle.Set()
		_, err := asyncio.Gather(a, runners...)
		return err
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

func syncSemaphore(opts Options) error {
	// snippet: semaphore
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		start := asyncio.GetRunningLoop(a).Time()
		connections := asyncio.NewSemaphore(2)
		running, most := 0, 0

		download := func(n int) *asyncio.Coro[struct{}] {
			return asyncio.AsyncErr(func(a *asyncio.A) error {
				if err := connections.Acquire(a); err != nil {
					return err
				}
				defer connections.Release()
				running++
				most = max(most, running)
				fmt.Println(since(a, start), "download", n, "starts")
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return err
				}
				fmt.Println(since(a, start), "download", n, "done")
				running--
				return nil
			})
		}

		var downloads []asyncio.Awaitable[struct{}]
		for n := 1; n <= 5; n++ {
			downloads = append(downloads, download(n))
		}
		if _, err := asyncio.Gather(a, downloads...); err != nil {
			return err
		}
		fmt.Println(since(a, start), "five downloads, at most", most, "at once")
		return nil
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}

func syncShutdown(opts Options) error {
	// snippet: shutdown
	main := asyncio.AsyncErr(func(a *asyncio.A) error {
		start := asyncio.GetRunningLoop(a).Time()
		var queue asyncio.Queue[int] // the zero value: empty, of unlimited size

		worker := func(name string) *asyncio.Coro[struct{}] {
			return asyncio.AsyncErr(func(a *asyncio.A) error {
				for {
					job, err := queue.Get(a)
					if errors.Is(err, asyncio.ErrQueueShutDown) {
						fmt.Println(since(a, start), name, "goes home")
						return nil
					} else if err != nil {
						return err
					}
					if err := asyncio.Sleep(a, time.Second); err != nil {
						return err
					}
					fmt.Println(since(a, start), name, "did job", job)
					queue.TaskDone()
				}
			})
		}

		workers := []asyncio.Awaitable[struct{}]{
			asyncio.CreateTask(a, worker("w1")),
			asyncio.CreateTask(a, worker("w2")),
		}
		for job := 1; job <= 3; job++ {
			if err := queue.Put(a, job); err != nil {
				return err
			}
		}
		queue.Shutdown(false) // no more jobs: Get returns what is left, then ErrQueueShutDown
		fmt.Println(since(a, start), "no more jobs")
		_, err := asyncio.Gather(a, workers...)
		return err
	})
	_, err := asyncio.Run(context.Background(), main, loopOpts(opts)...)
	// end snippet
	return err
}
