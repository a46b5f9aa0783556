package data

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func inc(id, opened, resolved string) Incident {
	o, err := ParseTime(opened)
	if err != nil {
		panic(err)
	}
	in := Incident{ID: id, Opened: o, Severity: "high", Category: "security", Environment: "production"}
	if resolved != "" {
		r, err := ParseTime(resolved)
		if err != nil {
			panic(err)
		}
		in.Resolved = OptTime{Time: r, Valid: true}
	}
	return in
}

func corr(at, kind, target, field, value string) Correction {
	tm, err := ParseTime(at)
	if err != nil {
		panic(err)
	}
	c := Correction{Time: tm, Kind: kind, Target: target, Field: field, Value: value, Reason: "because", Author: "ada"}
	c.ID = CorrectionID(c)
	return c
}

// Corrections apply in time order, whatever the order of their rows: the
// latest value of a field wins; a void takes the event out and nothing
// applies after it; a correction of an unknown id, a value the column
// does not take, or one that leaves the event invalid is not applied and
// says why. The events given are not changed.
func TestCorrectAppliesInTimeOrder(t *testing.T) {
	deps := []Deployment{dep("d1", "2026-03-02T10:00:00Z"), dep("d2", "2026-03-03T10:00:00Z"), dep("d3", "2026-03-04T10:00:00Z")}
	incs := []Incident{inc("i1", "2026-03-02T11:00:00Z", ""), inc("i2", "2026-03-05T11:00:00Z", "2026-03-05T12:00:00Z")}
	cs := []Correction{
		corr("2026-03-10T09:00:00Z", KindDeployment, "d1", "status", "failure"), // later, listed first
		corr("2026-03-09T09:00:00Z", KindDeployment, "d1", "status", "blocked"),
		corr("2026-03-09T09:00:00Z", KindDeployment, "d2", FieldVoid, ""),
		corr("2026-03-11T09:00:00Z", KindDeployment, "d2", "status", "failure"), // after its void
		corr("2026-03-09T09:00:00Z", KindDeployment, "d9", "status", "failure"), // no such deployment
		corr("2026-03-09T09:00:00Z", KindDeployment, "d3", "scan_seconds", "-1"),
		corr("2026-03-09T09:00:00Z", KindIncident, "i1", "resolved", "2026-03-02T13:30:00Z"),
		corr("2026-03-09T10:00:00Z", KindIncident, "i2", "resolved", "2026-03-01T00:00:00Z"), // before opened
		corr("2026-03-09T09:00:00Z", KindPull, "7", "state", "merged"),
	}
	got := Correct(deps, incs, cs)
	var ids []string
	for _, d := range got.Deployments {
		ids = append(ids, d.ID+"="+d.Status)
	}
	if s := strings.Join(ids, " "); s != "d1=failure d3=success" {
		t.Errorf("deployments %s, want d1=failure d3=success", s)
	}
	if deps[0].Status != "success" || len(deps) != 3 {
		t.Errorf("the recorded events changed: %+v", deps)
	}
	if d3 := got.Deployments[1]; !d3.ScanSeconds.Valid || d3.ScanSeconds.Value != 12.5 {
		t.Errorf("d3 scan seconds %+v, want 12.5 as recorded", d3.ScanSeconds)
	}
	if i1 := got.Incidents[0]; !i1.Resolved.Valid || i1.Resolved.String() != "2026-03-02T13:30:00Z" {
		t.Errorf("i1 resolved %+v", i1.Resolved)
	}
	if i2 := got.Incidents[1]; i2.Resolved.String() != "2026-03-05T12:00:00Z" {
		t.Errorf("i2 resolved %v, want as recorded", i2.Resolved)
	}
	want := map[string]string{ // target+field → problem ("" applied)
		"d1 status":       "",
		"d2 void":         "",
		"d2 status":       "deployment d2 was voided before (a void is final)",
		"d9 status":       "no deployment with id d9 is recorded",
		"d3 scan_seconds": `deployment d3: scan_seconds: -1 is not a number of seconds from 0 to 31622400 (a year)`,
		"i1 resolved":     "",
		"i2 resolved":     "incident i2: resolved 2026-03-01T00:00:00Z is before opened 2026-03-05T11:00:00Z",
		"7 state":         "no pull with id 7 is recorded",
	}
	if len(got.Outcomes) != len(cs) {
		t.Fatalf("%d outcomes of %d corrections", len(got.Outcomes), len(cs))
	}
	for i, o := range got.Outcomes {
		if i > 0 && o.Time.Before(got.Outcomes[i-1].Time.Time) {
			t.Errorf("outcome %d is out of time order", i)
		}
		w, ok := want[o.Target+" "+o.Field]
		if !ok {
			continue // d1's two status corrections: both apply
		}
		if o.Applied != (w == "") || o.Problem != w {
			t.Errorf("%s %s: applied %v, problem %q; want %q", o.Target, o.Field, o.Applied, o.Problem, w)
		}
	}
	if !got.Voided[KindDeployment]["d2"] || got.Amended[KindDeployment]["d2"] || !got.Amended[KindDeployment]["d1"] || !got.Amended[KindIncident]["i1"] || got.Amended[KindIncident]["i2"] {
		t.Errorf("voided %v, amended %v", got.Voided, got.Amended)
	}
	if orig, ok := got.Original[KindDeployment]["d1"].(Deployment); !ok || orig.Status != "success" {
		t.Errorf("the original of d1 is %+v, want as recorded", got.Original[KindDeployment]["d1"])
	}
	if row, voided, ok := got.Find(KindDeployment, "d2"); !ok || !voided || row.(Deployment).ID != "d2" {
		t.Errorf("Find d2: %v %v %v", row, voided, ok)
	}
	if _, _, ok := got.Find(KindIncident, "nope"); ok {
		t.Error("Find found an incident that is not recorded")
	}
}

