package asyncio

import "time"

// An Option configures Run. Options are sealed: only this package makes
// them.
type Option interface {
	apply(*config)
}

type config struct {
	clock  Clock
	seeded bool
	seed   uint64
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

func newConfig(opts []Option) *config {
	c := &config{clock: RealClock()}
	for _, o := range opts {
		o.apply(c)
	}
	return c
}

// WithClock makes the loop read and wait for time on c instead of the real
// clock.
func WithClock(c Clock) Option {
	return optionFunc(func(cfg *config) { cfg.clock = c })
}

// WithVirtualTime runs the loop on a fresh VirtualClock: sleeps and timeouts
// take no real time, and the program's output is the same as on the real
// clock. It is shorthand for WithClock(NewVirtualClock(epoch)), with a fixed
// epoch so that runs are reproducible.
func WithVirtualTime() Option {
	return WithClock(NewVirtualClock(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)))
}

// WithSeed makes the loop run the callbacks that become ready in the same
// iteration in an order shuffled by a generator seeded with seed, instead
// of first-in first-out. The same seed gives the same schedule, so an
// order-dependent bug found under one seed can be replayed.
func WithSeed(seed uint64) Option {
	return optionFunc(func(cfg *config) { cfg.seeded, cfg.seed = true, seed })
}
