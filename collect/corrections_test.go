package collect

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/gittest"
)

// The facts are the corrected events: an amended deployment as amended,
// a voided one nowhere (neither a deployment nor the deployment an
// incident is attributed to by time), an incident resolved by a
// correction. Every correction is kept with what it did and the time of
// the event it corrected; one that did not apply is also a problem.
func TestGatherAppliesCorrections(t *testing.T) {
	r := gittest.New(t)
	a := r.Commit(gittest.C{Msg: "a", Authored: "2026-03-01T09:00:00Z"})
	r.Branch("main", a)
	dir := t.TempDir()
	gittest.WriteFiles(t, dir, map[string]string{
		"events/deployments/2026-03.csv": "id,time,sha,environment,status,scan_seconds,pipeline_seconds,gate_blocked,critical,high,medium,low,source\n" +
			"d1,2026-03-02T10:00:00Z," + a + ",production,success,,,false,0,0,0,0,cli\n" +
			"d2,2026-03-03T10:00:00Z," + a + ",production,success,,,false,0,0,0,0,cli\n",
		"events/incidents/2026-03.csv": "id,opened,resolved,severity,category,environment,commit,deployment_id,cwe,title\n" +
			"i1,2026-03-03T11:00:00Z,,high,security,production,,,,Down\n",
		"events/corrections/2026-04.csv": "id,time,kind,target,field,value,reason,author\n" +
			"c1,2026-04-01T09:00:00Z,deployment,d2,void,,recorded twice,ada\n" +
			"c2,2026-04-01T09:05:00Z,deployment,d1,status,failure,rolled back,ada\n" +
			"c3,2026-04-01T09:10:00Z,incident,i1,resolved,2026-03-03T12:30:00Z,restored,ada\n" +
			"c4,2026-04-01T09:15:00Z,deployment,d2,status,success,too late,ada\n",
	})
	f := gather(t, r.Dir, dir, "", time.UTC)
	if len(f.Deployments) != 1 || f.Deployments[0].ID != "d1" || f.Deployments[0].Status != fact.StatusFailure {
		t.Fatalf("deployments %+v, want d1 failed only", f.Deployments)
	}
	if len(f.Incidents) != 1 || f.Incidents[0].Resolved == nil || !f.Incidents[0].Resolved.Equal(time.Date(2026, 3, 3, 12, 30, 0, 0, time.UTC)) {
		t.Fatalf("incidents %+v, want i1 resolved at 12:30", f.Incidents)
	}
	if f.Incidents[0].DeploymentID != "" {
		t.Errorf("i1 is attributed to %s; the deployment before it was voided and the other failed", f.Incidents[0].DeploymentID)
	}
	if len(f.Corrections) != 4 {
		t.Fatalf("%d corrections, want 4", len(f.Corrections))
	}
	c := f.Corrections
	if !c[0].Applied || !c[1].Applied || !c[2].Applied || c[3].Applied || !strings.Contains(c[3].Problem, "voided before") {
		t.Errorf("corrections %+v", c)
	}
	if !c[0].EventTime.Equal(time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)) || !c[2].EventTime.Equal(time.Date(2026, 3, 3, 11, 0, 0, 0, time.UTC)) {
		t.Errorf("event times %v, %v", c[0].EventTime, c[2].EventTime)
	}
	found := false
	for _, p := range f.Problems {
		found = found || strings.Contains(p.String(), "events/corrections/2026-04.csv: correction c4 not applied: deployment d2 was voided before")
	}
	if !found {
		t.Errorf("problems %v lack the correction that did not apply", f.Problems)
	}
	var b bytes.Buffer
	if err := WriteCorrectionsCSV(&b, f.Corrections); err != nil {
		t.Fatal(err)
	}
	want := "id,time,kind,target,field,value,reason,author,applied,problem\n" +
		"c1,2026-04-01T09:00:00Z,deployment,d2,void,,recorded twice,ada,yes,\n" +
		"c2,2026-04-01T09:05:00Z,deployment,d1,status,failure,rolled back,ada,yes,\n" +
		"c3,2026-04-01T09:10:00Z,incident,i1,resolved,2026-03-03T12:30:00Z,restored,ada,yes,\n" +
		"c4,2026-04-01T09:15:00Z,deployment,d2,status,success,too late,ada,no,deployment d2 was voided before (a void is final)\n"
	if b.String() != want {
		t.Errorf("corrections.csv:\n%s\nwant:\n%s", b.String(), want)
	}
}

// Imported pulls are corrected before anything reads them: an amended
// first commit moves the start of the squash merge that is its
// merge_sha, a voided pull counts nowhere.
func TestGatherCorrectsPulls(t *testing.T) {
	r := gittest.New(t)
	a := r.Commit(gittest.C{Msg: "a", Authored: "2026-03-01T09:00:00Z"})
	b := r.Commit(gittest.C{Msg: "Add x (#7)", Authored: "2026-03-04T09:00:00Z", Parents: []string{a}})
	r.Branch("main", b)
	dir := t.TempDir()
	gittest.WriteFiles(t, dir, map[string]string{
		"events/deployments/2026-03.csv": "id,time,sha,environment,status,scan_seconds,pipeline_seconds,gate_blocked,critical,high,medium,low,source\n" +
			"d1,2026-03-02T10:00:00Z," + a + ",production,success,,,false,0,0,0,0,cli\n" +
			"d2,2026-03-05T10:00:00Z," + b + ",production,success,,,false,0,0,0,0,cli\n",
		"events/pulls/2026-03.csv": "id,number,opened,ready,first_commit,first_review,approved,merged,merge_sha,head_sha,author,draft,source\n" +
			"gh-pull-7,7,2026-03-02T09:00:00Z,2026-03-02T09:00:00Z,2026-03-02T08:00:00Z,,,2026-03-04T09:00:00Z," + b + ",,octocat,false,github-pulls\n" +
			"gh-pull-8,8,2026-03-02T09:00:00Z,2026-03-02T09:00:00Z,2026-03-02T08:00:00Z,,,2026-03-04T09:00:00Z,,,octocat,false,github-pulls\n",
		"events/corrections/2026-04.csv": "id,time,kind,target,field,value,reason,author\n" +
			"c1,2026-04-01T09:00:00Z,pull,gh-pull-7,first_commit,2026-03-01T10:00:00Z,rebased,ada\n" +
			"c2,2026-04-01T09:05:00Z,pull,gh-pull-8,void,,not ours,ada\n",
	})
	f := gather(t, r.Dir, dir, "", time.UTC)
	if len(f.Pulls) != 1 || f.Pulls[0].ID != "gh-pull-7" || !f.Pulls[0].FirstCommit.Equal(time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("pulls %+v, want gh-pull-7 with its first commit amended", f.Pulls)
	}
	var ch *fact.Change
	for i := range f.Changes {
		if f.Changes[i].SHA == b {
			ch = &f.Changes[i]
		}
	}
	if ch == nil || ch.StartedBy != "gh-pull-7" || ch.LeadTime != 96*time.Hour {
		t.Fatalf("the squash merge: %+v, want a lead time of 96h from the amended first commit", ch)
	}
	if len(f.Corrections) != 2 || !f.Corrections[0].Applied || !f.Corrections[0].EventTime.Equal(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("corrections %+v", f.Corrections)
	}
}
