package collect

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/gittest"
)

func TestDeploymentSourcesAndTags(t *testing.T) {
	tr := gittest.NewTags(t)
	r, dir, s := tr.Repo, tr.Data, tr.SHA
	f := gather(t, r.Dir, dir, "", time.UTC)
	var got []string
	for _, d := range f.Deployments {
		got = append(got, fmt.Sprintf("%s %s %s %s %d", d.ID, d.Time.UTC().Format("01-02T15:04"), d.Source, d.Environment, d.Changes))
	}
	want := []string{
		"v1.0.0 01-10T12:00 tags production 2", // annotated: tagger date; first deployment
		"v1.1.0 01-31T23:30 tags production 1", // lightweight: committer date of the commit
		// nightly-1 and docs-1 do not match v*
		"v1.2.0 02-10T10:00 tags production 2", // tagger date with its offset
		"st1 02-20T10:00 events staging 0",     // a staging event does not displace February's tags
		"ev1 03-02T10:00 events production 0",  // March has events: v1.3.0 is not a deployment
	}
	if !slices.Equal(got, want) {
		t.Errorf("deployments:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if f.Deployments[4].SHA != s["P4"] {
		t.Errorf("abbreviated sha resolved to %s, want %s", f.Deployments[4].SHA, s["P4"])
	}
	leads := map[string]string{}
	for _, c := range f.Changes {
		leads[c.SHA] = fmt.Sprintf("%s %v", c.Counted, c.LeadTime)
	}
	for name, w := range map[string]string{"P2": "yes 3h30m0s", "P3": "yes 120h0m0s", "P4": "yes 0s"} {
		if leads[s[name]] != w {
			t.Errorf("%s: %s, want %s", name, leads[s[name]], w)
		}
	}
}

// With --tz Europe/Berlin, 31 January 23:30 UTC is in February, so the
// source of each month is chosen in Berlin's months.
func TestSourcesChosenInTheMonthsOfTZ(t *testing.T) {
	r := gittest.New(t)
	a := r.Commit(gittest.C{Msg: "a", Authored: "2026-01-31T20:00:00Z", Committed: "2026-01-31T23:30:00Z"})
	r.LightTag("v1", a)
	r.Branch("main", a)
	dir := t.TempDir()
	gittest.WriteFiles(t, dir, map[string]string{"events/deployments/2026-01.csv": "id,time,sha,environment,status,scan_seconds,pipeline_seconds,gate_blocked,critical,high,medium,low,source\n" +
		"ev1,2026-01-15T10:00:00Z," + a + ",production,success,,,false,0,0,0,0,cli\n"})
	utc := gather(t, r.Dir, dir, "", time.UTC)
	if len(utc.Deployments) != 1 || utc.Deployments[0].ID != "ev1" {
		t.Errorf("UTC: %v, want ev1 only (January has events)", ids(utc.Deployments))
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	b := gather(t, r.Dir, dir, "", berlin)
	if !slices.Equal(ids(b.Deployments), []string{"ev1", "v1"}) {
		t.Errorf("Berlin: %v, want ev1 and v1 (v1 falls in February, which has no events)", ids(b.Deployments))
	}
}

func ids(ds []fact.Deployment) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.ID)
	}
	return out
}

