package imports

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// fuzzNow is the now of the fuzz targets.
var fuzzNow = time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)

// seed adds hand-written inputs and, when the corpus is there, the files
// of dir whose names contain one of names.
func seed(f *testing.F, dir string, names []string, inputs ...string) {
	for _, in := range inputs {
		f.Add([]byte(in), uint8(0))
	}
	files, _ := filepath.Glob(filepath.Join(corpus, dir, "*"))
	for _, p := range files {
		for _, n := range names {
			if strings.Contains(filepath.Base(p), n) {
				if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
					f.Add(b, uint8(len(p)))
				}
			}
		}
	}
}

// fuzzParse parses b as one of sources and checks what comes out.
func fuzzParse(t *testing.T, sources []string, b []byte, which uint8) {
	source := sources[int(which)%len(sources)]
	batch, err := Parse(source, "fuzz\x07.json", b, Options{Now: fuzzNow, Pull: int64(which % 3)})
	if err != nil {
		var e *Error
		if !errors.As(err, &e) || e.Reason == "" {
			t.Fatalf("error %v is no *Error with a reason", err)
		}
		msg := err.Error()
		if !utf8.ValidString(msg) {
			t.Fatalf("message is not UTF-8: %q", msg)
		}
		for _, r := range msg {
			if unicode.IsControl(r) {
				t.Fatalf("control character %U in the message %q", r, msg)
			}
		}
		return
	}
	checkBatch(t, batch)
	s := Combine(batch, batch)
	for _, p := range s.Pulls {
		st := Cycle(p)
		for _, d := range []*time.Duration{st.Coding, st.Pickup, st.Review} {
			if d != nil && *d < 0 {
				t.Fatalf("negative stage %v of %+v", *d, p)
			}
		}
	}
}

// checkBatch checks the bounds every record keeps.
func checkBatch(t *testing.T, b *Batch) {
	t.Helper()
	limit := fuzzNow.Add(future)
	checkTime := func(what string, ts ...time.Time) {
		for _, x := range ts {
			if !x.IsZero() && (x.Before(epoch1970) || x.After(limit)) {
				t.Fatalf("%s: time %v out of bounds", what, x)
			}
		}
	}
	checkID := func(what, id string, need bool) {
		if need && id == "" || len(id) > maxID || firstControl(id) >= 0 {
			t.Fatalf("%s: bad id %q", what, id)
		}
	}
	checkName := func(what, s string) {
		if len(s) > maxName || firstControl(s) >= 0 {
			t.Fatalf("%s: bad name %q", what, s)
		}
	}
	checkSecs := func(what string, s *float64) {
		if s != nil && (*s < 0 || *s > maxNum) {
			t.Fatalf("%s: seconds %v", what, *s)
		}
	}
	for _, d := range b.Deployments {
		checkID("deployment", d.ID, true)
		checkName("environment", d.Environment)
		checkName("ref", d.Ref)
		checkTime("deployment", d.Time, d.Created, d.Updated)
		if d.Status != "" && d.Status != Success && d.Status != Failure {
			t.Fatalf("deployment status %q", d.Status)
		}
		if d.SHA != "" && !isSHA(d.SHA) {
			t.Fatalf("sha %q", d.SHA)
		}
	}
	for _, s := range b.Statuses {
		checkID("status", s.ID, true)
		checkID("status's deployment", s.Deployment, true)
		checkTime("status", s.Time, s.Updated)
	}
	for _, p := range b.Pulls {
		checkID("pull", p.ID, true)
		checkName("pull's repository", p.Repo)
		checkTime("pull", p.Opened, p.Ready, p.FirstCommit, p.FirstReview, p.Approved, p.Merged, p.Updated)
		if p.State != "open" && p.State != "closed" && p.State != "merged" || p.State != "merged" && (!p.Merged.IsZero() || p.MergeSHA != "") {
			t.Fatalf("pull state %q, merged %v %q", p.State, p.Merged, p.MergeSHA)
		}
		if p.Draft && !p.Ready.IsZero() {
			t.Fatalf("a draft ready at %v", p.Ready)
		}
	}
	for _, r := range b.Reviews {
		checkID("review", r.ID, true)
		checkName("review's repository", r.Repo)
		checkTime("review", r.Submitted)
		if r.Pull <= 0 || !reviewStates[r.State] {
			t.Fatalf("review %+v", r)
		}
	}
	for _, c := range b.Commits {
		checkName("commit's repository", c.Repo)
		checkTime("commit", c.Authored, c.Committed)
		if c.Pull <= 0 || c.Authored.IsZero() {
			t.Fatalf("commit %+v", c)
		}
	}
	for _, e := range b.Readies {
		checkTime("ready", e.Time)
	}
	for _, p := range b.Pipelines {
		checkID("pipeline", p.ID, true)
		checkTime("pipeline", p.Created, p.Started, p.Finished, p.Updated)
		checkSecs("pipeline", p.Seconds)
		for _, j := range p.Jobs {
			checkID("job", j.ID, true)
			checkSecs("job", j.Seconds)
		}
	}
	for _, j := range b.Jobs {
		checkID("job", j.ID, true)
		checkID("job's pipeline", j.Pipeline, true)
		checkTime("job", j.Created, j.Started, j.Finished)
		checkSecs("job", j.Seconds)
		if j.Started.IsZero() && j.Seconds != nil {
			t.Fatalf("seconds of a job that never started")
		}
	}
	for _, in := range b.Incidents {
		checkID("incident", in.ID, true)
		checkTime("incident", in.Opened, in.Resolved, in.Updated)
		if in.State != "" && in.State != Open && in.State != Resolved || in.State == Open && !in.Resolved.IsZero() {
			t.Fatalf("incident %+v", in)
		}
		switch in.Severity {
		case "", "critical", "high", "medium", "low":
		default:
			t.Fatalf("severity %q", in.Severity)
		}
		if utf8.RuneCountInString(in.Title) > maxTitle || firstControl(in.Title) >= 0 {
			t.Fatalf("title %q", in.Title)
		}
	}
}

