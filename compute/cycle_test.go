package compute

import (
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/gittest"
)

func TestCycleOf(t *testing.T) {
	opened := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name                   string
		p                      fact.Pull
		coding, pickup, review string // "" unknown
	}{
		{"all stages", fact.Pull{FirstCommit: opened.Add(-3 * time.Hour), Ready: opened, FirstReview: opened.Add(2 * time.Hour), Merged: opened.Add(5 * time.Hour)}, "3h0m0s", "2h0m0s", "3h0m0s"},
		{"a draft: not ready", fact.Pull{FirstCommit: opened.Add(-time.Hour), FirstReview: opened.Add(time.Hour)}, "", "", ""},
		{"not reviewed", fact.Pull{FirstCommit: opened, Ready: opened, Merged: opened.Add(time.Hour)}, "0s", "", ""},
		{"reviewed while a draft", fact.Pull{Ready: opened, FirstReview: opened.Add(-time.Minute), Merged: opened.Add(time.Hour)}, "", "", "1h1m0s"},
		{"commits dated after it was ready", fact.Pull{FirstCommit: opened.Add(time.Hour), Ready: opened}, "", "", ""},
	} {
		c := CycleOf(tc.p)
		for _, s := range []struct {
			name string
			got  *time.Duration
			want string
		}{{"coding", c.Coding, tc.coding}, {"pickup", c.Pickup, tc.pickup}, {"review", c.Review, tc.review}} {
			got := ""
			if s.got != nil {
				got = s.got.String()
			}
			if got != s.want {
				t.Errorf("%s: %s = %q, want %q", tc.name, s.name, got, s.want)
			}
		}
	}
}

// cycleScenario is a repository with four squash-merged pull requests
// and the deployments that ship them:
//
//	c0  init, authored 02-20 09:00; D0 ships it 02-21 00:00 (the first
//	    deployment: no baseline). Pull #4 (merged 02-20 12:00) is c0.
//	c1  pull #1's squash commit, authored 03-02 09:00; D1 ships it 03-02 12:00.
//	    #1: first commit 03-01 08:00, ready 03-01 10:00, first review
//	    03-01 13:00, merged 03-02 09:00.
//	c2  pull #2's, authored 03-04 10:00; D2 ships it 03-04 16:00.
//	    #2: first commit 03-03 07:00, opened as a draft 03-03 08:00,
//	    ready 03-03 10:00, no review, merged 03-04 10:00.
//	c3  pull #3's, authored 03-05 12:00; no deployment ships it.
//	    #3: first commit 03-05 09:00, ready 10:00, review 11:00, merged 12:00.
//	#5  open.
func cycleScenario(t *testing.T) (repo, dataDir string) {
	t.Helper()
	r := gittest.New(t)
	c0 := r.Commit(gittest.C{Msg: "init", Authored: "2026-02-20T09:00:00Z"})
	c1 := r.Commit(gittest.C{Msg: "Faster checkout (#1)", Authored: "2026-03-02T09:00:00Z", Parents: []string{c0}})
	c2 := r.Commit(gittest.C{Msg: "Retry payments (#2)", Authored: "2026-03-04T10:00:00Z", Parents: []string{c1}})
	c3 := r.Commit(gittest.C{Msg: "Log less (#3)", Authored: "2026-03-05T12:00:00Z", Parents: []string{c2}})
	r.Branch("main", c3)
	r.Git("symbolic-ref", "HEAD", "refs/heads/main")
	dataDir = t.TempDir()
	const dh = "id,time,sha,environment,status,scan_seconds,pipeline_seconds,gate_blocked,critical,high,medium,low,source\n"
	const ph = "id,number,opened,ready,first_commit,first_review,approved,merged,merge_sha,head_sha,author,draft,source\n"
	gittest.WriteFiles(t, dataDir, map[string]string{
		"events/deployments/2026-02.csv": dh + "D0,2026-02-21T00:00:00Z," + c0 + ",production,success,,,false,0,0,0,0,cli\n",
		"events/deployments/2026-03.csv": dh + "D1,2026-03-02T12:00:00Z," + c1 + ",production,success,,,false,0,0,0,0,cli\n" +
			"D2,2026-03-04T16:00:00Z," + c2 + ",production,success,,,false,0,0,0,0,cli\n",
		"events/pulls/2026-02.csv": ph + "gh-pull-4,4,2026-02-20T10:00:00Z,2026-02-20T10:00:00Z,2026-02-20T08:00:00Z,,,2026-02-20T12:00:00Z," + c0 + ",,ada,false,github-pulls\n",
		"events/pulls/2026-03.csv": ph +
			"gh-pull-1,1,2026-03-01T10:00:00Z,2026-03-01T10:00:00Z,2026-03-01T08:00:00Z,2026-03-01T13:00:00Z,2026-03-01T13:00:00Z,2026-03-02T09:00:00Z," + c1 + ",,ada,false,github-pulls\n" +
			"gh-pull-2,2,2026-03-03T08:00:00Z,2026-03-03T10:00:00+00:00,2026-03-03T08:00:00+01:00,,,2026-03-04T10:00:00Z," + c2 + ",,ada,false,github-pulls\n" +
			"gh-pull-3,3,2026-03-05T10:00:00Z,2026-03-05T10:00:00Z,2026-03-05T09:00:00Z,2026-03-05T11:00:00Z,,2026-03-05T12:00:00Z," + c3 + ",,ada,false,github-pulls\n" +
			"gh-pull-5,5,2026-03-06T10:00:00Z,,,,,,,,ada,true,github-pulls\n",
	})
	return r.Dir, dataDir
}

