package imports

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// parseText parses hand-written JSON as source.
func parseText(t *testing.T, source, text string) *Batch {
	t.Helper()
	b, err := Parse(source, "test.json", []byte(text), Options{Now: corpusNow})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCorpusDeploymentStatuses combines github3.py's recorded
// deployments with the statuses of #801: five success statuses, the
// latest at 2018-01-01T19:50:40Z; #797 has none.
func TestCorpusDeploymentStatuses(t *testing.T) {
	needCorpus(t)
	s := Combine(
		mustParse(t, GitHubDeployments, "ci/github3py/bodies/Deployment_statuses.1.json", 0),
		mustParse(t, GitHubDeployments, "ci/github3py/bodies/Deployment_statuses.2.json", 0),
	)
	if len(s.Deployments) != 2 || len(s.Statuses) != 0 {
		t.Fatalf("%+v", s)
	}
	d := s.Deployments[0]
	if d.ID != "801" || d.Status != Success || !d.Time.Equal(utc("2018-01-01T19:50:40Z")) || !d.Updated.Equal(utc("2018-01-01T19:50:40Z")) ||
		d.SHA != "aa0b457c3c7692a0da05b6771ce44c980febd4a1" || d.Environment != "production" || d.Ref != "develop" || !d.Created.Equal(utc("2014-02-24T02:22:44Z")) {
		t.Errorf("#801 = %+v", d)
	}
	if d := s.Deployments[1]; d.ID != "797" || d.Status != "" || !d.Time.Equal(utc("2014-02-23T20:06:10Z")) {
		t.Errorf("#797 = %+v", d)
	}
	// octokit.rb created a deployment, then its success status.
	s = Combine(
		mustParse(t, GitHubDeployments, "ci/octokit-rb/bodies/Deployments__with_ref__with_deployment___create_deployment_status__creates_a_deployment_status.2.json", 0),
		mustParse(t, GitHubDeployments, "ci/octokit-rb/bodies/Deployments__with_ref__with_deployment___create_deployment_status__creates_a_deployment_status.4.json", 0),
	)
	if len(s.Deployments) != 1 || s.Deployments[0].Status != Success || !s.Deployments[0].Time.Equal(utc("2018-03-30T19:04:41Z")) {
		t.Errorf("%+v", s.Deployments)
	}
	// A status alone waits for its deployment.
	s = Combine(mustParse(t, GitHubDeployments, "ci/github3py/bodies/Deployment_statuses.2.json", 0))
	if len(s.Deployments) != 0 || len(s.Statuses) != 5 || s.Statuses[0].Deployment != "801" {
		t.Errorf("%+v", s)
	}
}

// TestCorpusDeploymentWebhooks reads deployment_status payloads: success
// decides, in_progress changes nothing.
func TestCorpusDeploymentWebhooks(t *testing.T) {
	needCorpus(t)
	s := Combine(
		mustParse(t, GitHubDeployments, "ci/octokit-webhooks/deployment__payload.json", 0),
		mustParse(t, GitHubDeployments, "ci/octokit-webhooks/deployment_status__payload.json", 0),
	)
	if len(s.Deployments) != 1 {
		t.Fatalf("%+v", s)
	}
	if d := s.Deployments[0]; d.Status != Success || !d.Time.Equal(utc("2019-05-15T15:20:55Z")) || d.Environment != "production" || d.ID != "145988746" {
		t.Errorf("%+v", d)
	}
	s = Combine(mustParse(t, GitHubDeployments, "ci/octokit-webhooks/deployment_status__gh-pages.payload.json", 0))
	if d := s.Deployments[0]; d.Status != "" || d.Environment != "github-pages" || !d.Time.Equal(d.Created) {
		t.Errorf("in progress: %+v", d)
	}
}

func TestCombineDeploymentStatuses(t *testing.T) {
	deployment := `{"id": 7, "sha": "0123456789abcdef0123456789abcdef01234567", "ref": "main", "task": "deploy", "environment": "production",
		"created_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-05T10:00:00Z"}`
	status := func(id int, state, at, env string) string {
		s := `{"id": ` + strconv.Itoa(id) + `, "state": "` + state + `", "created_at": "` + at + `", "updated_at": "` + at + `",
			"deployment_url": "https://api.github.com/repos/o/r/deployments/7"`
		if env != "" {
			s += `, "environment": "` + env + `"`
		}
		return s + "}"
	}
	for _, tc := range []struct {
		name     string
		statuses []string
		status   string
		at       string
		env      string
	}{
		{"no status", nil, "", "2026-01-05T10:00:00Z", "production"},
		{"pending and in progress change nothing", []string{status(1, "queued", "2026-01-05T10:01:00Z", ""), status(2, "in_progress", "2026-01-05T10:02:00Z", "")}, "", "2026-01-05T10:00:00Z", "production"},
		{"success", []string{status(1, "in_progress", "2026-01-05T10:01:00Z", ""), status(2, "success", "2026-01-05T10:05:00Z", "")}, Success, "2026-01-05T10:05:00Z", "production"},
		{"error is a failure", []string{status(1, "error", "2026-01-05T10:05:00Z", "")}, Failure, "2026-01-05T10:05:00Z", "production"},
		{"the latest decides, in any order", []string{status(3, "failure", "2026-01-05T11:00:00Z", ""), status(2, "success", "2026-01-05T10:05:00Z", "")}, Failure, "2026-01-05T11:00:00Z", "production"},
		{"inactive after success changes nothing", []string{status(2, "success", "2026-01-05T10:05:00Z", ""), status(3, "inactive", "2026-01-06T09:00:00Z", "")}, Success, "2026-01-05T10:05:00Z", "production"},
		{"a status names the environment", []string{status(2, "success", "2026-01-05T10:05:00Z", "staging")}, Success, "2026-01-05T10:05:00Z", "staging"},
	} {
		bs := []*Batch{parseText(t, GitHubDeployments, deployment)}
		if len(tc.statuses) > 0 {
			bs = append(bs, parseText(t, GitHubDeployments, "["+strings.Join(tc.statuses, ",")+"]"))
		}
		s := Combine(bs...)
		d := s.Deployments[0]
		if d.Status != tc.status || !d.Time.Equal(utc(tc.at)) || d.Environment != tc.env {
			t.Errorf("%s: %+v", tc.name, d)
		}
	}
	b := parseText(t, GitHubDeployments, status(9, "destroyed", "2026-01-05T10:05:00Z", ""))
	if len(b.Statuses) != 0 || len(b.Skipped) != 1 || !strings.Contains(b.Skipped[0].Text, `"destroyed" is not a GitHub state`) {
		t.Errorf("unknown state: %+v", b)
	}
}

// TestCombineVersions: the version updated last wins; an older payload
// read later changes nothing.
func TestCombineVersions(t *testing.T) {
	v := func(updated, env string) string {
		return `{"id": 7, "sha": "0123456789abcdef0123456789abcdef01234567", "ref": "main", "task": "deploy", "environment": "` + env + `",
			"created_at": "2026-01-05T10:00:00Z", "updated_at": "` + updated + `"}`
	}
	newer := parseText(t, GitHubDeployments, v("2026-01-05T12:00:00Z", "production"))
	older := parseText(t, GitHubDeployments, v("2026-01-05T11:00:00Z", "staging"))
	same := parseText(t, GitHubDeployments, v("2026-01-05T12:00:00Z", "qa"))
	for _, order := range [][]*Batch{{newer, older}, {older, newer}, {newer, same}} {
		s := Combine(order...)
		if len(s.Deployments) != 1 || s.Deployments[0].Environment != "production" {
			t.Errorf("%+v", s.Deployments)
		}
	}
}

// TestCorpusReleases: published releases are deployments; drafts and
// pre-releases are skipped, saying why.
func TestCorpusReleases(t *testing.T) {
	needCorpus(t)
	b := mustParse(t, GitHubReleases, "ci/octokit-rb/bodies/Releases___releases__lists_releases_for_a_repo.0.json", 0)
	if len(b.Deployments) != 1 || len(b.Skipped) != 3 || !strings.Contains(b.Skipped[0].Text, "is a draft") {
		t.Fatalf("%+v", b)
	}
	b = mustParse(t, GitHubReleases, "ci/octokit-webhooks/release__released.json", 0)
	if d := b.Deployments[0]; d.ID != "17372790" || d.Ref != "0.0.1" || d.SHA != "" || d.Status != Success || d.Environment != "" ||
		!d.Time.Equal(utc("2019-05-15T15:20:53Z")) || !d.Created.Equal(utc("2019-05-15T15:19:25Z")) {
		t.Errorf("%+v", d)
	}
	// target_commitish is a commit for 0.9.3, a branch for v0.7.1.
	b = mustParse(t, GitHubReleases, "ci/github3py/bodies/Repository_releases.1.json", 0)
	if b.Deployments[0].SHA != "52a3f30e05cf434285e775979f01f1a8355049a7" || b.Deployments[1].SHA != "" || b.Deployments[1].Ref != "v0.7.1" {
		t.Errorf("%+v", b.Deployments)
	}
	pre := parseText(t, GitHubReleases, `{"action": "prereleased", "release": {"id": 1, "tag_name": "v2.0.0-rc1", "target_commitish": "main",
		"draft": false, "prerelease": true, "created_at": "2026-01-05T10:00:00Z", "published_at": "2026-01-05T10:00:00Z"}}`)
	if len(pre.Deployments) != 0 || len(pre.Skipped) != 1 || !strings.Contains(pre.Skipped[0].Text, `"v2.0.0-rc1" is a pre-release`) {
		t.Errorf("%+v", pre)
	}
}

// TestCorpusGitLabDeployments maps GitLab's statuses: success and failed
// decide; created, running and blocked wait; canceled deployed nothing;
// what is no GitLab status (DevLake's hand edits) is skipped, saying so.
func TestCorpusGitLabDeployments(t *testing.T) {
	needCorpus(t)
	pages := unwrapDevLake(t, "sources/gitlab/devlake__raw_gitlab_api_deployments.csv")
	b, err := Parse(GitLabDeployments, "deployments.json", pages[0].body, Options{Now: corpusNow})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range b.Deployments {
		got = append(got, d.ID+":"+d.Status+"@"+d.Time.UTC().Format(time.RFC3339Nano)+"/"+d.Environment)
	}
	want := []string{
		"13426753:success@2019-03-13T14:17:47.64Z/staging",  // the job's finished_at
		"13432768:failure@2019-03-13T15:02:23.332Z/staging", // no finished_at: updated_at
		"13436763:@2019-03-13T15:23:35.859Z/production",     // created: not yet
		"13436778:@2019-03-13T15:23:52.979Z/staging",        // running
		"13436986:@2019-03-13T15:25:46.042Z/production",     // blocked
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var skipped []string
	for _, s := range b.Skipped {
		skipped = append(skipped, s.Text)
	}
	if len(skipped) != 3 || !strings.Contains(skipped[0], `"completed" is not a GitLab one`) || !strings.Contains(skipped[1], "canceled: nothing was deployed") ||
		!strings.Contains(skipped[2], `"undeployed" is not a GitLab one`) {
		t.Errorf("skipped %q", skipped)
	}
	for _, tc := range []struct {
		file, want string
	}{
		{"sources/gitlab/gitlab4j__deployment.json", "42:success@2016-08-11T11:32:35.145Z/production a91957a858320c0e17f3a0eca7cfacbff50ea29a"},
		{"sources/gitlab/go-gitlab__webhooks.deployment.json", "15:success@2021-04-28T19:50:00Z/staging 279484c09fbe69ededfced8c1bb6e6d24616b468"},
		{"sources/gitlab/zulip__deployment_hook__failed.json", "988604916:failure@2025-05-02T12:30:19Z/production 846d8de0b7b3d694954249d2fd5d87fbe8c84e4c"},
		{"sources/gitlab/zulip__deployment_hook__blocked.json", "1503204389:@2026-08-02T07:59:54Z/production 2166d75e44d9b13be5d7fc739fd40e7ba8a8eece"},
	} {
		b := mustParse(t, GitLabDeployments, tc.file, 0)
		d := b.Deployments[0]
		if got := d.ID + ":" + d.Status + "@" + d.Time.UTC().Format(time.RFC3339Nano) + "/" + d.Environment + " " + d.SHA; got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.file, got, tc.want)
		}
	}
}

