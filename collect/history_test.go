package collect

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/gittest"
)

// gather runs Gather on a repository and a data spec with yaml as config.
func gather(t *testing.T, repo, dataSpec, yaml string, loc *time.Location) *fact.Facts {
	t.Helper()
	store, err := data.Open(repo, dataSpec)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse([]byte(yaml), "test.yml")
	if err != nil {
		t.Fatal(err)
	}
	f, err := Gather(Options{RepoPath: repo, Store: store, Config: cfg, Loc: loc})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// changeSets maps deployment id → names of the commits it shipped, with
// how each counts for lead time.
func changeSets(f *fact.Facts, names map[string]string) map[string][]string {
	byHash := map[string]string{}
	for n, h := range names {
		byHash[h] = n
	}
	out := map[string][]string{}
	for _, c := range f.Changes {
		out[c.DeploymentID] = append(out[c.DeploymentID], byHash[c.SHA]+":"+string(c.Counted))
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out
}

func TestChangeSetsOfJanuary(t *testing.T) {
	j := gittest.NewJanuary(t)
	f := gather(t, j.Repo.Dir, j.Data, "", time.UTC)
	got := changeSets(f, j.SHA)
	want := map[string][]string{
		// the first deployment has no baseline: its changes are left out
		"D1": {"A:first-deployment", "B:first-deployment"},
		// a merge and the branch it merged; the dependabot commit is a bot's
		"D2": {"Bot:bot", "C:yes", "F1:yes", "M1:yes"},
		// D3 deployed Bot again: nothing new. Criss-cross and octopus merges
		// ship each commit once; R was authored after D4 deployed it.
		"D4": {"MX:yes", "MY:yes", "O:yes", "R:negative", "X1:yes", "Y1:yes"},
		// S waited for the failed and the blocked deployment
		"D7": {"S:yes"},
		"D8": {"T:yes"},
	}
	if len(got) != len(want) {
		t.Errorf("deployments with changes: %v, want %v", keys(got), keys(want))
	}
	for id, w := range want {
		if !slices.Equal(got[id], w) {
			t.Errorf("%s shipped %v, want %v", id, got[id], w)
		}
	}
	leads := map[string]float64{}
	for _, c := range f.Changes {
		leads[c.SHA] = c.LeadTime.Hours()
	}
	for name, h := range map[string]float64{"C": 47, "F1": 48, "M1": 24, "X1": 26, "Y1": 25, "MX": 24, "MY": 23, "O": 2, "R": -25, "S": 25, "T": 3, "A": 27, "B": 3} {
		if leads[j.SHA[name]] != h {
			t.Errorf("lead time of %s = %v h, want %v h", name, leads[j.SHA[name]], h)
		}
	}
	byID := map[string]fact.Deployment{}
	for _, d := range f.Deployments {
		byID[d.ID] = d
	}
	for id, w := range map[string]struct {
		changes  int
		baseline bool
	}{"D1": {2, false}, "D2": {4, true}, "D3": {0, true}, "D4": {6, true}, "D5": {0, false}, "D7": {1, true}, "D8": {1, true}} {
		d := byID[id]
		if d.Changes != w.changes || d.Baseline != w.baseline {
			t.Errorf("%s: changes %d baseline %v, want %d %v", id, d.Changes, d.Baseline, w.changes, w.baseline)
		}
	}
	if d := byID["E1"]; d.Production || d.Changes != 0 {
		t.Errorf("staging deployment E1 = %+v, want not production and no changes", d)
	}
	for _, c := range f.Changes {
		if c.SHA == j.SHA["T"] && (!c.Revert || c.Reverts != j.SHA["C"]) {
			t.Errorf("T: Revert %v Reverts %q, want true %s", c.Revert, c.Reverts, j.SHA["C"])
		}
		if c.SHA == j.SHA["Bot"] && c.Author != gittest.Dependabot {
			t.Errorf("Bot author = %q", c.Author)
		}
	}
}

func TestLeadTimeOptions(t *testing.T) {
	j := gittest.NewJanuary(t)
	f := gather(t, j.Repo.Dir, j.Data, "lead_time:\n  start: committer\n  first_deployment: include\n", time.UTC)
	got := changeSets(f, j.SHA)
	if !slices.Equal(got["D1"], []string{"A:yes", "B:yes"}) {
		t.Errorf("first_deployment include: D1 %v", got["D1"])
	}
	for _, c := range f.Changes {
		if c.SHA == j.SHA["R"] && (c.Counted != fact.CountedYes || c.LeadTime != time.Hour) {
			t.Errorf("start committer: R counted %s lead %v, want yes 1h", c.Counted, c.LeadTime)
		}
	}
}

func TestIncidentAttribution(t *testing.T) {
	j := gittest.NewJanuary(t)
	f := gather(t, j.Repo.Dir, j.Data, "", time.UTC)
	type row struct {
		dep     string
		attr    fact.Attribution
		fixedBy string
	}
	got := map[string]row{}
	for _, in := range f.Incidents {
		got[in.ID] = row{in.DeploymentID, in.Attribution, in.FixedBy}
	}
	want := map[string]row{
		"I1": {"D2", fact.AttrCommit, "D3"},   // F1 was shipped by D2; D3 went out before it was resolved
		"I2": {"D4", fact.AttrDeployment, ""}, // named; the only deployment meanwhile was blocked
		"I3": {"D4", fact.AttrTime, ""},       // latest before it opened, within 7 days
		"I4": {"D7", fact.AttrCommit, ""},     // staging: attributed, but counts for nothing
		"I5": {"", fact.AttrNone, ""},         // 10 days after the last deployment
	}
	if len(got) != len(want) {
		t.Errorf("incidents %v", got)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s = %+v, want %+v", id, got[id], w)
		}
	}
	g := gather(t, j.Repo.Dir, j.Data, "incidents:\n  max_attribution_gap: 11d\n  from_reverts: true\n", time.UTC)
	var revert *fact.Incident
	for i, in := range g.Incidents {
		if in.ID == "I5" && (in.DeploymentID != "D8" || in.Attribution != fact.AttrTime) {
			t.Errorf("with an 11-day gap I5 = %+v, want D8 by time", in)
		}
		if in.Attribution == fact.AttrRevert {
			revert = &g.Incidents[i]
		}
	}
	if revert == nil {
		t.Fatal("from_reverts: no incident for the revert of C")
	}
	if revert.Commit != j.SHA["C"] || revert.DeploymentID != "D2" || revert.FixedBy != "D8" || !revert.Production ||
		!revert.Opened.Equal(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)) || !revert.Resolved.Equal(time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("revert incident = %+v", *revert)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestRevertBySubjectOnly(t *testing.T) {
	r := gittest.New(t)
	a := r.Commit(gittest.C{Msg: "a", Authored: "2026-03-01T09:00:00Z"})
	// a subject of two lines: git revert quotes its first
	b := r.Commit(gittest.C{Msg: "Add cache\nfor reads\n\nbody", Authored: "2026-03-02T09:00:00Z", Parents: []string{a}})
	c := r.Commit(gittest.C{Msg: "[hotfix] Revert \"Add cache\"", Authored: "2026-03-03T09:00:00Z", Parents: []string{b}})
	r.Tag("v1", a, "2026-03-01T10:00:00Z")
	r.Tag("v2", b, "2026-03-02T10:00:00Z")
	r.Tag("v3", c, "2026-03-03T10:00:00Z")
	f := gather(t, r.Dir, t.TempDir(), "incidents:\n  from_reverts: true\n", time.UTC)
	var rev *fact.Change
	for i := range f.Changes {
		if f.Changes[i].SHA == c {
			rev = &f.Changes[i]
		}
		if f.Changes[i].SHA == b && f.Changes[i].Subject != "Add cache for reads" {
			t.Errorf("subject %q, want git's %%s: \"Add cache for reads\"", f.Changes[i].Subject)
		}
	}
	if rev == nil || !rev.Revert || rev.Reverts != b {
		t.Fatalf("revert change = %+v, want Reverts %s", rev, b)
	}
	if len(f.Incidents) != 1 || f.Incidents[0].DeploymentID != "v2" || f.Incidents[0].FixedBy != "v3" {
		t.Errorf("incidents = %+v", f.Incidents)
	}
}

// A revert found by its subject alone reverts the commit before it, not a
// later commit that re-lands the same change under the same subject.
func TestRevertBySubjectIgnoresReland(t *testing.T) {
	r := gittest.New(t)
	a := r.Commit(gittest.C{Msg: "a", Authored: "2026-03-01T09:00:00Z"})
	b := r.Commit(gittest.C{Msg: "Add cache", Authored: "2026-03-02T09:00:00Z", Parents: []string{a}})
	c := r.Commit(gittest.C{Msg: "Revert \"Add cache\"", Authored: "2026-03-03T09:00:00Z", Parents: []string{b}})
	d := r.Commit(gittest.C{Msg: "Add cache", Authored: "2026-03-03T12:00:00Z", Parents: []string{c}})
	r.Tag("v1", a, "2026-03-01T10:00:00Z")
	r.Tag("v2", b, "2026-03-02T10:00:00Z")
	r.Tag("v3", d, "2026-03-04T10:00:00Z")
	f := gather(t, r.Dir, t.TempDir(), "incidents:\n  from_reverts: true\n", time.UTC)
	for _, ch := range f.Changes {
		if ch.SHA == c && ch.Reverts != b {
			t.Errorf("revert reverts %s, want %s (the re-landed commit is %s)", ch.Reverts, b, d)
		}
	}
	if len(f.Incidents) != 1 || f.Incidents[0].DeploymentID != "v2" || f.Incidents[0].FixedBy != "v3" {
		t.Errorf("incidents = %+v, want one opened by v2 and fixed by v3", f.Incidents)
	}
}

func TestShallowCloneSaysWhatToRun(t *testing.T) {
	j := gittest.NewJanuary(t)
	clone := t.TempDir()
	if _, err := gittest.Run(clone, nil, "", "clone", "-q", "--depth", "1", "file://"+j.Repo.Dir, "."); err != nil {
		t.Fatal(err)
	}
	store, _ := data.Open(clone, j.Data)
	_, err := Gather(Options{RepoPath: clone, Store: store, Config: config.Default()})
	if err == nil || !strings.Contains(err.Error(), "git fetch --unshallow") || strings.Count(err.Error(), "\n") > 0 {
		t.Fatalf("shallow clone: err = %v, want one line saying git fetch --unshallow", err)
	}
}

func TestMissingObjectSaysWhatToRun(t *testing.T) {
	for _, graph := range []bool{false, true} {
		j := gittest.NewJanuary(t)
		if graph { // the walk needs no object; the decoding finds the hole
			j.Repo.Git("commit-graph", "write", "--reachable")
		}
		// Loose objects: remove the commit object of F1, a parent of M1.
		sha := j.SHA["F1"]
		if err := os.Remove(filepath.Join(j.Repo.Dir, ".git", "objects", sha[:2], sha[2:])); err != nil {
			t.Fatal(err)
		}
		store, _ := data.Open(j.Repo.Dir, j.Data)
		_, err := Gather(Options{RepoPath: j.Repo.Dir, Store: store, Config: config.Default()})
		if err == nil || !strings.Contains(err.Error(), sha) || !strings.Contains(err.Error(), "git fetch") || !strings.Contains(err.Error(), j.Repo.Dir) {
			t.Fatalf("missing object (commit-graph %v): err = %v, want the repository, the missing sha and what to fetch", graph, err)
		}
	}
}

func TestMissingDataBranchFallsBackToTags(t *testing.T) {
	r := gittest.New(t)
	a := r.Commit(gittest.C{Msg: "a", Authored: "2026-03-01T09:00:00Z"})
	r.Branch("main", a)
	r.Tag("v1.0.0", a, "2026-03-01T10:00:00Z")
	f := gather(t, r.Dir, "", "", time.UTC)
	if len(f.Deployments) != 1 || f.Deployments[0].Source != fact.SourceTags {
		t.Fatalf("deployments = %+v, want v1.0.0 from tags", f.Deployments)
	}
	n := 0
	for _, note := range f.Notes {
		if strings.Contains(note, "no data branch") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("notes = %q, want one saying there is no data branch", f.Notes)
	}
}

func openStoreB(b *testing.B, repo string) (*data.Store, *config.Settings) {
	b.Helper()
	store, err := data.Open(repo, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	return store, config.Default()
}

func openStore(t *testing.T, repo, spec string) (*data.Store, *config.Settings) {
	t.Helper()
	store, err := data.Open(repo, spec)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := store.Config("")
	if err != nil {
		t.Fatal(err)
	}
	return store, cfg
}

// A deployment naming a commit the repository lacks, or an object that is
// not a commit, is reported; the others are read.
func TestDeploymentOfUnknownCommit(t *testing.T) {
	r := gittest.New(t)
	a := r.Commit(gittest.C{Msg: "a", Authored: "2026-03-01T09:00:00Z"})
	b := r.Commit(gittest.C{Msg: "b", Authored: "2026-03-02T09:00:00Z", Parents: []string{a}})
	tree := gittest.MustRun(t, r.Dir, "rev-parse", b+"^{tree}")
	dir := t.TempDir()
	gittest.WriteFiles(t, dir, map[string]string{"events/deployments/2026-03.csv": "id,time,sha,environment,status,scan_seconds,pipeline_seconds,gate_blocked,critical,high,medium,low,source\n" +
		"d1,2026-03-01T10:00:00Z," + a + ",production,success,,,false,0,0,0,0,cli\n" +
		"d2,2026-03-01T11:00:00Z," + strings.Repeat("e", 40) + ",production,success,,,false,0,0,0,0,cli\n" +
		"d3,2026-03-01T12:00:00Z," + tree + ",production,success,,,false,0,0,0,0,cli\n" +
		"d4,2026-03-02T10:00:00Z," + b + ",production,success,,,false,0,0,0,0,cli\n"})
	f := gather(t, r.Dir, dir, "", time.UTC)
	if len(f.Problems) != 2 || !strings.Contains(f.Problems[0].String(), "deployment d2: commit eeee") || !strings.Contains(f.Problems[1].String(), "deployment d3") {
		t.Fatalf("problems = %v", f.Problems)
	}
	if p := f.Problems[1].String(); !strings.Contains(p, "is a tree") || strings.Count(p, tree) > 2 {
		t.Errorf("problem %q, want it to say the object is a tree, naming it no more than twice", p)
	}
	got := changeSets(f, map[string]string{"a": a, "b": b})
	if !slices.Equal(got["d4"], []string{"b:yes"}) || len(f.Deployments) != 4 {
		t.Errorf("changes = %v, deployments %d", got, len(f.Deployments))
	}
}

// A deployment naming its commit by an abbreviated sha: resolved when
// unique; an ambiguous one says so (fetching would not help), an unknown
// one says what to fetch.
func TestDeploymentOfAbbreviatedSHA(t *testing.T) {
	dir, m := generated(t, 600, 3)
	seen := map[string]bool{}
	ambiguous := ""
	for _, c := range m.Commits {
		if seen[c.Hash[:4]] && ambiguous == "" {
			ambiguous = c.Hash[:4]
		}
		seen[c.Hash[:4]] = true
	}
	if ambiguous == "" {
		t.Fatal("no two generated commits share 4 hex digits")
	}
	unknown := ""
	for i := 0; unknown == "" || seen[unknown]; i++ {
		unknown = fmt.Sprintf("%04x", i)
	}
	unique := m.Commits[m.Refs[0].Commit].Hash[:10]
	for _, tc := range []struct{ sha, problem string }{
		{unique, ""},
		{ambiguous, ambiguous + " is ambiguous: it starts"},
		{unknown, "commit " + unknown + " is not in --repo"},
	} {
		spec := t.TempDir()
		gittest.WriteFiles(t, spec, map[string]string{"events/deployments/2026-03.csv": "id,time,sha,environment,status,scan_seconds,pipeline_seconds,gate_blocked,critical,high,medium,low,source\n" +
			"d1,2026-03-01T10:00:00Z," + tc.sha + ",production,success,,,false,0,0,0,0,cli\n"})
		f := gather(t, dir, spec, "", time.UTC)
		var got []string
		for _, p := range f.Problems {
			got = append(got, p.String())
		}
		switch {
		case tc.problem == "" && len(got) > 0:
			t.Errorf("%s: problems %q, want none", tc.sha, got)
		case tc.problem != "" && (len(got) != 1 || !strings.Contains(got[0], "deployment d1: "+tc.problem)):
			t.Errorf("%s: problems %q, want one saying %q", tc.sha, got, tc.problem)
		}
	}
}
