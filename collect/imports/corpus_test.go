package imports

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusFiles says, for every file of the corpus's sources/ and for the
// GitHub deployments and releases of its ci/, what its natural source
// makes of it: what it holds, or why it is refused.
var corpusFiles = []struct {
	file, source, want string
}{
	{"sources/github-pulls/devlake__raw_github_api_pr_reviews_bot_filter.csv", GitHubPulls, "error: a DevLake raw-table CSV"},
	{"sources/github-pulls/devlake__raw_github_api_pull_request_commits.csv", GitHubPulls, "error: a DevLake raw-table CSV"},
	{"sources/github-pulls/devlake__raw_github_api_pull_request_review_comments.csv", GitHubPulls, "error: a DevLake raw-table CSV"},
	{"sources/github-pulls/devlake__raw_github_api_pull_request_reviews.csv", GitHubPulls, "error: a DevLake raw-table CSV"},
	{"sources/github-pulls/devlake__raw_github_api_pull_requests.csv", GitHubPulls, "error: a DevLake raw-table CSV"},
	{"sources/github-pulls/devlake__raw_github_api_pull_requests_bot_filter.csv", GitHubPulls, "error: a DevLake raw-table CSV"},
	{"sources/github-pulls/drone-go-scm__github.pr.json", GitHubPulls, "pulls=1 notes=1"},
	{"sources/github-pulls/drone-go-scm__github.webhooks.pr_closed.json", GitHubPulls, "pulls=1"},
	{"sources/github-pulls/drone-go-scm__github.webhooks.pr_review_submitted.json", GitHubPulls, "pulls=1 reviews=1"},
	{"sources/github-pulls/github3py__GitHub_pull_request.json", GitHubPulls, "error: is a betamax cassette"},
	{"sources/github-pulls/github3py__PullRequest_commits.json", GitHubPulls, "error: is a betamax cassette"},
	{"sources/github-pulls/github3py__PullRequest_pull_reviews.json", GitHubPulls, "error: is a betamax cassette"},
	{"sources/github-pulls/github3py__PullReview_submit.json", GitHubPulls, "error: is a betamax cassette"},
	{"sources/github-pulls/github3py__Repository_pull_requests.json", GitHubPulls, "error: is a betamax cassette"},
	{"sources/github-pulls/go-playground__github.pull-request-review.json", GitHubPulls, "pulls=1 reviews=1"},
	{"sources/github-pulls/go-playground__github.pull-request.json", GitHubPulls, "pulls=1"},
	{"sources/github-pulls/octokit-rb__commit_pulls.json", GitHubPulls, "error: is a VCR cassette"},
	{"sources/github-pulls/octokit-rb__create_draft_pull_request.json", GitHubPulls, "error: is a VCR cassette"},
	{"sources/github-pulls/octokit-rb__pull_request_commits.json", GitHubPulls, "error: is a VCR cassette"},
	{"sources/github-pulls/octokit-rb__pull_request_review_single.json", GitHubPulls, "error: is a VCR cassette"},
	{"sources/github-pulls/octokit-rb__pull_request_reviews.json", GitHubPulls, "error: is a VCR cassette"},
	{"sources/github-pulls/octokit-rb__pull_requests_state_closed.json", GitHubPulls, "error: is a VCR cassette"},
	{"sources/github-pulls/octokit-webhooks__pull_request.closed.payload.json", GitHubPulls, "pulls=1"},
	{"sources/github-pulls/octokit-webhooks__pull_request.converted_to_draft.payload.json", GitHubPulls, "pulls=1"},
	{"sources/github-pulls/octokit-webhooks__pull_request.opened.payload.json", GitHubPulls, "pulls=1"},
	{"sources/github-pulls/octokit-webhooks__pull_request.opened.with-null-body.json", GitHubPulls, "pulls=1"},
	{"sources/github-pulls/octokit-webhooks__pull_request.ready_for_review.payload.json", GitHubPulls, "pulls=1"},
	{"sources/github-pulls/octokit-webhooks__pull_request.synchronize.payload.json", GitHubPulls, "pulls=1"},
	{"sources/github-pulls/octokit-webhooks__pull_request_review.dismissed.payload.json", GitHubPulls, "pulls=1 reviews=1"},
	{"sources/github-pulls/octokit-webhooks__pull_request_review.submitted.payload.json", GitHubPulls, "pulls=1 reviews=1"},
	{"sources/github-pulls/pygithub__Commit.testGetPulls.txt", GitHubPulls, "error: a PyGithub replay recording"},
	{"sources/github-pulls/pygithub__Issue131.testGetPullsWithOrgHeadUser.txt", GitHubPulls, "error: a PyGithub replay recording"},
	{"sources/github-pulls/pygithub__PullRequest.setUp.txt", GitHubPulls, "error: a PyGithub replay recording"},
	{"sources/github-pulls/pygithub__PullRequest.testGetCommits.txt", GitHubPulls, "error: a PyGithub replay recording"},
	{"sources/github-pulls/pygithub__PullRequest.testGetFiles.txt", GitHubPulls, "error: a PyGithub replay recording"},
	{"sources/github-pulls/pygithub__PullRequest.testGetIssueTimeline.txt", GitHubPulls, "error: a PyGithub replay recording"},
	{"sources/github-pulls/pygithub__PullRequest.testMarkReadyForReview.txt", GitHubPulls, "error: a PyGithub replay recording"},
	{"sources/github-pulls/pygithub__PullRequestReview.testAttributes.txt", GitHubPulls, "error: a PyGithub replay recording"},
	{"sources/github-pulls/pygithub__PullRequestReview.testDoesNotModifyPullRequest.txt", GitHubPulls, "error: a PyGithub replay recording"},
	{"sources/gitlab/devlake__raw_gitlab_api_deployments.csv", GitLabDeployments, "error: a DevLake raw-table CSV"},
	{"sources/gitlab/devlake__raw_gitlab_api_job.csv", GitLabPipelines, "error: a DevLake raw-table CSV"},
	{"sources/gitlab/devlake__raw_gitlab_api_merge_request_commits.csv", GitLabMergeRequests, "error: a DevLake raw-table CSV"},
	{"sources/gitlab/devlake__raw_gitlab_api_merge_request_notes.csv", GitLabMergeRequests, "error: a DevLake raw-table CSV"},
	{"sources/gitlab/devlake__raw_gitlab_api_merge_requests.csv", GitLabMergeRequests, "error: a DevLake raw-table CSV"},
	{"sources/gitlab/devlake__raw_gitlab_api_pipeline.csv", GitLabPipelines, "error: a DevLake raw-table CSV"},
	{"sources/gitlab/devlake__raw_gitlab_api_pipeline_details.csv", GitLabPipelines, "error: a DevLake raw-table CSV"},
	{"sources/gitlab/devlake__raw_gitlab_api_trigger_job.csv", GitLabPipelines, "error: a DevLake raw-table CSV"},
	{"sources/gitlab/drone-go-scm__merges.json", GitLabMergeRequests, "pulls=1"},
	{"sources/gitlab/drone-go-scm__webhooks.pull_request_close.json", GitLabMergeRequests, "pulls=1"},
	{"sources/gitlab/drone-go-scm__webhooks.pull_request_merge.json", GitLabMergeRequests, "pulls=1"},
	{"sources/gitlab/gitlab4j__build-event.json", GitLabPipelines, "jobs=1"},
	{"sources/gitlab/gitlab4j__deployment.json", GitLabDeployments, "deployments=1 notes=1"},
	{"sources/gitlab/gitlab4j__environment.json", GitLabDeployments, "error: is a GitLab environment"},
	{"sources/gitlab/gitlab4j__job-event.json", GitLabPipelines, "jobs=1"},
	{"sources/gitlab/gitlab4j__job.json", GitLabPipelines, "jobs=1"},
	{"sources/gitlab/gitlab4j__merge-request-event.json", GitLabMergeRequests, "pulls=1"},
	{"sources/gitlab/gitlab4j__merge-request.json", GitLabMergeRequests, "pulls=1"},
	{"sources/gitlab/gitlab4j__pipeline-event.json", GitLabPipelines, "pipelines=1"},
	{"sources/gitlab/gitlab4j__pipeline.json", GitLabPipelines, "pipelines=1"},
	{"sources/gitlab/go-gitlab__get_merge_request.json", GitLabMergeRequests, "pulls=1"},
	{"sources/gitlab/go-gitlab__get_merge_requests.json", GitLabMergeRequests, "pulls=3"},
	{"sources/gitlab/go-gitlab__webhooks.build.json", GitLabPipelines, "jobs=1"},
	{"sources/gitlab/go-gitlab__webhooks.deployment.json", GitLabDeployments, "deployments=1"},
	{"sources/gitlab/go-gitlab__webhooks.job.json", GitLabPipelines, "jobs=1"},
	{"sources/gitlab/go-gitlab__webhooks.merge_request.json", GitLabMergeRequests, "pulls=1"},
	{"sources/gitlab/go-gitlab__webhooks.pipeline.json", GitLabPipelines, "pipelines=1 notes=2"},
	{"sources/gitlab/zulip__deployment_hook__blocked.json", GitLabDeployments, "deployments=1"},
	{"sources/gitlab/zulip__deployment_hook__canceled.json", GitLabDeployments, "skipped=1"},
	{"sources/gitlab/zulip__deployment_hook__failed.json", GitLabDeployments, "deployments=1"},
	{"sources/incidents/devlake__raw_opsgenie_incidents.csv", Opsgenie, "error: a DevLake raw-table CSV"},
	{"sources/incidents/devlake__raw_pagerduty_incidents.csv", PagerDuty, "error: a DevLake raw-table CSV"},
	{"sources/incidents/faros__firehydrant.incidents.json", PagerDuty, "error: is a FireHydrant incident"},
	{"sources/incidents/faros__opsgenie.alerts.json", Opsgenie, "incidents=2"},
	{"sources/incidents/faros__opsgenie.incidents.json", Opsgenie, "incidents=3"},
	{"sources/incidents/faros__pagerduty.incidentLogEntries.json", PagerDuty, "error: is a PagerDuty log entry, not an incident"},
	{"sources/incidents/faros__pagerduty.incidents.json", PagerDuty, "incidents=3"},
	{"sources/incidents/faros__pagerduty.prioritiesResource.json", PagerDuty, "error: is a PagerDuty priority, not an incident"},
	{"sources/incidents/faros__squadcast.incidents.json", PagerDuty, "error: is a Squadcast incident"},
	{"sources/incidents/faros__statuspage.incidents.json", PagerDuty, "error: is an Atlassian Statuspage incident"},
	{"sources/incidents/faros__victorops.incidents.json", PagerDuty, "error: is a Splunk On-Call (VictorOps) incident"},
	{"sources/incidents/fourkeys__pagerduty-parser.msg.not-json.txt", PagerDuty, "error: not JSON: line 64, column 2"},
	{"sources/incidents/zulip__gitlab.issue_hook__incident_closed.json", GitLabIncidents, "incidents=1"},
	{"sources/incidents/zulip__gitlab.issue_hook__incident_created.json", GitLabIncidents, "incidents=1"},
	{"sources/incidents/zulip__opsgenie.acknowledge.json", Opsgenie, "incidents=1"},
	{"sources/incidents/zulip__opsgenie.close.json", Opsgenie, "incidents=1"},
	{"sources/incidents/zulip__opsgenie.create.json", Opsgenie, "incidents=1"},
	{"sources/incidents/zulip__pagerduty.acknowledged_v3.json", PagerDuty, "incidents=1"},
	{"sources/incidents/zulip__pagerduty.priority_updated_v3.json", PagerDuty, "incidents=1"},
	{"sources/incidents/zulip__pagerduty.reassigned_v3.json", PagerDuty, "incidents=1"},
	{"sources/incidents/zulip__pagerduty.resolved_v3.json", PagerDuty, "incidents=1"},
	{"sources/incidents/zulip__pagerduty.triggered_v3.json", PagerDuty, "incidents=1"},
	{"ci/github3py/bodies/Deployment_create_status.1.json", GitHubDeployments, "deployments=2"},
	{"ci/github3py/bodies/Deployment_create_status.2.json", GitHubDeployments, "statuses=1"},
	{"ci/github3py/bodies/Deployment_statuses.1.json", GitHubDeployments, "deployments=2"},
	{"ci/github3py/bodies/Deployment_statuses.2.json", GitHubDeployments, "statuses=5"},
	{"ci/github3py/bodies/Issue_closed.0.json", GitHubDeployments, "error: is a GitHub issue, not a supported source"},
	{"ci/github3py/bodies/Issue_closed.1.json", GitHubDeployments, "error: is a GitHub issue, not a supported source"},
	{"ci/github3py/bodies/Repository_deployment.1.json", GitHubDeployments, "deployments=1"},
	{"ci/github3py/bodies/Repository_deployments.1.json", GitHubDeployments, "deployments=2"},
	{"ci/github3py/bodies/Repository_issue_events.1.json", GitHubDeployments, "error: $[0]: is a GitHub issue event, not a supported source"},
	{"ci/github3py/bodies/Repository_issues_state_all.2.json", GitHubDeployments, "error: is a GitHub issue, not a supported source"},
	{"ci/github3py/bodies/Repository_issues_state_all.3.json", GitHubDeployments, "error: is a GitHub issue, not a supported source"},
	{"ci/github3py/bodies/Repository_releases.1.json", GitHubReleases, "deployments=2"},
	{"ci/github3py/bodies/Repository_tags.2.json", GitHubDeployments, "error: $[0]: is a GitHub tag, not a supported source; tags are read from git itself"},
	{"ci/octokit-rb/bodies/Deployments__with_ref___create_deployment__creates_a_deployment.2.json", GitHubDeployments, "deployments=1"},
	{"ci/octokit-rb/bodies/Deployments__with_ref___create_deployment__creates_a_deployment_with_a_payload.2.json", GitHubDeployments, "deployments=1"},
	{"ci/octokit-rb/bodies/Deployments__with_ref__with_deployment___create_deployment_status__creates_a_deployment_status.2.json", GitHubDeployments, "deployments=1"},
	{"ci/octokit-rb/bodies/Deployments__with_ref__with_deployment___create_deployment_status__creates_a_deployment_status.3.json", GitHubDeployments, "deployments=1"},
	{"ci/octokit-rb/bodies/Deployments__with_ref__with_deployment___create_deployment_status__creates_a_deployment_status.4.json", GitHubDeployments, "statuses=1"},
	{"ci/octokit-rb/bodies/Deployments__with_ref__with_deployment___delete_deployment__deletes_a_single_deployment.2.json", GitHubDeployments, "deployments=1"},
	{"ci/octokit-rb/bodies/Deployments__with_ref__with_deployment___deployment_statuses__lists_deployment_statuses.2.json", GitHubDeployments, "deployments=1"},
	{"ci/octokit-rb/bodies/Deployments__with_ref__with_deployment___deployment_statuses__lists_deployment_statuses.3.json", GitHubDeployments, "deployments=1"},
	{"ci/octokit-rb/bodies/Deployments__with_ref__with_deployment___deployment_statuses__lists_deployment_statuses.4.json", GitHubDeployments, "empty"},
	{"ci/octokit-rb/bodies/Releases___release_for_tag__returns_the_release_for_a_tag.0.json", GitHubReleases, "deployments=1"},
	{"ci/octokit-rb/bodies/Releases___releases__lists_releases_for_a_repo.0.json", GitHubReleases, "deployments=1 skipped=3"},
	{"ci/octokit-rb/bodies/Releases___releases__lists_releases_for_a_repo.1.json", GitHubReleases, "empty"},
	{"ci/octokit-webhooks/deployment__gh-pages.payload.json", GitHubDeployments, "deployments=1"},
	{"ci/octokit-webhooks/deployment__payload.json", GitHubDeployments, "deployments=1"},
	{"ci/octokit-webhooks/deployment__with-installation.payload.json", GitHubDeployments, "deployments=1"},
	{"ci/octokit-webhooks/deployment_review__requested.payload.json", GitHubDeployments, "error: $: is a GitHub deployment_review webhook payload"},
	{"ci/octokit-webhooks/deployment_status__gh-pages.payload.json", GitHubDeployments, "deployments=1 statuses=1"},
	{"ci/octokit-webhooks/deployment_status__payload.json", GitHubDeployments, "deployments=1 statuses=1"},
	{"ci/octokit-webhooks/deployment_status__with-installation.payload.json", GitHubDeployments, "deployments=1 statuses=1"},
	{"ci/octokit-webhooks/release__created.payload.json", GitHubReleases, "deployments=1"},
	{"ci/octokit-webhooks/release__created.with-discussion-url.payload.json", GitHubReleases, "deployments=1"},
	{"ci/octokit-webhooks/release__created.with-installation.payload.json", GitHubReleases, "deployments=1"},
	{"ci/octokit-webhooks/release__published.payload.json", GitHubReleases, "deployments=1"},
	{"ci/octokit-webhooks/release__published.with-discussion-url.payload.json", GitHubReleases, "deployments=1"},
	{"ci/octokit-webhooks/release__released.json", GitHubReleases, "deployments=1"},
	{"ci/devlake/json/github___raw_github_api_events.json", GitHubDeployments, "error: $[0]: is a DevLake raw-table row"},
	{"ci/devlake/json/github___raw_github_api_issues.json", GitHubDeployments, "error: $[0]: is a DevLake raw-table row"},
	{"ci/devlake/json/github___raw_github_api_jobs.json", GitHubDeployments, "error: $[0]: is a DevLake raw-table row"},
	{"ci/devlake/json/github___raw_github_api_runs.json", GitHubDeployments, "error: $[0]: is a DevLake raw-table row"},
	{"ci/devlake/json/github_graphql___raw_github_graphql_deployment.json", GitHubDeployments, "error: $[0]: is a DevLake raw-table row"},
	{"ci/devlake/raw_csv/pagerduty___raw_pagerduty_incidents.csv", PagerDuty, "error: a DevLake raw-table CSV"},
}