// The cycle time of March, and the squash merges' lead times, against
// values worked out by hand from cycleScenario.
func TestCycleTimeOfAMonth(t *testing.T) {
	repo, dataDir := cycleScenario(t)
	m := month(t, history(t, repo, dataDir, "", time.UTC), "2026-03")
	ct := m.CycleTime
	wantInt(t, "cycle_time.pull_requests", ct.PullRequests, 3) // #1, #2, #3 merged in March
	// coding: #1 2 h, #2 3 h (07:00 UTC → 10:00), #3 1 h → p50 2 h.
	want(t, "cycle_time.coding_p50_hours", ct.CodingP50Hours, 2.0)
	// pickup: #1 3 h, #3 1 h → 2 h.
	want(t, "cycle_time.pickup_p50_hours", ct.PickupP50Hours, 2.0)
	// review: #1 20 h (03-01 13:00 → 03-02 09:00), #3 1 h → 10.5 h.
	want(t, "cycle_time.review_p50_hours", ct.ReviewP50Hours, 10.5)
	// deploy: #1 3 h (D1), #2 6 h (D2); #3 shipped by none → 4.5 h.
	want(t, "cycle_time.deploy_p50_hours", ct.DeployP50Hours, 4.5)
	// Lead time: c1 starts at #1's first commit (03-01 08:00 → D1 03-02
	// 12:00: 28 h), c2 at #2's (03-03 07:00 → D2 03-04 16:00: 33 h).
	wantInt(t, "lead_time.changes", m.LeadTime.Changes, 2)
	wantInt(t, "lead_time.squash_resolved", m.LeadTime.SquashResolved, 2)
	want(t, "lead_time.p50_hours", m.LeadTime.P50Hours, 30.5)
	stages := m.Detail.CycleStages
	if len(stages) != 4 || stages[0].Name != StageCoding || stages[0].Pulls != 3 || stages[1].Pulls != 2 || stages[3].Pulls != 2 {
		t.Errorf("Detail.CycleStages = %+v", stages)
	}
	want(t, "review p95", stages[2].P95Hours, 1+0.95*19)

	// February: #4 merged; its merge commit shipped with the first
	// deployment, whose changes have no baseline: no deploy stage, as no
	// lead time, unless first_deployment: include.
	feb := month(t, history(t, repo, dataDir, "", time.UTC), "2026-02")
	wantInt(t, "february cycle_time.pull_requests", feb.CycleTime.PullRequests, 1)
	want(t, "february cycle_time.deploy_p50_hours", feb.CycleTime.DeployP50Hours, nil)
	want(t, "february cycle_time.coding_p50_hours", feb.CycleTime.CodingP50Hours, 2.0)
	feb = month(t, history(t, repo, dataDir, "lead_time:\n  first_deployment: include\n", time.UTC), "2026-02")
	want(t, "february cycle_time.deploy_p50_hours, first deployment included", feb.CycleTime.DeployP50Hours, 12.0)

	// squash: off: the squash commits' own dates (3 h, 6 h).
	off := month(t, history(t, repo, dataDir, "lead_time:\n  squash: off\n", time.UTC), "2026-03")
	wantInt(t, "lead_time.squash_resolved, off", off.LeadTime.SquashResolved, 0)
	want(t, "lead_time.p50_hours, off", off.LeadTime.P50Hours, 4.5)
	want(t, "cycle_time.deploy_p50_hours, off", off.CycleTime.DeployP50Hours, 4.5)

	// A month without a merged pull request: 0 and nulls, no stages.
	apr := month(t, history(t, repo, dataDir, "", time.UTC), "2026-04")
	if apr.CycleTime != (CycleTime{}) || apr.Detail.CycleStages != nil {
		t.Errorf("April: %+v, %+v", apr.CycleTime, apr.Detail.CycleStages)
	}
}

