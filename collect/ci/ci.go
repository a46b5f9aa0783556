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
	"strings"
	"time"
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
	Runs  []Run
	Jobs  []Job
	Notes []string
}

// Parse reads one file of any of the accepted shapes.
func Parse(b []byte) (*Doc, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, errors.New("empty file, want GitHub Actions run JSON")
	}
	d := &Doc{}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("invalid JSON: %v", err)
	}
	switch v.(type) {
	case map[string]any:
		if err := d.add(b, "$"); err != nil {
			return nil, err
		}
	case []any:
		var items []json.RawMessage
		if err := json.Unmarshal(b, &items); err != nil {
			return nil, fmt.Errorf("invalid JSON: %v", err)
		}
		for i, it := range items {
			if err := d.add(it, fmt.Sprintf("$[%d]", i)); err != nil {
				return nil, err
			}
		}
	default:
		return nil, errors.New("$: want a GitHub Actions run object, a jobs response or a list of them")
	}
	if len(d.Runs) == 0 && len(d.Jobs) == 0 {
		return nil, errors.New("$: no workflow run or job in the file")
	}
	return d, nil
}

// wantShape says what Parse accepts.
const wantShape = "want a GitHub Actions run (id, head_sha, …, with jobs), a jobs response ({\"jobs\": […]}), a runs list ({\"workflow_runs\": […]}) or a workflow_run/workflow_job webhook payload"

// add classifies one object and adds what it holds.
func (d *Doc) add(b json.RawMessage, at string) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		return fmt.Errorf("%s: %s", at, wantShape)
	}
	has := func(k string) bool { v, ok := m[k]; return ok && string(v) != "null" }
	switch {
	case has("data") && !has("id"): // a DevLake raw-table row
		return d.add(m["data"], at+".data")
	case has("workflow_run"):
		return d.addRun(m["workflow_run"], at+".workflow_run")
	case has("workflow_job"):
		return d.addJob(m["workflow_job"], at+".workflow_job")
	case has("workflow_runs"):
		var runs []json.RawMessage
		if err := json.Unmarshal(m["workflow_runs"], &runs); err != nil {
			return fmt.Errorf("%s.workflow_runs: want an array of runs", at)
		}
		for i, r := range runs {
			if err := d.addRun(r, fmt.Sprintf("%s.workflow_runs[%d]", at, i)); err != nil {
				return err
			}
		}
		return nil
	case has("run_id") && has("id"):
		return d.addJob(b, at)
	case has("id") && (has("head_sha") || has("run_number") || has("workflow_id") || has("jobs")):
		return d.addRun(b, at)
	case has("jobs"):
		jobs, err := parseJobs(m["jobs"], at+".jobs")
		if err != nil {
			return err
		}
		d.Jobs = append(d.Jobs, jobs...)
		return nil
	}
	return fmt.Errorf("%s: %s", at, wantShape)
}

// wire types: the fields gitdora reads, as the API writes them.
type wireRun struct {
	ID           int64  `json:"id"`
	Attempt      int    `json:"run_attempt"`
	Name         string `json:"name"`
	Path         string `json:"path"`
	HeadSHA      string `json:"head_sha"`
	HeadBranch   string `json:"head_branch"`
	Event        string `json:"event"`
	Status       string `json:"status"`
	Conclusion   string `json:"conclusion"`
	CreatedAt    stamp  `json:"created_at"`
	RunStartedAt stamp  `json:"run_started_at"`
	UpdatedAt    stamp  `json:"updated_at"`
}

type wireJob struct {
	ID          int64      `json:"id"`
	RunID       int64      `json:"run_id"`
	Attempt     int        `json:"run_attempt"`
	HeadSHA     string     `json:"head_sha"`
	HeadBranch  string     `json:"head_branch"`
	Workflow    string     `json:"workflow_name"`
	CreatedAt   stamp      `json:"created_at"`
	Name        string     `json:"name"`
	Status      string     `json:"status"`
	Conclusion  string     `json:"conclusion"`
	StartedAt   stamp      `json:"started_at"`
	CompletedAt stamp      `json:"completed_at"`
	Steps       []wireStep `json:"steps"`
}

type wireStep struct {
	Name        string `json:"name"`
	Status      string `json:"status"`
	Conclusion  string `json:"conclusion"`
	StartedAt   stamp  `json:"started_at"`
	CompletedAt stamp  `json:"completed_at"`
}

// stamp is a timestamp as the API writes it: Z, .000Z, .000-07:00, or null.
type stamp struct{ time.Time }

func (s *stamp) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var str string
	if err := json.Unmarshal(b, &str); err != nil {
		return fmt.Errorf("want a time as a string, got %s", b)
	}
	t, err := ParseTime(str)
	if err != nil {
		return err
	}
	s.Time = t
	return nil
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

func (d *Doc) addRun(b json.RawMessage, at string) error {
	var w wireRun
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("%s: not a workflow run: %v", at, jsonErr(err))
	}
	if w.ID <= 0 {
		return fmt.Errorf("%s.id: want a positive run id, got %d", at, w.ID)
	}
	r := Run{
		ID: w.ID, Attempt: max(w.Attempt, 1), Name: w.Name, Path: w.Path, HeadSHA: w.HeadSHA, HeadBranch: w.HeadBranch,
		Event: w.Event, Status: strings.ToLower(w.Status), Conclusion: strings.ToLower(w.Conclusion),
		Created: w.CreatedAt.Time, Started: w.RunStartedAt.Time, Updated: w.UpdatedAt.Time,
	}
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	if jb, ok := m["jobs"]; ok && string(jb) != "null" {
		var inner map[string]json.RawMessage
		if json.Unmarshal(jb, &inner) == nil && inner["jobs"] != nil { // the jobs response nested whole
			jb = inner["jobs"]
		}
		jobs, err := parseJobs(jb, at+".jobs")
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
	raw, err := withoutMember(b, "jobs")
	if err != nil {
		return fmt.Errorf("%s: %v", at, err)
	}
	r.Raw = raw
	_, r.Stub = m[stubMember]
	d.Runs = append(d.Runs, r)
	return nil
}