func pull(id, opened, merged, mergeSHA string) Pull {
	o, err := ParseTime(opened)
	if err != nil {
		panic(err)
	}
	p := Pull{ID: id, Number: 7, Opened: o, Ready: OptTime{Time: o, Valid: true}, Author: "octocat", Source: "github-pulls"}
	if merged != "" {
		m, err := ParseTime(merged)
		if err != nil {
			panic(err)
		}
		p.Merged, p.MergeSHA = OptTime{Time: m, Valid: true}, mergeSHA
	}
	return p
}

// Pulls are corrected as the other events are: a field amended (the
// latest correction winning), a column read as its file reads it, a
// value that leaves the pull invalid not applied, a voided pull left
// out; a pull is found by its id.
func TestCorrectPulls(t *testing.T) {
	const sha = "6bb224b79892b75c83bed51434d97aa992e38015"
	r := Recorded{Pulls: []Pull{
		pull("gh-pull-1", "2026-03-02T10:00:00Z", "", ""),
		pull("gh-pull-2", "2026-03-03T10:00:00Z", "2026-03-04T10:00:00Z", sha),
		pull("gh-pull-3", "2026-03-03T10:00:00Z", "", ""),
	}}
	cs := []Correction{
		corr("2026-03-10T09:00:00Z", KindPull, "gh-pull-1", "first_review", "2026-03-02T15:00:00+02:00"),
		corr("2026-03-09T09:00:00Z", KindPull, "gh-pull-1", "first_review", "2026-03-02T11:00:00Z"), // earlier: loses
		corr("2026-03-09T09:00:00Z", KindPull, "gh-pull-2", "merge_sha", "abc"),                     // not a full hash
		corr("2026-03-09T09:00:00Z", KindPull, "gh-pull-2", "draft", "true"),
		corr("2026-03-09T09:00:00Z", KindPull, "gh-pull-3", FieldVoid, ""),
		corr("2026-03-09T09:00:00Z", KindPull, "gh-pull-9", "draft", "true"),
	}
	got := r.Correct(cs)
	if len(got.Pulls) != 2 || got.Pulls[0].ID != "gh-pull-1" || got.Pulls[1].ID != "gh-pull-2" {
		t.Fatalf("pulls %+v, want gh-pull-1 and gh-pull-2", got.Pulls)
	}
	if fr := got.Pulls[0].FirstReview; !fr.Valid || fr.String() != "2026-03-02T15:00:00+02:00" {
		t.Errorf("gh-pull-1 first_review %v, want the later correction's", fr)
	}
	if p2 := got.Pulls[1]; p2.MergeSHA != sha || !p2.Draft {
		t.Errorf("gh-pull-2: merge_sha %q draft %v, want the merge_sha as recorded, draft amended", p2.MergeSHA, p2.Draft)
	}
	problems := map[string]string{}
	for _, o := range got.Outcomes {
		problems[o.Target+" "+o.Field] += o.Problem
	}
	if p := problems["gh-pull-2 merge_sha"]; !strings.Contains(p, `merge_sha "abc" is not a full commit hash`) {
		t.Errorf("merge_sha abc: %q", p)
	}
	if p := problems["gh-pull-9 draft"]; p != "no pull with id gh-pull-9 is recorded" {
		t.Errorf("gh-pull-9: %q", p)
	}
	if !got.Voided[KindPull]["gh-pull-3"] || !got.Amended[KindPull]["gh-pull-1"] {
		t.Errorf("voided %v, amended %v", got.Voided, got.Amended)
	}
	if row, voided, ok := got.Find(KindPull, "gh-pull-2"); !ok || voided || !row.(Pull).Draft {
		t.Errorf("Find gh-pull-2: %v %v %v", row, voided, ok)
	}
	if r.Pulls[1].Draft {
		t.Error("the recorded pull changed")
	}
}