// The changes say what gave them their start (collect's changes.csv
// started_by).
func TestSquashStartIsNamed(t *testing.T) {
	repo, dataDir := cycleScenario(t)
	h := history(t, repo, dataDir, "", time.UTC)
	by := map[string]string{}
	for _, c := range h.Facts.Changes {
		by[strings.SplitN(c.Subject, " (", 2)[0]] = c.StartedBy
	}
	if by["Faster checkout"] != "gh-pull-1" || by["Retry payments"] != "gh-pull-2" || by["init"] != "gh-pull-4" {
		t.Errorf("started by %v", by)
	}
}

// An organisation's cycle time is over the union of its repositories'
// pull requests: counts summed, each stage's p50 over all their hours.
func TestOrgCycleTime(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	pull := func(id, first, ready, review, merged string) fact.Pull {
		return fact.Pull{ID: id, Opened: at(ready), FirstCommit: at(first), Ready: at(ready), FirstReview: at(review), Merged: at(merged)}
	}
	// Coding hours: a 1, 2; b 6. Pickup: a 1, 1; b 10. Review: a 2, 4; b 1.
	a := &fact.Facts{Pulls: []fact.Pull{
		pull("a1", "2026-03-02T08:00:00Z", "2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z", "2026-03-02T12:00:00Z"),
		pull("a2", "2026-03-03T08:00:00Z", "2026-03-03T10:00:00Z", "2026-03-03T11:00:00Z", "2026-03-03T15:00:00Z"),
	}}
	b := &fact.Facts{Pulls: []fact.Pull{
		pull("b1", "2026-03-04T00:00:00Z", "2026-03-04T06:00:00Z", "2026-03-04T16:00:00Z", "2026-03-04T17:00:00Z"),
	}}
	span := Span{First: YearMonth{2026, time.March}, Last: YearMonth{2026, time.March}, Loc: time.UTC}
	var parts []*Part
	for _, f := range []*fact.Facts{a, b} {
		parts = append(parts, NewPart(NewHistory(f, config.Default(), time.UTC), span))
	}
	m := (&Org{Config: config.Default(), Parts: parts}).Period(span.Periods()[0])
	ct := m.CycleTime
	hours := func(p *float64) float64 {
		if p == nil {
			return -1
		}
		return *p
	}
	// p50 of {1,2,6} = 2; of {1,1,10} = 1; of {1,2,4} = 2.
	if ct.PullRequests != 3 || hours(ct.CodingP50Hours) != 2 || hours(ct.PickupP50Hours) != 1 || hours(ct.ReviewP50Hours) != 2 || ct.DeployP50Hours != nil {
		t.Errorf("cycle time %d pulls, coding %v, pickup %v, review %v, deploy %v; want 3, 2, 1, 2, none",
			ct.PullRequests, hours(ct.CodingP50Hours), hours(ct.PickupP50Hours), hours(ct.ReviewP50Hours), ct.DeployP50Hours)
	}
}