func parseJobs(b json.RawMessage, at string) ([]Job, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(b, &items); err != nil {
		return nil, fmt.Errorf("%s: want an array of jobs", at)
	}
	var d Doc
	for i, it := range items {
		if err := d.addJob(it, fmt.Sprintf("%s[%d]", at, i)); err != nil {
			return nil, err
		}
	}
	return d.Jobs, nil
}

func (d *Doc) addJob(b json.RawMessage, at string) error {
	var w wireJob
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("%s: not a workflow job: %v", at, jsonErr(err))
	}
	if w.ID <= 0 || w.RunID <= 0 {
		return fmt.Errorf("%s: want a job with a positive id and run_id, got id %d, run_id %d", at, w.ID, w.RunID)
	}
	var c bytes.Buffer
	if err := json.Compact(&c, b); err != nil {
		return fmt.Errorf("%s: %v", at, err)
	}
	j := Job{
		ID: w.ID, RunID: w.RunID, Attempt: max(w.Attempt, 1), Name: w.Name,
		HeadSHA: w.HeadSHA, HeadBranch: w.HeadBranch, Workflow: w.Workflow, Created: w.CreatedAt.Time,
		Status: strings.ToLower(w.Status), Conclusion: strings.ToLower(w.Conclusion),
		Started: w.StartedAt.Time, Completed: w.CompletedAt.Time, Raw: c.Bytes(),
	}
	for _, s := range w.Steps {
		j.Steps = append(j.Steps, Step{Name: s.Name, Status: strings.ToLower(s.Status), Conclusion: strings.ToLower(s.Conclusion), Started: s.StartedAt.Time, Completed: s.CompletedAt.Time})
	}
	d.Jobs = append(d.Jobs, j)
	return nil
}

// jsonErr shortens encoding/json's type errors to the field and the types.
func jsonErr(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s is a JSON %s, want %s", te.Field, te.Value, te.Type)
	}
	return err.Error()
}

// Summary is what gitdora computes from a run.
type Summary struct {
	PipelineSeconds *float64 // updated_at − run_started_at (created_at without it); nil while running
	ScanSeconds     *float64 // time in scan steps (or jobs); nil when none matched
	GateBlocked     bool     // a scan step (or job) failed
	Notes           []string // odd values met
}

// Summarize computes pipeline and scan seconds of r; scan steps (or jobs
// without a matching step) are those whose name matches scan.
func Summarize(r *Run, scan *regexp.Regexp) Summary {
	var s Summary
	start := r.Started
	if r.Stub {
		start = time.Time{}
	}
	if start.IsZero() {
		start = r.Created
	}
	status := r.Status
	if status != "completed" && knownConclusion[status] {
		s.Notes = append(s.Notes, fmt.Sprintf("status %q is a conclusion; read as completed", r.Status))
		status = "completed"
	}
	switch {
	case r.Stub:
		// known from its jobs only: no pipeline time
	case status != "" && status != "completed":
		// still running: no pipeline time yet
	case start.IsZero() || r.Updated.IsZero():
		s.Notes = append(s.Notes, "no start or update time; pipeline seconds unknown")
	case r.Updated.Before(start):
		s.Notes = append(s.Notes, fmt.Sprintf("updated_at %s is before the run started (%s); pipeline seconds unknown", r.Updated.Format(time.RFC3339), start.Format(time.RFC3339)))
	default:
		v := r.Updated.Sub(start).Seconds()
		s.PipelineSeconds = &v
	}
	if r.Status != "" && !knownStatus[r.Status] && !knownConclusion[r.Status] {
		s.Notes = append(s.Notes, fmt.Sprintf("status %q is not a GitHub run status", r.Status))
	}
	if r.Conclusion != "" && !knownConclusion[r.Conclusion] {
		s.Notes = append(s.Notes, fmt.Sprintf("conclusion %q is not a GitHub conclusion", r.Conclusion))
	}
	var total float64
	matched := false
	add := func(from, to time.Time) {
		if !from.IsZero() && !to.IsZero() && !to.Before(from) {
			total += to.Sub(from).Seconds()
		}
	}
	for _, j := range r.Jobs {
		steps := false
		for _, st := range j.Steps {
			if !scan.MatchString(st.Name) {
				continue
			}
			steps, matched = true, true
			add(st.Started, st.Completed)
			if st.Conclusion == "failure" {
				s.GateBlocked = true
			}
		}
		if !steps && scan.MatchString(j.Name) {
			matched = true
			add(j.Started, j.Completed)
			if j.Conclusion == "failure" {
				s.GateBlocked = true
			}
		}
	}
	if matched {
		s.ScanSeconds = &total
	}
	return s
}

var (
	knownStatus     = map[string]bool{"completed": true, "in_progress": true, "queued": true, "requested": true, "waiting": true, "pending": true, "action_required": true}
	knownConclusion = map[string]bool{"success": true, "failure": true, "neutral": true, "cancelled": true, "skipped": true, "timed_out": true, "action_required": true, "stale": true, "startup_failure": true}
)

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
