package asyncio_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/yieldfrom/asyncgo/asyncio"
)

func TestAgenSmoke(t *testing.T) {
	ticker := func(n int) *asyncio.AsyncGenerator[int, struct{}] {
		return asyncio.NewAsyncGenerator(func(a *asyncio.A, yield func(int) (struct{}, error)) error {
			defer fmt.Println("ticker cleanup")
			for i := range n {
				if _, err := yield(i); err != nil {
					return err
				}
				if err := asyncio.Sleep(a, time.Second); err != nil {
					return err
				}
			}
			return nil
		})
	}
	_, err := asyncio.Run(context.Background(), asyncio.Async(func(a *asyncio.A) (int, error) {
		for v, err := range ticker(3).All(a) {
			fmt.Println("got", v, err, asyncio.GetRunningLoop(a).Time().Second())
		}
		tk := ticker(10)
		for v := range tk.All(a) {
			if v == 2 {
				break
			}
		}
		return 0, nil
	}), asyncio.WithVirtualTime())
	fmt.Println(err)
}
