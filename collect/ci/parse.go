package ci

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

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
