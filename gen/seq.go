package gen

import "iter"

// FromSeq returns a generator that yields the values of seq: the simplest
// kind of generator, one that is only iterated. Values sent to it are
// ignored. Throwing an error into it stops seq (its yield returns false) and
// the generator ends with that error; closing it stops seq and its deferred
// calls run.
func FromSeq[Y any](seq iter.Seq[Y]) *Generator[Y, None, None] {
	return New(func(y *Yielder[Y, None]) (None, error) {
		var err error
		seq(func(v Y) bool {
			_, err = y.Yield(v)
			return err == nil
		})
		return None{}, err
	})
}

// All returns an iterator over the values the generator yields, resuming it
// with Next until it ends, so that a generator can be ranged over. It
// starts where earlier resumes left the generator.
//
// A loop that stops before the generator has ended (by break, return, a
// panic or runtime.Goexit, or because the loop is a Take that has its n
// values) closes the generator, as Go iterators clean up after themselves:
// the body sees ErrGeneratorExit at its Yield and its deferred calls run,
// as Close runs them, before the range statement is over. Close's
// error has nowhere to go there; Result reports how the close went (an
// error the body returned while closing, or ErrIgnoredClose). To stop
// reading a generator and go on with it later, call Next instead of
// ranging.
func (g *Generator[Y, S, R]) All() iter.Seq[Y] {
	return func(yield func(Y) bool) {
		defer func() {
			// Not if Next panicked because the generator is running,
			// inline in another's YieldFrom or its body calling All.
			if g.c.y.state == Suspended {
				_ = g.Close() // reported by Result
			}
		}()
		for {
			v, ok := g.Next()
			if !ok || !yield(v) {
				return
			}
		}
	}
}

// Take returns an iterator over the first n values of seq, or fewer if seq
// ends first. It is Python's itertools.islice(seq, n): so
// list(islice(fib(), 20)) is slices.Collect(gen.Take(fib().All(), 20)).
// Unlike islice, it stops seq once it has its n values, and so closes a
// generator it takes from through All.
func Take[V any](seq iter.Seq[V], n int) iter.Seq[V] {
	return func(yield func(V) bool) {
		if n <= 0 {
			return
		}
		i := 0
		for v := range seq {
			if !yield(v) {
				return
			}
			i++
			if i == n {
				return
			}
		}
	}
}
