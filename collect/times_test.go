package collect

import (
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/gittest"
)

// Git dates before 1970 or in the future are left out and counted: a tag
// so dated deploys nothing (a tag on a commit dated 9999 would stretch the
// history to it), a commit so dated counts for no lead time.
func TestGitDatesOutOfBoundsAreLeftOut(t *testing.T) {
	defer func(f func() time.Time) { data.Now = f }(data.Now)
	data.Now = func() time.Time { return time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC) }
	r := gittest.New(t)
	a := r.Commit(gittest.C{Msg: "a", Authored: "2026-03-01T10:00:00Z"})
	future := r.Commit(gittest.C{Msg: "from the future", Authored: "@4102444800 +0000", Committed: "2026-03-02T10:00:00Z", Parents: []string{a}})
	b := r.Commit(gittest.C{Msg: "b", Authored: "2026-03-02T11:00:00Z", Parents: []string{future}})
	far := r.Commit(gittest.C{Msg: "year 9999", Authored: "@253402214400 +0000", Parents: []string{b}})
	r.Branch("main", far)
	r.LightTag("v1", a)
	r.Tag("v2", b, "2026-03-03T10:00:00Z")
	r.LightTag("v3", far)               // dated by its commit: 9999
	r.Tag("v4", b, "@4102444800 +0000") // tagged in 2100
	f := gather(t, r.Dir, t.TempDir(), "", time.UTC)
	var ids []string
	for _, d := range f.Deployments {
		ids = append(ids, d.ID)
	}
	if strings.Join(ids, " ") != "v1 v2" {
		t.Errorf("deployments %q, want v1 v2", ids)
	}
	notes := strings.Join(f.Notes, "\n")
	if !strings.Contains(notes, `2 tag(s) matching "v*" left out, dated before 1970 or in the future: v3: 9999-12-31T00:00:00Z is in the future`) {
		t.Errorf("notes:\n%s\nwant the left-out tags named", notes)
	}
	counted := map[string]fact.Counted{}
	for _, c := range f.Changes {
		counted[c.Subject] = c.Counted
	}
	if counted["from the future"] != fact.CountedBadDate || counted["b"] != fact.CountedYes {
		t.Errorf("counted %v, want the commit dated 2100 %s", counted, fact.CountedBadDate)
	}
	if !strings.Contains(notes, "1 deployed commit(s) left out of lead time: dated (author date) before 1970 or in the future") {
		t.Errorf("notes:\n%s\nwant the left-out commit counted", notes)
	}
}

// Stored scans and CI runs dated before 1970 or in the future (stored
// before ingest checked them) are read without those times: a scan falls
// back to its scan record's time, a run is left out.
func TestStoredTimesOutOfBounds(t *testing.T) {
	sha := strings.Repeat("6", 40)
	at := time.Date(2026, 1, 7, 0, 0, 0, 0, time.UTC)
	late := []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"late"}},"invocations":[{"startTimeUtc":"2026-01-07T10:00:00Z","endTimeUtc":"9999-12-31T00:00:00Z"}],"results":[]}]}`)
	p := data.ScanFile(at, sha, "late", late)
	run := func(id, updated string) []byte {
		return []byte(`{"id": ` + id + `, "head_sha": "` + sha + `", "status": "completed", "run_started_at": "2026-01-05T10:00:00Z", "updated_at": "` + updated + `", "jobs": []}`)
	}
	files := map[string][]byte{
		p:                   late,
		ScanMetaFile(p):     []byte(`{"refs": ["main"], "scan_type": "full", "at": "2026-01-07T10:05:00Z"}`),
		"ci/2026/01/7.json": run("7", "2026-01-05T10:10:00Z"),
		"ci/2026/01/8.json": run("8", "9999-01-05T10:10:00Z"),
	}
	f := &fact.Facts{}
	if err := gatherSecurity(Options{RepoPath: t.TempDir(), Store: plainStore(t, files), Config: config.Default()}, f); err != nil {
		t.Fatal(err)
	}
	if len(f.Scans) != 1 || !f.Scans[0].Time.Equal(time.Date(2026, 1, 7, 10, 5, 0, 0, time.UTC)) || f.Scans[0].Duration != nil {
		t.Errorf("scans %+v, want the time of --at and no duration", f.Scans)
	}
	if notes := strings.Join(f.Notes, "\n"); !strings.Contains(notes, "invocation time 9999-12-31T00:00:00Z is before 1970 or in the future; ignored") {
		t.Errorf("notes:\n%s", notes)
	}
	if len(f.CIRuns) != 1 || f.CIRuns[0].ID != 7 || len(f.Problems) != 1 || !strings.Contains(f.Problems[0].Msg, "run 8: updated_at 9999-01-05T10:10:00Z is in the future") {
		t.Errorf("CI runs %+v, problems %v", f.CIRuns, f.Problems)
	}
}

// Notes of CI records are said once per kind, with the number of records
// that have one: a record with two steps outside its run is one record,
// and a kind of its own per reason keeps each reason said.
func TestCINotesCountRecords(t *testing.T) {
	sha := strings.Repeat("7", 40)
	step := func(name, from, to string) string {
		return `{"name":"` + name + `","started_at":"` + from + `","completed_at":"` + to + `"}`
	}
	run := func(id string, steps ...string) []byte {
		return []byte(`{"id": ` + id + `, "head_sha": "` + sha + `", "status": "completed", "run_started_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-05T10:10:00Z",
		  "jobs": [{"id": 1, "run_id": ` + id + `, "name": "scan", "started_at": "2026-01-05T10:01:00Z", "completed_at": "2026-01-05T10:09:00Z", "steps": [` + strings.Join(steps, ",") + `]}]}`)
	}
	late := func(name string) string { return step(name, "2026-01-05T10:05:00Z", "2026-01-05T10:30:00Z") }
	files := map[string][]byte{
		"ci/2026/01/7.json": run("7", late("Run Semgrep"), late("Run CodeQL"), step("Run Trivy", "2026-01-05T10:06:00Z", "2026-01-05T10:05:00Z")),
		"ci/2026/01/8.json": run("8", late("Run Semgrep")),
	}
	f := &fact.Facts{}
	if err := gatherSecurity(Options{RepoPath: t.TempDir(), Store: plainStore(t, files), Config: config.Default()}, f); err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(f.Notes, "\n")
	for _, want := range []string{
		"2 CI records: a scan step or job ends after its run; left out of the scan seconds (first: ",
		"run 7: job 1 step 1 (Run Semgrep) ends (2026-01-05T10:30:00Z) after its run (2026-01-05T10:10:00Z)",
		"CI record ", "run 7: job 1 step 3 (Run Trivy) ends (2026-01-05T10:05:00Z) before it starts (2026-01-05T10:06:00Z)",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes:\n%s\nwant %q", notes, want)
		}
	}
	if strings.Contains(notes, "3 CI records") {
		t.Errorf("notes:\n%s\ncount a record once", notes)
	}
}