// incident is an incident's fields in one line, for comparisons.
func incident(in Incident) string {
	f := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.UTC().Format(time.RFC3339Nano)
	}
	return in.ID + " #" + in.Number + " " + in.State + " " + f(in.Opened) + " " + f(in.Resolved) + " " + in.Severity
}

// TestCorpusIncidents maps the incidents of each source: opened,
// resolved, severity from urgency or priority.
func TestCorpusIncidents(t *testing.T) {
	needCorpus(t)
	pd := unwrapDevLake(t, "sources/incidents/devlake__raw_pagerduty_incidents.csv")
	og := unwrapDevLake(t, "sources/incidents/devlake__raw_opsgenie_incidents.csv")
	for _, tc := range []struct {
		name, source string
		body         []byte
		want         []string
	}{
		// No resolved_at: a resolved incident's last status change is
		// when; urgency high or low is the severity; times with µs.
		{"PagerDuty REST (DevLake)", PagerDuty, pd[0].body, []string{
			"Q3YON8WNWTZMRQ #4 open 2022-11-03T06:23:06Z - high",
			"Q3CZAU7Q4008QD #5 open 2022-11-03T06:44:28Z - high",
			"Q1OHFWFP3GPXOG #6 resolved 2022-11-03T06:45:36Z 2022-11-03T06:51:44Z low",
		}},
		{"PagerDuty REST", PagerDuty, readCorpus(t, "sources/incidents/faros__pagerduty.incidents.json"), []string{
			"Q27MXNAJQ834PC #1 open 2021-10-27T08:05:59Z - high",
			"Q2KDNUM7R5JYEK #2 open 2021-10-29T05:45:33Z - high",
			"Q1LAD3450AG7V9 #3 open 2021-10-29T05:52:30Z - high",
		}},
		// priority P2 (an object) wins over urgency; created_at in newer payloads.
		{"PagerDuty priority_updated", PagerDuty, readCorpus(t, "sources/incidents/zulip__pagerduty.priority_updated_v3.json"), []string{
			"Q3B15VLMF3ASBD #5 open 2026-04-01T02:07:30Z - high",
		}},
		// Reassigned: still triggered, opened unknown (no created_at).
		{"PagerDuty reassigned", PagerDuty, readCorpus(t, "sources/incidents/zulip__pagerduty.reassigned_v3.json"), []string{
			"PIQUG8X #3 open - - high",
		}},
		// impactStartDate and impactEndDate; P1 critical, P3 medium.
		{"Opsgenie REST", Opsgenie, readCorpus(t, "sources/incidents/faros__opsgenie.incidents.json"), []string{
			"2708292d-1ecd-45db-b19a-1f23d41e07f7 #1 open 2022-04-05T03:26:35.289Z - critical",
			"ad22c0c7-e703-4f5c-9549-1eb20a8c234d #2 resolved 2022-04-05T15:37:31.62Z 2022-04-05T15:42:42.141Z medium",
			"0fae7159-be96-4e18-bcc2-27fb925c720c #3 open 2022-04-05T16:05:08.616Z - medium",
		}},
		{"Opsgenie REST (DevLake)", Opsgenie, og[0].body, []string{
			"3a74524a-f492-4172-b3f5-6041c7cb404a #3 open 2023-09-06T14:30:56.346Z - medium",
			"3f84e009-7548-4e7d-832a-fa82c1ceb6b1 #1 resolved 2023-09-05T18:20:28.003Z 2023-09-05T18:21:21.49Z low",
		}},
		// A closed alert: created + report.closeTime (60503 ms).
		{"Opsgenie alerts", Opsgenie, readCorpus(t, "sources/incidents/faros__opsgenie.alerts.json"), []string{
			"80413a06-38d6-4c85-92b8-5ebc900d42e2 #1791 resolved 2017-03-21T20:32:52.353Z 2017-03-21T20:33:52.856Z low",
			"70413a06-38d6-4c85-92b8-5ebc900d42e2 #1792 open 2017-03-21T20:32:52.353Z - low",
		}},
		// A webhook's priority may be the number 3.
		{"Opsgenie create webhook", Opsgenie, readCorpus(t, "sources/incidents/zulip__opsgenie.create.json"), []string{
			"ec03dad6-62c8-4c94-b38b-d88f398e900f #2 open 2017-08-14T11:25:56.288Z - medium",
		}},
		// Severity "unknown" is no severity.
		{"GitLab incident closed", GitLabIncidents, readCorpus(t, "sources/incidents/zulip__gitlab.issue_hook__incident_closed.json"), []string{
			"191205280 #6 resolved 2026-05-28T06:09:06.964Z 2026-05-28T06:11:46.057Z ",
		}},
		{"GitLab incident opened (work_item)", GitLabIncidents, readCorpus(t, "sources/incidents/zulip__gitlab.issue_hook__incident_created.json"), []string{
			"191200846 #2 open 2026-05-28T05:04:31.155Z - ",
		}},
	} {
		b, err := Parse(tc.source, tc.name, tc.body, Options{Now: corpusNow})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got []string
		for _, in := range Combine(b).Incidents {
			got = append(got, incident(in))
			if in.Source != tc.source || in.Environment != "" || in.Updated.IsZero() || in.Title == "" {
				t.Errorf("%s: %+v", tc.name, in)
			}
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s: got\n%s\nwant\n%s", tc.name, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
	}
}

// TestCorpusOpsgenieLifecycle combines the Acknowledge and Close
// webhooks of one alert, in either order: opened at its createdAt (ms),
// resolved at the Close's updatedAt (ns).
func TestCorpusOpsgenieLifecycle(t *testing.T) {
	needCorpus(t)
	ack := mustParse(t, Opsgenie, "sources/incidents/zulip__opsgenie.acknowledge.json", 0)
	closed := mustParse(t, Opsgenie, "sources/incidents/zulip__opsgenie.close.json", 0)
	want := "052652ac-5d1c-464a-812a-7dd18bbfba8c #23 resolved 2015-01-05T10:03:11.104Z 2015-01-05T10:06:14.669001603Z "
	for _, order := range [][]*Batch{{ack, closed}, {closed, ack}} {
		s := Combine(order...)
		if len(s.Incidents) != 1 || incident(s.Incidents[0]) != want {
			t.Errorf("got %v, want %s", s.Incidents, want)
		}
	}
}

// TestCombinePagerDutyLifecycle: a v3 incident.resolved payload carries
// no created_at; combined with the incident.triggered one, the incident
// has both ends; an incident.reopened later opens it again.
func TestCombinePagerDutyLifecycle(t *testing.T) {
	needCorpus(t)
	triggered := mustParse(t, PagerDuty, "sources/incidents/zulip__pagerduty.triggered_v3.json", 0)
	payload := func(typ, at, status string) *Batch {
		return parseText(t, PagerDuty, `{"event": {"id": "E`+at+`", "event_type": "`+typ+`", "resource_type": "incident", "occurred_at": "`+at+`",
			"data": {"id": "PFQZPSY", "type": "incident", "number": 9, "status": "`+status+`", "title": "Test Incident 3", "urgency": "high", "priority": null}}}`)
	}
	resolved := payload("incident.resolved", "2021-06-04T14:05:00.000Z", "resolved")
	annotated := payload("incident.priority_updated", "2021-06-04T14:10:00.000Z", "resolved")
	reopened := payload("incident.reopened", "2021-06-04T15:00:00.000Z", "triggered")
	for _, tc := range []struct {
		batches []*Batch
		want    string
	}{
		{[]*Batch{triggered, resolved}, "PFQZPSY #9 resolved 2021-06-04T13:35:29.781Z 2021-06-04T14:05:00Z high"},
		{[]*Batch{resolved, triggered}, "PFQZPSY #9 resolved 2021-06-04T13:35:29.781Z 2021-06-04T14:05:00Z high"},
		// An event after the resolution keeps its time.
		{[]*Batch{triggered, resolved, annotated}, "PFQZPSY #9 resolved 2021-06-04T13:35:29.781Z 2021-06-04T14:05:00Z high"},
		{[]*Batch{triggered, resolved, reopened}, "PFQZPSY #9 open 2021-06-04T13:35:29.781Z - high"},
		// Resolved again, but by an event that does not say when: not at
		// the time of the first resolution.
		{[]*Batch{triggered, resolved, reopened, payload("incident.priority_updated", "2021-06-04T16:00:00.000Z", "resolved")}, "PFQZPSY #9 resolved 2021-06-04T13:35:29.781Z - high"},
		// The resolution read after the reopening is older: it changes nothing.
		{[]*Batch{triggered, reopened, resolved}, "PFQZPSY #9 open 2021-06-04T13:35:29.781Z - high"},
	} {
		s := Combine(tc.batches...)
		if len(s.Incidents) != 1 || incident(s.Incidents[0]) != tc.want {
			t.Errorf("got %v, want %s", s.Incidents, tc.want)
		}
	}
}

// TestCorpusPipelines reads GitLab pipelines with their jobs: seconds of
// each job that ran, none for one that never started.
func TestCorpusPipelines(t *testing.T) {
	needCorpus(t)
	secs := func(p *float64) string {
		if p == nil {
			return "-"
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	s := Combine(mustParse(t, GitLabPipelines, "sources/gitlab/gitlab4j__pipeline-event.json", 0))
	p := s.Pipelines[0]
	var jobs []string
	for _, j := range p.Jobs {
		jobs = append(jobs, j.ID+" "+j.Name+" "+j.Status+" "+secs(j.Seconds))
	}
	// No started_at in a hook: GitLab's duration (63 s) is the seconds.
	if p.ID != "31" || p.Number != 1 || p.Name != "Pipeline for branch: master" || p.Status != "success" || p.Trigger != "merge_request_event" || secs(p.Seconds) != "63" ||
		strings.Join(jobs, ", ") != "376 build-image success 17, 377 test-image success 17, 378 test-build failed 17, 379 staging created -, 380 production skipped -" {
		t.Errorf("%+v\n%s", p, strings.Join(jobs, ", "))
	}
	if !p.Jobs[4].Manual || p.Jobs[3].Manual {
		t.Errorf("manual: %+v", p.Jobs)
	}
	// REST details: wall-clock seconds from started_at to finished_at
	// (GitLab's duration, 1512, leaves out the time waiting).
	pages := unwrapDevLake(t, "sources/gitlab/devlake__raw_gitlab_api_pipeline_details.csv")
	b, err := Parse(GitLabPipelines, "pipeline.json", pages[0].body, Options{Now: corpusNow})
	if err != nil {
		t.Fatal(err)
	}
	if p := b.Pipelines[0]; p.ID != "1078343570" || secs(p.Seconds) != "67039.625" || p.Project != "12345678" {
		t.Errorf("%+v %s", p, secs(p.Seconds))
	}
	// List items carry no start or finish: seconds unknown.
	pages = unwrapDevLake(t, "sources/gitlab/devlake__raw_gitlab_api_pipeline.csv")
	b, err = Parse(GitLabPipelines, "pipelines.json", pages[0].body, Options{Now: corpusNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range b.Pipelines {
		if p.Seconds != nil {
			t.Errorf("%s: seconds %s", p.ID, secs(p.Seconds))
		}
	}
}

// TestCorpusJobHooks combines job hooks of one pipeline (build_* and
// job_* members) into a stub pipeline: the job that got furthest wins.
func TestCorpusJobHooks(t *testing.T) {
	needCorpus(t)
	s := Combine(
		mustParse(t, GitLabPipelines, "sources/gitlab/go-gitlab__webhooks.build.json", 0),
		mustParse(t, GitLabPipelines, "sources/gitlab/gitlab4j__job-event.json", 0),
		mustParse(t, GitLabPipelines, "sources/gitlab/gitlab4j__build-event.json", 0),
	)
	if len(s.Pipelines) != 1 {
		t.Fatalf("%+v", s.Pipelines)
	}
	p := s.Pipelines[0]
	if !p.Stub || p.ID != "2366" || len(p.Jobs) != 2 || p.Jobs[0].ID != "1977" || p.Jobs[1].ID != "214655258" ||
		p.Jobs[1].Status != "running" || p.Jobs[1].Seconds == nil || *p.Jobs[1].Seconds != 0.05880817 {
		t.Errorf("%+v", p)
	}
	// DevLake's jobs of project 44: their pipelines are stubs; failed
	// jobs that never started have no seconds.
	pages := unwrapDevLake(t, "sources/gitlab/devlake__raw_gitlab_api_job.csv")
	b, err := Parse(GitLabPipelines, "jobs.json", pages[0].body, Options{Now: corpusNow})
	if err != nil {
		t.Fatal(err)
	}
	s = Combine(b)
	n := 0
	for _, p := range s.Pipelines {
		if !p.Stub {
			t.Errorf("%s is no stub", p.ID)
		}
		for _, j := range p.Jobs {
			n++
			if j.Started.IsZero() && j.Seconds != nil {
				t.Errorf("job %s never started, yet %v s", j.ID, *j.Seconds)
			}
		}
	}
	if n != 75 {
		t.Errorf("%d jobs, want 75", n)
	}
}
