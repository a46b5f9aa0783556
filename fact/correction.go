package fact

import "time"

// Correction is a correction of a recorded event as read from the data
// branch: an amendment of one field, or a void (Field "void").
type Correction struct {
	ID     string
	Time   time.Time
	Kind   string // deployment, incident or pull
	Target string // the id of the event corrected
	Field  string // a column of the event's CSV, or "void"
	Value  string
	Reason string
	Author string
	// Applied says the correction took effect; otherwise Problem says why not.
	Applied bool
	Problem string
	// EventTime is when the corrected event happened, as recorded: a
	// deployment's time, an incident's opening; zero when no such event is
	// recorded.
	EventTime time.Time
}
