package ingest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/gitdora/gitdora/collect/ci"
	"github.com/gitdora/gitdora/collect/imports"
)

// pipelines stages the GitLab pipelines of the set as CI run records, in
// the shape of a GitHub Actions run with its jobs, so that collect reads
// their pipeline seconds, scan seconds and gate blocks as it reads those
// of GitHub Actions (docs/import.md, "gitlab-pipelines"). A pipeline
// stored before is merged with the new record as `ingest ci` merges runs.
func (st *importer) pipelines() error {
	var runs []ci.Run
	for _, pl := range st.in.Set.Pipelines {
		b, err := PipelineRecord(pl)
		if err != nil {
			st.rep.Skipped = append(st.rep.Skipped, fmt.Sprintf("GitLab pipeline %s: %v", pl.ID, err))
			continue
		}
		d, err := ci.Parse(b)
		if err != nil || len(d.Runs) != 1 {
			return fmt.Errorf("GitLab pipeline %s: its run record does not read back: %v", pl.ID, err)
		}
		if d.Runs[0].Time().IsZero() {
			st.rep.Skipped = append(st.rep.Skipped, fmt.Sprintf("GitLab pipeline %s: no time to file it by (no created_at, started_at or job times)", pl.ID))
			continue
		}
		runs = append(runs, d.Runs[0])
	}
	outs, err := StageCI(st.tx, runs)
	if err != nil {
		return err
	}
	for i, o := range outs {
		switch o.What {
		case "already stored":
			st.rep.Unchanged++
			continue
		case "updated":
			o.What = "CI record updated"
		default:
			o.What = "CI record stored"
		}
		o.Name = "gitlab-" + strconv.FormatInt(runs[i].ID, 10)
		st.rep.Written = append(st.rep.Written, o)
		for _, n := range o.Notes {
			st.rep.Warnings = append(st.rep.Warnings, o.Name+": "+n)
		}
	}
	return nil
}

// wireRun is a GitLab pipeline as a GitHub Actions run record: the
// members collect/ci reads, then gitdora_source, and GitLab's own values
// under gitlab.
type wireRun struct {
	ID           int64     `json:"id"`
	RunNumber    int64     `json:"run_number,omitempty"`
	RunAttempt   int       `json:"run_attempt"`
	Name         string    `json:"name"`
	HeadSHA      string    `json:"head_sha"`
	HeadBranch   string    `json:"head_branch"`
	Event        string    `json:"event"`
	Status       string    `json:"status"`
	Conclusion   *string   `json:"conclusion"`
	CreatedAt    *string   `json:"created_at"`
	RunStartedAt *string   `json:"run_started_at"`
	UpdatedAt    *string   `json:"updated_at"`
	Source       string    `json:"gitdora_source"`
	Stub         bool      `json:"gitdora_stub,omitempty"`
	GitLab       wireGL    `json:"gitlab"`
	Jobs         []wireJob `json:"jobs"`
}

type wireGL struct {
	Project      string   `json:"project_id,omitempty"`
	Status       string   `json:"status,omitempty"`
	Stage        string   `json:"stage,omitempty"`
	AllowFailure bool     `json:"allow_failure,omitempty"`
	StartedAt    *string  `json:"started_at,omitempty"`
	FinishedAt   *string  `json:"finished_at,omitempty"`
	UpdatedAt    *string  `json:"updated_at,omitempty"`
	Duration     *float64 `json:"duration,omitempty"`
}

type wireJob struct {
	ID          int64   `json:"id"`
	RunID       int64   `json:"run_id"`
	RunAttempt  int     `json:"run_attempt"`
	Name        string  `json:"name"`
	HeadSHA     string  `json:"head_sha,omitempty"`
	HeadBranch  string  `json:"head_branch,omitempty"`
	Status      string  `json:"status"`
	Conclusion  *string `json:"conclusion"`
	CreatedAt   *string `json:"created_at"`
	StartedAt   *string `json:"started_at"`
	CompletedAt *string `json:"completed_at"`
	GitLab      wireGL  `json:"gitlab"`
}

