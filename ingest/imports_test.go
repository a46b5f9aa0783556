package ingest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/internal/git"

	"github.com/gitdora/gitdora/collect/ci"
	"github.com/gitdora/gitdora/collect/imports"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/internal/gittest"
)

// importNow is after every time of the payloads below.
var importNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// imported counts the imports run: each is an hour after the one before
// (the time of the corrections it writes).
var imported int

// importClock is the time of the next import.
func importClock() time.Time {
	imported++
	return importNow.Add(time.Duration(imported) * time.Hour)
}

// ghDeployment is a GitHub deployment as the REST API lists it.
func ghDeployment(id int, sha, env, created string) string {
	return fmt.Sprintf(`{"url": "https://api.github.com/repos/o/r/deployments/%d", "id": %d, "sha": %q, "ref": "main", "task": "deploy",
  "payload": {}, "environment": %q, "description": null, "creator": {"login": "octocat", "id": 1, "type": "User"},
  "created_at": %q, "updated_at": %q, "statuses_url": "https://api.github.com/repos/o/r/deployments/%d/statuses",
  "repository_url": "https://api.github.com/repos/o/r"}`, id, id, sha, env, created, created, id)
}

// ghStatus is a status of deployment dep (of the production environment
// when dep is odd, staging when even).
func ghStatus(id, dep int, state, at string) string {
	env := "production"
	if dep%2 == 0 {
		env = "staging"
	}
	return fmt.Sprintf(`{"url": "https://api.github.com/repos/o/r/deployments/%d/statuses/%d", "id": %d, "state": %q,
  "creator": {"login": "octocat", "id": 1, "type": "User"}, "description": "", "environment": %q, "target_url": "",
  "created_at": %q, "updated_at": %q, "deployment_url": "https://api.github.com/repos/o/r/deployments/%d",
  "repository_url": "https://api.github.com/repos/o/r"}`, dep, id, id, state, env, at, at, dep)
}

func list(items ...string) string { return "[" + strings.Join(items, ",\n") + "]" }