func TestCorpusFiles(t *testing.T) {
	needCorpus(t)
	for _, tc := range corpusFiles {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			b, err := parseCorpus(t, tc.source, tc.file, 0)
			if reason, ok := strings.CutPrefix(tc.want, "error: "); ok {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("got %v, want an *Error with %q", err, reason)
				}
				if !strings.Contains(err.Error(), reason) || !strings.HasPrefix(err.Error(), filepath.Base(tc.file)+": ") {
					t.Fatalf("error %q does not name the file and say %q", err, reason)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := summary(b); got != tc.want {
				t.Errorf("got %s, want %s (skipped %v, notes %v)", got, tc.want, b.Skipped, b.Notes)
			}
			if b.Source != tc.source {
				t.Errorf("batch source %q", b.Source)
			}
			checkSources(t, b, tc.source)
		})
	}
}

// checkSources checks that every record names its importer.
func checkSources(t *testing.T, b *Batch, source string) {
	t.Helper()
	var got []string
	for _, x := range b.Deployments {
		got = append(got, x.Source)
	}
	for _, x := range b.Statuses {
		got = append(got, x.Source)
	}
	for _, x := range b.Pulls {
		got = append(got, x.Source)
	}
	for _, x := range b.Reviews {
		got = append(got, x.Source)
	}
	for _, x := range b.Commits {
		got = append(got, x.Source)
	}
	for _, x := range b.Readies {
		got = append(got, x.Source)
	}
	for _, x := range b.Pipelines {
		got = append(got, x.Source)
		for _, j := range x.Jobs {
			got = append(got, j.Source)
		}
	}
	for _, x := range b.Jobs {
		got = append(got, x.Source)
	}
	for _, x := range b.Incidents {
		got = append(got, x.Source)
	}
	for _, s := range got {
		if s != source {
			t.Errorf("a record's source is %q, want %q", s, source)
		}
	}
}

