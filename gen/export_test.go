package gen

// CloseDropped closes the generator that d reports, on the calling
// goroutine, as Close would: the tests that drop generators on purpose
// leave nothing behind.
func CloseDropped(d DropReport) error { return d.g.close() }
