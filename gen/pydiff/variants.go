package pydiff

import "slices"

// Variants returns the blocks one step simpler than b, for a tester's
// Shrink: b without one of its statements, b with a compound statement
// replaced by one of its blocks (a try statement by its body), and b with
// one of its compound statements' blocks made simpler, recursively. blocks
// returns the blocks of a statement (none for a simple one), and with
// returns a copy of a statement whose block k is nb. A variant may not be a
// valid program (a statement that only makes sense inside another, moved
// out of it): shrinking skips those that Python refuses.
func Variants[S any](b []S, blocks func(S) [][]S, with func(s S, k int, nb []S) S) [][]S {
	var vs [][]S
	replace := func(i int, by ...S) []S {
		nb := make([]S, 0, len(b)-1+len(by))
		nb = append(nb, b[:i]...)
		nb = append(nb, by...)
		return append(nb, b[i+1:]...)
	}
	for i, s := range b {
		vs = append(vs, replace(i))
		for k, sub := range blocks(s) {
			if len(sub) > 0 {
				vs = append(vs, replace(i, sub...))
			}
			for _, v := range Variants(sub, blocks, with) {
				vs = append(vs, replace(i, with(s, k, v)))
			}
		}
	}
	return vs
}

// FuncVariants returns the programs one step simpler than the program of
// functions funcs, for a tester's Shrink: copies of funcs with one function
// replaced by one of its Variants that keep accepts (all of them if keep is
// nil), function after function.
func FuncVariants[S any](funcs [][]S, blocks func(S) [][]S, with func(s S, k int, nb []S) S, keep func([]S) bool) [][][]S {
	var vs [][][]S
	for i, f := range funcs {
		for _, v := range Variants(f, blocks, with) {
			if keep != nil && !keep(v) {
				continue
			}
			c := slices.Clone(funcs)
			c[i] = v
			vs = append(vs, c)
		}
	}
	return vs
}
