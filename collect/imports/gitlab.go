package imports

import (
	"path"
	"strings"
	"time"
)

// pipelineStatuses are the statuses of GitLab pipelines and jobs.
var pipelineStatuses = map[string]bool{
	"created": true, "waiting_for_resource": true, "preparing": true, "pending": true, "running": true,
	"success": true, "failed": true, "canceled": true, "canceling": true, "skipped": true, "manual": true, "scheduled": true,
}

// projectOf is the id of the project a GitLab hook payload names.
func projectOf(o obj) string {
	if pr, ok := o.child("project"); ok {
		return pr.id("id")
	}
	return o.id("project_id")
}

// glPipeline reads a pipeline (a REST object, or a hook's
// object_attributes with the hook's project) and returns where it is in
// the batch, -1 when refused.
func (p *parser) glPipeline(a obj, project string) int {
	a.need("id")
	a.need("status")
	pl := Pipeline{
		ID: a.id("id"), Name: a.str("name"), SHA: a.sha("sha"), Ref: a.str("ref"), Trigger: a.lower("source"), Status: a.lower("status"),
		Created: a.time("created_at"), Started: a.time("started_at"), Finished: a.time("finished_at"),
		Project: project, Source: p.source,
	}
	pl.Number, _ = a.integer("iid")
	if pl.Project == "" {
		pl.Project = a.id("project_id")
	}
	duration := a.seconds("duration")
	pl.Updated = latest(a.time("updated_at"), pl.Created, pl.Started, pl.Finished)
	if p.r.err != nil {
		return -1
	}
	if !pipelineStatuses[pl.Status] {
		p.note(a.at("status"), "status %s is not a GitLab pipeline status", clip(pl.Status))
	}
	switch {
	case !pl.Started.IsZero() && !pl.Finished.IsZero() && !pl.Finished.Before(pl.Started):
		s := pl.Finished.Sub(pl.Started).Seconds()
		pl.Seconds = &s
	case duration != nil && !pl.Finished.IsZero():
		pl.Seconds = duration
	}
	p.b.Pipelines = append(p.b.Pipelines, pl)
	return len(p.b.Pipelines) - 1
}

func (p *parser) glPipelineHook(o obj) {
	a, _ := o.child("object_attributes")
	i := p.glPipeline(a, projectOf(o))
	if i < 0 {
		return
	}
	pl := &p.b.Pipelines[i]
	for j, b := range o.list("builds") {
		bo, ok := p.r.obj(b, index(o.at("builds"), j))
		if !ok {
			p.r.fail(index(o.at("builds"), j), "want a job object, got %s", kindOf(b))
			return
		}
		job, ok := p.glJobFields(bo, "", pl.ID)
		if !ok {
			return
		}
		job.SHA, job.Ref = pl.SHA, pl.Ref
		pl.Jobs = append(pl.Jobs, job)
	}
}

// glJobFields reads a job whose members are named with prefix (build_
// or job_ in job hooks, none elsewhere); pipeline is the pipeline's id
// when the caller knows it.
func (p *parser) glJobFields(o obj, prefix, pipeline string) (Job, bool) {
	f := func(k string) string { return prefix + k }
	o.need(f("id"))
	o.need(f("status"))
	j := Job{
		ID: o.id(f("id")), Pipeline: pipeline, Name: o.str(f("name")), Stage: o.str(f("stage")), Status: o.lower(f("status")),
		AllowFailure: o.flag(f("allow_failure")), Manual: o.flag("manual") || o.lower("when") == "manual",
		Created: o.time(f("created_at")), Started: o.time(f("started_at")), Finished: o.time(f("finished_at")),
		Source: p.source,
	}
	duration := o.seconds(f("duration"))
	if p.r.err != nil {
		return Job{}, false
	}
	if !pipelineStatuses[j.Status] {
		p.note(o.at(f("status")), "status %s is not a GitLab job status", clip(j.Status))
	}
	switch {
	case j.Started.IsZero():
		if duration != nil && *duration > 0 {
			p.note(o.at(f("duration")), "a duration for a job that never started: left out")
		}
	case duration != nil:
		j.Seconds = duration
	case !j.Finished.IsZero() && !j.Finished.Before(j.Started):
		s := j.Finished.Sub(j.Started).Seconds()
		j.Seconds = &s
	}
	return j, true
}

// glJob reads a job of the REST API.
func (p *parser) glJob(o obj, pipeline string) {
	if pl, ok := o.child("pipeline"); ok {
		pipeline = pl.id("id")
	}
	j, ok := p.glJobFields(o, "", pipeline)
	if !ok {
		return
	}
	if c, ok := o.child("commit"); ok {
		j.SHA = c.sha("id")
	}
	j.Ref = o.str("ref")
	if j.Pipeline == "" && p.r.err == nil {
		p.r.fail(o.at("pipeline"), "a job that does not say which pipeline it belongs to")
	}
	if p.r.err == nil {
		p.b.Jobs = append(p.b.Jobs, j)
	}
}

