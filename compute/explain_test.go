package compute

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
)

// explainFacts is March 2026 by hand: four production deployments (d2
// blocked, d4 failed by INC-1), five changes (one a bot's), one incident
// restored in 90 minutes.
func explainFacts() *fact.Facts {
	at := func(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, time.UTC) }
	scan := 360.0
	f := &fact.Facts{
		Deployments: []fact.Deployment{
			{ID: "d0", Time: at(1, 9), Status: fact.StatusSuccess, Production: true, Source: fact.SourceEvents},
			{ID: "d1", Time: at(2, 10), Status: fact.StatusSuccess, Production: true, Source: fact.SourceEvents, Baseline: true, ScanSeconds: &scan},
			{ID: "d2", Time: at(2, 15), Status: fact.StatusBlocked, Production: true, Source: fact.SourceEvents, Baseline: true},
			{ID: "d3", Time: at(9, 10), Status: fact.StatusSuccess, Production: true, Source: fact.SourceEvents, Baseline: true},
		},
		Changes: []fact.Change{
			{SHA: "c1", DeploymentID: "d1", LeadTime: 3 * time.Hour, Counted: fact.CountedYes},
			{SHA: "c2", DeploymentID: "d1", LeadTime: 1 * time.Hour, Counted: fact.CountedYes},
			{SHA: "c3", DeploymentID: "d3", LeadTime: 10 * time.Hour, Counted: fact.CountedYes},
			{SHA: "c4", DeploymentID: "d3", LeadTime: 2 * time.Hour, Counted: fact.CountedYes},
			{SHA: "c5", DeploymentID: "d3", LeadTime: 5 * time.Hour, Counted: fact.CountedBot, Author: "bot <b@x>"},
		},
	}
	resolved := at(9, 13).Add(30 * time.Minute)
	f.Incidents = []fact.Incident{{ID: "INC-1", Opened: at(9, 12), Resolved: &resolved, Severity: fact.SeverityHigh, Category: fact.CategorySecurity,
		Production: true, DeploymentID: "d3", Attribution: fact.AttrTime}}
	return f
}

