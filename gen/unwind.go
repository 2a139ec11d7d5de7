package gen

// unwind is the panic value that unwinds a body that may not resume again:
// one that ignored a close.
type unwind struct{}

// ignoredClose is the panic value that unwinds the inline subgenerator at
// depth when it yields while its delegator is closing it; the YieldFrom
// running it at that depth recovers it.
type ignoredClose struct{ depth int32 }

// IsUnwind reports whether p, a value recovered inside a generator body, is
// package gen unwinding the body rather than a panic of the body's own: the
// body ignored a close (it yielded after ErrGeneratorExit). Such a panic
// must reach the gen code that started it, which stops the unwinding at the
// right level.
//
// Code that recovers panics in generator bodies must panic again with such
// values. Taken for a failure and handled, an unwind would let the body go
// on running when it may not, and a body that yields in a loop would make
// Close hang:
//
//	defer func() {
//		if p := recover(); p != nil {
//			if gen.IsUnwind(p) {
//				panic(p)
//			}
//			err = fmt.Errorf("body panicked: %v", p)
//		}
//	}()
func IsUnwind(p any) bool {
	switch p.(type) {
	case unwind, ignoredClose:
		return true
	}
	return false
}