// glJobHook reads a job hook: build_* members (object_kind build) or
// job_* ones (object_kind job); its commit.id is the pipeline's id.
func (p *parser) glJobHook(o obj) {
	prefix := "build_"
	if o.s("object_kind") == "job" {
		prefix = "job_"
	}
	pipeline := o.id("pipeline_id")
	if pipeline == "" {
		if c, ok := o.child("commit"); ok {
			pipeline = c.id("id")
		}
	}
	j, ok := p.glJobFields(o, prefix, pipeline)
	if !ok {
		return
	}
	j.SHA, j.Ref = o.sha("sha"), o.str("ref")
	if j.Pipeline == "" && p.r.err == nil {
		p.r.fail(o.at("pipeline_id"), "missing: the job's pipeline")
	}
	if p.r.err == nil {
		p.b.Jobs = append(p.b.Jobs, j)
	}
}

// glDeploymentStatus maps a GitLab deployment status: success and failed
// decide; created, running and blocked (awaiting approval) leave it
// undecided, as do the waiting statuses of a deployment's job;
// canceled and skipped deployments deployed nothing.
func (p *parser) glDeploymentStatus(at, status string) (string, bool) {
	switch status {
	case "success":
		return Success, true
	case "failed":
		return Failure, true
	case "created", "running", "blocked", "pending", "waiting_for_resource", "preparing", "manual", "scheduled":
		return "", true
	case "canceled", "skipped":
		p.skip(at, "deployment %s: nothing was deployed", status)
	default:
		p.skip(at, "deployment status %s is not a GitLab one (created, running, success, failed, canceled, skipped, blocked)", clip(status))
	}
	return "", false
}

// glDeployment reads a deployment of the REST API.
func (p *parser) glDeployment(o obj) {
	o.need("id")
	o.need("created_at")
	d := Deployment{ID: o.id("id"), SHA: o.sha("sha"), Ref: o.str("ref"), Created: o.time("created_at"), Source: p.source}
	status := o.lower("status")
	if env, ok := o.child("environment"); ok {
		d.Environment = env.str("name")
	} else {
		d.Environment = o.str("environment")
	}
	updated := o.time("updated_at")
	finished := o.time("finished_at")
	job, hasJob := o.child("deployable")
	if hasJob && finished.IsZero() {
		finished = job.time("finished_at")
	}
	if status == "" && hasJob {
		// Old API versions (and GitLab's docs of them) give the status
		// of the deployment's job only.
		if status = job.lower("status"); status != "" {
			p.note(o.at("status"), "missing: the status of its job (deployable.status), %s, read instead", clip(status))
		}
	}
	if status == "" {
		o.need("status")
	}
	if p.r.err != nil {
		return
	}
	var ok bool
	if d.Status, ok = p.glDeploymentStatus(o.at("status"), status); !ok {
		return
	}
	d.Updated = latest(updated, d.Created, finished)
	d.Time = d.Created
	if d.Status != "" {
		d.Time = finished
		if d.Time.IsZero() {
			d.Time = latest(updated, d.Created)
		}
	}
	p.b.Deployments = append(p.b.Deployments, d)
}

// glDeploymentHook reads a deployment hook; the full commit hash is the
// last segment of its commit_url (short_sha is too short to use).
func (p *parser) glDeploymentHook(o obj) {
	o.need("deployment_id")
	o.need("status")
	o.need("status_changed_at")
	d := Deployment{ID: o.id("deployment_id"), Ref: o.str("ref"), Environment: o.str("environment"), Source: p.source}
	at := o.time("status_changed_at")
	status := o.lower("status")
	if u := o.s("commit_url"); isSHA(path.Base(u)) {
		d.SHA = strings.ToLower(path.Base(u))
	}
	if p.r.err != nil {
		return
	}
	if d.SHA == "" {
		p.note(o.at("commit_url"), "no full commit hash (short_sha %s): the deployment's commit is unknown", clip(o.s("short_sha")))
	}
	var ok bool
	if d.Status, ok = p.glDeploymentStatus(o.at("status"), status); !ok {
		return
	}
	d.Time, d.Updated = at, at
	p.b.Deployments = append(p.b.Deployments, d)
}

// mrState maps a merge request's state to a pull's.
func mrState(s string) string {
	switch s {
	case "opened", "locked", "reopened":
		return "open"
	case "closed", "merged":
		return s
	}
	return ""
}

