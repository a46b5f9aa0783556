package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/collect/imports"
	"github.com/gitdora/gitdora/internal/gittest"
)

// corpusSources is ../shared/corpus/sources from the repository root.
const corpusSources = "../../../shared/corpus/sources"

// sourceFiles says, for every file of the corpus's sources/, the source
// it is imported as and, for a file that is no plain response or payload
// of it (recordings, tables, other tools), the reason it is refused with.
var sourceFiles = []struct{ file, source, refused string }{
	{"github-pulls/devlake__raw_github_api_pr_reviews_bot_filter.csv", imports.GitHubPulls, "a DevLake raw-table CSV"},
	{"github-pulls/devlake__raw_github_api_pull_request_commits.csv", imports.GitHubPulls, "a DevLake raw-table CSV"},
	{"github-pulls/devlake__raw_github_api_pull_request_review_comments.csv", imports.GitHubPulls, "a DevLake raw-table CSV"},
	{"github-pulls/devlake__raw_github_api_pull_request_reviews.csv", imports.GitHubPulls, "a DevLake raw-table CSV"},
	{"github-pulls/devlake__raw_github_api_pull_requests.csv", imports.GitHubPulls, "a DevLake raw-table CSV"},
	{"github-pulls/devlake__raw_github_api_pull_requests_bot_filter.csv", imports.GitHubPulls, "a DevLake raw-table CSV"},
	{"github-pulls/drone-go-scm__github.pr.json", imports.GitHubPulls, ""},
	{"github-pulls/drone-go-scm__github.webhooks.pr_closed.json", imports.GitHubPulls, ""},
	{"github-pulls/drone-go-scm__github.webhooks.pr_review_submitted.json", imports.GitHubPulls, ""},
	{"github-pulls/github3py__GitHub_pull_request.json", imports.GitHubPulls, "is a betamax cassette"},
	{"github-pulls/github3py__PullRequest_commits.json", imports.GitHubPulls, "is a betamax cassette"},
	{"github-pulls/github3py__PullRequest_pull_reviews.json", imports.GitHubPulls, "is a betamax cassette"},
	{"github-pulls/github3py__PullReview_submit.json", imports.GitHubPulls, "is a betamax cassette"},
	{"github-pulls/github3py__Repository_pull_requests.json", imports.GitHubPulls, "is a betamax cassette"},
	{"github-pulls/go-playground__github.pull-request-review.json", imports.GitHubPulls, ""},
	{"github-pulls/go-playground__github.pull-request.json", imports.GitHubPulls, ""},
	{"github-pulls/octokit-rb__commit_pulls.json", imports.GitHubPulls, "is a VCR cassette"},
	{"github-pulls/octokit-rb__create_draft_pull_request.json", imports.GitHubPulls, "is a VCR cassette"},
	{"github-pulls/octokit-rb__pull_request_commits.json", imports.GitHubPulls, "is a VCR cassette"},
	{"github-pulls/octokit-rb__pull_request_review_single.json", imports.GitHubPulls, "is a VCR cassette"},
	{"github-pulls/octokit-rb__pull_request_reviews.json", imports.GitHubPulls, "is a VCR cassette"},
	{"github-pulls/octokit-rb__pull_requests_state_closed.json", imports.GitHubPulls, "is a VCR cassette"},
	{"github-pulls/octokit-webhooks__pull_request.closed.payload.json", imports.GitHubPulls, ""},
	{"github-pulls/octokit-webhooks__pull_request.converted_to_draft.payload.json", imports.GitHubPulls, ""},
	{"github-pulls/octokit-webhooks__pull_request.opened.payload.json", imports.GitHubPulls, ""},
	{"github-pulls/octokit-webhooks__pull_request.opened.with-null-body.json", imports.GitHubPulls, ""},
	{"github-pulls/octokit-webhooks__pull_request.ready_for_review.payload.json", imports.GitHubPulls, ""},
	{"github-pulls/octokit-webhooks__pull_request.synchronize.payload.json", imports.GitHubPulls, ""},
	{"github-pulls/octokit-webhooks__pull_request_review.dismissed.payload.json", imports.GitHubPulls, ""},
	{"github-pulls/octokit-webhooks__pull_request_review.submitted.payload.json", imports.GitHubPulls, ""},
	{"github-pulls/pygithub__Commit.testGetPulls.txt", imports.GitHubPulls, "a PyGithub replay recording"},
	{"github-pulls/pygithub__Issue131.testGetPullsWithOrgHeadUser.txt", imports.GitHubPulls, "a PyGithub replay recording"},
	{"github-pulls/pygithub__PullRequest.setUp.txt", imports.GitHubPulls, "a PyGithub replay recording"},
	{"github-pulls/pygithub__PullRequest.testGetCommits.txt", imports.GitHubPulls, "a PyGithub replay recording"},
	{"github-pulls/pygithub__PullRequest.testGetFiles.txt", imports.GitHubPulls, "a PyGithub replay recording"},
	{"github-pulls/pygithub__PullRequest.testGetIssueTimeline.txt", imports.GitHubPulls, "a PyGithub replay recording"},
	{"github-pulls/pygithub__PullRequest.testMarkReadyForReview.txt", imports.GitHubPulls, "a PyGithub replay recording"},
	{"github-pulls/pygithub__PullRequestReview.testAttributes.txt", imports.GitHubPulls, "a PyGithub replay recording"},
	{"github-pulls/pygithub__PullRequestReview.testDoesNotModifyPullRequest.txt", imports.GitHubPulls, "a PyGithub replay recording"},
	{"gitlab/devlake__raw_gitlab_api_deployments.csv", imports.GitLabDeployments, "a DevLake raw-table CSV"},
	{"gitlab/devlake__raw_gitlab_api_job.csv", imports.GitLabPipelines, "a DevLake raw-table CSV"},
	{"gitlab/devlake__raw_gitlab_api_merge_request_commits.csv", imports.GitLabMergeRequests, "a DevLake raw-table CSV"},
	{"gitlab/devlake__raw_gitlab_api_merge_request_notes.csv", imports.GitLabMergeRequests, "a DevLake raw-table CSV"},
	{"gitlab/devlake__raw_gitlab_api_merge_requests.csv", imports.GitLabMergeRequests, "a DevLake raw-table CSV"},
	{"gitlab/devlake__raw_gitlab_api_pipeline.csv", imports.GitLabPipelines, "a DevLake raw-table CSV"},
	{"gitlab/devlake__raw_gitlab_api_pipeline_details.csv", imports.GitLabPipelines, "a DevLake raw-table CSV"},
	{"gitlab/devlake__raw_gitlab_api_trigger_job.csv", imports.GitLabPipelines, "a DevLake raw-table CSV"},
	{"gitlab/drone-go-scm__merges.json", imports.GitLabMergeRequests, ""},
	{"gitlab/drone-go-scm__webhooks.pull_request_close.json", imports.GitLabMergeRequests, ""},
	{"gitlab/drone-go-scm__webhooks.pull_request_merge.json", imports.GitLabMergeRequests, ""},
	{"gitlab/gitlab4j__build-event.json", imports.GitLabPipelines, ""},
	{"gitlab/gitlab4j__deployment.json", imports.GitLabDeployments, ""},
	{"gitlab/gitlab4j__environment.json", imports.GitLabDeployments, "is a GitLab environment"},
	{"gitlab/gitlab4j__job-event.json", imports.GitLabPipelines, ""},
	{"gitlab/gitlab4j__job.json", imports.GitLabPipelines, ""},
	{"gitlab/gitlab4j__merge-request-event.json", imports.GitLabMergeRequests, ""},
	{"gitlab/gitlab4j__merge-request.json", imports.GitLabMergeRequests, ""},
	{"gitlab/gitlab4j__pipeline-event.json", imports.GitLabPipelines, ""},
	{"gitlab/gitlab4j__pipeline.json", imports.GitLabPipelines, ""},
	{"gitlab/go-gitlab__get_merge_request.json", imports.GitLabMergeRequests, ""},
	{"gitlab/go-gitlab__get_merge_requests.json", imports.GitLabMergeRequests, ""},
	{"gitlab/go-gitlab__webhooks.build.json", imports.GitLabPipelines, ""},
	{"gitlab/go-gitlab__webhooks.deployment.json", imports.GitLabDeployments, ""},
	{"gitlab/go-gitlab__webhooks.job.json", imports.GitLabPipelines, ""},
	{"gitlab/go-gitlab__webhooks.merge_request.json", imports.GitLabMergeRequests, ""},
	{"gitlab/go-gitlab__webhooks.pipeline.json", imports.GitLabPipelines, ""},
	{"gitlab/zulip__deployment_hook__blocked.json", imports.GitLabDeployments, ""},
	{"gitlab/zulip__deployment_hook__canceled.json", imports.GitLabDeployments, ""},
	{"gitlab/zulip__deployment_hook__failed.json", imports.GitLabDeployments, ""},
	{"incidents/devlake__raw_opsgenie_incidents.csv", imports.Opsgenie, "a DevLake raw-table CSV"},
	{"incidents/devlake__raw_pagerduty_incidents.csv", imports.PagerDuty, "a DevLake raw-table CSV"},
	{"incidents/faros__firehydrant.incidents.json", imports.PagerDuty, "is a FireHydrant incident"},
	{"incidents/faros__opsgenie.alerts.json", imports.Opsgenie, ""},
	{"incidents/faros__opsgenie.incidents.json", imports.Opsgenie, ""},
	{"incidents/faros__pagerduty.incidentLogEntries.json", imports.PagerDuty, "is a PagerDuty log entry"},
	{"incidents/faros__pagerduty.incidents.json", imports.PagerDuty, ""},
	{"incidents/faros__pagerduty.prioritiesResource.json", imports.PagerDuty, "is a PagerDuty priority"},
	{"incidents/faros__squadcast.incidents.json", imports.PagerDuty, "is a Squadcast incident"},
	{"incidents/faros__statuspage.incidents.json", imports.PagerDuty, "is an Atlassian Statuspage incident"},
	{"incidents/faros__victorops.incidents.json", imports.PagerDuty, "is a Splunk On-Call (VictorOps) incident"},
	{"incidents/fourkeys__pagerduty-parser.msg.not-json.txt", imports.PagerDuty, "not JSON: line 64, column 2"},
	{"incidents/zulip__gitlab.issue_hook__incident_closed.json", imports.GitLabIncidents, ""},
	{"incidents/zulip__gitlab.issue_hook__incident_created.json", imports.GitLabIncidents, ""},
	{"incidents/zulip__opsgenie.acknowledge.json", imports.Opsgenie, ""},
	{"incidents/zulip__opsgenie.close.json", imports.Opsgenie, ""},
	{"incidents/zulip__opsgenie.create.json", imports.Opsgenie, ""},
	{"incidents/zulip__pagerduty.acknowledged_v3.json", imports.PagerDuty, ""},
	{"incidents/zulip__pagerduty.priority_updated_v3.json", imports.PagerDuty, ""},
	{"incidents/zulip__pagerduty.reassigned_v3.json", imports.PagerDuty, ""},
	{"incidents/zulip__pagerduty.resolved_v3.json", imports.PagerDuty, ""},
	{"incidents/zulip__pagerduty.triggered_v3.json", imports.PagerDuty, ""},
}

