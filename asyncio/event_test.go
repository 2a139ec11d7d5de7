package asyncio_test

import (
	"testing"

	"github.com/yieldfrom/asyncgo/asyncio"
)

func TestEvent(t *testing.T) {
	tests := []struct {
		name string
		// run starts with tasks w1, w2, w3 waiting for the unset event e.
		run  func(a *asyncio.A, e *asyncio.Event, ws []*asyncio.Task[struct{}], tr *syncTrace) error
		want []string
	}{{
		name: "set wakes every waiter in arrival order",
		run: func(a *asyncio.A, e *asyncio.Event, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			e.Set()
			tr.add("set=%v", e.IsSet())
			return nil
		},
		want: []string{"set=true", "w1 ok", "w2 ok", "w3 ok"},
	}, {
		name: "wait on a set event does not suspend",
		run: func(a *asyncio.A, e *asyncio.Event, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			e.Set()
			err := e.Wait(a) // the woken waiters have not run yet
			tr.add("main %s", syncOutcome(err))
			return nil
		},
		want: []string{"main ok", "w1 ok", "w2 ok", "w3 ok"},
	}, {
		name: "clear after set does not unwake the woken",
		run: func(a *asyncio.A, e *asyncio.Event, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			e.Set()
			e.Clear()
			tr.add("set=%v", e.IsSet())
			w4 := syncGo(a, "w4", func(a *asyncio.A) error {
				err := e.Wait(a)
				tr.add("w4 %s", syncOutcome(err))
				return err
			})
			if err := syncSettle(a); err != nil {
				return err
			}
			tr.add("w4 done=%v", w4.Done())
			e.Set()
			_, err := asyncio.Await(a, w4)
			return err
		},
		want: []string{"set=false", "w1 ok", "w2 ok", "w3 ok", "w4 done=false", "w4 ok"},
	}, {
		name: "setting twice wakes once",
		run: func(a *asyncio.A, e *asyncio.Event, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			e.Set()
			e.Set()
			return nil
		},
		want: []string{"w1 ok", "w2 ok", "w3 ok"},
	}, {
		name: "cancelled waiter does not keep others from waking",
		run: func(a *asyncio.A, e *asyncio.Event, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			ws[0].Cancel()
			e.Set()
			return nil
		},
		want: []string{"w1 canceled", "w2 ok", "w3 ok"},
	}, {
		name: "waiter woken then cancelled before it runs",
		run: func(a *asyncio.A, e *asyncio.Event, ws []*asyncio.Task[struct{}], tr *syncTrace) error {
			e.Set()
			ws[1].Cancel()
			return nil
		},
		want: []string{"w1 ok", "w2 canceled", "w3 ok"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr syncTrace
			err := syncRun(func(a *asyncio.A) error {
				var e asyncio.Event
				var ws []*asyncio.Task[struct{}]
				for _, name := range []string{"w1", "w2", "w3"} {
					ws = append(ws, syncGo(a, name, func(a *asyncio.A) error {
						err := e.Wait(a)
						tr.add("%s %s", name, syncOutcome(err))
						return err
					}))
				}
				if err := syncSettle(a); err != nil {
					return err
				}
				if err := tt.run(a, &e, ws, &tr); err != nil {
					return err
				}
				for _, w := range ws {
					asyncio.Await(a, w)
				}
				return nil
			})
			tr.check(t, err, tt.want)
		})
	}
}
