package gen

// A State is where a generator is in its life, as Python's
// inspect.getgeneratorstate reports it.
type State uint8

const (
	// Created: the body has not started; the first Next will start it.
	Created State = iota
	// Running: the body is executing (it called Send on itself, or is
	// asking for its own state).
	Running
	// Suspended: the body is paused at a Yield, waiting to be resumed.
	Suspended
	// Closed: the body has returned, failed, panicked or been closed.
	Closed
)

var stateNames = [...]string{
	Created:   "GEN_CREATED",
	Running:   "GEN_RUNNING",
	Suspended: "GEN_SUSPENDED",
	Closed:    "GEN_CLOSED",
}

// String returns the state under its Python name, such as "GEN_SUSPENDED".
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "State(invalid)"
}