// glMRFields reads the members a merge request has in REST and hooks.
func (p *parser) glMRFields(a obj) Pull {
	a.need("id")
	a.need("iid")
	a.need("created_at")
	pr := Pull{
		ID: a.id("id"), State: a.lower("state"), Draft: a.flag("draft") || a.flag("work_in_progress"),
		Opened: a.time("created_at"), Updated: a.time("updated_at"), Merged: a.time("merged_at"), Source: p.source,
	}
	pr.Number, _ = a.integer("iid")
	pr.MergeSHA = a.sha("merge_commit_sha")
	if pr.MergeSHA == "" {
		pr.MergeSHA = a.sha("squash_commit_sha")
	}
	pr.Repo = a.id("target_project_id")
	if pr.Repo == "" {
		pr.Repo = a.id("project_id")
	}
	pr.Updated = latest(pr.Updated, pr.Opened)
	return pr
}

// glMRFinish checks a merge request and adds it.
func (p *parser) glMRFinish(a obj, pr Pull) {
	if p.r.err != nil {
		return
	}
	state := mrState(pr.State)
	if state == "" {
		p.r.fail(a.at("state"), "want opened, closed, locked or merged, got %s", clip(pr.State))
		return
	}
	pr.State = state
	if state != "merged" {
		pr.Merged, pr.MergeSHA = time.Time{}, ""
	} else if pr.Merged.IsZero() {
		p.note(a.at("merged_at"), "merged, but the record does not say when")
	}
	if !pr.Draft && pr.Ready.IsZero() {
		pr.Ready = pr.Opened
	}
	if pr.Draft {
		pr.Ready, pr.ReadySeen = time.Time{}, false
	}
	p.b.Pulls = append(p.b.Pulls, pr)
}

// glUser reads a GitLab user: username, id, and whether it is a bot (the
// bot member, or the project and group bot users' names).
func glUser(u obj) (name, id string, bot bool) {
	name, id = u.str("username"), u.id("id")
	bot = u.flag("bot") || glBotName(name)
	return
}

func glBotName(name string) bool {
	for _, pre := range []string{"project_", "group_"} {
		if rest, ok := strings.CutPrefix(name, pre); ok && strings.Contains(rest, "_bot") {
			return true
		}
	}
	return false
}

// glMR reads a merge request of the REST API.
func (p *parser) glMR(o obj) {
	pr := p.glMRFields(o)
	pr.HeadSHA = o.sha("sha")
	if u, ok := o.child("author"); ok {
		pr.Author, pr.AuthorID, _ = glUser(u)
	}
	p.glMRFinish(o, pr)
}

// glMRHook reads a merge request hook. Its merged_at is often missing: a
// merge action's updated_at is when it merged. A change of draft (or of
// a Draft:/WIP: title) to ready is when it left draft.
func (p *parser) glMRHook(o obj) {
	a, _ := o.child("object_attributes")
	pr := p.glMRFields(a)
	if pr.Repo == "" {
		pr.Repo = projectOf(o)
	}
	if c, ok := a.child("last_commit"); ok {
		pr.HeadSHA = c.sha("id")
	}
	pr.AuthorID = a.id("author_id")
	if u, ok := o.child("user"); ok {
		if name, id, _ := glUser(u); id != "" && id == pr.AuthorID {
			pr.Author = name
		}
	}
	action := a.lower("action")
	if action == "merge" && pr.Merged.IsZero() {
		pr.Merged = pr.Updated
	}
	if ch, ok := o.child("changes"); ok && !pr.Draft && leftDraft(ch) {
		pr.Ready, pr.ReadySeen = pr.Updated, true
	}
	p.glMRFinish(a, pr)
}

// leftDraft tells from a hook's changes that a merge request left draft.
func leftDraft(ch obj) bool {
	for _, k := range []string{"draft", "work_in_progress"} {
		if c, ok := ch.r.obj(ch.m[k], ch.at(k)); ok {
			if prev, _ := c.m["previous"].(bool); prev {
				if cur, _ := c.m["current"].(bool); !cur {
					return true
				}
			}
		}
	}
	if c, ok := ch.r.obj(ch.m["title"], ch.at("title")); ok {
		return draftTitle(c.s("previous")) && !draftTitle(c.s("current"))
	}
	return false
}

func draftTitle(t string) bool {
	t = strings.ToLower(strings.TrimSpace(t))
	for _, pre := range []string{"draft:", "[draft]", "(draft)", "wip:", "[wip]"} {
		if strings.HasPrefix(t, pre) {
			return true
		}
	}
	return false
}

