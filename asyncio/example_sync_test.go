package asyncio_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

// Two tasks withdraw from one account. The balance check and the update
// are separated by an await, where the other task could run; the lock
// keeps the pair together.
//
//	lock = asyncio.Lock()
//	async def withdraw(name, amount):
//	    global balance
//	    async with lock:
//	        if balance < amount: ...
//	        await asyncio.sleep(1)
//	        balance -= amount
func ExampleLock() {
	var lock asyncio.Lock
	balance := 100
	withdraw := func(name string, amount int) *asyncio.Coro[int] {
		return asyncio.Async(func(a *asyncio.A) (int, error) {
			if err := lock.Acquire(a); err != nil {
				return 0, err
			}
			defer lock.Release()
			if balance < amount {
				fmt.Printf("%s: cannot withdraw %d, balance is %d\n", name, amount, balance)
				return 0, nil
			}
			fmt.Printf("%s: balance is %d, withdrawing %d\n", name, balance, amount)
			if err := asyncio.Sleep(a, time.Second); err != nil { // talk to the bank
				return 0, err
			}
			balance -= amount
			return amount, nil
		})
	}
	got, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) ([]int, error) {
		return asyncio.Gather(a, withdraw("alice", 70), withdraw("bob", 50))
	}), asyncio.WithVirtualTime())
	fmt.Println(got, balance, err)
	// Output:
	// alice: balance is 100, withdrawing 70
	// bob: cannot withdraw 50, balance is 30
	// [70 0] 30 <nil>
}

// Tasks wait until a starter sets the event; Set wakes all of them, in the
// order they started waiting.
func ExampleEvent() {
	var ready asyncio.Event
	runner := func(name string) *asyncio.Coro[struct{}] {
		return asyncio.Async(func(a *asyncio.A) (struct{}, error) {
			fmt.Println(name, "on the blocks")
			if err := ready.Wait(a); err != nil {
				return struct{}{}, err
			}
			fmt.Println(name, "runs")
			return struct{}{}, nil
		})
	}
	starter := asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		if err := asyncio.Sleep(a, 3*time.Second); err != nil {
			return struct{}{}, err
		}
		fmt.Println("go!")
		ready.Set()
		return struct{}{}, nil
	})
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) ([]struct{}, error) {
		return asyncio.Gather(a, runner("ann"), runner("ben"), starter)
	}), asyncio.WithVirtualTime())
	fmt.Println(err)
	// Output:
	// ann on the blocks
	// ben on the blocks
	// go!
	// ann runs
	// ben runs
	// <nil>
}

// A producer fills a bounded queue faster than two workers empty it, so its
// Put waits for room; Join waits until every job is done, and Shutdown
// (Python 3.13) sends the idle workers home.
func ExampleQueue() {
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		start := asyncio.GetRunningLoop(a).Time()
		elapsed := func() time.Duration { return asyncio.GetRunningLoop(a).Time().Sub(start) }
		jobs := asyncio.NewQueue[int](2)
		worker := func(name string) *asyncio.Coro[int] {
			return asyncio.Async(func(a *asyncio.A) (int, error) {
				done := 0
				for {
					job, err := jobs.Get(a)
					if errors.Is(err, asyncio.ErrQueueShutDown) {
						return done, nil
					} else if err != nil {
						return done, err
					}
					if err := asyncio.Sleep(a, time.Duration(job)*time.Second); err != nil {
						return done, err
					}
					fmt.Printf("%v %s finished job %d\n", elapsed(), name, job)
					done++
					jobs.TaskDone()
				}
			})
		}
		w1 := asyncio.CreateTask(a, worker("w1"))
		w2 := asyncio.CreateTask(a, worker("w2"))
		for _, job := range []int{3, 1, 2, 1, 1} {
			if err := jobs.Put(a, job); err != nil {
				return struct{}{}, err
			}
			fmt.Printf("%v queued job %d\n", elapsed(), job)
		}
		if err := jobs.Join(a); err != nil {
			return struct{}{}, err
		}
		fmt.Printf("%v all jobs done\n", elapsed())
		jobs.Shutdown(false)
		n1, err1 := w1.Await(a)
		n2, err2 := w2.Await(a)
		fmt.Println("w1 did", n1, "and w2 did", n2)
		return struct{}{}, errors.Join(err1, err2)
	}), asyncio.WithVirtualTime())
	fmt.Println(err)
	// Output:
	// 0s queued job 3
	// 0s queued job 1
	// 0s queued job 2
	// 0s queued job 1
	// 1s w2 finished job 1
	// 1s queued job 1
	// 3s w1 finished job 3
	// 3s w2 finished job 2
	// 4s w1 finished job 1
	// 4s w2 finished job 1
	// 4s all jobs done
	// w1 did 2 and w2 did 3
	// <nil>
}

