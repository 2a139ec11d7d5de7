package asyncio

// GoroutineID returns the ID of the calling goroutine, for tests that tell
// coroutines apart.
var GoroutineID = goroutineID
