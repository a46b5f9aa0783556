package imports

import (
	"regexp"
	"strings"
	"sync"
)

// kind is a record or payload shape that a source reads.
type kind int

const (
	none kind = iota
	ghPull
	ghPullHook
	ghReview
	ghReviewHook
	ghCommit
	ghTimeline
	ghDeployment
	ghStatus
	ghDeploymentHook
	ghStatusHook
	ghRelease
	ghReleaseHook
	glPipeline
	glPipelineHook
	glJob
	glJobHook
	glDeployment
	glDeploymentHook
	glMR
	glMRHook
	glMRCommit
	glNote
	glNoteHook
	glIssue
	glIssueHook
	pdIncident
	pdWebhook
	ogIncident
	ogAlert
	ogWebhook
)

// kindSource is the source that reads each kind.
var kindSource = map[kind]string{
	ghPull: GitHubPulls, ghPullHook: GitHubPulls, ghReview: GitHubPulls, ghReviewHook: GitHubPulls, ghCommit: GitHubPulls, ghTimeline: GitHubPulls,
	ghDeployment: GitHubDeployments, ghStatus: GitHubDeployments, ghDeploymentHook: GitHubDeployments, ghStatusHook: GitHubDeployments,
	ghRelease: GitHubReleases, ghReleaseHook: GitHubReleases,
	glPipeline: GitLabPipelines, glPipelineHook: GitLabPipelines, glJob: GitLabPipelines, glJobHook: GitLabPipelines,
	glDeployment: GitLabDeployments, glDeploymentHook: GitLabDeployments,
	glMR: GitLabMergeRequests, glMRHook: GitLabMergeRequests, glMRCommit: GitLabMergeRequests, glNote: GitLabMergeRequests, glNoteHook: GitLabMergeRequests,
	glIssue: GitLabIncidents, glIssueHook: GitLabIncidents,
	pdIncident: PagerDuty, pdWebhook: PagerDuty,
	ogIncident: Opsgenie, ogAlert: Opsgenie, ogWebhook: Opsgenie,
}

// handle reads o, of kind k, into the batch.
func (p *parser) handle(k kind, o obj) {
	switch k {
	case ghPull:
		p.ghPull(o, "", "")
	case ghPullHook:
		p.ghPullHook(o)
	case ghReview:
		p.ghReview(o, "", 0)
	case ghReviewHook:
		p.ghReviewHook(o)
	case ghCommit:
		p.ghCommit(o)
	case ghTimeline:
		p.ghTimeline(o)
	case ghDeployment:
		p.ghDeployment(o)
	case ghStatus:
		p.ghStatus(o, "")
	case ghDeploymentHook:
		p.ghDeploymentHook(o)
	case ghStatusHook:
		p.ghDeploymentHook(o)
	case ghRelease:
		p.ghRelease(o)
	case ghReleaseHook:
		p.ghReleaseHook(o)
	case glPipeline:
		p.glPipeline(o, "")
	case glPipelineHook:
		p.glPipelineHook(o)
	case glJob:
		p.glJob(o, "")
	case glJobHook:
		p.glJobHook(o)
	case glDeployment:
		p.glDeployment(o)
	case glDeploymentHook:
		p.glDeploymentHook(o)
	case glMR:
		p.glMR(o)
	case glMRHook:
		p.glMRHook(o)
	case glMRCommit:
		p.glMRCommit(o)
	case glNote:
		p.glNote(o)
	case glNoteHook:
		p.glNoteHook(o)
	case glIssue:
		p.glIssue(o)
	case glIssueHook:
		p.glIssueHook(o)
	case pdIncident:
		p.pdIncident(o)
	case pdWebhook:
		p.pdWebhook(o)
	case ogIncident:
		p.ogIncident(o)
	case ogAlert:
		p.ogAlert(o)
	case ogWebhook:
		p.ogWebhook(o)
	}
}

// shape is what classify finds an object to be: a kind some source reads,
// a wrapper whose member inner holds the records, or something no source
// reads (kind none), described by what and hint when known.
type shape struct {
	kind  kind
	what  string
	hint  string
	inner string
}