// Five downloads share two connections: the semaphore lets two run at a
// time, and the others start, in order, as connections free up.
//
//	sem = asyncio.Semaphore(2)
//	async def download(n):
//	    async with sem:
//	        await asyncio.sleep(n)
func ExampleSemaphore() {
	sem := asyncio.NewSemaphore(2)
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) ([]int, error) {
		start := asyncio.GetRunningLoop(a).Time()
		download := func(id, seconds int) *asyncio.Coro[int] {
			return asyncio.Async(func(a *asyncio.A) (int, error) {
				if err := sem.Acquire(a); err != nil {
					return 0, err
				}
				defer sem.Release()
				fmt.Printf("%v start %d\n", asyncio.GetRunningLoop(a).Time().Sub(start), id)
				err := asyncio.Sleep(a, time.Duration(seconds)*time.Second)
				return id, err
			})
		}
		return asyncio.Gather(a, download(1, 2), download(2, 1), download(3, 1), download(4, 3), download(5, 1))
	}), asyncio.WithVirtualTime())
	fmt.Println(err)
	// Output:
	// 0s start 1
	// 0s start 2
	// 1s start 3
	// 2s start 4
	// 2s start 5
	// <nil>
}

// Three tasks arrive at a barrier at different times and all leave when the
// last arrives; Wait tells each its place in the arrival order.
func ExampleBarrier() {
	b := asyncio.NewBarrier(3)
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) ([]struct{}, error) {
		start := asyncio.GetRunningLoop(a).Time()
		party := func(name string, delay int) *asyncio.Coro[struct{}] {
			return asyncio.Async(func(a *asyncio.A) (struct{}, error) {
				if err := asyncio.Sleep(a, time.Duration(delay)*time.Second); err != nil {
					return struct{}{}, err
				}
				i, err := b.Wait(a)
				fmt.Printf("%v %s passes, arrived %d\n", asyncio.GetRunningLoop(a).Time().Sub(start), name, i)
				return struct{}{}, err
			})
		}
		return asyncio.Gather(a, party("ann", 2), party("ben", 0), party("cat", 1))
	}), asyncio.WithVirtualTime())
	fmt.Println(err)
	// Output:
	// 2s ann passes, arrived 2
	// 2s ben passes, arrived 0
	// 2s cat passes, arrived 1
	// <nil>
}

// Consumers wait until there is something for them; the producer adds items
// under the condition's lock and wakes one consumer per item.
//
//	cond = asyncio.Condition()
//	async def consumer(name):
//	    async with cond:
//	        await cond.wait_for(lambda: items)
//	        print(name, "took", items.pop(0))
func ExampleCondition() {
	asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (struct{}, error) {
		cond := asyncio.NewCondition(nil)
		var items []string
		consumer := func(name string) *asyncio.Coro[struct{}] {
			return asyncio.Async(func(a *asyncio.A) (struct{}, error) {
				if err := cond.Acquire(a); err != nil {
					return struct{}{}, err
				}
				defer cond.Release()
				if err := cond.WaitFor(a, func() bool { return len(items) > 0 }); err != nil {
					return struct{}{}, err
				}
				fmt.Println(name, "took", items[0])
				items = items[1:]
				return struct{}{}, nil
			})
		}
		c1 := asyncio.CreateTask(a, consumer("first"))
		c2 := asyncio.CreateTask(a, consumer("second"))
		for _, item := range []string{"apple", "pear"} {
			if err := asyncio.Sleep(a, time.Second); err != nil {
				return struct{}{}, err
			}
			if err := cond.Acquire(a); err != nil {
				return struct{}{}, err
			}
			items = append(items, item)
			cond.Notify(1)
			cond.Release()
		}
		_, err := asyncio.Gather[struct{}](a, c1, c2)
		return struct{}{}, err
	}), asyncio.WithVirtualTime())
	// Output:
	// first took apple
	// second took pear
}
