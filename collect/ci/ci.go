// Package ci reads GitHub Actions run records: the REST API's run object
// (with a jobs array, as gitdora stores it), a jobs response, a list of
// runs, the workflow_run and workflow_job webhook payloads, and DevLake's
// raw-table rows that wrap them. It sums what gitdora computes from: the
// pipeline seconds, the seconds spent in security scan steps, and whether
// a scan step failed (the run was blocked by the security gate).
//
// It reads bytes; it knows nothing of the data branch.
package ci

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Run is one workflow run attempt, with its jobs.
type Run struct {
	ID         int64
	Attempt    int // run_attempt, 1 when absent
	Name       string
	Path       string // workflow file, e.g. .github/workflows/deploy.yml
	HeadSHA    string
	HeadBranch string
	Event      string
	Status     string // lower case
	Conclusion string // lower case, "" while running
	Created    time.Time
	Started    time.Time // run_started_at; zero when absent
	Updated    time.Time
	Jobs       []Job
	// Stub is set for a run known only from its jobs (a jobs response or
	// a workflow_job payload without the run).
	Stub bool
	// Source is GitLab for a GitLab pipeline that `gitdora import` stored
	// in this shape (its gitdora_source member), "" for GitHub Actions:
	// the two number their runs apart, so an id is unique per Source.
	Source string
	// Raw is the run object as given, without its jobs: its members in
	// their order, one per line.
	Raw json.RawMessage
}

// Job is one job of a run, with its steps.
type Job struct {
	ID         int64
	RunID      int64
	Attempt    int
	HeadSHA    string
	HeadBranch string
	Workflow   string // workflow_name (webhook payloads)
	Created    time.Time
	Name       string
	Status     string
	Conclusion string
	Started    time.Time
	Completed  time.Time
	Steps      []Step
	Raw        json.RawMessage
}

// Step is one step of a job.
type Step struct {
	Name       string
	Status     string
	Conclusion string
	Started    time.Time
	Completed  time.Time
}

// Doc is what one file holds: runs (each with the jobs it carried) and
// jobs that came without their run.
type Doc struct {
	Runs []Run
	Jobs []Job
}

// Parse reads one file of any of the accepted shapes, with the Raw of
// each run and job (what Record writes back).
func Parse(b []byte) (*Doc, error) { return parse(b, true) }

// ParseFields reads a file as Parse does but leaves Raw empty: for
// readers of the fields, at a fraction of the cost.
func ParseFields(b []byte) (*Doc, error) { return parse(b, false) }

// parser reads one file; raw says whether runs and jobs keep their Raw.
type parser struct {
	d   Doc
	raw bool
}

func parse(b []byte, raw bool) (*Doc, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	p := &parser{raw: raw}
	switch firstByte(b) {
	case 0:
		return nil, errors.New("empty file, want GitHub Actions run JSON")
	case '{':
		if err := p.object(b, "$"); err != nil {
			return nil, syntaxErr(b, err)
		}
	case '[':
		var items []json.RawMessage
		if err := json.Unmarshal(b, &items); err != nil {
			return nil, syntaxErr(b, err)
		}
		for i, it := range items {
			if err := p.object(it, fmt.Sprintf("$[%d]", i)); err != nil {
				return nil, err
			}
		}
	default:
		if err := json.Unmarshal(b, new(json.RawMessage)); err != nil {
			return nil, syntaxErr(b, err)
		}
		return nil, errors.New("$: want a GitHub Actions run object, a jobs response or a list of them")
	}
	if len(p.d.Runs) == 0 && len(p.d.Jobs) == 0 {
		return nil, errors.New("$: no workflow run or job in the file")
	}
	return &p.d, nil
}

// firstByte is the first byte of b that is not JSON white space, 0 when none.
func firstByte(b []byte) byte {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return c
		}
	}
	return 0
}

