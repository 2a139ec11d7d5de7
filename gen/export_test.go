package gen

// IdleCoroutines returns how many coroutines the package's pool holds, for
// tests that count goroutines.
func IdleCoroutines() int {
	defaultPool.mu.Lock()
	defer defaultPool.mu.Unlock()
	return len(defaultPool.idle) + len(defaultPool.aged)
}