func FuzzParseGitHub(f *testing.F) {
	seed(f, "sources/github-pulls", []string{"go-playground", "octokit-webhooks__pull_request_review.submitted", "drone-go-scm__github.pr"},
		`[{"id": 1, "number": 2, "state": "closed", "draft": false, "created_at": "2026-01-05T10:00:00Z", "merged_at": "2026-01-05T11:00:00Z",
		   "merge_commit_sha": "0123456789abcdef0123456789abcdef01234567", "user": {"login": "a", "id": 3}, "head": {"sha": null}, "base": {}}]`,
		`[{"id": 9, "user": {"login": "b[bot]"}, "state": "APPROVED", "submitted_at": "2026-01-05T10:30:00Z", "pull_request_url": "https://api.github.com/repos/o/r/pulls/2"}]`,
		`[{"sha": "0123456789abcdef0123456789abcdef01234567", "commit": {"author": {"date": "2026-01-05T09:00:00Z"}}}]`,
		`[{"event": "ready_for_review", "created_at": "2026-01-05T10:10:00Z"}]`)
	seed(f, "ci/octokit-webhooks", []string{"deployment_status__payload", "release__published.payload"})
	seed(f, "ci/github3py/bodies", []string{"Deployment_statuses", "Repository_releases"})
	f.Fuzz(func(t *testing.T, b []byte, which uint8) {
		fuzzParse(t, []string{GitHubPulls, GitHubDeployments, GitHubReleases}, b, which)
	})
}

func FuzzParseGitLab(f *testing.F) {
	seed(f, "sources/gitlab", []string{"webhooks.pipeline", "webhooks.build", "gitlab4j__job-event", "gitlab4j__job.json", "webhooks.deployment",
		"gitlab4j__deployment", "get_merge_request.json", "pull_request_merge", "zulip__deployment_hook__failed"})
	seed(f, "sources/incidents", []string{"gitlab.issue_hook"},
		`[{"id": 5, "iid": 1, "noteable_type": "MergeRequest", "noteable_iid": 1, "system": true, "body": "approved this merge request",
		   "author": {"username": "x", "id": 2}, "created_at": "2026-01-05T10:00:00Z"}]`,
		`[{"id": "0123456789abcdef0123456789abcdef01234567", "short_id": "01234567", "authored_date": "2026-01-05T09:00:00.000+00:00"}]`)
	f.Fuzz(func(t *testing.T, b []byte, which uint8) {
		fuzzParse(t, []string{GitLabPipelines, GitLabDeployments, GitLabMergeRequests, GitLabIncidents}, b, which)
	})
}

func FuzzParseIncidents(f *testing.F) {
	seed(f, "sources/incidents", []string{"zulip__pagerduty", "zulip__opsgenie", "faros__opsgenie", "faros__pagerduty.incidents"},
		`{"incidents": [{"type": "incident", "id": "P1", "status": "resolved", "created_at": "2026-01-05T10:00:00Z", "last_status_change_at": "2026-01-05T11:00:00Z", "priority": {"summary": "P1"}}]}`,
		`{"data": [{"id": "x", "tinyId": "1", "status": "closed", "createdAt": "2026-01-05T10:00:00Z", "report": {"closeTime": 60000}, "alias": "a"}], "took": 0.1}`)
	f.Fuzz(func(t *testing.T, b []byte, which uint8) {
		fuzzParse(t, []string{PagerDuty, Opsgenie}, b, which)
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2016-08-11T11:28:34.085Z", "2016-08-12 15:23:28 UTC", "2021-04-28 21:50:00 +0200", "1502709956288",
		"1502709956288000110", "0001-01-01T00:00:00Z", "2022-07-13 01:44:58.146", "", "0", "9223372036854775807"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTime(s, fuzzNow)
		if err != nil {
			return
		}
		if !got.IsZero() && (got.Before(epoch1970) || got.After(fuzzNow.Add(future))) {
			t.Fatalf("ParseTime(%q) = %v: out of bounds", s, got)
		}
		// Nanoseconds are read exactly from the text.
		if len(s) >= 17 && strings.Trim(s, "0123456789") == "" {
			n, _ := strconv.ParseInt(s, 10, 64)
			if got.UnixNano() != n {
				t.Fatalf("ParseTime(%q) = %d ns", s, got.UnixNano())
			}
		}
	})
}