func TestCorrectionCheck(t *testing.T) {
	ok := corr("2026-03-09T09:00:00Z", KindIncident, "i1", "resolved", "2026-03-02T13:30:00Z")
	for _, tc := range []struct {
		name string
		edit func(*Correction)
		want string
	}{
		{"valid", func(*Correction) {}, ""},
		{"void", func(c *Correction) { c.Field, c.Value = FieldVoid, "" }, ""},
		{"void with a value", func(c *Correction) { c.Field, c.Value = FieldVoid, "x" }, "a void has no value"},
		{"no id", func(c *Correction) { c.ID = "" }, "id is empty"},
		{"no reason", func(c *Correction) { c.Reason = " " }, "reason is empty"},
		{"no target", func(c *Correction) { c.Target = "" }, "target is empty"},
		{"unknown kind", func(c *Correction) { c.Kind = "release" }, `kind is "release"`},
		{"the id", func(c *Correction) { c.Field = "id" }, "field is id"},
		{"no such column", func(c *Correction) { c.Field = "sha" }, `field is "sha", want void or one of opened, resolved`},
		{"a pull's column", func(c *Correction) { c.Kind, c.Field, c.Value = KindPull, "merged", "2026-03-02T13:30:00Z" }, ""},
		{"no such column of a pull", func(c *Correction) { c.Kind, c.Field = KindPull, "state" }, `field is "state", want void or one of number, opened`},
	} {
		c := ok
		tc.edit(&c)
		err := c.Check()
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// A new value is checked as gitdora record checks the flag that sets it,
// and stored as the column stores it.
func TestCheckValue(t *testing.T) {
	commit := func(rev string) (string, error) {
		if rev == "HEAD" {
			return "6bb224b79892b75c83bed51434d97aa992e38015", nil
		}
		return "", errors.New("no such commit")
	}
	for _, tc := range []struct {
		kind, field, value string
		want, err          string
	}{
		{KindDeployment, "time", "2026-03-04T10:00:00+01:00", "2026-03-04T10:00:00+01:00", ""},
		{KindDeployment, "time", "2026-03-04", "", "is not an RFC 3339 time"},
		{KindDeployment, "sha", "HEAD", "6bb224b79892b75c83bed51434d97aa992e38015", ""},
		{KindDeployment, "sha", "", "", "sha is empty"},
		{KindDeployment, "sha", "nope", "", "no such commit"},
		{KindDeployment, "status", "blocked", "blocked", ""},
		{KindDeployment, "status", "exploded", "", `status is "exploded", want one of success, failure, blocked`},
		{KindDeployment, "scan_seconds", "95.5", "95.5", ""},
		{KindDeployment, "scan_seconds", "", "", ""},
		{KindDeployment, "scan_seconds", "-3", "", "want a number of seconds, 0 or more"},
		{KindDeployment, "pipeline_seconds", "NaN", "", "want a number of seconds"},
		{KindDeployment, "pipeline_seconds", "+Inf", "", "want a number of seconds"},
		{KindDeployment, "gate_blocked", "true", "true", ""},
		{KindDeployment, "gate_blocked", "maybe", "", "want true or false"},
		{KindDeployment, "critical", "2", "2", ""},
		{KindDeployment, "high", "-1", "", "want a count, 0 or more"},
		{KindDeployment, "environment", "", "", "environment is empty"},
		{KindDeployment, "source", "ci\nx", "", "control character"},
		{KindDeployment, "source", strings.Repeat("x", 201), "", "want at most 200"},
		{KindDeployment, "severity", "high", "", "a deployment has no field severity"},
		{KindDeployment, "id", "d2", "", "is not amended"},
		{KindIncident, "resolved", "", "", ""},
		{KindIncident, "resolved", "2026-03-04T12:30:00Z", "2026-03-04T12:30:00Z", ""},
		{KindIncident, "severity", "info", "", `severity is "info"`},
		{KindIncident, "category", "security", "security", ""},
		{KindIncident, "cwe", "cwe-079", "CWE-79", ""},
		{KindIncident, "cwe", "XSS", "", "is not a CWE id"},
		{KindIncident, "commit", "", "", ""},
		{KindIncident, "commit", "HEAD", "6bb224b79892b75c83bed51434d97aa992e38015", ""},
		{KindIncident, "title", "  Token leaked  ", "Token leaked", ""},
		{KindPull, "state", "merged", "", "a pull has no field state (want one of number, opened, ready"},
		{KindPull, "number", "12", "12", ""},
		{KindPull, "number", "-1", "", "want a count, 0 or more"},
		{KindPull, "opened", "", "", "is not an RFC 3339 time"},
		{KindPull, "ready", "", "", ""},
		{KindPull, "first_commit", "2026-03-01T08:00:00+01:00", "2026-03-01T08:00:00+01:00", ""},
		{KindPull, "merged", "yesterday", "", "is not an RFC 3339 time"},
		{KindPull, "merge_sha", "HEAD", "6bb224b79892b75c83bed51434d97aa992e38015", ""},
		{KindPull, "merge_sha", "", "", ""},
		{KindPull, "head_sha", "nope", "", "no such commit"},
		{KindPull, "draft", "TRUE", "true", ""},
		{KindPull, "draft", "maybe", "", "want true or false"},
		{KindPull, "author", "octocat\x1b[31m", "", "control character"},
		{KindPull, "source", "", "", "source is empty"},
		{KindPull, "id", "gh-pull-2", "", "is not amended"},
		{"release", "time", "2026-03-04T10:00:00Z", "", "want deployment, incident or pull"},
	} {
		got, err := CheckValue(tc.kind, tc.field, tc.value, commit)
		if tc.err == "" && (err != nil || got != tc.want) || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%s %s %q: %q, %v; want %q, %q", tc.kind, tc.field, tc.value, got, err, tc.want, tc.err)
		}
	}
}

// A correction is appended once (the same one again has the same id);
// recording an open incident again resolves it with a correction; a
// resolved one is left alone; a voided one is refused.
func TestTxCorrections(t *testing.T) {
	repo := newRepo(t)
	s := mustOpen(t, repo, "")
	ctx := context.Background()
	_, err := s.Update(ctx, "seed", WriteOptions{}, func(tx *Tx) error {
		for _, in := range []Incident{inc("i1", "2026-03-02T11:00:00Z", ""), inc("i2", "2026-03-02T11:00:00Z", "2026-03-02T12:00:00Z"), inc("i3", "2026-03-02T11:00:00Z", "")} {
			if _, err := tx.AppendIncident(in); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	void := corr("2026-03-09T09:00:00Z", KindIncident, "i3", FieldVoid, "")
	for range 2 {
		res, err := s.Update(ctx, "void", WriteOptions{}, func(tx *Tx) error {
			_, err := tx.AppendCorrection(void)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := refOf(t, repo, DefaultBranch); res.Changed && res.Commit != want {
			t.Errorf("commit %s, branch at %s", res.Commit, want)
		}
	}
	b, err := s.ReadFile(CorrectionFile(void.Time.Time))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), void.ID); n != 1 {
		t.Errorf("the void is %d times in:\n%s", n, b)
	}
	if !strings.HasPrefix(string(b), strings.Join(CorrectionHeader, ",")+"\n") {
		t.Errorf("no header:\n%s", b)
	}

	at, _ := ParseTime("2026-03-10T08:00:00Z")
	resolved, _ := ParseTime("2026-03-02T13:00:00Z")
	base := Correction{Time: at, Reason: "recorded again", Author: "ada"}
	for _, tc := range []struct {
		id      string
		added   bool
		wasOpen bool
		err     error
	}{
		{"i1", true, true, nil},
		{"i1", false, false, nil}, // resolved by the first
		{"i2", false, false, nil},
		{"i3", false, true, ErrVoided},
		{"i9", false, false, nil},
	} {
		var added bool
		var was Incident
		_, err := s.Update(ctx, "resolve", WriteOptions{}, func(tx *Tx) (err error) {
			added, was, err = tx.ResolveIncident(tc.id, resolved, base)
			return err
		})
		if !errors.Is(err, tc.err) || added != tc.added || (was.ID != "" && !was.Resolved.Valid) != tc.wasOpen {
			t.Errorf("resolve %s: added %v, was %+v, %v; want added %v, open %v, %v", tc.id, added, was, err, tc.added, tc.wasOpen, tc.err)
		}
	}
	cs, probs, err := s.Corrections()
	if err != nil || len(probs) > 0 || len(cs) != 2 {
		t.Fatalf("corrections %+v %v %v", cs, probs, err)
	}
	if c := cs[1]; c.Kind != KindIncident || c.Target != "i1" || c.Field != "resolved" || c.Value != "2026-03-02T13:00:00Z" || c.Author != "ada" {
		t.Errorf("the resolution is %+v", c)
	}
}

// At reads the data branch as it was at one of its commits, named by a
// hash or a revision, and is read-only; a commit that is not on the data
// branch, or a plain directory, is refused.
func TestStoreAt(t *testing.T) {
	repo := newRepo(t)
	s := mustOpen(t, repo, "")
	if _, err := s.Update(context.Background(), "one", WriteOptions{}, appendDeps(dep("d1", "2026-03-02T10:00:00Z"))); err != nil {
		t.Fatal(err)
	}
	first := refOf(t, repo, DefaultBranch)
	if _, err := s.Update(context.Background(), "two", WriteOptions{}, appendDeps(dep("d2", "2026-03-03T10:00:00Z"))); err != nil {
		t.Fatal(err)
	}
	for _, rev := range []string{first, first[:10], DefaultBranch + "~1"} {
		p := mustOpen(t, repo, "")
		if err := p.At(rev); err != nil {
			t.Fatalf("At(%s): %v", rev, err)
		}
		deps, _, err := p.Deployments()
		if err != nil || len(deps) != 1 || deps[0].ID != "d1" || p.Commit() != first || !p.Pinned() {
			t.Errorf("At(%s): %v %v, commit %s", rev, deps, err, p.Commit())
		}
		if _, err := p.Update(context.Background(), "x", WriteOptions{}, appendDeps(dep("d3", "2026-03-04T10:00:00Z"))); !errors.Is(err, ErrPinned) {
			t.Errorf("a write as of %s: %v, want ErrPinned", rev, err)
		}
	}
	code := refOf(t, repo, "main")
	for rev, want := range map[string]string{
		code:         "is not on the data branch dora-data",
		"main":       "is not on the data branch dora-data",
		"0123456789": "no such commit",
	} {
		if err := mustOpen(t, repo, "").At(rev); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("At(%s): %v, want %q", rev, err, want)
		}
	}
	if err := mustOpen(t, repo, t.TempDir()).At("HEAD"); err == nil || !strings.Contains(err.Error(), "plain directory") {
		t.Errorf("At on a directory: %v", err)
	}
}

// A correction made without --push, on a history the remote has moved
// past with corrections of its own, is merged row by row when it is
// pushed, as events are: both corrections reach the remote.
func TestPushMergesDivergedCorrections(t *testing.T) {
	remote := newRemote(t)
	a, b := clone(t, remote), clone(t, remote)
	pushDep(t, a, "d0")
	ctx := context.Background()
	write := func(repo string, push bool, c Correction) {
		t.Helper()
		_, err := mustOpen(t, repo, "").Update(ctx, "correct", WriteOptions{Push: push}, func(tx *Tx) error {
			_, err := tx.AppendCorrection(c)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	gitRun(t, b, "fetch", "-q", "origin", DefaultBranch+":"+DefaultBranch)
	write(b, true, corr("2026-03-09T09:00:00Z", KindDeployment, "d0", "status", "failure"))
	write(a, false, corr("2026-03-09T10:00:00Z", KindDeployment, "d0", "critical", "2"))
	write(a, true, corr("2026-03-09T11:00:00Z", KindDeployment, "d0", "high", "1"))
	cs, probs, err := mustOpen(t, ".", remote+"#"+DefaultBranch).Corrections()
	if err != nil || len(probs) > 0 {
		t.Fatal(probs, err)
	}
	var fields []string
	for _, c := range cs {
		fields = append(fields, c.Field)
	}
	if got := strings.Join(fields, " "); got != "status critical high" {
		t.Errorf("the remote's corrections: %s, want status critical high", got)
	}
}

// A correction is bounded as a recorded event is: a new value that
// gitdora record refuses (a time before 1970 or in the future, a year of
// seconds and more, more than MaxCount findings) is refused, and one
// stored anyway (by hand, or before it was checked) does not apply: an
// amended time of 9999 would stretch the site to it, as a recorded one
// would.
func TestCorrectionsAreBounded(t *testing.T) {
	defer func(f func() time.Time) { Now = f }(Now)
	Now = func() time.Time { return time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		kind, field, value, err string
	}{
		{KindDeployment, "time", "9999-12-31T00:00:00Z", "is in the future"},
		{KindDeployment, "time", "1969-07-20T20:17:00Z", "is before 1970"},
		{KindIncident, "opened", "2100-01-01T00:00:00Z", "is in the future"},
		{KindIncident, "resolved", "2100-01-01T00:00:00Z", "is in the future"},
		{KindDeployment, "scan_seconds", "1e308", "want a number of seconds from 0 to 31622400"},
		{KindDeployment, "pipeline_seconds", "31622401", "want a number of seconds from 0 to 31622400"},
		{KindDeployment, "critical", "1000000001", "want a count from 0 to 1000000000"},
	} {
		if got, err := CheckValue(tc.kind, tc.field, tc.value, nil); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s %s %q: %q, %v; want %q", tc.kind, tc.field, tc.value, got, err, tc.err)
		}
	}
	for _, ok := range []struct{ kind, field, value string }{
		{KindDeployment, "time", "2026-03-09T23:59:59Z"}, {KindDeployment, "scan_seconds", "31622400"}, {KindDeployment, "low", "1000000000"},
	} {
		if _, err := CheckValue(ok.kind, ok.field, ok.value, nil); err != nil {
			t.Errorf("%s %s %q: %v", ok.kind, ok.field, ok.value, err)
		}
	}
	deps := []Deployment{dep("d1", "2026-03-02T10:00:00Z")}
	incs := []Incident{inc("i1", "2026-03-02T11:00:00Z", "")}
	got := Correct(deps, incs, []Correction{
		corr("2026-03-09T09:00:00Z", KindDeployment, "d1", "time", "9999-12-31T00:00:00Z"),
		corr("2026-03-09T09:00:00Z", KindIncident, "i1", "resolved", "2100-01-01T00:00:00Z"),
	})
	if got.Deployments[0].Time.Year() != 2026 || got.Incidents[0].Resolved.Valid {
		t.Errorf("out-of-bounds amendments applied: %+v %+v", got.Deployments[0], got.Incidents[0])
	}
	for _, o := range got.Outcomes {
		if o.Applied || !strings.Contains(o.Problem, "is in the future") {
			t.Errorf("outcome %+v, want not applied: in the future", o)
		}
	}
}

// Pulls are bounded as the other events are: a time in the future, or an
// id that is not one line of text, is refused when appended and left out
// (and reported) when read.
func TestPullsAreBounded(t *testing.T) {
	defer func(f func() time.Time) { Now = f }(Now)
	Now = func() time.Time { return time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC) }
	future := pull("p2", "9999-12-01T10:00:00Z", "", "")
	badID := pull("p3\nSigned-off-by: x", "2026-03-02T10:00:00Z", "", "")
	dir := t.TempDir()
	s := mustOpen(t, "", dir)
	for _, p := range []Pull{future, badID} {
		if _, err := s.Update(context.Background(), "x", WriteOptions{}, func(tx *Tx) error { _, err := tx.AppendPull(p); return err }); err == nil {
			t.Errorf("AppendPull(%q opened %s) = nil, want it refused", p.ID, p.Opened)
		}
	}
	writeFiles(t, dir, map[string]string{PullFile(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)): strings.Join(PullHeader, ",") + "\n" +
		"p1,7,2026-03-02T10:00:00Z,,,,,,,,octocat,false,github-pulls\n" +
		"p2,7,9999-12-01T10:00:00Z,,,,,,,,octocat,false,github-pulls\n" +
		"\"p3\nx\",7,2026-03-02T10:00:00Z,,,,,,,,octocat,false,github-pulls\n"})
	pulls, probs, err := s.Pulls()
	if err != nil || len(pulls) != 1 || pulls[0].ID != "p1" || len(probs) != 2 {
		t.Errorf("Pulls = %+v, problems %v, %v; want p1 only, and two problems", pulls, probs, err)
	}
}
