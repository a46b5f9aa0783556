package demo

import (
	"encoding/json"
	"time"
)

// Run is a GitHub Actions workflow run as the plan makes it.
type Run struct {
	ID                     int64
	Name, Path, Event, SHA string
	Start, End             time.Time
	Conclusion             string
	Jobs                   []Job
}

// Job is a job of a Run.
type Job struct {
	ID         int64
	Name       string
	Start, End time.Time
	Conclusion string // success, failure or skipped
	Steps      []Step
}

// Step is a step of a Job.
type Step struct {
	Name       string
	Start, End time.Time
	Conclusion string
}

// step says what a job runs: a name, how long it takes, and how it ends
// ("" for success).
type step struct {
	name       string
	d          time.Duration
	conclusion string
}

// job appends a job that starts at start and runs steps one after the
// other. After a step that fails, the others are skipped but the last
// (GitHub's "Complete job"). A job of one unnamed step is a job that was
// skipped (it has no steps).
func (r *Run) job(name string, start time.Time, steps ...step) Job {
	j := Job{ID: r.ID*8 + int64(len(r.Jobs)) + 1, Name: name, Start: start, End: start, Conclusion: "success"}
	if len(steps) == 1 && steps[0].name == "" {
		j.Conclusion = "skipped"
		r.Jobs = append(r.Jobs, j)
		return j
	}
	t := start
	failed := false
	for i, s := range steps {
		st := Step{Name: s.name, Start: t, Conclusion: "success"}
		switch {
		case failed && i < len(steps)-1:
			st.Conclusion = "skipped"
		case s.conclusion != "":
			st.Conclusion = s.conclusion
			failed = true
			fallthrough
		default:
			t = t.Add(s.d)
		}
		st.End = t
		j.Steps = append(j.Steps, st)
	}
	if failed {
		j.Conclusion = "failure"
	}
	j.End = t
	r.Jobs = append(r.Jobs, j)
	return j
}

// JSON is the run as `gh api repos/OWNER/REPO/actions/runs/ID` returns
// it, with the jobs of `…/runs/ID/jobs` in a jobs member: what
// `gitdora ingest ci` reads.
func (r *Run) JSON() ([]byte, error) {
	type wireStep struct {
		Name        string `json:"name"`
		Status      string `json:"status"`
		Conclusion  string `json:"conclusion"`
		Number      int    `json:"number"`
		StartedAt   string `json:"started_at"`
		CompletedAt string `json:"completed_at"`
	}
	type wireJob struct {
		ID           int64      `json:"id"`
		RunID        int64      `json:"run_id"`
		RunAttempt   int        `json:"run_attempt"`
		HeadSHA      string     `json:"head_sha"`
		HeadBranch   string     `json:"head_branch"`
		WorkflowName string     `json:"workflow_name"`
		Name         string     `json:"name"`
		Status       string     `json:"status"`
		Conclusion   string     `json:"conclusion"`
		CreatedAt    string     `json:"created_at"`
		StartedAt    string     `json:"started_at"`
		CompletedAt  string     `json:"completed_at"`
		Steps        []wireStep `json:"steps"`
		RunnerName   string     `json:"runner_name"`
		Labels       []string   `json:"labels"`
	}
	type wireRun struct {
		ID           int64     `json:"id"`
		Name         string    `json:"name"`
		HeadBranch   string    `json:"head_branch"`
		HeadSHA      string    `json:"head_sha"`
		Path         string    `json:"path"`
		RunNumber    int64     `json:"run_number"`
		Event        string    `json:"event"`
		Status       string    `json:"status"`
		Conclusion   string    `json:"conclusion"`
		WorkflowID   int64     `json:"workflow_id"`
		HTMLURL      string    `json:"html_url"`
		CreatedAt    string    `json:"created_at"`
		UpdatedAt    string    `json:"updated_at"`
		RunAttempt   int       `json:"run_attempt"`
		RunStartedAt string    `json:"run_started_at"`
		Jobs         []wireJob `json:"jobs"`
	}
	at := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	w := wireRun{ID: r.ID, Name: r.Name, HeadBranch: trunk, HeadSHA: r.SHA, Path: r.Path, RunNumber: r.ID % 100000, Event: r.Event,
		Status: "completed", Conclusion: r.Conclusion, WorkflowID: int64(len(r.Path)) * 1_000_003,
		HTMLURL:   "https://github.com/example/service/actions/runs/" + itoa(r.ID),
		CreatedAt: at(r.Start), UpdatedAt: at(r.End), RunAttempt: 1, RunStartedAt: at(r.Start), Jobs: []wireJob{}}
	for _, j := range r.Jobs {
		wj := wireJob{ID: j.ID, RunID: r.ID, RunAttempt: 1, HeadSHA: r.SHA, HeadBranch: trunk, WorkflowName: r.Name, Name: j.Name,
			Status: "completed", Conclusion: j.Conclusion, CreatedAt: at(j.Start), StartedAt: at(j.Start), CompletedAt: at(j.End),
			Steps: []wireStep{}, RunnerName: "GitHub Actions " + itoa(j.ID%97), Labels: []string{"ubuntu-latest"}}
		for k, s := range j.Steps {
			wj.Steps = append(wj.Steps, wireStep{Name: s.Name, Status: "completed", Conclusion: s.Conclusion, Number: k + 1, StartedAt: at(s.Start), CompletedAt: at(s.End)})
		}
		w.Jobs = append(w.Jobs, wj)
	}
	b, err := json.MarshalIndent(w, "", "  ")
	return append(b, '\n'), err
}