// TestCorpusFilesListed makes sure the table above covers every file of
// sources/: a file added to the corpus must be added to it.
func TestCorpusFilesListed(t *testing.T) {
	needCorpus(t)
	listed := map[string]bool{}
	for _, tc := range corpusFiles {
		listed[tc.file] = true
	}
	files, err := filepath.Glob(filepath.Join(corpus, "sources", "*", "*"))
	if err != nil || len(files) < 90 {
		t.Fatalf("found %d files under sources/: %v", len(files), err)
	}
	for _, f := range files {
		rel, _ := filepath.Rel(corpus, f)
		if !listed[filepath.ToSlash(rel)] {
			t.Errorf("%s is not in corpusFiles", rel)
		}
	}
}

// TestCorpusWrongSource gives every supported payload to every other
// source: each is refused, and the refusal names what the file is and
// the source that reads it.
func TestCorpusWrongSource(t *testing.T) {
	needCorpus(t)
	for _, tc := range corpusFiles {
		if strings.HasPrefix(tc.want, "error: ") || tc.want == "empty" {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(corpus, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		for _, other := range Sources {
			if other == tc.source {
				continue
			}
			_, err := Parse(other, tc.file, raw, Options{Now: corpusNow})
			if err == nil {
				t.Errorf("%s: read as %s too", tc.file, other)
				continue
			}
			if !strings.Contains(err.Error(), "which source "+tc.source+" reads, not "+other) {
				t.Errorf("%s as %s: %v", tc.file, other, err)
			}
		}
	}
}

// TestCorpusDevLake parses the pages a user would have saved from the
// API calls DevLake recorded: its raw tables' data column, one list item
// per row, gathered by the page requested.
func TestCorpusDevLake(t *testing.T) {
	needCorpus(t)
	for _, tc := range []struct {
		file, source string
		pages        int
		want         string // what all pages hold together
		refused      string // why the first page refused is, "" when none is
	}{
		{"sources/github-pulls/devlake__raw_github_api_pr_reviews_bot_filter.csv", GitHubPulls, 1, "reviews=2", ""},
		{"sources/github-pulls/devlake__raw_github_api_pull_request_commits.csv", GitHubPulls, 43, "commits=91", ""},
		{"sources/github-pulls/devlake__raw_github_api_pull_request_review_comments.csv", GitHubPulls, 1, "empty", "$[0]: is a GitHub review comment, not a supported source"},
		{"sources/github-pulls/devlake__raw_github_api_pull_request_reviews.csv", GitHubPulls, 3, "reviews=31", ""},
		{"sources/github-pulls/devlake__raw_github_api_pull_requests.csv", GitHubPulls, 1, "pulls=50", ""},
		// Hand-written rows: "abc123" is no commit hash.
		{"sources/github-pulls/devlake__raw_github_api_pull_requests_bot_filter.csv", GitHubPulls, 1, "empty", `$[0].merge_commit_sha: want a full commit hash (40 hex digits), got "abc123"`},
		// Hand-edited statuses: completed and undeployed are no GitLab
		// statuses, canceled deployed nothing.
		{"sources/gitlab/devlake__raw_gitlab_api_deployments.csv", GitLabDeployments, 1, "deployments=5 skipped=3", ""},
		{"sources/gitlab/devlake__raw_gitlab_api_job.csv", GitLabPipelines, 1, "jobs=75", ""},
		{"sources/gitlab/devlake__raw_gitlab_api_merge_request_commits.csv", GitLabMergeRequests, 7, "commits=37", ""},
		{"sources/gitlab/devlake__raw_gitlab_api_merge_request_notes.csv", GitLabMergeRequests, 7, "reviews=9 readies=1 skipped=16", ""},
		{"sources/gitlab/devlake__raw_gitlab_api_merge_requests.csv", GitLabMergeRequests, 1, "pulls=18", ""},
		{"sources/gitlab/devlake__raw_gitlab_api_pipeline.csv", GitLabPipelines, 1, "pipelines=29", ""},
		{"sources/gitlab/devlake__raw_gitlab_api_pipeline_details.csv", GitLabPipelines, 16, "pipelines=16", ""},
		{"sources/gitlab/devlake__raw_gitlab_api_trigger_job.csv", GitLabPipelines, 1, "jobs=1", ""},
		{"sources/incidents/devlake__raw_opsgenie_incidents.csv", Opsgenie, 1, "incidents=2", ""},
		{"sources/incidents/devlake__raw_pagerduty_incidents.csv", PagerDuty, 1, "incidents=3", ""},
		{"ci/devlake/raw_csv/pagerduty___raw_pagerduty_incidents.csv", PagerDuty, 1, "incidents=3", ""},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			pages := unwrapDevLake(t, tc.file)
			if len(pages) != tc.pages {
				t.Fatalf("%d pages, want %d", len(pages), tc.pages)
			}
			var bs []*Batch
			var refused []string
			for _, p := range pages {
				b, err := Parse(tc.source, filepath.Base(tc.file), p.body, Options{Now: corpusNow, Pull: p.pull})
				if err != nil {
					refused = append(refused, err.Error())
					continue
				}
				checkSources(t, b, tc.source)
				bs = append(bs, b)
			}
			if got := summary(merge(bs...)); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
			switch {
			case tc.refused == "" && len(refused) > 0:
				t.Errorf("refused: %v", refused)
			case tc.refused != "" && (len(refused) == 0 || !strings.Contains(refused[0], tc.refused)):
				t.Errorf("refused %v, want %q", refused, tc.refused)
			}
		})
	}
}