func TestDeployWorkflowRuns(t *testing.T) {
	r := gittest.New(t)
	a := r.Commit(gittest.C{Msg: "a", Authored: "2026-04-01T09:00:00Z"})
	b := r.Commit(gittest.C{Msg: "b", Authored: "2026-04-02T09:00:00Z", Parents: []string{a}})
	r.Branch("main", b)
	r.Tag("v9", b, "2026-04-02T10:00:00Z") // April has runs: the tag is not a deployment
	when := func(d int) time.Time { return time.Date(2026, 4, d, 12, 0, 0, 0, time.UTC) }
	scan := 42.0
	runs := []fact.CIRun{
		{ID: 1, Name: "Deploy", Workflow: ".github/workflows/deploy.yml", HeadSHA: a, Conclusion: "success", Updated: when(1)},
		{ID: 2, Name: "CI", Workflow: ".github/workflows/ci.yml", HeadSHA: b, Conclusion: "success", Updated: when(2)},
		{ID: 3, Name: "Deploy", Workflow: ".github/workflows/deploy.yml", HeadSHA: b, Conclusion: "failure", Updated: when(3)},
		{ID: 4, Name: "Deploy", Workflow: ".github/workflows/deploy.yml", HeadSHA: b, Conclusion: "failure", GateBlocked: true, Updated: when(4)},
		{ID: 5, Name: "Deploy", Workflow: ".github/workflows/deploy.yml", HeadSHA: b, Conclusion: "cancelled", Updated: when(5)},
		{ID: 6, Name: "Ship it", Workflow: ".github/workflows/deploy.yaml", HeadSHA: b, Conclusion: "success", Updated: when(6), ScanSeconds: &scan},
	}
	store, cfg := openStore(t, r.Dir, t.TempDir())
	f := &fact.Facts{CIRuns: runs}
	if err := gatherHistory(Options{RepoPath: r.Dir, Store: store, Config: cfg}, f); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range f.Deployments {
		got = append(got, fmt.Sprintf("%s %s %s %d", d.ID, d.Status, d.Source, d.Changes))
	}
	want := []string{"ci-1 success ci 1", "ci-3 failure ci 0", "ci-4 blocked ci 0", "ci-6 success ci 1"}
	if !slices.Equal(got, want) {
		t.Errorf("deployments %q, want %q", got, want)
	}
	if d := f.Deployments[3]; d.ScanSeconds == nil || *d.ScanSeconds != 42 || d.ScanSecondsFrom != "ci" {
		t.Errorf("ci-6 scan seconds = %v from %q", d.ScanSeconds, d.ScanSecondsFrom)
	}
}

// chooseSources keeps one source a month, the pinned one when there is
// one, and says what every source holds; a warning names each month where
// a source passed over holds more than the one used.
func TestChooseSourcesAndWarnings(t *testing.T) {
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	dep := func(id string, src fact.Source, when string) fact.Deployment {
		return fact.Deployment{ID: id, Source: src, Time: at(when), Production: true}
	}
	all := []fact.Deployment{
		dep("v1", fact.SourceTags, "2023-05-02T10:00:00Z"), dep("v2", fact.SourceTags, "2023-05-20T10:00:00Z"),
		dep("ci-7", fact.SourceCI, "2023-05-21T10:00:00Z"),
		dep("v3", fact.SourceTags, "2024-05-02T10:00:00Z"), dep("v4", fact.SourceTags, "2024-05-10T10:00:00Z"), dep("v5", fact.SourceTags, "2024-05-20T10:00:00Z"),
		dep("hand", fact.SourceEvents, "2024-05-21T10:00:00Z"),
		dep("v6", fact.SourceTags, "2024-06-02T10:00:00Z"),
		{ID: "stg", Source: fact.SourceEvents, Time: at("2024-06-03T10:00:00Z"), Environment: "staging"},
	}
	for _, tc := range []struct {
		pin      fact.Source
		kept     []string
		used     []string // month:source
		warnings []string
	}{
		{"", []string{"ci-7", "hand", "v6", "stg"}, []string{"2023-05:ci", "2024-05:events", "2024-06:tags"}, []string{
			"2023-05: deployments come from deploy workflow runs (1), but tags hold 2; the figures use ci.",
			"2024-05: deployments come from deployment events (1), but tags hold 3; the figures use events.",
		}},
		{fact.SourceTags, []string{"v1", "v2", "v3", "v4", "v5", "v6", "stg"}, []string{"2023-05:tags", "2024-05:tags", "2024-06:tags"}, nil},
		{fact.SourceEvents, []string{"hand", "stg"}, []string{"2023-05:", "2024-05:events", "2024-06:"}, nil},
	} {
		kept, months := chooseSources(all, time.UTC, tc.pin)
		if got := ids(kept); !slices.Equal(got, tc.kept) {
			t.Errorf("pin %q: kept %v, want %v", tc.pin, got, tc.kept)
		}
		var used []string
		for _, sm := range months {
			used = append(used, sm.Month+":"+string(sm.Used))
		}
		if !slices.Equal(used, tc.used) {
			t.Errorf("pin %q: sources %v, want %v", tc.pin, used, tc.used)
		}
		if months[1].Counts[fact.SourceTags] != 3 || months[1].Counts[fact.SourceEvents] != 1 {
			t.Errorf("pin %q: 2024-05 counts %v, want 3 tags and 1 event", tc.pin, months[1].Counts)
		}
		got := sourceWarnings(months, tc.pin != "")
		if len(got) != len(tc.warnings) {
			t.Errorf("pin %q: warnings %q, want %d", tc.pin, got, len(tc.warnings))
			continue
		}
		for i := range got {
			if !strings.HasPrefix(got[i], tc.warnings[i]) {
				t.Errorf("pin %q: warning %q, want it to start %q", tc.pin, got[i], tc.warnings[i])
			}
		}
	}
}