// run imports payloads (one file each) of source into the plain
// directory dir, as `gitdora import` does.
func run(t *testing.T, dir string, repo *git.Repository, source string, pull int64, payloads ...string) *ImportReport {
	t.Helper()
	var files []ImportFile
	for i, p := range payloads {
		name := fmt.Sprintf("file-%d.json", i+1)
		b, err := imports.Parse(source, name, []byte(p), imports.Options{Now: importNow, Pull: pull})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		files = append(files, ImportFile{Name: name, Batch: b})
	}
	in := NewImport(source, files)
	in.Production, in.Repo, in.Now = "production", repo, importClock()
	s, err := data.Open(".", dir)
	if err != nil {
		t.Fatal(err)
	}
	var rep *ImportReport
	if _, err := s.Update(context.Background(), "import", data.WriteOptions{}, func(tx *data.Tx) error {
		var err error
		rep, err = StageImport(tx, in)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return rep
}

// snapshot is every file under dir with a hash of its content.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		sum := sha256.Sum256(b)
		lines = append(lines, fmt.Sprintf("%s %x", p, sum[:6]))
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func readFile(t *testing.T, dir, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const shaA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

// A deployment becomes an event once: at the time of its latest deciding
// status, its id namespaced. Importing it again writes nothing; an older
// payload changes nothing; a newer status is a change upstream, written
// as corrections of the fields it changes.
func TestImportDeploymentsOnce(t *testing.T) {
	dir := t.TempDir()
	deployments := list(ghDeployment(1, shaA, "production", "2026-03-02T10:00:00Z"),
		ghDeployment(2, shaA, "staging", "2026-03-03T10:00:00Z"),
		ghDeployment(3, shaA, "production", "2026-03-04T10:00:00Z"))
	statuses := list(ghStatus(11, 1, "in_progress", "2026-03-02T10:01:00Z"), ghStatus(12, 1, "success", "2026-03-02T10:05:30Z"),
		ghStatus(21, 2, "error", "2026-03-03T10:02:00Z"), ghStatus(31, 3, "queued", "2026-03-04T10:00:05Z"))
	rep := run(t, dir, nil, imports.GitHubDeployments, 0, deployments, statuses)
	if len(rep.Written) != 2 || rep.Unchanged != 0 || len(rep.Skipped) != 1 || !strings.HasPrefix(rep.Skipped[0], "gh-deploy-3: no success, failure or error status yet") {
		t.Fatalf("first import: %+v", rep)
	}
	want := "id,time,sha,environment,status,scan_seconds,pipeline_seconds,gate_blocked,critical,high,medium,low,source\n" +
		"gh-deploy-1,2026-03-02T10:05:30Z," + shaA + ",production,success,,,false,0,0,0,0,github-deployments\n" +
		"gh-deploy-2,2026-03-03T10:02:00Z," + shaA + ",staging,failure,,,false,0,0,0,0,github-deployments\n"
	if got := readFile(t, dir, "events/deployments/2026-03.csv"); got != want {
		t.Errorf("deployments =\n%s\nwant\n%s", got, want)
	}
	if got := readFile(t, dir, "events/imports/2026-03.csv"); got != "id,kind,updated,repo,author_id\n"+
		"gh-deploy-1,deployment,2026-03-02T10:05:30Z,,\ngh-deploy-2,deployment,2026-03-03T10:02:00Z,,\n" {
		t.Errorf("ledger =\n%s", got)
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "2 deployment(s) name a commit that is not in --repo (gh-deploy-1, gh-deploy-2)") {
		t.Errorf("warnings %q", rep.Warnings)
	}

	before := snapshot(t, dir)
	rep = run(t, dir, nil, imports.GitHubDeployments, 0, deployments, statuses)
	if len(rep.Written) != 0 || rep.Unchanged != 2 || len(rep.Changed) != 0 {
		t.Errorf("the same files again: %+v", rep)
	}
	// An older payload (the deployment alone, no status) changes nothing.
	rep = run(t, dir, nil, imports.GitHubDeployments, 0, ghDeployment(1, shaA, "production", "2026-03-02T10:00:00Z"))
	if len(rep.Written) != 0 || rep.Unchanged != 1 || len(rep.Changed) != 0 {
		t.Errorf("an older version: %+v", rep)
	}
	// inactive changes nothing.
	rep = run(t, dir, nil, imports.GitHubDeployments, 0, list(ghStatus(14, 2, "inactive", "2026-03-05T11:00:00Z")))
	if len(rep.Changed) != 0 || rep.Unchanged != 1 {
		t.Errorf("an inactive status: %+v", rep)
	}
	if after := snapshot(t, dir); after != before {
		t.Errorf("importing again wrote:\n%s\nwas\n%s", after, before)
	}
	// A later status of deployment 1, in a file of its own: changed
	// upstream, written as corrections of the fields it changes, and the
	// version in the ledger.
	rep = run(t, dir, nil, imports.GitHubDeployments, 0, list(ghStatus(13, 1, "failure", "2026-03-02T11:00:00Z")))
	want1 := "changed upstream: gh-deploy-1 (time: 2026-03-02T10:05:30Z → 2026-03-02T11:00:00Z, status: success → failure): 2 correction(s) written"
	if len(rep.Written) != 0 || len(rep.Changed) != 1 || rep.Changed[0] != want1 {
		t.Errorf("a newer status: %+v, want %q", rep, want1)
	}
	at := importNow.Add(time.Duration(imported) * time.Hour).Format(time.RFC3339)
	got := readFile(t, dir, "events/corrections/2026-06.csv")
	for _, want := range []string{
		"," + at + ",deployment,gh-deploy-1,time,2026-03-02T11:00:00Z,changed upstream (updated_at 2026-03-02T11:00:00Z),import github-deployments\n",
		"," + at + ",deployment,gh-deploy-1,status,failure,changed upstream (updated_at 2026-03-02T11:00:00Z),import github-deployments\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("corrections lack %q:\n%s", want, got)
		}
	}
	if got := readFile(t, dir, "events/imports/2026-03.csv"); !strings.HasSuffix(got, "\ngh-deploy-1,deployment,2026-03-02T11:00:00Z,,\n") {
		t.Errorf("ledger:\n%s", got)
	}
	if d := corrected(t, dir).Deployments[0]; d.ID != "gh-deploy-1" || d.Status != "failure" || d.Time.String() != "2026-03-02T11:00:00Z" {
		t.Errorf("gh-deploy-1 as read: %+v", d)
	}
	// Every version again, in any order, writes nothing more.
	before = snapshot(t, dir)
	rep = run(t, dir, nil, imports.GitHubDeployments, 0, deployments, list(ghStatus(13, 1, "failure", "2026-03-02T11:00:00Z")), statuses)
	if len(rep.Written)+len(rep.Changed) != 0 || rep.Unchanged != 2 {
		t.Errorf("every version again: %+v", rep)
	}
	if after := snapshot(t, dir); after != before {
		t.Errorf("importing every version again wrote:\n%s\nwas\n%s", after, before)
	}
}

// corrected reads the events of the data directory dir as readers do,
// corrections applied.
func corrected(t *testing.T, dir string) data.Corrected {
	t.Helper()
	s, err := data.Open(".", dir)
	if err != nil {
		t.Fatal(err)
	}
	var r data.Recorded
	if r.Deployments, _, err = s.Deployments(); err != nil {
		t.Fatal(err)
	}
	if r.Incidents, _, err = s.Incidents(); err != nil {
		t.Fatal(err)
	}
	if r.Pulls, _, err = s.Pulls(); err != nil {
		t.Fatal(err)
	}
	cs, _, err := s.Corrections()
	if err != nil {
		t.Fatal(err)
	}
	c := r.Correct(cs)
	for _, o := range c.Outcomes {
		if !o.Applied {
			t.Errorf("correction %+v not applied: %s", o.Correction, o.Problem)
		}
	}
	return c
}

// Against the code repository: a deployment before its commit is
// rejected, one of a commit --repo lacks is stored with a warning, and a
// release of a branch is the commit its tag names, or waits for the tag.
func TestImportChecksCommits(t *testing.T) {
	r := gittest.New(t)
	c1 := r.Commit(gittest.C{Msg: "one", Authored: "2026-03-01T09:00:00Z", Committed: "2026-03-02T12:00:00Z"})
	r.Branch("main", c1)
	r.Tag("v1.0.0", c1, "2026-03-02T12:30:00Z")
	repo, err := git.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rep := run(t, dir, repo, imports.GitHubDeployments, 0,
		list(ghDeployment(1, c1, "production", "2026-03-02T10:00:00Z"), ghDeployment(2, c1, "production", "2026-03-02T13:00:00Z"), ghDeployment(3, shaA, "production", "2026-03-02T13:00:00Z")),
		list(ghStatus(11, 1, "success", "2026-03-02T11:00:00Z"), ghStatus(21, 2, "success", "2026-03-02T13:10:00Z"), ghStatus(31, 3, "success", "2026-03-02T13:10:00Z")))
	if len(rep.Rejected) != 1 || !strings.HasPrefix(rep.Rejected[0], "gh-deploy-1: deployed at 2026-03-02T11:00:00Z, before its commit "+c1[:12]+" was committed (2026-03-02T12:00:00Z)") {
		t.Errorf("rejected %q", rep.Rejected)
	}
	if len(rep.Written) != 2 || len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "1 deployment(s) name a commit that is not in --repo (gh-deploy-3): stored all the same; fetch them") {
		t.Errorf("written %v, warnings %q", rep.Written, rep.Warnings)
	}

	release := func(id int, tag, target string) string {
		return fmt.Sprintf(`{"url": "https://api.github.com/repos/o/r/releases/%d", "id": %d, "tag_name": %q, "target_commitish": %q,
  "name": "r", "draft": false, "prerelease": false, "created_at": "2026-03-02T12:40:00Z", "published_at": "2026-03-02T13:00:00Z"}`, id, id, tag, target)
	}
	rep = run(t, dir, repo, imports.GitHubReleases, 0, list(release(5, "v1.0.0", "main"), release(6, "v2.0.0", "main"), release(7, "v1.0.0~1", "main")))
	if len(rep.Written) != 1 || rep.Written[0].Name != "gh-release-5" || len(rep.Skipped) != 2 ||
		!strings.Contains(rep.Skipped[0], "gh-release-6: release v2.0.0 names a branch, not a commit, and its tag is not in --repo: fetch tags") ||
		!strings.Contains(rep.Skipped[1], `gh-release-7: release "v1.0.0~1" names a branch, not a commit, and its tag name is no git tag name`) {
		t.Errorf("releases: %+v", rep)
	}
	if got := readFile(t, dir, "events/deployments/2026-03.csv"); !strings.Contains(got, "\ngh-release-5,2026-03-02T13:00:00Z,"+c1+",production,success,,,false,0,0,0,0,github-releases\n") {
		t.Errorf("deployments:\n%s", got)
	}
}

// An incident resolved upstream after it was imported open is a change
// upstream; its environment is production, its severity from the
// urgency.
func TestImportIncidentResolvedLater(t *testing.T) {
	pd := func(status, resolved, updated string) string {
		return fmt.Sprintf(`{"incidents": [{"id": "PT4KHLK", "type": "incident", "incident_number": 1234, "title": "API down",
  "status": %q, "urgency": "high", "created_at": "2026-03-10T08:00:00Z", "updated_at": %q, "last_status_change_at": %q,
  "resolved_at": %s, "service": {"id": "PIJ90N7", "type": "service_reference"}}], "limit": 25, "offset": 0, "more": false}`, status, updated, updated, resolved)
	}
	dir := t.TempDir()
	rep := run(t, dir, nil, imports.PagerDuty, 0, pd("acknowledged", "null", "2026-03-10T08:05:00Z"))
	if len(rep.Written) != 1 {
		t.Fatalf("%+v", rep)
	}
	if got := readFile(t, dir, "events/incidents/2026-03.csv"); !strings.HasSuffix(got, "\npd-PT4KHLK,2026-03-10T08:00:00Z,,high,other,production,,,,API down,,pagerduty\n") {
		t.Errorf("incidents:\n%s", got)
	}
	rep = run(t, dir, nil, imports.PagerDuty, 0, pd("resolved", `"2026-03-10T09:30:00Z"`, "2026-03-10T09:30:00Z"))
	if len(rep.Changed) != 1 || rep.Changed[0] != `changed upstream: pd-PT4KHLK (resolved: "" → 2026-03-10T09:30:00Z): 1 correction(s) written` {
		t.Errorf("resolved later: %q", rep.Changed)
	}
	// The older, open version imported after that changes nothing more.
	rep = run(t, dir, nil, imports.PagerDuty, 0, pd("acknowledged", "null", "2026-03-10T08:05:00Z"))
	if len(rep.Changed) != 0 || rep.Unchanged != 1 {
		t.Errorf("the open version again: %+v", rep)
	}
}

// ghPull is a merged pull request as the REST API gives it.
func ghPull(id, number int, created, merged, updated string) string {
	return fmt.Sprintf(`{"url": "https://api.github.com/repos/o/r/pulls/%d", "id": %d, "number": %d, "state": "closed",
  "title": "t", "user": {"login": "ada", "id": 7, "type": "User"}, "created_at": %q, "updated_at": %q, "closed_at": %q,
  "merged_at": %q, "merge_commit_sha": %q, "draft": false, "head": {"sha": %q}, "base": {"ref": "main", "repo": {"full_name": "o/r"}}}`,
		number, id, number, created, updated, merged, merged, shaA, strings.Repeat("b", 40))
}

// Reviews and commits of a pull imported before are its pieces: a
// review by someone else and a commit give the pull new first_review and
// first_commit (a change upstream, written as corrections); a review of
// a pull never imported waits, and says so.
func TestImportPullPieces(t *testing.T) {
	dir := t.TempDir()
	rep := run(t, dir, nil, imports.GitHubPulls, 0, list(ghPull(900, 5, "2026-03-02T09:00:00Z", "2026-03-03T10:00:00Z", "2026-03-03T10:00:00Z")))
	if len(rep.Written) != 1 || rep.Written[0].Name != "gh-pull-900" {
		t.Fatalf("%+v", rep)
	}
	want := "id,number,opened,ready,first_commit,first_review,approved,merged,merge_sha,head_sha,author,draft,source\n" +
		"gh-pull-900,5,2026-03-02T09:00:00Z,2026-03-02T09:00:00Z,,,,2026-03-03T10:00:00Z," + shaA + "," + strings.Repeat("b", 40) + ",ada,false,github-pulls\n"
	if got := readFile(t, dir, "events/pulls/2026-03.csv"); got != want {
		t.Errorf("pulls =\n%s\nwant\n%s", got, want)
	}
	if got := readFile(t, dir, "events/imports/2026-03.csv"); !strings.HasSuffix(got, "\ngh-pull-900,pull,2026-03-03T10:00:00Z,o/r,7\n") {
		t.Errorf("ledger:\n%s", got)
	}
	review := func(id int, login string, uid int, state, at string, pull int) string {
		return fmt.Sprintf(`{"id": %d, "user": {"login": %q, "id": %d, "type": "User"}, "body": "", "state": %q, "submitted_at": %q,
  "commit_id": %q, "pull_request_url": "https://api.github.com/repos/o/r/pulls/%d"}`, id, login, uid, state, at, strings.Repeat("b", 40), pull)
	}
	before := snapshot(t, dir)
	rep = run(t, dir, nil, imports.GitHubPulls, 0, list(review(1, "ada", 7, "COMMENTED", "2026-03-02T10:00:00Z", 5),
		review(2, "grace", 8, "APPROVED", "2026-03-02T12:00:00Z", 5), review(3, "grace", 8, "APPROVED", "2026-03-02T12:00:00Z", 6)))
	wantChange := "changed upstream: gh-pull-900 (first_review: \"\" → 2026-03-02T12:00:00Z, approved: \"\" → 2026-03-02T12:00:00Z): 2 correction(s) written"
	if len(rep.Changed) != 1 || rep.Changed[0] != wantChange {
		t.Errorf("reviews: changed %q, want %q", rep.Changed, wantChange)
	}
	if len(rep.Skipped) != 1 || !strings.HasPrefix(rep.Skipped[0], "1 review(s), commit(s) or ready event(s) of pull #6 (github-pulls): the pull is in none of the files") {
		t.Errorf("skipped %q", rep.Skipped)
	}
	commit := `[{"sha": "` + strings.Repeat("c", 40) + `", "commit": {"author": {"name": "Ada", "date": "2026-03-01T18:00:00Z"},
  "committer": {"name": "Ada", "date": "2026-03-01T18:00:00Z"}, "message": "m"}, "url": "https://api.github.com/repos/o/r/commits/` + strings.Repeat("c", 40) + `"}]`
	rep = run(t, dir, nil, imports.GitHubPulls, 5, commit)
	if len(rep.Changed) != 1 || !strings.Contains(rep.Changed[0], `first_commit: "" → 2026-03-01T18:00:00Z`) {
		t.Errorf("commits: %q", rep.Changed)
	}
	// The pieces imported later are the pull's row as readers see it; the
	// recorded row is never rewritten, and the pieces again write nothing.
	if after := snapshot(t, dir); after == before || readFile(t, dir, "events/pulls/2026-03.csv") != want {
		t.Errorf("pieces wrote nothing, or rewrote the pull:\n%s", readFile(t, dir, "events/pulls/2026-03.csv"))
	}
	p := corrected(t, dir).Pulls[0]
	if p.FirstCommit.String() != "2026-03-01T18:00:00Z" || p.FirstReview.String() != "2026-03-02T12:00:00Z" || p.Approved.String() != "2026-03-02T12:00:00Z" {
		t.Errorf("gh-pull-900 as read: %+v", p)
	}
	before = snapshot(t, dir)
	if rep = run(t, dir, nil, imports.GitHubPulls, 5, commit); len(rep.Changed) != 0 || rep.Unchanged != 1 || snapshot(t, dir) != before {
		t.Errorf("the commits again: %+v", rep)
	}
	// Imported together with the pull, the pieces are in the row.
	dir2 := t.TempDir()
	run(t, dir2, nil, imports.GitHubPulls, 0, list(ghPull(900, 5, "2026-03-02T09:00:00Z", "2026-03-03T10:00:00Z", "2026-03-03T10:00:00Z"),
		review(2, "grace", 8, "APPROVED", "2026-03-02T12:00:00Z", 5)))
	if got := readFile(t, dir2, "events/pulls/2026-03.csv"); !strings.Contains(got, ",2026-03-02T09:00:00Z,,2026-03-02T12:00:00Z,2026-03-02T12:00:00Z,2026-03-03T10:00:00Z,") {
		t.Errorf("pulls:\n%s", got)
	}
}

// A GitLab pipeline is stored as a run record collect/ci reads: its
// pipeline seconds are finished_at − started_at, a scanning job's
// duration is scan time, and a failed scanning job blocks the run unless
// it was allowed to fail. Importing it again writes nothing.
func TestImportPipelines(t *testing.T) {
	pipeline := func(id int, jobStatus string, allowFailure bool) string {
		return fmt.Sprintf(`{"object_kind": "pipeline",
  "object_attributes": {"id": %d, "iid": 3, "ref": "main", "sha": %q, "status": "failed", "source": "push",
    "created_at": "2026-03-05 10:00:00 UTC", "finished_at": "2026-03-05 10:12:00 UTC", "duration": 600},
  "project": {"id": 42, "name": "p"},
  "builds": [
    {"id": %d1, "stage": "test", "name": "semgrep", "status": %q, "created_at": "2026-03-05 10:00:00 UTC",
     "started_at": "2026-03-05 10:01:00 UTC", "finished_at": "2026-03-05 10:03:30 UTC", "duration": 150.5, "allow_failure": %t, "when": "on_success", "manual": false},
    {"id": %d2, "stage": "deploy", "name": "deploy", "status": "skipped", "created_at": "2026-03-05 10:00:00 UTC",
     "started_at": null, "finished_at": null, "duration": null, "allow_failure": false, "when": "on_success", "manual": false}]}`,
			id, shaA, id, jobStatus, allowFailure, id)
	}
	dir := t.TempDir()
	rep := run(t, dir, nil, imports.GitLabPipelines, 0, pipeline(77, "failed", false), pipeline(78, "failed", true))
	if len(rep.Written) != 2 || rep.Written[0].Name != "gitlab-77" || rep.Written[0].Path != "ci/2026/03/gitlab-77.json" {
		t.Fatalf("%+v", rep.Written)
	}
	cfg := config.Default()
	scan, gate := regexp.MustCompile(cfg.CI.ScanStepPattern), regexp.MustCompile(cfg.CI.GateStepPattern)
	for _, tc := range []struct {
		file    string
		blocked bool
	}{{"ci/2026/03/gitlab-77.json", true}, {"ci/2026/03/gitlab-78.json", false}} {
		d, err := ci.Parse([]byte(readFile(t, dir, tc.file)))
		if err != nil || len(d.Runs) != 1 {
			t.Fatalf("%s: %v", tc.file, err)
		}
		r := d.Runs[0]
		s := ci.Summarize(&r, scan, gate)
		if r.Source != ci.GitLab || s.PipelineSeconds == nil || *s.PipelineSeconds != 600 || s.ScanSeconds == nil || *s.ScanSeconds != 150.5 || s.GateBlocked != tc.blocked {
			t.Errorf("%s: source %q, pipeline %v s, scan %v s, blocked %v; want gitlab, 600, 150.5, %v", tc.file, r.Source, s.PipelineSeconds, s.ScanSeconds, s.GateBlocked, tc.blocked)
		}
	}
	before := snapshot(t, dir)
	rep = run(t, dir, nil, imports.GitLabPipelines, 0, pipeline(77, "failed", false), pipeline(78, "failed", true))
	if len(rep.Written) != 0 || rep.Unchanged != 2 {
		t.Errorf("again: %+v", rep)
	}
	if after := snapshot(t, dir); after != before {
		t.Errorf("importing again wrote:\n%s", after)
	}
}

// The event ids of every source (docs/import.md).
func TestEventIDs(t *testing.T) {
	want := map[string]string{
		imports.GitHubDeployments: "gh-deploy-1", imports.GitHubReleases: "gh-release-1", imports.GitLabDeployments: "gl-deploy-1",
		imports.GitHubPulls: "gh-pull-1", imports.GitLabMergeRequests: "gl-mr-1", imports.GitLabIncidents: "gl-incident-1",
		imports.PagerDuty: "pd-1", imports.Opsgenie: "og-1",
	}
	for _, s := range imports.Sources {
		if s == imports.GitLabPipelines {
			continue
		}
		if got := EventID(s, "1"); got != want[s] {
			t.Errorf("EventID(%s, 1) = %q, want %q", s, got, want[s])
		}
	}
}

// amend appends a correction of one field, as gitdora amend does, an
// half hour after the last import.
func amend(t *testing.T, dir, kind, id, field, value string) {
	t.Helper()
	s, err := data.Open(".", dir)
	if err != nil {
		t.Fatal(err)
	}
	c := data.Correction{Time: data.NewTime(importNow.Add(time.Duration(imported)*time.Hour + 30*time.Minute)), Kind: kind, Target: id,
		Field: field, Value: value, Reason: "by hand", Author: "ada"}
	if field == data.FieldVoid {
		c.Value = ""
	}
	c.ID = data.CorrectionID(c)
	if _, err := s.Update(context.Background(), "amend", data.WriteOptions{}, func(tx *data.Tx) error {
		_, err := tx.AppendCorrection(c)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// A newer upstream version supersedes the older as corrections (docs/
// import.md): a field amended by hand stands when the newer version does
// not change it; of a field both change, the later correction wins (an
// import after the amend, an amend after the import); the older version
// imported again writes nothing; a voided event is not corrected, nor one
// the change would make invalid as readers see it.
func TestImportChangesAsCorrections(t *testing.T) {
	dir := t.TempDir()
	dep := list(ghDeployment(1, shaA, "production", "2026-03-02T10:00:00Z"))
	v1 := list(ghStatus(11, 1, "success", "2026-03-02T10:05:00Z"))
	run(t, dir, nil, imports.GitHubDeployments, 0, dep, v1)
	amend(t, dir, data.KindDeployment, "gh-deploy-1", "environment", "prod-eu") // field A, by hand
	v2 := list(ghStatus(12, 1, "failure", "2026-03-02T11:00:00Z"))              // field B upstream
	if rep := run(t, dir, nil, imports.GitHubDeployments, 0, v2); len(rep.Changed) != 1 || !strings.Contains(rep.Changed[0], "status: success → failure") ||
		strings.Contains(rep.Changed[0], "environment") {
		t.Fatalf("v2: %+v", rep)
	}
	if d := corrected(t, dir).Deployments[0]; d.Environment != "prod-eu" || d.Status != "failure" {
		t.Errorf("after v2: environment %s, status %s; want prod-eu (by hand) and failure (upstream)", d.Environment, d.Status)
	}
	before := snapshot(t, dir)
	if rep := run(t, dir, nil, imports.GitHubDeployments, 0, dep, v1); len(rep.Written)+len(rep.Changed) != 0 || snapshot(t, dir) != before {
		t.Errorf("v1 again: %+v", rep)
	}

	// The same field, by hand then upstream: the import is later and wins.
	amend(t, dir, data.KindDeployment, "gh-deploy-1", "status", "blocked")
	v3 := list(ghStatus(13, 1, "success", "2026-03-02T12:00:00Z"))
	run(t, dir, nil, imports.GitHubDeployments, 0, v3)
	if d := corrected(t, dir).Deployments[0]; d.Status != "success" || d.Environment != "prod-eu" {
		t.Errorf("after v3: status %s, environment %s; want success (the later correction) and prod-eu", d.Status, d.Environment)
	}
	// Upstream then by hand: the amend is later and wins, and stays when
	// the same version is imported again.
	amend(t, dir, data.KindDeployment, "gh-deploy-1", "status", "failure")
	run(t, dir, nil, imports.GitHubDeployments, 0, v3)
	if d := corrected(t, dir).Deployments[0]; d.Status != "failure" {
		t.Errorf("amended after v3: status %s, want failure", d.Status)
	}

	// A voided event is not corrected.
	amend(t, dir, data.KindDeployment, "gh-deploy-1", data.FieldVoid, "")
	before = snapshot(t, dir)
	rep := run(t, dir, nil, imports.GitHubDeployments, 0, list(ghStatus(14, 1, "failure", "2026-03-02T13:00:00Z")))
	if len(rep.Changed) != 0 || len(rep.Skipped) != 1 || !strings.HasSuffix(rep.Skipped[0], ": it was voided, so it is not corrected") || snapshot(t, dir) != before {
		t.Errorf("a voided deployment changed upstream: %+v", rep)
	}

	// A change that would make the event invalid, as amended by hand, is
	// rejected: nothing is written, and the next import tries again.
	pd := func(status, resolved, updated string) string {
		return fmt.Sprintf(`{"incidents": [{"id": "P1", "type": "incident", "incident_number": 1, "title": "API down", "status": %q,
  "urgency": "high", "created_at": "2026-03-10T08:00:00Z", "updated_at": %q, "resolved_at": %s}]}`, status, updated, resolved)
	}
	run(t, dir, nil, imports.PagerDuty, 0, pd("triggered", "null", "2026-03-10T08:00:00Z"))
	amend(t, dir, data.KindIncident, "pd-P1", "opened", "2026-03-10T10:00:00Z")
	before = snapshot(t, dir)
	for range 2 {
		rep = run(t, dir, nil, imports.PagerDuty, 0, pd("resolved", `"2026-03-10T09:30:00Z"`, "2026-03-10T09:30:00Z"))
		if len(rep.Changed) != 0 || len(rep.Rejected) != 1 || !strings.Contains(rep.Rejected[0], "as corrected, incident pd-P1 would not be valid: resolved 2026-03-10T09:30:00Z is before opened 2026-03-10T10:00:00Z; nothing written") ||
			snapshot(t, dir) != before {
			t.Errorf("a resolution before the amended opening: %+v", rep)
		}
	}
}
