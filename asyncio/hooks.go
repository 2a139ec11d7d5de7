package asyncio

import "time"

// Hooks are functions the loop calls as it runs, to observe it without
// changing it: a tracer, a timeline, a metrics exporter. Any field may be
// nil. They are called on the loop's goroutine with the loop's clock time,
// and must not block or call back into the loop. Install them with
// WithHooks.
//
// A hook that panics does not stop the loop: the panic is reported, with
// its stack, to the loop's diagnostics writer (see WithDiagnostics), as a
// callback's is (see Handle), and the loop goes on as if the hook had
// returned. A hook that calls runtime.Goexit (t.FailNow) ends Run as a
// task that calls it does: see Run.
type Hooks struct {
	// TaskSpawned is called when a task is created, before its first step.
	TaskSpawned func(at time.Time, t AnyTask)
	// BeforeStep is called just before the loop resumes a task.
	BeforeStep func(at time.Time, t AnyTask)
	// AfterStep is called when the task has suspended again (t.Awaiting
	// tells on what) or ended.
	AfterStep func(at time.Time, t AnyTask)
	// TaskExited is called when a task has ended, with its outcome set. A
	// task that ends in a step exits between that step's BeforeStep and
	// AfterStep.
	TaskExited func(at time.Time, t AnyTask)
	// LoopIdle is called when no task or callback is ready, before the loop
	// waits for a timer or outside work.
	LoopIdle func(at time.Time)
}
