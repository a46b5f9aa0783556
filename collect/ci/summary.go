package ci

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Summary is what gitdora computes from a run.
type Summary struct {
	PipelineSeconds *float64 // updated_at − run_started_at (created_at without it); nil while running
	ScanSeconds     *float64 // time in scan steps (or jobs); nil when none matched
	GateBlocked     bool     // a scan or gate step (or job) failed
	Notes           []Note   // odd values met
}

// Note is an odd value met in a run record. Kind says what is odd without
// the values (notes of one kind are said together); Text says it with
// them.
type Note struct {
	Kind, Text string
}

func (n Note) String() string { return n.Text }

// Summarize computes pipeline and scan seconds of r (docs/metrics.md,
// "Scan time"): scan steps (or jobs without a matching step) are those
// whose name matches scan; a run is gate-blocked when one of them, or a
// step (or job) whose name matches gate, failed. A nil pattern matches
// nothing.
func Summarize(r *Run, scan, gate *regexp.Regexp) Summary {
	var s Summary
	note := func(kind, text string) { s.Notes = append(s.Notes, Note{Kind: kind, Text: text}) }
	start := r.Started
	if r.Stub {
		start = time.Time{}
	}
	if start.IsZero() {
		start = r.Created
	}
	status := r.Status
	if status != "completed" && knownConclusion[status] {
		note("status is a conclusion; read as completed", fmt.Sprintf("status %q is a conclusion; read as completed", r.Status))
		status = "completed"
	}
	switch {
	case r.Stub:
		// known from its jobs only: no pipeline time
	case status != "" && status != "completed":
		// still running: no pipeline time yet
	case start.IsZero() || r.Updated.IsZero():
		note("no start or update time; pipeline seconds unknown", "no start or update time; pipeline seconds unknown")
	case r.Updated.Before(start):
		note("updated_at is before the run started; pipeline seconds unknown",
			fmt.Sprintf("updated_at %s is before the run started (%s); pipeline seconds unknown", r.Updated.Format(time.RFC3339), start.Format(time.RFC3339)))
	default:
		v := r.Updated.Sub(start).Seconds()
		s.PipelineSeconds = &v
	}
	if r.Status != "" && !knownStatus[r.Status] && !knownConclusion[r.Status] {
		note("status is not a GitHub run status", fmt.Sprintf("status %q is not a GitHub run status", r.Status))
	}
	if r.Conclusion != "" && !knownConclusion[r.Conclusion] {
		note("conclusion is not a GitHub conclusion", fmt.Sprintf("conclusion %q is not a GitHub conclusion", r.Conclusion))
	}
	if s.PipelineSeconds != nil && *s.PipelineSeconds > maxSeconds {
		note("the run took more than a year from start to update; pipeline seconds unknown",
			fmt.Sprintf("the run took %.0f s from start to update, more than a year; pipeline seconds unknown", *s.PipelineSeconds))
		s.PipelineSeconds = nil
	}
	match := func(re *regexp.Regexp, name string) bool { return re != nil && re.MatchString(name) }
	var total float64
	matched := false
	add := func(what string, from, to time.Time) {
		if from.IsZero() || to.IsZero() {
			return
		}
		if kind, why := r.outside(from, to); why != "" {
			note("a scan step or job "+kind+"; left out of the scan seconds",
				fmt.Sprintf("%s %s; left out of the scan seconds", what, why))
			return
		}
		total += to.Sub(from).Seconds()
	}
	for i := range r.Jobs {
		j := &r.Jobs[i]
		steps := false
		for k, st := range j.Steps {
			switch {
			case match(scan, st.Name):
				steps, matched = true, true
				add(fmt.Sprintf("job %d step %d (%s)", j.ID, k+1, clipName(st.Name)), st.Started, st.Completed)
			case match(gate, st.Name):
			default:
				continue
			}
			if st.Conclusion == "failure" {
				s.GateBlocked = true
			}
		}
		if steps {
			continue
		}
		switch {
		case match(scan, j.Name):
			matched = true
			add(fmt.Sprintf("job %d (%s)", j.ID, clipName(j.Name)), j.Started, j.Completed)
		case match(gate, j.Name):
		default:
			continue
		}
		if j.Conclusion == "failure" {
			s.GateBlocked = true
		}
	}
	if matched {
		s.ScanSeconds = &total
	}
	return s
}

// Tolerance is how far outside its run's (or job's) time span a step or a
// job may start or end and still be counted: GitHub's clocks disagree by
// a few seconds, and steps often start just before their job.
const Tolerance = time.Minute

// maxSeconds bounds a pipeline's seconds: a year.
const maxSeconds = 366 * 24 * 60 * 60

// maxRun is the longest a GitHub Actions workflow run may last (35 days):
// a step or job said to last longer did not.
const maxRun = 35 * 24 * time.Hour

// Outside says why the time span [from, to] of a step or job of r cannot
// be counted, "" when it can: it ends before it starts, it lasts longer
// than a run may (35 days), or it lies outside the run's span (from
// run_started_at, else created_at, to updated_at once the run is
// completed) by more than Tolerance. A run known from its jobs alone has
// no span of its own (and a job's is no bound on its steps: real steps
// start before their job).
func (r *Run) Outside(from, to time.Time) string {
	_, why := r.outside(from, to)
	return why
}

// outside is Outside, with the kind of reason without its values
// ("ends before it starts"), "" when the span can be counted.
func (r *Run) outside(from, to time.Time) (kind, why string) {
	if to.Before(from) {
		return "ends before it starts", fmt.Sprintf("ends (%s) before it starts (%s)", to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	if to.Sub(from) > maxRun { // Sub saturates at 292 years: the days are counted from Unix seconds
		return "lasts longer than a run may", fmt.Sprintf("lasts %d days (%s to %s), longer than a run may", (to.Unix()-from.Unix())/86400, from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	if r.Stub {
		return "", ""
	}
	start, end := r.Started, time.Time{}
	if start.IsZero() {
		start = r.Created
	}
	if r.Status == "completed" || r.Conclusion != "" {
		end = r.Updated
	}
	if !start.IsZero() && from.Before(start.Add(-Tolerance)) {
		return "starts before its run", fmt.Sprintf("starts (%s) before its run (%s)", from.Format(time.RFC3339), start.Format(time.RFC3339))
	}
	if !end.IsZero() && to.After(end.Add(Tolerance)) {
		return "ends after its run", fmt.Sprintf("ends (%s) after its run (%s)", to.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	return "", ""
}

// clipName shows a step or job name in a note: control characters
// escaped (a line break in a name must not start a line of its own where
// notes are printed, such as a CI log), shortened when long.
func clipName(s string) string {
	q := strconv.Quote(s)
	s = q[1 : len(q)-1]
	if r := []rune(s); len(r) > 60 {
		return string(r[:59]) + "…"
	}
	return s
}

var (
	knownStatus     = map[string]bool{"completed": true, "in_progress": true, "queued": true, "requested": true, "waiting": true, "pending": true, "action_required": true}
	knownConclusion = map[string]bool{"success": true, "failure": true, "neutral": true, "cancelled": true, "skipped": true, "timed_out": true, "action_required": true, "stale": true, "startup_failure": true}
)