func TestExplainByHand(t *testing.T) {
	h := NewHistory(explainFacts(), config.Default(), time.UTC)
	p := YearMonth{2026, time.March}.Period(time.UTC)
	m, x := h.Explained(p)
	ids := func(rows []Row) (out []string) {
		for _, r := range rows {
			switch {
			case r.Deployment != nil:
				out = append(out, r.Deployment.ID)
			case r.Change != nil:
				out = append(out, r.Change.SHA)
			case r.Incident != nil:
				out = append(out, r.Incident.ID)
			}
		}
		return out
	}
	for _, tc := range []struct {
		key    string
		value  float64
		rule   Rule
		rows   []string
		ranks  *Ranks
		values []float64
		in     []string
	}{
		{key: "deployment_frequency.total", value: 4, rule: RuleCount, rows: []string{"d0", "d1", "d2", "d3"}},
		{key: "deployment_frequency.blocked", value: 1, rule: RuleCount, rows: []string{"d2"}},
		{key: "deployment_frequency.block_rate", value: 0.25, rule: RuleRatio, rows: []string{"d0", "d1", "d2", "d3"}, in: []string{"d2"}},
		{key: "deployment_frequency.deploy_days", value: 3, rule: RuleDistinctDays, rows: []string{"d0", "d1", "d3"}},
		{key: "deployment_frequency.per_day", value: 3.0 / 31, rule: RulePerDay, rows: []string{"d0", "d1", "d3"}},
		// Lead times 1, 2, 3, 10 h: the median between ranks 2 and 3
		// halfway; the 95th at the virtual index 2.85.
		{key: "lead_time.p50_hours", value: 2.5, rule: RulePercentile, rows: []string{"c2", "c4", "c1", "c3"}, ranks: &Ranks{2, 3, 0.5}, values: []float64{1, 2, 3, 10}},
		{key: "lead_time.p95_hours", value: 3 + 0.85*7, rule: RulePercentile, rows: []string{"c2", "c4", "c1", "c3"}, ranks: &Ranks{3, 4, 0.85}},
		{key: "lead_time.mean_hours", value: 4, rule: RuleMean, rows: []string{"c2", "c4", "c1", "c3"}},
		{key: "lead_time.skipped_bots", value: 1, rule: RuleCount, rows: []string{"c5"}},
		// d1 scanned for 6 minutes: 10 % of c1's 3 h, 10 % of c2's 1 h.
		{key: "lead_time.scan_overhead_pct", value: (100.0*360/10800 + 100.0*360/3600) / 2, rule: RuleMean, rows: []string{"c1", "c2"}, values: []float64{100.0 * 360 / 10800, 10}},
		{key: "change_failure_rate.rate", value: 1.0 / 3, rule: RuleRatio, rows: []string{"d0", "d1", "d3"}, in: []string{"d3"}},
		{key: "change_failure_rate.security_related_failures", value: 1, rule: RuleCount, rows: []string{"d3"}},
		{key: "time_to_restore.p50_hours", value: 1.5, rule: RulePercentile, rows: []string{"INC-1"}, ranks: &Ranks{1, 1, 0}},
		{key: "rework_rate", value: 0, rule: RuleRatio, rows: []string{"d0", "d1", "d3"}},
	} {
		e, err := x.Of(tc.key)
		if err != nil {
			t.Errorf("%s: %v", tc.key, err)
			continue
		}
		if e.Value == nil || !close(*e.Value, tc.value) || e.Rule != tc.rule {
			t.Errorf("%s = %v by %s, want %v by %s", tc.key, deref(e.Value), e.Rule, tc.value, tc.rule)
		}
		if got := ids(e.Rows); !slices.Equal(got, tc.rows) {
			t.Errorf("%s: rows %v, want %v", tc.key, got, tc.rows)
		}
		if tc.ranks != nil && (e.Ranks == nil || e.Ranks.Lower != tc.ranks.Lower || e.Ranks.Upper != tc.ranks.Upper || !close(e.Ranks.Weight, tc.ranks.Weight)) {
			t.Errorf("%s: ranks %+v, want %+v", tc.key, e.Ranks, *tc.ranks)
		}
		if tc.values != nil {
			var vs []float64
			for _, r := range e.Rows {
				vs = append(vs, *r.Value)
			}
			if !slices.Equal(vs, tc.values) {
				t.Errorf("%s: values %v, want %v", tc.key, vs, tc.values)
			}
		}
		var in []string
		for _, r := range e.Rows {
			if r.In && r.Deployment != nil {
				in = append(in, r.Deployment.ID)
			}
		}
		if e.Rule == RuleRatio && !slices.Equal(in, tc.in) {
			t.Errorf("%s: numerator %v, want %v", tc.key, in, tc.in)
		}
	}
	if e, _ := x.Of("change_failure_rate.rate"); !slices.Equal(e.Rows[2].Deployment.Incidents, []string{"INC-1"}) || !e.Rows[2].Deployment.Security {
		t.Errorf("d3 lists incidents %v", e.Rows[2].Deployment.Incidents)
	}
	if e, _ := x.Of("lead_time.p50_hours"); e.Rows[0].Rank != 1 || e.Rows[3].Rank != 4 {
		t.Errorf("ranks of the rows: %d … %d", e.Rows[0].Rank, e.Rows[3].Rank)
	}
	// A null figure says why; a class names what it is taken from.
	e, _ := x.Of("vulnerabilities.mttr_hours.critical")
	if e.Value != nil || len(e.Rows) != 0 || e.Note == "" {
		t.Errorf("mttr critical: %v, %d rows, note %q", deref(e.Value), len(e.Rows), e.Note)
	}
	e, _ = x.Of("classification.lead_time")
	if e.Class == nil || *e.Class != Elite || len(e.Basis) != 1 || e.Basis[0].Key != "lead_time.p50_hours" || *e.Basis[0].Value != 2.5 || len(e.Rows) != 4 {
		t.Errorf("classification.lead_time: %+v", e)
	}
	var unknown *UnknownKeyError
	for _, k := range []string{"lead_time.p5", "period.days", "schema_version", "targets", "scans.by_tool..count"} {
		if _, err := x.Of(k); !errors.As(err, &unknown) {
			t.Errorf("%s: %v, want an UnknownKeyError", k, err)
		}
	}
	if keys := x.Keys(); !slices.Contains(keys, "lead_time.p95_hours") || slices.Contains(keys, "period.days") || !slices.Contains(keys, "classification.overall") {
		t.Errorf("keys %v", keys)
	}
	// The month computed with its rows is the month computed alone.
	a, _ := json.Marshal(m)
	b, _ := json.Marshal(h.Period(p))
	if string(a) != string(b) {
		t.Errorf("explained month %s\ndiffers from %s", a, b)
	}
}