// snapshotDir is every file under dir with a hash of its content, "" when
// dir holds none.
func snapshotDir(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		sum := sha256.Sum256(b)
		lines = append(lines, fmt.Sprintf("%s %x", p, sum[:8]))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// Every plain JSON response or webhook payload of a supported source in
// the corpus imports through the command into a plain directory, and
// importing it again writes nothing; every other file is refused with
// its reason, writing nothing.
func TestImportCorpusSources(t *testing.T) {
	if _, err := os.Stat(corpusSources); err != nil {
		t.Skipf("corpus not found at %s (../shared/corpus from the repository root): %v", corpusSources, err)
	}
	listed := map[string]bool{}
	for _, f := range sourceFiles {
		listed[f.file] = true
	}
	all, err := filepath.Glob(filepath.Join(corpusSources, "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		rel, _ := filepath.Rel(corpusSources, p)
		if !listed[filepath.ToSlash(rel)] {
			t.Errorf("corpus file %s is not in sourceFiles: say what importing it gives", rel)
		}
	}
	repo := t.TempDir() // no repository: no commit is known
	imported := 0
	for _, f := range sourceFiles {
		t.Run(filepath.Base(f.file), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			imp := func() (int, string, string) {
				var out, errb bytes.Buffer
				code := Run([]string{"--repo", repo, "--data", dir, "import", f.source, filepath.Join(corpusSources, f.file)}, &out, &errb)
				return code, out.String(), errb.String()
			}
			code, out, errs := imp()
			if f.refused != "" {
				if code != 1 || !strings.Contains(errs, f.refused) || !strings.Contains(errs, filepath.Base(f.file)) {
					t.Errorf("exit %d, stderr:\n%s\nwant exit 1 naming the file and %q", code, errs, f.refused)
				}
				if s := snapshotDir(t, dir); s != "" {
					t.Errorf("a refused file wrote:\n%s", s)
				}
				return
			}
			if code != 0 || !strings.Contains(out, f.source+": ") {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
			}
			if !strings.Contains(out, ": 0 written") {
				imported++
			} else if !strings.Contains(errs, "skipped") {
				t.Errorf("nothing written and nothing said skipped:\n%s\n%s", out, errs)
			}
			before := snapshotDir(t, dir)
			code, out, errs = imp()
			if code != 0 || !strings.Contains(out, f.source+": 0 written") {
				t.Errorf("again: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
			}
			if after := snapshotDir(t, dir); after != before {
				t.Errorf("importing again wrote:\n%s\nwas\n%s", after, before)
			}
		})
	}
	if imported < 30 {
		t.Errorf("%d corpus files imported something, want the 30 and more that hold events", imported)
	}
}

// A month's figures from GitHub deployments imported through the command
// (a deployments list, a statuses list and a deployment_status webhook,
// shaped as GitHub writes them) equal those from the same deployments
// recorded with gitdora record.
func TestImportedDeploymentsFigureAsRecorded(t *testing.T) {
	r := gittest.New(t)
	c1 := r.Commit(gittest.C{Msg: "init", Authored: "2026-02-25T09:00:00Z"})
	c2 := r.Commit(gittest.C{Msg: "feature a", Authored: "2026-03-02T08:00:00Z", Committed: "2026-03-02T09:00:00Z", Parents: []string{c1}})
	c3 := r.Commit(gittest.C{Msg: "feature b", Authored: "2026-03-03T07:00:00Z", Committed: "2026-03-03T08:00:00Z", Parents: []string{c2}})
	c4 := r.Commit(gittest.C{Msg: "feature c", Authored: "2026-03-10T10:00:00Z", Parents: []string{c3}})
	r.Branch("main", c4)
	r.Git("symbolic-ref", "HEAD", "refs/heads/main")

	deployment := func(id int, sha, env, created string) string {
		return fmt.Sprintf(`{"url": "https://api.github.com/repos/o/r/deployments/%d", "id": %d, "node_id": "DE_%d", "sha": %q, "ref": "main",
  "task": "deploy", "payload": {}, "original_environment": %q, "environment": %q, "description": null,
  "creator": {"login": "octocat", "id": 1, "type": "User"}, "created_at": %q, "updated_at": %q,
  "statuses_url": "https://api.github.com/repos/o/r/deployments/%d/statuses", "repository_url": "https://api.github.com/repos/o/r",
  "transient_environment": false, "production_environment": %t}`, id, id, id, sha, env, env, created, created, id, env == "production")
	}
	status := func(id, dep int, state, env, at string) string {
		return fmt.Sprintf(`{"url": "https://api.github.com/repos/o/r/deployments/%d/statuses/%d", "id": %d, "state": %q,
  "creator": {"login": "octocat", "id": 1, "type": "User"}, "description": "", "environment": %q, "target_url": "", "log_url": "",
  "created_at": %q, "updated_at": %q, "deployment_url": "https://api.github.com/repos/o/r/deployments/%d",
  "repository_url": "https://api.github.com/repos/o/r"}`, dep, id, id, state, env, at, at, dep)
	}
	type dep struct {
		id               int
		sha, env, status string
		created, decided string
	}
	deps := []dep{
		{1, c1, "production", "success", "2026-02-26T10:00:00Z", "2026-02-26T10:04:00Z"}, // the baseline, in February
		{2, c2, "production", "success", "2026-03-02T12:00:00Z", "2026-03-02T12:06:00Z"},
		{3, c3, "staging", "success", "2026-03-03T09:00:00Z", "2026-03-03T09:03:00Z"},
		{4, c3, "production", "failure", "2026-03-03T10:00:00Z", "2026-03-03T10:09:00Z"},
		{5, c3, "production", "success", "2026-03-03T11:00:00Z", "2026-03-03T11:07:30Z"},
		{6, c4, "production", "success", "2026-03-10T18:00:00Z", "2026-03-10T18:05:00Z"}, // from its webhook
	}
	dir := t.TempDir()
	var listed, statuses []string
	for _, d := range deps[:5] {
		listed = append(listed, deployment(d.id, d.sha, d.env, d.created))
		state := d.status
		if state == "failure" {
			state = "error" // an error is a failure
		}
		statuses = append(statuses, status(d.id*10, d.id, "in_progress", d.env, d.created), status(d.id*10+1, d.id, state, d.env, d.decided))
	}
	d6 := deps[5]
	hook := fmt.Sprintf(`{"action": "created", "deployment_status": %s, "deployment": %s, "repository": {"id": 1, "full_name": "o/r"}, "sender": {"login": "octocat", "id": 1}}`,
		status(61, 6, "success", d6.env, d6.decided), deployment(6, d6.sha, d6.env, d6.created))
	gittest.WriteFiles(t, dir, map[string]string{
		"deployments.json": "[" + strings.Join(listed, ",\n") + "]",
		"statuses.json":    "[" + strings.Join(statuses, ",\n") + "]",
		"event.json":       hook,
	})
	imported, recorded := filepath.Join(dir, "imported"), filepath.Join(dir, "recorded")
	for _, d := range []string{imported, recorded} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	gitdora := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if code := Run(append([]string{"--repo", r.Dir}, args...), &out, &errb); code != 0 {
			t.Fatalf("gitdora %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
		}
		return out.String()
	}
	out := gitdora("--data", imported, "import", "github-deployments", filepath.Join(dir, "deployments.json"), filepath.Join(dir, "statuses.json"))
	if !strings.Contains(out, "github-deployments: 5 written") {
		t.Errorf("import:\n%s", out)
	}
	gitdora("--data", imported, "import", "github-deployments", filepath.Join(dir, "event.json"))
	for _, d := range deps {
		gitdora("--data", recorded, "record", "deployment", "--id", fmt.Sprintf("gh-deploy-%d", d.id), "--sha", d.sha, "--at", d.decided,
			"--env", d.env, "--status", d.status, "--source", "github-deployments")
	}
	for _, month := range []string{"2026-02", "2026-03"} {
		fromImport := gitdora("--data", imported, "compute", "--month", month, "--format", "json")
		fromRecord := gitdora("--data", recorded, "compute", "--month", month, "--format", "json")
		if fromImport != fromRecord {
			t.Errorf("%s: imported deployments give\n%s\nrecorded ones\n%s", month, fromImport, fromRecord)
		}
		if month == "2026-03" && (!strings.Contains(fromImport, `"successful": 3,`) || !strings.Contains(fromImport, `"failed": 1,`) || !strings.Contains(fromImport, `"changes": 3,`)) {
			t.Errorf("%s: want 3 successful, 1 failed production deployments and 3 changes:\n%s", month, fromImport)
		}
	}
	a, b := snapshotDir(t, filepath.Join(imported, "events", "deployments")), snapshotDir(t, filepath.Join(recorded, "events", "deployments"))
	if strings.ReplaceAll(a, imported, "") != strings.ReplaceAll(b, recorded, "") {
		t.Errorf("the deployment files differ:\n%s\n%s", a, b)
	}
}