// glMRCommit reads a commit of the merge request named in Options.
func (p *parser) glMRCommit(o obj) {
	if p.pull == 0 {
		p.r.fail(o.path, "merge request commits do not say which merge request they belong to: name its iid (--pull N)")
		return
	}
	o.need("id")
	c := Commit{SHA: o.sha("id"), Pull: p.pull, Authored: o.time("authored_date"), Committed: o.time("committed_date"), Source: p.source}
	if p.r.err != nil {
		return
	}
	if c.Authored.IsZero() {
		p.r.fail(o.at("authored_date"), "missing")
		return
	}
	p.b.Commits = append(p.b.Commits, c)
}

// approvedNote is the body of the system note GitLab writes when someone
// approves a merge request; readyNotes those it writes (lower-cased) when
// a merge request leaves draft, in the words of its versions.
const approvedNote = "approved this merge request"

var readyNotes = map[string]bool{
	"unmarked as a **work in progress**":     true,
	"unmarked as a **draft**":                true,
	"marked this merge request as **ready**": true,
	"marked as ready":                        true,
}

// glNoteReview reads a note on a merge request as a review: a note by a
// person is a comment; the system note of an approval is an approval,
// that of leaving draft a ready event; other system notes (commits
// pushed, labels) are no review.
func (p *parser) glNoteReview(a obj, author obj, repo string, pull int64, body string) {
	system := a.flag("system")
	rv := Review{ID: a.id("id"), Repo: repo, Pull: pull, State: "commented", Submitted: a.time("created_at"), Source: p.source}
	rv.Reviewer, rv.ReviewerID, rv.Bot = glUser(author)
	if p.r.err != nil {
		return
	}
	if rv.Pull == 0 {
		rv.Pull = p.pull
	}
	if rv.Pull == 0 {
		p.r.fail(a.at("noteable_iid"), "a note that does not say which merge request it belongs to: name its iid (--pull N)")
		return
	}
	if system {
		switch text := strings.ToLower(strings.TrimSpace(body)); {
		case text == approvedNote:
			rv.State = "approved"
		case readyNotes[text]:
			p.b.Readies = append(p.b.Readies, ReadyEvent{Repo: repo, Pull: rv.Pull, Time: rv.Submitted, Source: p.source})
			return
		default:
			p.skip(a.path, "a system note, not a review")
			return
		}
	}
	p.b.Reviews = append(p.b.Reviews, rv)
}

// glNote reads a note of the REST API.
func (p *parser) glNote(o obj) {
	o.need("id")
	if t := o.s("noteable_type"); t != "MergeRequest" {
		p.skip(o.path, "a note on a %s, not on a merge request", clip(t))
		return
	}
	iid, _ := o.integer("noteable_iid")
	author, _ := o.child("author")
	p.glNoteReview(o, author, o.id("project_id"), iid, o.text("body", maxText))
}

// glNoteHook reads a note hook.
func (p *parser) glNoteHook(o obj) {
	a, _ := o.child("object_attributes")
	a.need("id")
	if t := a.s("noteable_type"); t != "MergeRequest" {
		p.skip(a.path, "a note on a %s, not on a merge request", clip(t))
		return
	}
	mr, _ := o.child("merge_request")
	iid, _ := mr.integer("iid")
	user, _ := o.child("user")
	p.glNoteReview(a, user, projectOf(o), iid, a.text("note", maxText))
}

// glIssue reads an issue (REST, or a hook's object_attributes): an
// incident when its type says so.
func (p *parser) glIssue(a obj) {
	a.need("id")
	a.need("created_at")
	typ := a.lower("issue_type")
	if typ == "" {
		typ = a.lower("type")
	}
	in := Incident{
		ID: a.id("id"), Title: a.title("title"), Opened: a.time("created_at"),
		Severity: a.lower("severity"), Source: p.source,
	}
	in.Number = a.id("iid")
	state := a.lower("state")
	closed := a.time("closed_at")
	in.Updated = latest(a.time("updated_at"), in.Opened, closed)
	if p.r.err != nil {
		return
	}
	if typ != "incident" {
		p.skip(a.path, "an issue of type %s, not an incident", clip(typ))
		return
	}
	switch in.Severity {
	case "critical", "high", "medium", "low":
	case "unknown", "":
		in.Severity = ""
	default:
		p.note(a.at("severity"), "severity %s is not a GitLab one: left out", clip(in.Severity))
		in.Severity = ""
	}
	switch state {
	case "opened", "reopened":
		in.State = Open
	case "closed":
		in.State, in.Resolved = Resolved, closed
		if closed.IsZero() {
			p.note(a.at("closed_at"), "closed, but the record does not say when")
		}
	default:
		p.r.fail(a.at("state"), "want opened or closed, got %s", clip(state))
		return
	}
	p.b.Incidents = append(p.b.Incidents, in)
}

func (p *parser) glIssueHook(o obj) {
	a, _ := o.child("object_attributes")
	p.glIssue(a)
}
