package compute

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/gittest"
)

func history(t *testing.T, repo, dataDir, yaml string, loc *time.Location) *History {
	t.Helper()
	store, err := data.Open(repo, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse([]byte(yaml), "test.yml")
	if err != nil {
		t.Fatal(err)
	}
	f, err := collect.Gather(collect.Options{RepoPath: repo, Store: store, Config: cfg, Loc: loc})
	if err != nil {
		t.Fatal(err)
	}
	return NewHistory(f, cfg, loc)
}

func month(t *testing.T, h *History, name string) Month {
	t.Helper()
	p := monthPeriod(t, name, h.Loc)
	m := h.Period(p)
	// Metrics is Period without Detail.
	bare := m
	bare.Detail = nil
	if got := h.Metrics(p); !reflect.DeepEqual(got, bare) {
		t.Errorf("%s: Metrics = %+v\nwant Period without Detail = %+v", name, got, bare)
	}
	return m
}

// want compares a nullable metric with a hand-computed value (nil: null).
func want(t *testing.T, key string, got *float64, w any) {
	t.Helper()
	switch w := w.(type) {
	case nil:
		if got != nil {
			t.Errorf("%s = %v, want null", key, *got)
		}
	case float64:
		if got == nil || math.Abs(*got-w) > 1e-9 {
			t.Errorf("%s = %v, want %v", key, deref(got), w)
		}
	}
}

func wantInt(t *testing.T, key string, got, w int) {
	t.Helper()
	if got != w {
		t.Errorf("%s = %d, want %d", key, got, w)
	}
}

func wantClass(t *testing.T, key string, got *string, w string) {
	t.Helper()
	g := "null"
	if got != nil {
		g = *got
	}
	if g != w {
		t.Errorf("classification.%s = %s, want %s", key, g, w)
	}
}

// TestJanuary checks every DORA key of docs/metrics.md against values worked out
// by hand from the scenario's dates (see gittest.January).
func TestJanuary(t *testing.T) {
	j := gittest.NewJanuary(t)
	h := history(t, j.Repo.Dir, j.Data, "", time.UTC)
	m := month(t, h, "2026-01")

	df := m.DeploymentFrequency
	wantInt(t, "deployment_frequency.total", df.Total, 8) // D1-D8; E1 is staging
	wantInt(t, "deployment_frequency.successful", df.Successful, 6)
	wantInt(t, "deployment_frequency.blocked", df.Blocked, 1)
	wantInt(t, "deployment_frequency.failed", df.Failed, 1)
	want(t, "deployment_frequency.per_day", df.PerDay, 6.0/31)
	wantInt(t, "deployment_frequency.deploy_days", df.DeployDays, 5) // 2, 5, 7, 9, 10 January
	want(t, "deployment_frequency.block_rate", df.BlockRate, 1.0/8)

	// Counted lead times (h): C 47, F1 48, M1 24 (D2); X1 26, Y1 25, MX 24,
	// MY 23, O 2 (D4); S 25 (D7); T 3 (D8). Sorted: 2 3 23 24 24 25 25 26 47 48.
	lt := m.LeadTime
	wantInt(t, "lead_time.changes", lt.Changes, 10)
	want(t, "lead_time.p50_hours", lt.P50Hours, 24.5)               // index 4.5
	want(t, "lead_time.p95_hours", lt.P95Hours, 47.55)              // index 8.55: 47 + 0.55
	want(t, "lead_time.mean_hours", lt.MeanHours, 24.7)             // 247 / 10
	wantInt(t, "lead_time.skipped_negative", lt.SkippedNegative, 1) // R
	wantInt(t, "lead_time.skipped_bots", lt.SkippedBots, 1)         // the dependabot bump
	// Only D2 recorded scan seconds (360): 100·360 s over 47 h, 48 h, 24 h.
	want(t, "lead_time.scan_overhead_pct", lt.ScanOverheadPct, (100*360/(47*3600.0)+100*360/(48*3600.0)+100*360/(24*3600.0))/3)

	cfr := m.ChangeFailureRate
	wantInt(t, "change_failure_rate.deployments", cfr.Deployments, 6)
	wantInt(t, "change_failure_rate.failed_deployments", cfr.FailedDeployments, 2) // D2 (I1), D4 (I2, I3)
	want(t, "change_failure_rate.rate", cfr.Rate, 2.0/6)
	wantInt(t, "change_failure_rate.security_related_failures", cfr.SecurityRelatedFailures, 1) // I1

	// Production incidents resolved in January: I1 6 h, I2 1 h, I3 1 h,
	// I5 2 h (unattributed, still restored); I4 was staging.
	ttr := m.TimeToRestore
	wantInt(t, "time_to_restore.incidents", ttr.Incidents, 4)
	want(t, "time_to_restore.mean_hours", ttr.MeanHours, 2.5)
	want(t, "time_to_restore.p50_hours", ttr.P50Hours, 1.5)

	// D8 ships a revert, D3 the fix of I1: 2 of 6.
	want(t, "rework_rate", m.ReworkRate, 2.0/6)

	c := m.Classification
	wantClass(t, "deployment_frequency", c.DeploymentFrequency, High) // 5·7/31 = 1.13 deploy days a week
	wantClass(t, "lead_time", c.LeadTime, High)                       // 24.5 h
	wantClass(t, "change_failure_rate", c.ChangeFailureRate, Low)     // 33 %
	wantClass(t, "time_to_restore", c.TimeToRestore, High)            // 1.5 h
	wantClass(t, "overall", c.Overall, Low)

	targets := map[string]TargetResult{}
	for _, tr := range m.Targets {
		targets[tr.Metric] = tr
	}
	for name, met := range map[string]bool{"deployments_per_day": false, "lead_time_p50_hours": false, "lead_time_p95_hours": false, "scan_overhead_pct": true, "change_failure_rate": false} {
		tr, ok := targets[name]
		if !ok || tr.Met == nil || *tr.Met != met {
			t.Errorf("target %s = %+v, want met %v", name, tr, met)
		}
	}
	if m.Targets[0].Metric != "deployments_per_day" || m.Targets[0].Op != ">" || m.Targets[0].Target != 1 {
		t.Errorf("targets[0] = %+v, want deployments_per_day > 1 first (the order of Metrics)", m.Targets[0])
	}

	d := m.Detail
	if len(d.LeadTimeHours) != 10 || d.LeadTimeHours[0] != 2 || d.LeadTimeHours[9] != 48 {
		t.Errorf("Detail.LeadTimeHours = %v", d.LeadTimeHours)
	}
	if d.DeploymentSource != fact.SourceEvents {
		t.Errorf("Detail.DeploymentSource = %q", d.DeploymentSource)
	}
	// The five slowest counted changes, slowest first: the top of LeadTimeHours.
	if len(d.SlowChanges) != 5 {
		t.Fatalf("Detail.SlowChanges = %+v, want 5", d.SlowChanges)
	}
	for i, c := range d.SlowChanges {
		if w := d.LeadTimeHours[len(d.LeadTimeHours)-1-i]; c.LeadTimeHours != w || len(c.SHA) != 40 || c.Subject == "" || c.DeploymentID == "" {
			t.Errorf("Detail.SlowChanges[%d] = %+v, want lead time %v with sha, subject and deployment", i, c, w)
		}
	}
	var weeks []int
	for _, w := range d.Weeks {
		weeks = append(weeks, w.Deployments, w.Failed)
	}
	// Weeks from Monday 29 Dec: D1 | D2 D3 D4 D7 D8 (D2, D4 failed) | - | - | -
	if want := []int{1, 0, 5, 2, 0, 0, 0, 0, 0, 0}; !equalInts(weeks, want) {
		t.Errorf("Detail.Weeks deployments/failed = %v, want %v", weeks, want)
	}
	if len(d.Incidents) != 4 {
		t.Errorf("Detail.Incidents = %+v, want the 4 production incidents", d.Incidents)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Months around January: before any deployment there is no data (null);
// after, a month without deployments has a frequency of zero.
func TestMonthsWithoutDeployments(t *testing.T) {
	j := gittest.NewJanuary(t)
	h := history(t, j.Repo.Dir, j.Data, "", time.UTC)
	dec := month(t, h, "2025-12")
	want(t, "2025-12 per_day", dec.DeploymentFrequency.PerDay, nil)
	want(t, "2025-12 block_rate", dec.DeploymentFrequency.BlockRate, nil)
	wantClass(t, "deployment_frequency (2025-12)", dec.Classification.DeploymentFrequency, "null")
	wantClass(t, "overall (2025-12)", dec.Classification.Overall, "null")
	feb := month(t, h, "2026-02")
	want(t, "2026-02 per_day", feb.DeploymentFrequency.PerDay, 0.0)
	want(t, "2026-02 lead_time.p50_hours", feb.LeadTime.P50Hours, nil)
	want(t, "2026-02 change_failure_rate.rate", feb.ChangeFailureRate.Rate, nil)
	want(t, "2026-02 rework_rate", feb.ReworkRate, nil)
	want(t, "2026-02 time_to_restore.p50_hours", feb.TimeToRestore.P50Hours, nil)
	want(t, "2026-02 scan_overhead_pct", feb.LeadTime.ScanOverheadPct, nil)
	wantClass(t, "deployment_frequency (2026-02)", feb.Classification.DeploymentFrequency, Low)
	wantClass(t, "overall (2026-02)", feb.Classification.Overall, Low)
	b, _ := json.Marshal(feb)
	for _, key := range []string{`"p50_hours":null`, `"rate":null`, `"rework_rate":null`} {
		if !bytes.Contains(b, []byte(key)) {
			t.Errorf("JSON lacks %s: %s", key, b)
		}
	}
}

func TestJanuaryOptions(t *testing.T) {
	j := gittest.NewJanuary(t)
	// Revert incidents: T reverts C (shipped by D2 on 5 Jan 09:00, reverted
	// by D8 on 10 Jan 12:00): one more restore of 123 h.
	m := month(t, history(t, j.Repo.Dir, j.Data, "incidents:\n  from_reverts: true\n", time.UTC), "2026-01")
	wantInt(t, "time_to_restore.incidents", m.TimeToRestore.Incidents, 5)
	want(t, "time_to_restore.mean_hours", m.TimeToRestore.MeanHours, (6+1+1+2+123)/5.0)
	want(t, "time_to_restore.p50_hours", m.TimeToRestore.P50Hours, 2)
	wantInt(t, "change_failure_rate.failed_deployments", m.ChangeFailureRate.FailedDeployments, 2) // D2 already failed

	// Committer dates and the first deployment included: R counts 1 h,
	// A 27 h and B 3 h join: 13 changes.
	m = month(t, history(t, j.Repo.Dir, j.Data, "lead_time:\n  start: committer\n  first_deployment: include\n", time.UTC), "2026-01")
	wantInt(t, "lead_time.changes", m.LeadTime.Changes, 13)
	wantInt(t, "lead_time.skipped_negative", m.LeadTime.SkippedNegative, 0)
	want(t, "lead_time.mean_hours", m.LeadTime.MeanHours, (247+1+27+3)/13.0)

	// dora-2021: a CFR of 33 % is still low, lead time 24.5 h high.
	m = month(t, history(t, j.Repo.Dir, j.Data, "classification:\n  benchmark: dora-2021\n", time.UTC), "2026-01")
	wantClass(t, "lead_time (2021)", m.Classification.LeadTime, High)
	wantClass(t, "change_failure_rate (2021)", m.Classification.ChangeFailureRate, Low)
}

// A deployment at 23:30 UTC on 31 January belongs to January in UTC and
// to February in Europe/Berlin (00:30 on 1 February), with its change.
func TestMonthsInTZ(t *testing.T) {
	tg := gittest.NewTags(t)
	utc := history(t, tg.Repo.Dir, tg.Data, "", time.UTC)
	jan, feb := month(t, utc, "2026-01"), month(t, utc, "2026-02")
	wantInt(t, "UTC January successful", jan.DeploymentFrequency.Successful, 2) // v1.0.0, v1.1.0
	wantInt(t, "UTC January changes", jan.LeadTime.Changes, 1)                  // P2, 3.5 h (v1.0.0 is the first)
	want(t, "UTC January lead_time.p50_hours", jan.LeadTime.P50Hours, 3.5)
	wantInt(t, "UTC February successful", feb.DeploymentFrequency.Successful, 1) // v1.2.0
	want(t, "UTC February lead_time.p50_hours", feb.LeadTime.P50Hours, 60)       // P3 120 h, P4 0 h

	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	h := history(t, tg.Repo.Dir, tg.Data, "", berlin)
	jan, feb = month(t, h, "2026-01"), month(t, h, "2026-02")
	wantInt(t, "Berlin January successful", jan.DeploymentFrequency.Successful, 1)
	wantInt(t, "Berlin January changes", jan.LeadTime.Changes, 0)
	want(t, "Berlin January lead_time.p50_hours", jan.LeadTime.P50Hours, nil)
	wantInt(t, "Berlin February successful", feb.DeploymentFrequency.Successful, 2)
	wantInt(t, "Berlin February deploy_days", feb.DeploymentFrequency.DeployDays, 2) // 1 and 10 February
	want(t, "Berlin February per_day", feb.DeploymentFrequency.PerDay, 2.0/28)
	wantInt(t, "Berlin February changes", feb.LeadTime.Changes, 3)
	want(t, "Berlin February lead_time.p50_hours", feb.LeadTime.P50Hours, 3.5) // 0, 3.5, 120
	if s := feb.Period.Start.Format(time.RFC3339); s != "2026-02-01T00:00:00+01:00" {
		t.Errorf("period.start = %s", s)
	}
	mar := month(t, h, "2026-03")
	wantInt(t, "March successful", mar.DeploymentFrequency.Successful, 1) // ev1; v1.3.0 is outranked
	if mar.Detail.DeploymentSource != fact.SourceEvents || feb.Detail.DeploymentSource != fact.SourceTags {
		t.Errorf("sources: February %q, March %q", feb.Detail.DeploymentSource, mar.Detail.DeploymentSource)
	}
}

// The same facts give byte-identical JSON.
func TestSameInputsSameBytes(t *testing.T) {
	j := gittest.NewJanuary(t)
	var out [2][]byte
	for i := range out {
		h := history(t, j.Repo.Dir, j.Data, "incidents:\n  from_reverts: true\n", time.UTC)
		var ms []Month
		for _, n := range []string{"2025-12", "2026-01", "2026-02"} {
			ms = append(ms, month(t, h, n))
		}
		out[i], _ = json.Marshal(ms)
	}
	if !bytes.Equal(out[0], out[1]) {
		t.Error("two runs over the same inputs gave different JSON")
	}
}

// deployment_frequency.source is the source a month's deployments came
// from: the pinned one for every month, else the one chosen for the month,
// null without any. A month where a source passed over holds more says so.
func TestDeploymentSourceOfMonth(t *testing.T) {
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	f := &fact.Facts{
		Deployments: []fact.Deployment{
			{ID: "e1", Source: fact.SourceEvents, Time: at("2024-05-21T10:00:00Z"), Production: true, Status: fact.StatusSuccess},
			{ID: "v1", Source: fact.SourceTags, Time: at("2024-06-02T10:00:00Z"), Production: true, Status: fact.StatusSuccess},
		},
		Sources: []fact.SourceMonth{
			{Month: "2024-05", Used: fact.SourceEvents, Counts: map[fact.Source]int{fact.SourceEvents: 1, fact.SourceTags: 3}},
			{Month: "2024-06", Used: fact.SourceTags, Counts: map[fact.Source]int{fact.SourceTags: 1}},
		},
	}
	for _, tc := range []struct {
		pin                string
		may, june, july    string
		mayWarnings, other int
	}{
		{"auto", "events", "tags", "null", 1, 0},
		{"tags", "tags", "tags", "tags", 0, 0},
	} {
		cfg := config.Default()
		cfg.Deploy.Source = tc.pin
		h := NewHistory(f, cfg, time.UTC)
		for _, c := range []struct{ month, want string }{{"2024-05", tc.may}, {"2024-06", tc.june}, {"2024-07", tc.july}} {
			m := month(t, h, c.month)
			got := "null"
			if m.DeploymentFrequency.Source != nil {
				got = *m.DeploymentFrequency.Source
			}
			if got != c.want {
				t.Errorf("%s, %s: source %s, want %s", tc.pin, c.month, got, c.want)
			}
			n := len(m.Detail.Warnings)
			if w := tc.other; c.month == "2024-05" && n != tc.mayWarnings || c.month != "2024-05" && n != w {
				t.Errorf("%s, %s: warnings %q", tc.pin, c.month, m.Detail.Warnings)
			}
		}
	}
	m := month(t, NewHistory(f, config.Default(), time.UTC), "2024-05")
	w := "Deployments this month come from deployment events (1), but tags hold more (3): the figures use deployment events."
	if len(m.Detail.Warnings) != 1 || !bytes.HasPrefix([]byte(m.Detail.Warnings[0]), []byte(w)) {
		t.Errorf("warnings %q, want %q", m.Detail.Warnings, w)
	}
	b, _ := json.Marshal(m)
	if !bytes.Contains(b, []byte(`"block_rate":0,"source":"events"}`)) {
		t.Errorf("JSON has no deployment_frequency.source: %s", b)
	}
}

// No incident data is not zero failures: before incidents.since (default:
// the month of the first production incident; every month with
// from_reverts) change failure rate, time to restore, rework rate and
// their classes are null.
func TestChangeFailureRateNullBeforeIncidentsSince(t *testing.T) {
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	resolved := at("2026-02-10T12:00:00Z")
	base := fact.Facts{
		Deployments: []fact.Deployment{
			{ID: "jan", Source: fact.SourceEvents, Time: at("2026-01-10T10:00:00Z"), Production: true, Status: fact.StatusSuccess},
			{ID: "feb", Source: fact.SourceEvents, Time: at("2026-02-10T10:00:00Z"), Production: true, Status: fact.StatusSuccess},
			{ID: "mar", Source: fact.SourceEvents, Time: at("2026-03-10T10:00:00Z"), Production: true, Status: fact.StatusSuccess},
		},
		Incidents: []fact.Incident{
			{ID: "i1", Opened: at("2026-02-10T11:00:00Z"), Resolved: &resolved, Production: true, DeploymentID: "feb", Attribution: fact.AttrDeployment},
			{ID: "stg", Opened: at("2026-01-12T11:00:00Z"), Production: false}, // staging: tracks nothing
		},
	}
	type exp struct {
		rate, ttr, rework any    // nil: null
		class             string // classification.change_failure_rate
		untracked         bool
	}
	null := exp{nil, nil, nil, "null", true}
	// Nothing ships a fix (no FixedBy): rework is 0 where tracked.
	ok := func(rate float64, ttr any) exp {
		return exp{rate, ttr, 0.0, map[bool]string{true: "elite", false: "low"}[rate == 0], false}
	}
	for _, tc := range []struct {
		name      string
		yaml      string
		incidents []fact.Incident
		jan, feb  exp
		mar       exp
	}{
		{"since the first incident", "", base.Incidents, null, ok(1, 1.0), ok(0, nil)},
		{"since set later", "incidents:\n  since: 2026-03\n", base.Incidents, null, null, ok(0, nil)},
		{"since set earlier", "incidents:\n  since: 2026-01\n", base.Incidents, ok(0, nil), ok(1, 1.0), ok(0, nil)},
		{"from reverts: every month", "incidents:\n  from_reverts: true\n", base.Incidents, ok(0, nil), ok(1, 1.0), ok(0, nil)},
		{"no incident recorded", "", nil, null, null, null},
	} {
		f := base
		f.Incidents = tc.incidents
		cfg, err := config.Parse([]byte(tc.yaml), "x.yml")
		if err != nil {
			t.Fatal(err)
		}
		h := NewHistory(&f, cfg, time.UTC)
		for _, c := range []struct {
			month string
			w     exp
		}{{"2026-01", tc.jan}, {"2026-02", tc.feb}, {"2026-03", tc.mar}} {
			m := month(t, h, c.month)
			key := tc.name + ", " + c.month + ": "
			want(t, key+"change_failure_rate.rate", m.ChangeFailureRate.Rate, c.w.rate)
			want(t, key+"time_to_restore.p50_hours", m.TimeToRestore.P50Hours, c.w.ttr)
			want(t, key+"rework_rate", m.ReworkRate, c.w.rework)
			wantClass(t, key+"change_failure_rate", m.Classification.ChangeFailureRate, c.w.class)
			if m.Detail.IncidentsUntracked != c.w.untracked {
				t.Errorf("%suntracked %v, want %v", key, m.Detail.IncidentsUntracked, c.w.untracked)
			}
			if mt, _ := LookupMetric("change_failure_rate"); c.w.rate == nil && mt.Value(&m) != nil {
				t.Errorf("%sthe change_failure_rate alerts and targets see has a value", key)
			}
		}
	}
}