// syntaxErr says where in b a JSON syntax error is, by line and column;
// other errors are returned as they are.
func syntaxErr(b []byte, err error) error {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return err
	}
	// Offset counts the bytes read, the bad one included; at the end of
	// the input the position is just past it.
	off := len(b)
	if se.Offset > 0 && se.Offset <= int64(len(b)) && !strings.HasPrefix(se.Error(), "unexpected end") {
		off = int(se.Offset) - 1
	}
	line := 1 + bytes.Count(b[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(b[:off], '\n')
	return fmt.Errorf("invalid JSON at line %d, column %d: %v", line, col, err)
}

// wantShape says what Parse accepts.
const wantShape = "want a GitHub Actions run (id, head_sha, …, with jobs), a jobs response ({\"jobs\": […]}), a runs list ({\"workflow_runs\": […]}) or a workflow_run/workflow_job webhook payload"

// wire is any object of the accepted shapes, decoded in one pass: the
// members that tell the shapes apart and the fields of a run or a job. A
// value of the wrong type does not stop the decoding; it is reported,
// with its path, only when the object turns out to need it.
type wire struct {
	Data         json.RawMessage `json:"data"`
	WorkflowRun  json.RawMessage `json:"workflow_run"`
	WorkflowJob  json.RawMessage `json:"workflow_job"`
	WorkflowRuns json.RawMessage `json:"workflow_runs"`
	RunNumber    json.RawMessage `json:"run_number"`
	WorkflowID   json.RawMessage `json:"workflow_id"`
	Stub         json.RawMessage `json:"gitdora_stub"`
	System       str             `json:"gitdora_source"`

	ID           num      `json:"id"`
	RunID        num      `json:"run_id"`
	Attempt      num      `json:"run_attempt"`
	Name         str      `json:"name"`
	Path         str      `json:"path"`
	HeadSHA      str      `json:"head_sha"`
	HeadBranch   str      `json:"head_branch"`
	Event        str      `json:"event"`
	Status       str      `json:"status"`
	Conclusion   str      `json:"conclusion"`
	Workflow     str      `json:"workflow_name"`
	CreatedAt    stamp    `json:"created_at"`
	RunStartedAt stamp    `json:"run_started_at"`
	UpdatedAt    stamp    `json:"updated_at"`
	StartedAt    stamp    `json:"started_at"`
	CompletedAt  stamp    `json:"completed_at"`
	Steps        stepList `json:"steps"`
	Jobs         jobList  `json:"jobs"`
}

type wireStep struct {
	Name        str   `json:"name"`
	Status      str   `json:"status"`
	Conclusion  str   `json:"conclusion"`
	StartedAt   stamp `json:"started_at"`
	CompletedAt stamp `json:"completed_at"`
}

// has reports a member present and not null.
func has(v json.RawMessage) bool { return len(v) > 0 && string(v) != "null" }

// checked is a wire value that may hold a problem: what was expected
// and what was there, "" when none.
type checked interface{ problem() string }

// num is an integer member; set when present and not null.
type num struct {
	v   int64
	set bool
	bad string
}

func (n *num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	n.set = true
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		n.bad = "want an integer, got " + clip(b)
	}
	n.v = v
	return nil
}

func (n *num) problem() string { return n.bad }

// str is a string member; set when present and not null.
type str struct {
	s   string
	set bool
	bad string
}

func (s *str) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	s.set = true
	if len(b) >= 2 && b[0] == '"' && bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b) {
		s.s = string(b[1 : len(b)-1])
	} else if err := json.Unmarshal(b, &s.s); err != nil {
		s.bad = "want a string, got " + clip(b)
	}
	return nil
}

func (s *str) problem() string { return s.bad }

// stamp is a timestamp as the API writes it: Z, .000Z, .000-07:00, or null.
type stamp struct {
	time.Time
	bad string
}

func (s *stamp) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var v str
	if v.UnmarshalJSON(b); v.bad != "" {
		s.bad = "want a time as a string, got " + clip(b)
		return nil
	}
	t, err := ParseTime(v.s)
	if err != nil {
		s.bad = err.Error()
	}
	s.Time = t
	return nil
}

func (s *stamp) problem() string { return s.bad }

// jobList is a jobs member: an array of jobs, or a jobs response nested
// whole.
type jobList struct {
	jobs []wire
	set  bool
	bad  string
}

func (l *jobList) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	l.set = true
	if firstByte(b) == '{' {
		var inner struct {
			Jobs json.RawMessage `json:"jobs"`
		}
		if json.Unmarshal(b, &inner) == nil && inner.Jobs != nil {
			b = inner.Jobs
		}
	}
	if json.Unmarshal(b, &l.jobs) != nil {
		l.jobs, l.bad = nil, "want an array of jobs"
	}
	return nil
}

func (l *jobList) problem() string { return l.bad }

// stepList is a steps member.
type stepList struct {
	steps []wireStep
	bad   string
}

func (l *stepList) UnmarshalJSON(b []byte) error {
	if string(b) != "null" && json.Unmarshal(b, &l.steps) != nil {
		l.steps, l.bad = nil, "want an array of steps"
	}
	return nil
}