// TestTagsReadOnEveryCPU has enough tags for several readers, of every
// kind: annotated, lightweight, a tag of a tag (the outer tagger's date)
// and a tag of a tree (no deployment), packed and loose. Each
// deployment's commit and time are what git itself says.
func TestTagsReadOnEveryCPU(t *testing.T) {
	r := gittest.New(t)
	var prev []string
	for i := 0; i < 40; i++ {
		c := r.Commit(gittest.C{Msg: fmt.Sprint(i), Authored: fmt.Sprintf("2026-01-%02dT10:00:00Z", 1+i%28), Parents: prev})
		prev = []string{c}
	}
	r.Branch("main", prev[0])
	commits := strings.Fields(r.Git("rev-list", "main"))
	git := func(stdin string, args ...string) string {
		out, err := gittest.Run(r.Dir, nil, stdin, args...)
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(out)
	}
	mktag := func(target, typ, name string, at time.Time) string {
		return git(fmt.Sprintf("object %s\ntype %s\ntag %s\ntagger t <t@example.com> %d +0100\n\nrelease\n", target, typ, name, at.Unix()), "mktag")
	}
	var script strings.Builder // annotated tags by fast-import, dated 2026-02-01 + i minutes
	var light strings.Builder
	for i := 0; i < 700; i++ {
		c := commits[i%len(commits)]
		if i%3 == 0 {
			fmt.Fprintf(&light, "update refs/tags/v%d %s\n", i, c)
			continue
		}
		fmt.Fprintf(&script, "tag v%d\nfrom %s\ntagger t <t@example.com> %d +0100\ndata 8\nrelease\n", i, c, time.Date(2026, 2, 1, 0, i, 0, 0, time.UTC).Unix())
	}
	git(script.String(), "fast-import", "--quiet")
	git(light.String(), "update-ref", "--stdin")
	r.Git("update-ref", "refs/tags/v-outer", mktag(r.Git("rev-parse", "refs/tags/v1"), "tag", "v-outer", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)))
	r.Git("tag", "v-tree", commits[0]+"^{tree}")
	r.Git("pack-refs", "--all")
	r.Git("update-ref", "refs/tags/v-loose", commits[2]) // loose beside the packed ones

	f := gather(t, r.Dir, t.TempDir(), "", time.UTC)
	got := map[string]string{}
	for _, d := range f.Deployments {
		got[d.ID] = d.SHA + " " + d.Time.UTC().Format(time.RFC3339)
	}
	want := map[string]string{"v-outer": commits[1] + " 2026-03-01T00:00:00Z"}
	for _, line := range strings.Split(r.Git("for-each-ref", "refs/tags", "--format=%(refname:short)|%(objecttype)|%(objectname)|%(*objectname)|%(taggerdate:unix)|%(committerdate:unix)"), "\n") {
		fs := strings.Split(line, "|")
		if len(fs) != 6 || fs[0] == "v-tree" || fs[0] == "v-outer" || fs[0] == "" {
			continue
		}
		sha, unix := fs[2], fs[5]
		if fs[1] == "tag" {
			sha, unix = fs[3], fs[4]
		}
		var sec int64
		fmt.Sscan(unix, &sec)
		want[fs[0]] = sha + " " + time.Unix(sec, 0).UTC().Format(time.RFC3339)
	}
	if len(want) != 702 || len(got) != len(want) {
		t.Fatalf("%d deployments, %d from git (want 702: every tag but v-tree)", len(got), len(want))
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: %q, git says %q", name, got[name], w)
		}
	}
}
