package chapters

func init() {
	Register(Chapter{
		Number: 15,
		Name:   "processes-and-signals",
		Title:  "Processes and signals",
		Examples: []Example{
			{"sigterm", "A server that shuts down cleanly on SIGTERM", signalsSIGTERM},
			{"runner", "A Runner: two coroutines, one after another, on one loop", signalsRunner},
		},
	})
}