func (l *stepList) problem() string { return l.bad }

// clip shows a JSON value in a message, cut short when long.
func clip(b []byte) string {
	if len(b) > 40 {
		return string(b[:37]) + "…"
	}
	return string(b)
}

// check returns the first problem of the members named, with its path:
// names and values alternate, a name then its value.
func check(at string, fields ...any) error {
	for i := 0; i+1 < len(fields); i += 2 {
		if p := fields[i+1].(checked).problem(); p != "" {
			return fmt.Errorf("%s.%s: %s", at, fields[i].(string), p)
		}
	}
	return nil
}

// decode decodes an object; a value that is not one is reported at at.
func decode(b []byte, at string) (*wire, error) {
	var w wire
	if err := json.Unmarshal(b, &w); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %s", at, wantShape)
	}
	return &w, nil
}

// object classifies one object and adds what it holds.
func (p *parser) object(b []byte, at string) error {
	w, err := decode(b, at)
	if err != nil {
		return err
	}
	switch {
	case has(w.Data) && !w.ID.set: // a DevLake raw-table row
		return p.object(w.Data, at+".data")
	case has(w.WorkflowRun):
		return p.runAt(w.WorkflowRun, at+".workflow_run")
	case has(w.WorkflowJob):
		return p.jobAt(w.WorkflowJob, at+".workflow_job")
	case has(w.WorkflowRuns):
		var runs []json.RawMessage
		if err := json.Unmarshal(w.WorkflowRuns, &runs); err != nil {
			return fmt.Errorf("%s.workflow_runs: want an array of runs", at)
		}
		for i, r := range runs {
			if err := p.runAt(r, fmt.Sprintf("%s.workflow_runs[%d]", at, i)); err != nil {
				return err
			}
		}
		return nil
	case w.RunID.set && w.ID.set:
		return p.job(w, b, at)
	case w.ID.set && (w.HeadSHA.set || has(w.RunNumber) || has(w.WorkflowID) || w.Jobs.set):
		return p.run(w, b, at)
	case w.Jobs.set:
		jobs, err := p.jobs(&w.Jobs, b, at+".jobs")
		if err != nil {
			return err
		}
		p.d.Jobs = append(p.d.Jobs, jobs...)
		return nil
	}
	return fmt.Errorf("%s: %s", at, wantShape)
}

func (p *parser) runAt(b []byte, at string) error {
	w, err := decode(b, at)
	if err != nil {
		return err
	}
	return p.run(w, b, at)
}

func (p *parser) jobAt(b []byte, at string) error {
	w, err := decode(b, at)
	if err != nil {
		return err
	}
	j, err := p.job1(w, b, at)
	if err != nil {
		return err
	}
	p.d.Jobs = append(p.d.Jobs, j)
	return nil
}

// run adds the run w, decoded from b.
func (p *parser) run(w *wire, b []byte, at string) error {
	if err := check(at, "id", &w.ID, "run_attempt", &w.Attempt, "name", &w.Name, "path", &w.Path,
		"head_sha", &w.HeadSHA, "head_branch", &w.HeadBranch, "event", &w.Event, "status", &w.Status,
		"conclusion", &w.Conclusion, "created_at", &w.CreatedAt, "run_started_at", &w.RunStartedAt,
		"updated_at", &w.UpdatedAt); err != nil {
		return err
	}
	if w.ID.v <= 0 {
		return fmt.Errorf("%s.id: want a positive run id, got %d", at, w.ID.v)
	}
	r := Run{
		ID: w.ID.v, Attempt: max(int(w.Attempt.v), 1), Name: w.Name.s, Path: w.Path.s, HeadSHA: w.HeadSHA.s, HeadBranch: w.HeadBranch.s,
		Event: w.Event.s, Status: strings.ToLower(w.Status.s), Conclusion: strings.ToLower(w.Conclusion.s),
		Created: w.CreatedAt.Time, Started: w.RunStartedAt.Time, Updated: w.UpdatedAt.Time,
		Stub: len(w.Stub) > 0,
	}
	if w.System.s == GitLab {
		r.Source = GitLab
	}
	if w.Jobs.set {
		jobs, err := p.jobs(&w.Jobs, b, at+".jobs")
		if err != nil {
			return err
		}
		for i := range jobs {
			if jobs[i].RunID != r.ID {
				return fmt.Errorf("%s.jobs[%d]: the job's run_id %d is not the run's id %d", at, i, jobs[i].RunID, r.ID)
			}
		}
		r.Jobs = jobs
	}
	if p.raw {
		raw, err := withoutMember(b, "jobs")
		if err != nil {
			return fmt.Errorf("%s: %v", at, err)
		}
		r.Raw = raw
	}
	p.d.Runs = append(p.d.Runs, r)
	return nil
}