const (
	saveBody   = "save the response body itself (docs/import.md)"
	ciHint     = "GitHub Actions runs are read by `gitdora ingest ci`"
	notSource  = "not a supported source"
	incSources = "incidents are imported from pagerduty, opsgenie or gitlab-incidents"
)

var (
	statusURL = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/deployments/[0-9]+/statuses/[0-9]+$`) })
	errorKeys = map[string]bool{"message": true, "documentation_url": true, "status": true, "errors": true, "error": true, "error_description": true, "took": true, "requestId": true, "code": true}
	dataKeys  = map[string]bool{"data": true, "took": true, "requestId": true, "paging": true, "totalCount": true, "count": true, "result": true, "expandable": true}
	pdKeys    = map[string]bool{"incidents": true, "limit": true, "offset": true, "more": true, "total": true}
	pdLogKeys = map[string]bool{"log_entries": true, "limit": true, "offset": true, "more": true, "total": true}

	pdPriorityKeys = map[string]bool{"priorities": true, "limit": true, "offset": true, "more": true, "total": true}
)

// keysIn reports every member of o named in set.
func keysIn(o obj, set map[string]bool) bool {
	for k := range o.m {
		if !set[k] {
			return false
		}
	}
	return true
}

func (o obj) isObj(k string) bool  { _, ok := o.m[k].(map[string]any); return ok }
func (o obj) isList(k string) bool { _, ok := o.m[k].([]any); return ok }
func (o obj) isStr(k string) bool  { _, ok := o.m[k].(string); return ok }

// s is the string member k, "" when it is none.
func (o obj) s(k string) string { s, _ := o.m[k].(string); return s }

// classify tells what o is, from the members that set the shapes apart.
func classify(o obj) shape {
	// Recordings and answers that are no records.
	switch {
	case o.present("http_interactions"):
		what := "a VCR cassette (a test recording of HTTP exchanges)"
		if strings.Contains(strings.ToLower(o.s("recorded_with")), "betamax") {
			what = "a betamax cassette (a test recording of HTTP exchanges)"
		}
		return shape{what: what + ", not an API response", hint: saveBody}
	case o.isObj("log") && o.m["log"].(map[string]any)["entries"] != nil:
		return shape{what: "a HAR recording, not an API response", hint: saveBody}
	case o.present("params") && o.isStr("data") && o.present("url") && o.present("input"), o.present("_devlake_raw_id"):
		return shape{what: "a DevLake raw-table row (its data holds one list item), not an API response", hint: saveBody}
	case o.isStr("message") && keysIn(o, errorKeys), o.isStr("error") && keysIn(o, errorKeys):
		msg := o.s("message")
		if msg == "" {
			msg = o.s("error")
		}
		return shape{what: "an API error response " + clip(msg)}
	}

	// Webhook payloads.
	if k := o.s("object_kind"); k != "" {
		switch k {
		case "pipeline":
			return shape{kind: glPipelineHook, what: "a GitLab pipeline hook payload"}
		case "build", "job":
			return shape{kind: glJobHook, what: "a GitLab job hook payload"}
		case "deployment":
			return shape{kind: glDeploymentHook, what: "a GitLab deployment hook payload"}
		case "merge_request":
			return shape{kind: glMRHook, what: "a GitLab merge request hook payload"}
		case "note":
			return shape{kind: glNoteHook, what: "a GitLab note hook payload"}
		case "issue", "work_item", "incident":
			return shape{kind: glIssueHook, what: "a GitLab issue hook payload"}
		}
		return shape{what: "a GitLab " + clip(k) + " hook payload, " + notSource}
	}
	if ev, ok := o.r.obj(o.m["event"], o.at("event")); ok && ev.has("event_type") && ev.has("data") {
		return shape{kind: pdWebhook, what: "a PagerDuty v3 webhook payload"}
	}
	if o.isList("messages") {
		return shape{what: "a PagerDuty v2 webhook payload (retired by PagerDuty)", hint: "subscribe to v3 webhooks"}
	}
	if o.isObj("alert") && o.isStr("action") {
		return shape{kind: ogWebhook, what: "an Opsgenie alert webhook payload"}
	}
	switch {
	case o.isObj("deployment_status") && o.isObj("deployment"):
		return shape{kind: ghStatusHook, what: "a GitHub deployment_status webhook payload"}
	case o.isObj("deployment") && o.has("action"):
		return shape{kind: ghDeploymentHook, what: "a GitHub deployment webhook payload"}
	case o.isObj("release") && o.has("action"):
		return shape{kind: ghReleaseHook, what: "a GitHub release webhook payload"}
	case o.isObj("review") && o.isObj("pull_request"):
		return shape{kind: ghReviewHook, what: "a GitHub pull_request_review webhook payload"}
	case o.isObj("pull_request") && o.has("action"):
		return shape{kind: ghPullHook, what: "a GitHub pull_request webhook payload"}
	case o.has("workflow_job_run") || o.has("deployment_review"):
		return shape{what: "a GitHub deployment_review webhook payload, " + notSource}
	case o.has("workflow_run") || o.has("workflow_job") || o.isList("workflow_runs") || o.has("check_run") || o.has("check_suite"):
		return shape{what: "a GitHub Actions or checks response or payload, " + notSource, hint: ciHint}
	case o.isObj("issue") && o.has("action"):
		return shape{what: "a GitHub issues webhook payload, " + notSource, hint: incSources}
	case o.has("before") && o.has("after") && o.has("commits"):
		return shape{what: "a GitHub push webhook payload, " + notSource}
	case o.has("ref_type"):
		return shape{what: "a GitHub create or delete webhook payload, " + notSource}
	case o.has("zen") && o.has("hook_id"):
		return shape{what: "a GitHub ping webhook payload"}
	}

	// Lists wrapped in an object.
	switch {
	case o.isList("incidents") && keysIn(o, pdKeys):
		return shape{inner: "incidents"}
	case o.isObj("incident") && len(o.m) == 1:
		return shape{inner: "incident"}
	case o.isList("log_entries") && keysIn(o, pdLogKeys):
		return shape{what: "PagerDuty log entries, not incidents", hint: "list them with GET /incidents"}
	case o.isList("priorities") && keysIn(o, pdPriorityKeys):
		return shape{what: "PagerDuty priorities, not incidents"}
	case (o.isList("data") || o.isObj("data")) && keysIn(o, dataKeys):
		return shape{inner: "data"}
	case o.isList("items") && o.has("total_count"):
		return shape{inner: "items"}
	case o.isList("jobs") && o.has("total_count"):
		return shape{what: "GitHub Actions jobs, " + notSource, hint: ciHint}
	}

	// REST objects: GitHub.
	switch {
	case o.isObj("head") && o.isObj("base") && o.has("number"):
		return shape{kind: ghPull, what: "a GitHub pull request"}
	case o.isStr("event") && o.isObj("issue"):
		return shape{what: "a GitHub issue event, " + notSource, hint: "list a pull request's own events with GET /repos/OWNER/REPO/issues/N/timeline"}
	case o.isStr("event") && !o.has("iid"):
		return shape{kind: ghTimeline, what: "a GitHub timeline event"}
	case o.has("pull_request_url") && o.has("diff_hunk"):
		return shape{what: "a GitHub review comment, " + notSource, hint: "list the reviews with GET /repos/OWNER/REPO/pulls/N/reviews"}
	case o.has("state") && o.isObj("user") && (o.present("submitted_at") || o.present("commit_id")) && !o.has("number") && !o.has("sha") && !o.has("iid"):
		return shape{kind: ghReview, what: "a GitHub pull request review"}
	case o.isStr("sha") && o.isObj("commit"):
		return shape{kind: ghCommit, what: "a GitHub commit"}
	case o.has("task") && o.has("sha") && o.present("environment"):
		return shape{kind: ghDeployment, what: "a GitHub deployment"}
	case o.has("state") && (o.has("deployment_url") || statusURL().MatchString(o.s("url"))):
		return shape{kind: ghStatus, what: "a GitHub deployment status"}
	case o.has("tag_name") && o.present("draft") && o.present("prerelease"):
		return shape{kind: ghRelease, what: "a GitHub release"}
	case o.has("zipball_url") && o.isObj("commit"):
		return shape{what: "a GitHub tag, " + notSource, hint: "tags are read from git itself"}
	case o.has("filename") && (o.present("patch") || o.has("additions")):
		return shape{what: "the files of a GitHub pull request, " + notSource}
	case o.has("number") && o.present("labels") && (o.present("pull_request") || o.present("comments")) && !o.has("iid"):
		return shape{what: "a GitHub issue, " + notSource, hint: "list pull requests with GET /repos/OWNER/REPO/pulls; " + incSources}
	case o.has("run_number") || o.has("workflow_id") || (o.has("run_id") && o.has("head_sha")) || o.has("badge_url"):
		return shape{what: "a GitHub Actions workflow, run or job, " + notSource, hint: ciHint}
	}

	// REST objects: GitLab.
	switch {
	case o.has("iid") && o.present("source_branch") && o.present("target_branch"):
		return shape{kind: glMR, what: "a GitLab merge request"}
	case o.has("short_id") && o.present("authored_date"):
		return shape{kind: glMRCommit, what: "a GitLab commit"}
	case o.present("noteable_type") && o.present("system"):
		return shape{kind: glNote, what: "a GitLab note"}
	case o.present("deployable") || o.isObj("environment") && o.has("iid") && o.has("sha") && o.has("status"):
		return shape{kind: glDeployment, what: "a GitLab deployment"}
	case o.has("stage") && o.has("name") && o.has("status") && (o.isObj("pipeline") || o.present("runner") || o.present("allow_failure")):
		return shape{kind: glJob, what: "a GitLab job"}
	case o.has("status") && o.has("ref") && o.present("sha") && !o.has("stage") &&
		(o.present("source") || o.present("before_sha") || strings.Contains(o.s("web_url"), "/pipelines/")):
		return shape{kind: glPipeline, what: "a GitLab pipeline"}
	case o.has("iid") && (o.has("issue_type") || o.isStr("type") && o.has("project_id")) && !o.present("source_branch"):
		return shape{kind: glIssue, what: "a GitLab issue"}
	case o.has("slug") && o.present("external_url"):
		return shape{what: "a GitLab environment, " + notSource, hint: "list its deployments with GET /projects/:id/deployments?environment=NAME"}
	}

	// REST objects: incident tools.
	switch t := o.s("type"); {
	case t == "incident" && (o.has("incident_number") || o.has("urgency") || o.has("status")):
		return shape{kind: pdIncident, what: "a PagerDuty incident"}
	case strings.HasSuffix(t, "_log_entry"):
		return shape{what: "a PagerDuty log entry, not an incident", hint: "list incidents with GET /incidents"}
	case t == "priority":
		return shape{what: "a PagerDuty priority, not an incident"}
	case o.has("tinyId") && (o.present("impactStartDate") || o.present("impactedServices")):
		return shape{kind: ogIncident, what: "an Opsgenie incident"}
	case o.has("tinyId") && (o.present("alias") || o.present("count")):
		return shape{kind: ogAlert, what: "an Opsgenie alert"}
	case o.present("current_milestone") || o.present("milestones"):
		return shape{what: "a FireHydrant incident, " + notSource, hint: incSources}
	case o.present("incident_updates") || o.present("shortlink") && o.present("page_id"):
		return shape{what: "an Atlassian Statuspage incident, " + notSource, hint: incSources}
	case o.present("alert_source") || o.present("tta (ms)"):
		return shape{what: "a Squadcast incident, " + notSource, hint: incSources}
	case o.present("entityId") && (o.present("currentPhase") || o.present("transitions")):
		return shape{what: "a Splunk On-Call (VictorOps) incident, " + notSource, hint: incSources}
	}
	return shape{}
}