// TestCorpusRecordings parses the response bodies of the recorded HTTP
// exchanges (VCR and betamax cassettes, PyGithub replay files): each is
// read, or refused for what it is, by what its URL asked for.
func TestCorpusRecordings(t *testing.T) {
	needCorpus(t)
	// artifacts of the recordings themselves: octokit.rb's VCR filters
	// wrote a placeholder into a time.
	artifacts := map[string]string{
		"octokit-rb__pull_request_reviews.json": `$[0].submitted_at: want a time such as 2026-01-05T10:00:00Z, got "2016-11-29T17:59:<GITHUB_TEST_INTEGRATIO"…`,
	}
	files, _ := filepath.Glob(filepath.Join(corpus, "sources/github-pulls/*"))
	read := 0
	for _, f := range files {
		base := filepath.Base(f)
		rel := "sources/github-pulls/" + base
		var pages []page
		switch {
		case strings.HasPrefix(base, "octokit-rb__"), strings.HasPrefix(base, "github3py__"):
			pages = unwrapCassette(t, rel)
		case strings.HasPrefix(base, "pygithub__"):
			pages = unwrapPyGithub(t, rel)
		default:
			continue
		}
		if len(pages) == 0 {
			t.Errorf("%s: no exchange unwrapped", base)
		}
		for _, p := range pages {
			if p.status/100 != 2 {
				continue
			}
			pull, refusal := githubExpect(p.url)
			if a, ok := artifacts[base]; ok {
				refusal = a
			}
			b, err := Parse(GitHubPulls, base, p.body, Options{Now: corpusNow, Pull: pull})
			switch {
			case refusal == "" && err != nil:
				t.Errorf("%s: %s %s: %v", base, p.method, p.url, err)
			case refusal != "" && (err == nil || !strings.Contains(err.Error(), refusal)):
				t.Errorf("%s: %s %s: got %v, want refused: %s", base, p.method, p.url, err, refusal)
			case err == nil && b.Len() == 0:
				t.Errorf("%s: %s %s: nothing read", base, p.method, p.url)
			case err == nil:
				read++
			}
		}
	}
	if read != 29 {
		t.Errorf("read %d responses, want the 29 pulls, reviews, commits and timeline responses the recordings hold", read)
	}
}