// glStatus maps a GitLab pipeline or job status to a GitHub Actions
// status and conclusion; allowFailure makes a failed job neutral (it
// blocked nothing).
func glStatus(s string, allowFailure bool) (status string, conclusion *string) {
	c := func(v string) *string { return &v }
	switch s {
	case "success":
		return "completed", c("success")
	case "failed":
		if allowFailure {
			return "completed", c("neutral")
		}
		return "completed", c("failure")
	case "canceled":
		return "completed", c("cancelled")
	case "skipped":
		return "completed", c("skipped")
	case "running", "canceling":
		return "in_progress", nil
	case "manual", "scheduled":
		return "waiting", nil
	}
	return "queued", nil // created, waiting_for_resource, preparing, pending, and statuses GitLab may add
}

func timeText(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.Format(time.RFC3339Nano)
	return &s
}

// glID is a GitLab id as the positive number a run record needs.
func glID(what, id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%s id %q is not a positive whole number", what, id)
	}
	return n, nil
}

// PipelineRecord writes a GitLab pipeline as the run record gitdora
// stores (docs/import.md): a completed pipeline's run_started_at and
// updated_at span its seconds (finished_at − started_at, else GitLab's
// duration before finished_at); a job's started_at and completed_at span
// its duration, and a job that never started has neither. A failed job
// allowed to fail concludes neutral: it blocked nothing.
func PipelineRecord(pl imports.Pipeline) ([]byte, error) {
	id, err := glID("pipeline", pl.ID)
	if err != nil {
		return nil, err
	}
	status, conclusion := glStatus(pl.Status, false)
	name := pl.Name
	if name == "" {
		name = "GitLab pipeline"
	}
	w := wireRun{
		ID: id, RunNumber: pl.Number, RunAttempt: 1, Name: name, HeadSHA: pl.SHA, HeadBranch: pl.Ref, Event: pl.Trigger,
		Status: status, Conclusion: conclusion, CreatedAt: timeText(pl.Created), Source: ci.GitLab, Stub: pl.Stub,
		GitLab: wireGL{Project: pl.Project, Status: pl.Status, StartedAt: timeText(pl.Started), FinishedAt: timeText(pl.Finished), UpdatedAt: timeText(pl.Updated), Duration: pl.Seconds},
		Jobs:   []wireJob{},
	}
	start, updated := pl.Started, pl.Updated
	if status == "completed" && !pl.Finished.IsZero() {
		updated = pl.Finished
		if pl.Seconds != nil {
			start = pl.Finished.Add(-time.Duration(*pl.Seconds * float64(time.Second)))
		}
	}
	if pl.Stub {
		updated = time.Time{} // known from its jobs: no pipeline time
	}
	w.RunStartedAt, w.UpdatedAt = timeText(start), timeText(updated)
	for _, j := range pl.Jobs {
		jid, err := glID("job", j.ID)
		if err != nil {
			return nil, err
		}
		js, jc := glStatus(j.Status, j.AllowFailure)
		wj := wireJob{
			ID: jid, RunID: id, RunAttempt: 1, Name: j.Name, HeadSHA: j.SHA, HeadBranch: j.Ref, Status: js, Conclusion: jc,
			CreatedAt: timeText(j.Created),
			GitLab:    wireGL{Status: j.Status, Stage: j.Stage, AllowFailure: j.AllowFailure, FinishedAt: timeText(j.Finished), Duration: j.Seconds},
		}
		if !j.Started.IsZero() {
			wj.StartedAt = timeText(j.Started)
			switch {
			case j.Seconds != nil:
				wj.CompletedAt = timeText(j.Started.Add(time.Duration(*j.Seconds * float64(time.Second))))
			default:
				wj.CompletedAt = timeText(j.Finished)
			}
		}
		w.Jobs = append(w.Jobs, wj)
	}
	return json.Marshal(w)
}
