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
	"encoding/json"
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

// GitLab is the Source of a GitLab pipeline stored as a run record.
const GitLab = "gitlab-pipelines"