func close(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

// Every metric of Metrics (the names targets and alert rules use) is a
// figure of the month's JSON under its key, and explain explains it: the
// summary links each to its rows.
func TestMetricKeys(t *testing.T) {
	h := NewHistory(explainFacts(), config.Default(), time.UTC)
	m, x := h.Explained(YearMonth{2026, time.March}.Period(time.UTC))
	for _, mt := range Metrics {
		key, ok := MetricKey(mt.Name)
		if !ok {
			t.Errorf("metric %s has no JSON key", mt.Name)
			continue
		}
		v, _, found := figureIn(&m, monthDoc(&m), key)
		if !found || deref(v) != deref(mt.Value(&m)) {
			t.Errorf("%s: the JSON's %s is %v, the metric %v", mt.Name, key, deref(v), deref(mt.Value(&m)))
		}
		if e, err := x.Of(key); err != nil || deref(e.Value) != deref(mt.Value(&m)) {
			t.Errorf("%s: explain %s: %v, %v", mt.Name, key, deref(e.Value), err)
		}
	}
	if len(metricKeys) != len(Metrics) {
		t.Errorf("metricKeys maps %d names, Metrics has %d", len(metricKeys), len(Metrics))
	}
}

// The records of a period corrections changed: each event once, by the
// time it was recorded with, voided when any applied correction voided it.
func TestCorrectedIn(t *testing.T) {
	march := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	cs := []fact.Correction{
		{Kind: "deployment", Target: "d1", Field: "status", Applied: true, EventTime: march},
		{Kind: "deployment", Target: "d1", Field: "high", Applied: true, EventTime: march},
		{Kind: "deployment", Target: "d2", Field: "status", Applied: true, EventTime: march},
		{Kind: "deployment", Target: "d2", Field: "void", Applied: true, EventTime: march},
		{Kind: "incident", Target: "d1", Field: "title", Applied: true, EventTime: march}, // another kind, the same id
		{Kind: "incident", Target: "i9", Field: "title", Applied: false, EventTime: march},
		{Kind: "incident", Target: "i2", Field: "title", Applied: true, EventTime: march.AddDate(0, 1, 0)},
	}
	amended, voided := correctedIn(cs, YearMonth{2026, time.March}.Period(time.UTC))
	if amended != 2 || voided != 1 {
		t.Errorf("amended %d, voided %d; want 2 and 1", amended, voided)
	}
}

// position agrees with Percentile: the value it points at, interpolated,
// is the percentile.
func TestPosition(t *testing.T) {
	vs := []float64{1, 2, 4, 8, 16, 32, 64}
	for _, p := range []float64{0, 10, 50, 95, 99, 100} {
		i, w := position(len(vs), p)
		got := vs[i]
		if i+1 < len(vs) {
			got += w * (vs[i+1] - vs[i])
		}
		if want := *Percentile(vs, p); !close(got, want) {
			t.Errorf("p%v: position (%d, %v) gives %v, Percentile %v", p, i, w, got, want)
		}
	}
}

// A list a percentile is taken over is put in order of value, rows of the
// same value in the order they were taken, and ranked from 1 (50 rows:
// more than a sort makes stable by chance).
func TestRowsSortedStably(t *testing.T) {
	vals := make([]float64, 50)
	var rows []Row
	var want []string
	for v := range 5 {
		for i := range vals {
			if i*7%5 == 4-v {
				want = append(want, fmt.Sprint("c", i))
			}
		}
	}
	for i := range vals {
		vals[i] = float64(4 - i*7%5)
		rows = append(rows, Row{Value: &vals[i], Change: &LeadRow{SHA: fmt.Sprint("c", i)}})
	}
	x := &Explained{lists: map[string][]Row{listChanges: rows}, sorted: map[string]bool{}}
	got := x.rows(specs["lead_time.p50_hours"])
	var order []string
	for i, r := range got {
		order = append(order, r.Change.SHA)
		if r.Rank != i+1 {
			t.Errorf("row %d (%s) ranked %d", i, r.Change.SHA, r.Rank)
		}
	}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Errorf("order\n%s\nwant\n%s", strings.Join(order, " "), strings.Join(want, " "))
	}
	// The list is sorted once: every figure over it sees the same rows.
	if again := x.rows(specs["lead_time.changes"]); &again[0] != &got[0] {
		t.Error("the list was sorted a second time")
	}
}