// jobs reads the jobs member l of the object b.
func (p *parser) jobs(l *jobList, b []byte, at string) ([]Job, error) {
	if l.bad != "" {
		return nil, fmt.Errorf("%s: %s", at, l.bad)
	}
	var raws []json.RawMessage
	if p.raw && len(l.jobs) > 0 {
		var err error
		if raws, err = rawJobs(b); err != nil || len(raws) != len(l.jobs) {
			return nil, fmt.Errorf("%s: want an array of jobs", at)
		}
	}
	out := make([]Job, 0, len(l.jobs))
	for i := range l.jobs {
		var raw []byte
		if raws != nil {
			raw = raws[i]
		}
		j, err := p.job1(&l.jobs[i], raw, fmt.Sprintf("%s[%d]", at, i))
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

// rawJobs is the jobs of the object b (the jobs response nested whole
// or not), each as given.
func rawJobs(b []byte) ([]json.RawMessage, error) {
	var o struct {
		Jobs json.RawMessage `json:"jobs"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return nil, err
	}
	if firstByte(o.Jobs) == '{' {
		if err := json.Unmarshal(o.Jobs, &o); err != nil {
			return nil, err
		}
	}
	var items []json.RawMessage
	err := json.Unmarshal(o.Jobs, &items)
	return items, err
}

// job adds the job w, decoded from b.
func (p *parser) job(w *wire, b []byte, at string) error {
	j, err := p.job1(w, b, at)
	if err != nil {
		return err
	}
	p.d.Jobs = append(p.d.Jobs, j)
	return nil
}

// job1 reads the job w, decoded from b (Raw is b compacted, when kept).
func (p *parser) job1(w *wire, b []byte, at string) (Job, error) {
	if err := check(at, "id", &w.ID, "run_id", &w.RunID, "run_attempt", &w.Attempt, "head_sha", &w.HeadSHA,
		"head_branch", &w.HeadBranch, "workflow_name", &w.Workflow, "created_at", &w.CreatedAt, "name", &w.Name,
		"status", &w.Status, "conclusion", &w.Conclusion, "started_at", &w.StartedAt, "completed_at", &w.CompletedAt,
		"steps", &w.Steps); err != nil {
		return Job{}, err
	}
	if w.ID.v <= 0 || w.RunID.v <= 0 {
		return Job{}, fmt.Errorf("%s: want a job with a positive id and run_id, got id %d, run_id %d", at, w.ID.v, w.RunID.v)
	}
	j := Job{
		ID: w.ID.v, RunID: w.RunID.v, Attempt: max(int(w.Attempt.v), 1), Name: w.Name.s,
		HeadSHA: w.HeadSHA.s, HeadBranch: w.HeadBranch.s, Workflow: w.Workflow.s, Created: w.CreatedAt.Time,
		Status: strings.ToLower(w.Status.s), Conclusion: strings.ToLower(w.Conclusion.s),
		Started: w.StartedAt.Time, Completed: w.CompletedAt.Time,
	}
	if p.raw {
		var c bytes.Buffer
		if err := json.Compact(&c, b); err != nil {
			return Job{}, fmt.Errorf("%s: %v", at, err)
		}
		j.Raw = c.Bytes()
	}
	if len(w.Steps.steps) > 0 {
		j.Steps = make([]Step, 0, len(w.Steps.steps))
	}
	for i := range w.Steps.steps {
		s := &w.Steps.steps[i]
		if err := check(fmt.Sprintf("%s.steps[%d]", at, i), "name", &s.Name, "status", &s.Status, "conclusion", &s.Conclusion,
			"started_at", &s.StartedAt, "completed_at", &s.CompletedAt); err != nil {
			return Job{}, err
		}
		j.Steps = append(j.Steps, Step{Name: s.Name.s, Status: strings.ToLower(s.Status.s), Conclusion: strings.ToLower(s.Conclusion.s), Started: s.StartedAt.Time, Completed: s.CompletedAt.Time})
	}
	return j, nil
}

// ParseTime reads the timestamps GitHub and the tools around it write:
// RFC 3339 with Z or an offset and any fraction, or a space instead of the
// T; without a zone the time is taken as UTC. "" is the zero time.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time (want RFC 3339, e.g. 2026-01-05T10:00:00Z)", s)
}

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

// GitLab is the Source of a GitLab pipeline stored as a run record.
const GitLab = "gitlab-pipelines"

// stubMember marks a run record that gitdora made from jobs alone.
const stubMember = "gitdora_stub"

// Attach gives each run the jobs of the same run id and attempt, and
// makes a stub run for jobs whose run is not among runs. It returns the
// runs in order: those given, then the stubs by run id and attempt.
func Attach(runs []Run, jobs []Job) []Run {
	type key struct {
		id      int64
		attempt int
	}
	at := map[key]int{}
	for i, r := range runs {
		at[key{r.ID, r.Attempt}] = i
	}
	for _, j := range jobs {
		k := key{j.RunID, j.Attempt}
		i, ok := at[k]
		if !ok {
			raw, _ := json.Marshal(map[string]any{"id": j.RunID, "run_attempt": j.Attempt, "head_sha": j.HeadSHA, "head_branch": j.HeadBranch, "name": j.Workflow, stubMember: true})
			raw, _ = withoutMember(raw, "")
			runs = append(runs, Run{ID: j.RunID, Attempt: j.Attempt, HeadSHA: j.HeadSHA, HeadBranch: j.HeadBranch, Name: j.Workflow, Stub: true, Raw: raw})
			i = len(runs) - 1
			at[k] = i
		}
		runs[i].Jobs = mergeJobs(runs[i].Jobs, []Job{j})
	}
	return runs
}

// Merge combines a stored record of a run with a new one: the run's own
// fields from the record that has them and was updated last (webhook
// payloads of one run may arrive in any order), the jobs of both (a job in
// both from the record that got further).
func Merge(old, new *Run) Run {
	out := *new
	if new.Stub && !old.Stub || !old.Stub && !new.Stub && old.Updated.After(new.Updated) {
		out = *old
	}
	out.Jobs = mergeJobs(old.Jobs, new.Jobs)
	return out
}

// progress ranks how far a job got.
func progress(j *Job) int {
	switch {
	case j.Status == "completed" || j.Conclusion != "" || !j.Completed.IsZero():
		return 3
	case j.Status == "in_progress" || !j.Started.IsZero():
		return 2
	}
	return 1
}

func mergeJobs(old, new []Job) []Job {
	out := slices.Clone(old)
	for _, j := range new {
		if i := slices.IndexFunc(out, func(x Job) bool { return x.ID == j.ID }); i >= 0 {
			if progress(&j) >= progress(&out[i]) {
				out[i] = j
			}
		} else {
			out = append(out, j)
		}
	}
	slices.SortStableFunc(out, func(a, b Job) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return out
}

// Time is when a run started, for filing it by month: run_started_at,
// else created_at, else its first job's start.
func (r *Run) Time() time.Time {
	for _, t := range []time.Time{r.Started, r.Created} {
		if !t.IsZero() {
			return t
		}
	}
	var first time.Time
	for _, j := range r.Jobs {
		for _, t := range []time.Time{j.Created, j.Started} {
			if !t.IsZero() && (first.IsZero() || t.Before(first)) {
				first = t
			}
		}
	}
	return first
}

// Record writes a run as gitdora stores it: the run object as given (one
// member per line), with a jobs array of its jobs (one compact job per
// line). Parsing a record and writing it again gives the same bytes.
func Record(r *Run) []byte {
	var b bytes.Buffer
	raw := bytes.TrimSuffix(bytes.TrimSpace(r.Raw), []byte("}"))
	raw = bytes.TrimRight(raw, " \t\r\n")
	b.Write(raw)
	if len(raw) > 1 {
		b.WriteString(",")
	}
	b.WriteString("\n  \"jobs\": [")
	for i, j := range r.Jobs {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n    ")
		b.Write(j.Raw)
	}
	if len(r.Jobs) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("]\n}\n")
	return b.Bytes()
}

// withoutMember writes the object b without the member named drop,
// keeping the others in their order, one per line, values compacted.
func withoutMember(b []byte, drop string) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.WriteString("{")
	first := true
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		if name == drop {
			continue
		}
		if !first {
			out.WriteString(",")
		}
		first = false
		nb, _ := json.Marshal(name)
		out.WriteString("\n  ")
		out.Write(nb)
		out.WriteString(": ")
		if err := json.Compact(&out, v); err != nil {
			return nil, err
		}
	}
	out.WriteString("\n}")
	return out.Bytes(), nil
}
