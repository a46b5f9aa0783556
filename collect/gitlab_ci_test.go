package collect

import (
	"testing"

	"github.com/gitdora/gitdora/collect/ci"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
)

// A GitHub Actions run and an imported GitLab pipeline that share an id
// and a commit are two runs: their scan seconds add up, and a GitLab
// pipeline of the deploy workflow is a deployment of an id of its own.
func TestGitLabPipelinesNumberApart(t *testing.T) {
	sha := "6666666666666666666666666666666666666666"
	f := &fact.Facts{
		CIRuns: []fact.CIRun{
			{ID: 7, Attempt: 1, HeadSHA: sha, ScanSeconds: fp(30), Name: "deploy", Conclusion: "success", Status: "completed"},
			{ID: 7, Attempt: 2, HeadSHA: sha, ScanSeconds: fp(40), Name: "deploy", Conclusion: "success", Status: "completed"},
			{ID: 7, Attempt: 1, System: ci.GitLab, HeadSHA: sha, ScanSeconds: fp(50), Name: "deploy", Conclusion: "success", Status: "completed"},
		},
		Deployments: []fact.Deployment{{ID: "d", SHA: sha, Source: fact.SourceTags}},
	}
	resolveScanSeconds(Options{}, f)
	if d := f.Deployments[0]; d.ScanSeconds == nil || *d.ScanSeconds != 40+50 || d.ScanSecondsFrom != "ci" {
		t.Errorf("scan seconds %s from %q, want 90 (the latest attempt of the GitHub run, and the GitLab pipeline) from ci", deref(d.ScanSeconds), d.ScanSecondsFrom)
	}
	cfg := config.Default()
	var ids []string
	for _, d := range ciDeployments(f.CIRuns, cfg) {
		ids = append(ids, d.ID)
	}
	if len(ids) != 3 || ids[0] != "ci-7" || ids[1] != "ci-7-2" || ids[2] != "ci-gitlab-7" {
		t.Errorf("deployments %v, want ci-7, ci-7-2, ci-gitlab-7", ids)
	}
}

// Only gitdora's own mark makes a record a GitLab pipeline's.
func TestGitdoraSourceMark(t *testing.T) {
	for _, tc := range []struct{ member, want string }{
		{`"gitdora_source": "gitlab-pipelines",`, ci.GitLab},
		{`"gitdora_source": "jenkins",`, ""},
		{`"gitdora_source": 3,`, ""},
		{``, ""},
	} {
		d, err := ci.Parse([]byte(`{"id": 7, ` + tc.member + ` "head_sha": "` + "ab" + `", "jobs": []}`))
		if err != nil {
			t.Fatalf("%s: %v", tc.member, err)
		}
		if got := d.Runs[0].Source; got != tc.want {
			t.Errorf("%s: Source %q, want %q", tc.member, got, tc.want)
		}
	}
}
