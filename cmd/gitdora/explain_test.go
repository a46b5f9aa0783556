package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/cmd/gitdora/internal/demo"
	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/owasp"
)

// demoHistory writes the demo's twelve months and prepares their facts
// as compute reads them.
func demoHistory(t *testing.T) (string, *compute.History, []compute.YearMonth) {
	t.Helper()
	plan, err := demo.New(demo.Options{Months: 12, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "repo")
	if err := plan.Write(dir); err != nil {
		t.Fatal(err)
	}
	gather := func() (*collect.Options, *compute.History) {
		t.Helper()
		store, err := data.Open(dir, "")
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := store.Config("")
		if err != nil {
			t.Fatal(err)
		}
		o := collect.Options{RepoPath: dir, Store: store, Config: cfg, Loc: time.UTC}
		f, err := collect.Gather(o)
		if err != nil {
			t.Fatal(err)
		}
		return &o, compute.NewHistory(f, cfg, time.UTC)
	}
	o, h := gather()
	addPulls(t, o.Store, h.Facts)
	_, h = gather()
	var months []compute.YearMonth
	for _, m := range plan.Expect() {
		ym, err := compute.ParseYearMonth("month", m.Month)
		if err != nil {
			t.Fatal(err)
		}
		months = append(months, ym)
	}
	return dir, h, months
}

// addPulls writes pull requests, as gitdora import would, for a quarter
// of the counted changes of f: each the merge_sha of one (a squash merge
// that starts at the pull's first commit), with stages of varied
// lengths, some unknown (no review, a review while still a draft, no
// merge_sha); and one pull not merged, one of a commit never deployed.
func addPulls(t *testing.T, store *data.Store, f *fact.Facts) {
	t.Helper()
	at := func(tm time.Time) data.OptTime { return data.OptTime{Time: data.NewTime(tm.UTC()), Valid: true} }
	var pulls []data.Pull
	k := 0
	for _, c := range f.Changes {
		if c.Counted != fact.CountedYes {
			continue
		}
		if k++; k%4 != 0 {
			continue
		}
		n := int64(k / 4)
		opened := c.Authored.Add(-time.Duration(n%3+1) * time.Hour)
		p := data.Pull{ID: fmt.Sprintf("gh-pull-%d", 1000+n), Number: n, Opened: data.NewTime(opened.UTC()), Ready: at(opened),
			FirstCommit: at(c.Authored.Add(-time.Duration(n%5+1) * 7 * time.Hour)), Merged: at(c.Committed), MergeSHA: c.SHA,
			Author: "octocat", Source: "github-pulls"}
		switch {
		case n%4 == 1: // left draft later
			p.Ready = at(opened.Add(90 * time.Minute))
		case n%9 == 2: // reviewed while a draft: no pickup stage
			p.Ready = at(c.Committed.Add(-time.Minute))
		}
		if n%5 != 0 {
			p.FirstReview = at(opened.Add(time.Duration(n%6+2) * 20 * time.Minute))
			p.Approved = p.FirstReview
		}
		if n%7 == 3 {
			p.MergeSHA = ""
		}
		pulls = append(pulls, p)
	}
	if len(pulls) < 20 {
		t.Fatalf("%d pulls: the demo has too few counted changes", len(pulls))
	}
	last := pulls[len(pulls)-1]
	open, stray := last, last
	open.ID, open.Number, open.Merged, open.MergeSHA = "gh-pull-1", 1, data.OptTime{}, ""
	stray.ID, stray.Number, stray.MergeSHA = "gh-pull-2", 2, strings.Repeat("e", 40)
	pulls = append(pulls, open, stray)
	if _, err := store.Update(context.Background(), "pulls", data.WriteOptions{}, func(tx *data.Tx) error {
		for _, p := range pulls {
			if _, err := tx.AppendPull(p); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// monthKeys are the figures of a month's JSON (SPEC §5): every key whose
// value is a number or null, the classes, and the other figures whose
// value is a string (texts: deployment_frequency.source); the month's
// label, its period, the schema version and the lists (targets, alerts)
// are not figures.
func monthKeys(t *testing.T, m *compute.Month) (numbers, classes, texts []string) {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, sub := range x {
				walk(prefix+"."+k, sub)
			}
		case nil, json.Number, string:
			switch key := prefix[1:]; {
			case strings.HasPrefix(key, "classification."):
				classes = append(classes, key)
			case textKeys[key]:
				texts = append(texts, key)
			case x == nil || !isString(x):
				numbers = append(numbers, key)
			}
		}
	}
	walk("", doc)
	numbers = slices.DeleteFunc(numbers, func(k string) bool { return k == "schema_version" || strings.HasPrefix(k, "period.") })
	slices.Sort(numbers)
	slices.Sort(classes)
	slices.Sort(texts)
	return numbers, classes, texts
}

// textKeys are the figures whose value is a string (or null).
var textKeys = map[string]bool{"deployment_frequency.source": true}

func isString(v any) bool { _, ok := v.(string); return ok }

// figureOf is the number at key of the month's JSON (nil for null).
func figureOf(t *testing.T, m *compute.Month, key string) *float64 {
	t.Helper()
	b, _ := json.Marshal(m)
	var doc any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if rest, ok := strings.CutPrefix(key, "scans.by_tool."); ok {
		for tool, ts := range m.Scans.ByTool {
			switch rest {
			case tool + ".count":
				v := float64(ts.Count)
				return &v
			case tool + ".duration_p95_seconds":
				return ts.DurationP95Seconds
			}
		}
		t.Fatalf("no figure %s", key)
	}
	for _, part := range strings.Split(key, ".") {
		doc = doc.(map[string]any)[part]
	}
	if doc == nil {
		return nil
	}
	v, err := doc.(json.Number).Float64()
	if err != nil {
		t.Fatal(err)
	}
	return &v
}

func same(a, b *float64) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

func show(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(*v)
}

// For every figure of SPEC §5 over the demo's twelve months, the rows
// explain lists reproduce the figure exactly: their count, the distinct
// days, the count per day, the share of the numerator, their mean (in
// the order listed) and their percentile (Percentile over the values as
// listed, ascending), and a percentile's ranks and weight interpolate to
// it. Computing the rows changes no figure.
func TestExplainReproducesEveryFigure(t *testing.T) {
	if testing.Short() {
		t.Skip("writes the demo's year")
	}
	_, h, months := demoHistory(t)
	withRows := map[string]int{} // key → months whose explanation lists rows
	untracked := 0               // months whose change failure rate is null for want of incidents
	for _, pass := range []struct {
		name string
		h    *compute.History
	}{{"demo", h}, {"strict policy", strictPolicy(t, h)}} {
		for _, ym := range months {
			where := pass.name + " " + ym.String()
			p := ym.Period(time.UTC)
			m, x := pass.h.Explained(p)
			plain := pass.h.Period(p)
			a, _ := json.Marshal(m)
			b, _ := json.Marshal(plain)
			if !bytes.Equal(a, b) {
				t.Fatalf("%s: the month computed with its rows differs from the month computed alone", where)
			}
			numbers, classes, texts := monthKeys(t, &m)
			all := slices.Concat(numbers, classes, texts)
			for _, key := range all {
				e, err := x.Of(key)
				if err != nil {
					t.Errorf("%s %s: %v", where, key, err)
					continue
				}
				if e.Key != key || e.Month != ym.String() {
					t.Errorf("%s %s: explanation of %s %s", where, key, e.Key, e.Month)
				}
				if len(e.Rows) > 0 {
					withRows[key]++
				}
				checkExplanation(t, where, &m, e)
			}
			keys := slices.Clone(x.Keys())
			slices.Sort(keys)
			slices.Sort(all)
			if !slices.Equal(keys, all) {
				t.Errorf("%s: Keys lists %d figures, the month has %d numbers, %d classes and %d texts:\n%v\n%v", where, len(keys), len(numbers), len(classes), len(texts), keys, all)
			}
			// A figure null for want of incidents says so, though it has rows.
			if m.ChangeFailureRate.Rate == nil && m.ChangeFailureRate.Deployments > 0 {
				untracked++
				for _, key := range []string{"change_failure_rate.rate", "rework_rate", "time_to_restore.p50_hours", "classification.change_failure_rate"} {
					if e, _ := x.Of(key); !strings.Contains(e.Note, "no incident source covers this month (incidents are tracked from 2025-04") {
						t.Errorf("%s %s: null, with the note %q", where, key, e.Note)
					}
				}
			}
		}
	}
	if untracked == 0 {
		t.Error("no month is before incidents.since: the notes of null incident figures are not checked")
	}
	// The comparison means something only where there are rows.
	for _, key := range []string{
		"deployment_frequency.total", "deployment_frequency.blocked", "deployment_frequency.failed", "deployment_frequency.per_day",
		"deployment_frequency.deploy_days", "deployment_frequency.block_rate", "lead_time.p50_hours", "lead_time.p95_hours",
		"lead_time.mean_hours", "lead_time.scan_overhead_pct", "change_failure_rate.failed_deployments", "change_failure_rate.rate",
		"change_failure_rate.security_related_failures", "time_to_restore.p50_hours", "time_to_restore.mean_hours", "rework_rate",
		"vulnerabilities.mttr_hours.high", "vulnerabilities.fix_lead_time_p95_hours", "vulnerabilities.new.critical",
		"vulnerabilities.open_at_end.medium", "scans.duration_p95_seconds", "scans.by_tool.gitleaks.duration_p95_seconds",
		"classification.lead_time", "deployment_frequency.source",
		"vulnerabilities.sla.breached_open.high", "vulnerabilities.sla.breached_open.medium", "vulnerabilities.sla.breached_open.low",
		"vulnerabilities.sla.fixed_within_pct.critical", "vulnerabilities.sla.fixed_within_pct.high", "vulnerabilities.sla.fixed_within_pct.medium", "vulnerabilities.sla.fixed_within_pct.low",
		"vulnerabilities.accepted_risk.suppressed", "vulnerabilities.accepted_risk.exempted", "vulnerabilities.accepted_risk.expired", "vulnerabilities.accepted_risk.expiring_30d",
		"vulnerabilities.owasp_top10.2021.A01", "vulnerabilities.owasp_top10.2021.A03", "vulnerabilities.owasp_top10.2025.A05",
		"vulnerabilities.exposure.mean_hours.critical", "vulnerabilities.exposure.mean_hours.high", "vulnerabilities.exposure.mean_hours.medium", "vulnerabilities.exposure.mean_hours.low",
		"vulnerabilities.exposure.live_at_end.high", "vulnerabilities.exposure.live_at_end.medium", "vulnerabilities.exposure.live_at_end.low",
		"vulnerabilities.exposure.fix_to_production_p50_hours",
		"lead_time.squash_resolved", "cycle_time.pull_requests", "cycle_time.coding_p50_hours", "cycle_time.pickup_p50_hours",
		"cycle_time.review_p50_hours", "cycle_time.deploy_p50_hours",
	} {
		if withRows[key] == 0 {
			t.Errorf("%s: no month of the demo has rows behind it", key)
		}
	}
}

// strictPolicy is h's facts under a policy that makes the policy's
// figures other than zero in the demo's year: short SLAs, a path
// exempted, a rule exempted through June 15 (expired from June on) and
// one through September 20 (expiring within 30 days of August's end);
// and incidents tracked from April only.
func strictPolicy(t *testing.T, h *compute.History) *compute.History {
	t.Helper()
	cfg, err := config.Parse([]byte(`policy:
  sla: {critical: 1d, high: 2d, medium: 7d, low: 14d}
  exemptions:
    paths: ["src/mod15/**"]
    findings:
      - rule_id: go.lang.security.audit.xss.no-direct-write-to-responsewriter
        justification: output is escaped by the template layer
        expires: 2025-06-15
      - rule_id: go.lang.security.audit.unsafe.use-of-unsafe-block
        tool: semgrep oss
        justification: reviewed, the bounds are checked before
        approved_by: security-team
        expires: 2025-09-20
incidents:
  since: 2025-04
`), "gitdora.yml")
	if err != nil {
		t.Fatal(err)
	}
	s := *h.Config
	s.Policy = cfg.Policy
	s.Incidents.Since = cfg.Incidents.Since
	return compute.NewHistory(h.Facts, &s, h.Loc)
}

// checkExplanation recomputes e's figure from its rows, by its rule.
func checkExplanation(t *testing.T, month string, m *compute.Month, e compute.Explanation) {
	t.Helper()
	where := month + " " + e.Key
	var values []float64
	in := 0
	for i, r := range e.Rows {
		if r.Value != nil {
			values = append(values, *r.Value)
		}
		if r.In {
			in++
		}
		kinds := 0
		for _, set := range []bool{r.Deployment != nil, r.Change != nil, r.Incident != nil, r.Episode != nil, r.Scan != nil, r.Result != nil, r.Pull != nil} {
			if set {
				kinds++
			}
		}
		if kinds != 1 {
			t.Fatalf("%s: row %d is %d kinds of thing", where, i, kinds)
		}
	}
	if e.Rule == compute.RuleClass {
		var want *string
		switch e.Key {
		case "classification.deployment_frequency":
			want = m.Classification.DeploymentFrequency
		case "classification.lead_time":
			want = m.Classification.LeadTime
		case "classification.change_failure_rate":
			want = m.Classification.ChangeFailureRate
		case "classification.time_to_restore":
			want = m.Classification.TimeToRestore
		case "classification.overall":
			want = m.Classification.Overall
		}
		if (want == nil) != (e.Class == nil) || want != nil && *want != *e.Class {
			t.Errorf("%s: class %v, the month has %v", where, e.Class, want)
		}
		for _, b := range e.Basis {
			if !strings.HasPrefix(b.Key, "classification.") && !same(b.Value, figureOf(t, m, b.Key)) {
				t.Errorf("%s: basis %s = %s, the month has %s", where, b.Key, show(b.Value), show(figureOf(t, m, b.Key)))
			}
		}
		return
	}
	checkPolicyRows(t, where, m, e)
	checkCycleRows(t, where, m, e)
	if e.Rule == compute.RuleSource {
		checkSource(t, where, m, e)
		return
	}
	if want := figureOf(t, m, e.Key); !same(e.Value, want) {
		t.Fatalf("%s: explanation's value %s, the month's figure %s", where, show(e.Value), show(want))
	}
	if e.Value == nil {
		if len(e.Rows) > 0 && e.Note == "" {
			t.Errorf("%s: null with %d rows and no note saying why", where, len(e.Rows))
		}
		return
	}
	v := *e.Value
	var got float64
	switch e.Rule {
	case compute.RuleCount:
		got = float64(len(e.Rows))
	case compute.RuleDistinctDays:
		days := map[string]bool{}
		for _, r := range e.Rows {
			if d := r.Deployment.Time.In(time.UTC).Format("2006-01-02"); d != r.Deployment.Day {
				t.Errorf("%s: deployment %s on day %s, at %s", where, r.Deployment.ID, r.Deployment.Day, r.Deployment.Time)
			}
			days[r.Deployment.Day] = true
		}
		got = float64(len(days))
	case compute.RulePerDay:
		if e.Days != float64(m.Period.Days) {
			t.Errorf("%s: %v days, the period has %d", where, e.Days, m.Period.Days)
		}
		got = float64(len(e.Rows)) / e.Days
	case compute.RuleRatio:
		got = float64(in) / float64(len(e.Rows))
	case compute.RulePercent:
		got = 100 * float64(in) / float64(len(e.Rows))
	case compute.RuleMean:
		if len(values) != len(e.Rows) {
			t.Fatalf("%s: %d of %d rows have a value", where, len(values), len(e.Rows))
		}
		got = *compute.Mean(values)
	case compute.RulePercentile:
		if len(values) != len(e.Rows) {
			t.Fatalf("%s: %d of %d rows have a value", where, len(values), len(e.Rows))
		}
		if !slices.IsSorted(values) {
			t.Errorf("%s: the values are not listed ascending", where)
		}
		for i, r := range e.Rows {
			if r.Rank != i+1 {
				t.Errorf("%s: row %d has rank %d", where, i+1, r.Rank)
				break
			}
		}
		got = *compute.Percentile(values, e.P)
		r := e.Ranks
		if r == nil || r.Lower < 1 || r.Upper > len(values) || r.Upper < r.Lower || r.Upper-r.Lower > 1 || r.Weight < 0 || r.Weight >= 1 {
			t.Fatalf("%s: ranks %+v of %d values", where, r, len(values))
		}
		lo, hi := values[r.Lower-1], values[r.Upper-1]
		if w := lo + r.Weight*(hi-lo); math.Abs(w-v) > 1e-9*math.Max(1, math.Abs(v)) {
			t.Errorf("%s: ranks %d and %d with weight %v give %v, the figure is %v", where, r.Lower, r.Upper, r.Weight, w, v)
		}
		if want := float64(len(values)-1) * e.P / 100; math.Abs(float64(r.Lower-1)+r.Weight-want) > 1e-9 {
			t.Errorf("%s: ranks %+v, want the virtual index %v", where, r, want)
		}
	default:
		t.Fatalf("%s: rule %q", where, e.Rule)
	}
	if got != v {
		t.Errorf("%s = %v, its %d rows give %v by rule %s", where, v, len(e.Rows), got, e.Rule)
	}
}

// checkSource recomputes deployment_frequency.source from its rows: the
// source most of the deployments come from, the first to reach that
// number winning, unless deploy.source pins one.
func checkSource(t *testing.T, where string, m *compute.Month, e compute.Explanation) {
	t.Helper()
	want := m.DeploymentFrequency.Source
	if (want == nil) != (e.Text == nil) || want != nil && *want != *e.Text || e.Value != nil {
		t.Fatalf("%s: explanation's text %v, the month's %v", where, e.Text, want)
	}
	if strings.Contains(e.Note, "pins the source") {
		return
	}
	n := map[string]int{}
	best := ""
	for _, r := range e.Rows {
		s := string(r.Deployment.Source)
		n[s]++
		if best == "" || n[s] > n[best] {
			best = s
		}
	}
	if got := e.Text; best == "" && got != nil || best != "" && (got == nil || *got != best) {
		t.Errorf("%s = %v, its %d deployments give %q", where, got, len(e.Rows), best)
	}
}

// checkPolicyRows checks that each row of a security policy figure is
// what the figure says it counts (docs/metrics.md, "Security policy
// figures"): open at the month's end and past due, fixed within its due
// time, live at the end, exempt or no longer, mapped to the category,
// with the exposure or time to production it has.
func checkPolicyRows(t *testing.T, where string, m *compute.Month, e compute.Explanation) {
	t.Helper()
	end := m.Period.End
	day := end.Add(-time.Nanosecond).UTC().Format(time.DateOnly)
	open := func(ep *compute.Episode) bool {
		closed := ep.FixedAt
		if closed == nil {
			closed = ep.SuppressedAt
		}
		return !ep.FirstSeen.After(end) && (closed == nil || !closed.Before(end))
	}
	hoursOf := func(d time.Duration) float64 { return float64(d) / float64(time.Hour) }
	for i, r := range e.Rows {
		key := e.Key
		if strings.HasPrefix(key, "vulnerabilities.accepted_risk.suppressed") {
			if r.Result == nil || !r.Result.Observed.Before(end) {
				t.Fatalf("%s: row %d is not a suppressed result seen before the month's end: %+v", where, i, r)
			}
			continue
		}
		isPolicy := strings.HasPrefix(key, "vulnerabilities.sla.") || strings.HasPrefix(key, "vulnerabilities.accepted_risk.") ||
			strings.HasPrefix(key, "vulnerabilities.owasp_top10.") || strings.HasPrefix(key, "vulnerabilities.exposure.")
		if !isPolicy {
			if r.Policy != nil {
				t.Fatalf("%s: row %d carries policy details", where, i)
			}
			continue
		}
		ep, pol := r.Episode, r.Policy
		if ep == nil || pol == nil {
			t.Fatalf("%s: row %d is not a finding episode with its policy details", where, i)
		}
		if parts := strings.Split(key, "."); len(parts) == 4 && parts[1] != "owasp_top10" && parts[3] != string(ep.Severity) {
			t.Errorf("%s: row %d is of severity %s", where, i, ep.Severity)
		}
		bad := func(why string) {
			t.Helper()
			t.Errorf("%s: row %d (%s %s first seen %s) %s", where, i, ep.Tool, ep.RuleID, ep.FirstSeen, why)
		}
		ex := pol.Exemption
		switch {
		case strings.HasPrefix(key, "vulnerabilities.sla.breached_open."):
			if !open(ep) || pol.Due == nil || !pol.Due.Before(end) {
				bad(fmt.Sprintf("is not open past due (%v) at the end", pol.Due))
			}
		case strings.HasPrefix(key, "vulnerabilities.sla.fixed_within_pct."):
			if ep.FixedAt == nil || ep.FixedAt.Before(m.Period.Start) || !ep.FixedAt.Before(end) {
				bad("was not fixed in the month")
			} else if within := pol.Due != nil && !ep.FixedAt.After(*pol.Due); within != r.In {
				bad(fmt.Sprintf("fixed %s, due %v: within %v", ep.FixedAt, pol.Due, r.In))
			}
		case key == "vulnerabilities.accepted_risk.exempted", key == "vulnerabilities.accepted_risk.expiring_30d":
			if !open(ep) || ex == nil || ex.Path == "" && ex.Expires.String() < day {
				bad(fmt.Sprintf("is not open and exempt on %s: %+v", day, ex))
			} else if key == "vulnerabilities.accepted_risk.expiring_30d" {
				if last, _ := time.Parse(time.DateOnly, ex.Expires.String()); ex.Path != "" || last.Sub(end.Add(-time.Nanosecond).UTC().Truncate(24*time.Hour)) > 30*24*time.Hour {
					bad(fmt.Sprintf("is exempt beyond 30 days of %s: %+v", day, ex))
				}
			}
		case key == "vulnerabilities.accepted_risk.expired":
			if !open(ep) || ex == nil || ex.Path != "" || ex.Expires.String() >= day {
				bad(fmt.Sprintf("is not open and named by an exemption expired by %s: %+v", day, ex))
			}
		case strings.HasPrefix(key, "vulnerabilities.owasp_top10."):
			parts := strings.Split(key, ".")
			edition, id := parts[2], parts[3]
			mapped := false
			for _, c := range pol.CWEs {
				if n, ok := owasp.ParseCWE(c); ok {
					for _, cat := range owasp.Categories(edition, n) {
						mapped = mapped || cat.ID == id
					}
				}
			}
			if !open(ep) || !mapped {
				bad(fmt.Sprintf("is not open with a CWE of %s %s: %v", edition, id, pol.CWEs))
			}
		case strings.HasPrefix(key, "vulnerabilities.exposure.live_at_end."):
			if pol.LiveFrom == nil || !pol.LiveFrom.Before(end) || pol.LiveUntil != nil && pol.LiveUntil.Before(end) || pol.Shipped == nil {
				bad(fmt.Sprintf("is not live at the end: %v – %v", pol.LiveFrom, pol.LiveUntil))
			}
		case strings.HasPrefix(key, "vulnerabilities.exposure.mean_hours."):
			if pol.LiveFrom == nil || pol.LiveUntil == nil || pol.FixShipped == nil || !pol.FixShipped.Time.Equal(*pol.LiveUntil) ||
				pol.LiveUntil.Before(m.Period.Start) || !pol.LiveUntil.Before(end) || *r.Value != hoursOf(pol.LiveUntil.Sub(*pol.LiveFrom)) {
				bad(fmt.Sprintf("exposure %v: live %v – %v, fix shipped %+v", show(r.Value), pol.LiveFrom, pol.LiveUntil, pol.FixShipped))
			}
		case key == "vulnerabilities.exposure.fix_to_production_p50_hours":
			if ep.FixedAt == nil || pol.FixShipped == nil || pol.FixShipped.Time.Before(m.Period.Start) || !pol.FixShipped.Time.Before(end) ||
				*r.Value != max(0, hoursOf(pol.FixShipped.Time.Sub(*ep.FixedAt))) {
				bad(fmt.Sprintf("fix to production %v: fixed %v, shipped %+v", show(r.Value), ep.FixedAt, pol.FixShipped))
			}
		}
	}
}

// checkCycleRows checks that each row of a cycle-time figure is a pull
// request merged in the month, whose stage hours are the time between
// its stage's ends, and each row of lead_time.squash_resolved a counted
// change whose start came from a pull request.
func checkCycleRows(t *testing.T, where string, m *compute.Month, e compute.Explanation) {
	t.Helper()
	hours := func(from, to time.Time) float64 { return float64(to.Sub(from)) / float64(time.Hour) }
	for i, r := range e.Rows {
		switch {
		case e.Key == "lead_time.squash_resolved":
			if r.Change == nil || r.Change.StartedBy == "" || r.Change.Counted != "yes" || r.Change.Deployed.Before(m.Period.Start) || !r.Change.Deployed.Before(m.Period.End) {
				t.Fatalf("%s: row %d is not a counted change of the month started by its pull request: %+v", where, i, r.Change)
			}
		case strings.HasPrefix(e.Key, "cycle_time."):
			p := r.Pull
			if p == nil || p.Merged.Before(m.Period.Start) || !p.Merged.Before(m.Period.End) {
				t.Fatalf("%s: row %d is not a pull request merged in the month: %+v", where, i, p)
			}
			for _, st := range []struct {
				name     string
				v        *float64
				from, to time.Time
			}{{"coding", p.CodingHours, p.FirstCommit, p.Ready}, {"pickup", p.PickupHours, p.Ready, p.FirstReview},
				{"review", p.ReviewHours, p.FirstReview, p.Merged}, {"deploy", p.DeployHours, p.Merged, p.Deployed}} {
				known := !st.from.IsZero() && !st.to.IsZero() && !st.to.Before(st.from)
				if known != (st.v != nil) || known && *st.v != hours(st.from, st.to) {
					t.Errorf("%s: row %d (%s): %s %v hours, from %s to %s", where, i, p.ID, st.name, show(st.v), st.from, st.to)
				}
				if e.Key == "cycle_time."+st.name+"_p50_hours" && !same(r.Value, st.v) {
					t.Errorf("%s: row %d (%s) has the value %s, its %s stage %s", where, i, p.ID, show(r.Value), st.name, show(st.v))
				}
			}
		}
	}
}

// gitdora explain prints, in each format, the rows the figure was
// computed from, as compute explains them.
func TestExplainCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("writes the demo's year")
	}
	dir, h, _ := demoHistory(t)
	p := compute.YearMonth{Year: 2025, Month: time.June}.Period(time.UTC)
	want, err := compute.Explain(h, p, "lead_time.p95_hours")
	if err != nil {
		t.Fatal(err)
	}
	out, _ := run(t, "--repo", dir, "explain", "lead_time.p95_hours", "--month", "2025-06", "--format", "json")
	var got struct {
		Metric  string
		Value   *float64
		Rule    string
		Ranks   struct{ Lower, Upper int }
		Columns []string
		Rows    [][]any
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Metric != "lead_time.p95_hours" || !same(got.Value, want.Value) || got.Rule != "percentile" || len(got.Rows) != len(want.Rows) ||
		got.Ranks.Lower != want.Ranks.Lower || got.Ranks.Upper != want.Ranks.Upper {
		t.Fatalf("explain --format json: %s %v %s ranks %+v, %d rows; want %v, ranks %+v, %d rows", got.Metric, show(got.Value), got.Rule, got.Ranks, len(got.Rows), show(want.Value), *want.Ranks, len(want.Rows))
	}
	if i := slices.Index(got.Columns, "sha"); i < 0 || got.Rows[0][i] != want.Rows[0].Change.SHA {
		t.Errorf("columns %v, first row %v: want the sha %s first", got.Columns, got.Rows[0], want.Rows[0].Change.SHA)
	}
	csvOut, _ := run(t, "--repo", dir, "explain", "lead_time.p95_hours", "--month", "2025-06", "--format", "csv")
	if lines := strings.Count(csvOut, "\n"); lines != len(want.Rows)+1 {
		t.Errorf("--format csv: %d lines, want a header and %d rows", lines, len(want.Rows))
	}
	text, _ := run(t, "--repo", dir, "explain", "lead_time.p95_hours", "--month", "2025-06")
	if !strings.Contains(text, fmt.Sprintf("between ranks %d and %d of %d, weight", want.Ranks.Lower, want.Ranks.Upper, len(want.Rows))) {
		t.Errorf("text output lacks the ranks:\n%s", text[:min(len(text), 600)])
	}
	var stderr bytes.Buffer
	if code := Run([]string{"--repo", dir, "explain", "lead_time.p5", "--month", "2025-06"}, &bytes.Buffer{}, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), `"lead_time.p5" is not a figure of a month`) {
		t.Errorf("an unknown metric: exit %d, %s", code, stderr.String())
	}
}

// The site writes, for each month, the page of the rows behind its
// figures, rendered from the rows explain lists; the month's page links
// its headline figures to them.
func TestSiteExplainPages(t *testing.T) {
	if testing.Short() {
		t.Skip("writes the demo's year")
	}
	dir, h, months := demoHistory(t)
	out := filepath.Join(t.TempDir(), "site")
	run(t, "-q", "--repo", dir, "site", "--out", out)
	files := readTree(t, out)
	for _, ym := range months {
		name := "explain/" + ym.String() + ".html"
		page := string(files[name])
		if page == "" {
			t.Errorf("the site has no %s", name)
			continue
		}
		_, x := h.Explained(ym.Period(time.UTC))
		for _, key := range x.Keys() {
			if !strings.Contains(page, `id="`+key+`"`) {
				t.Errorf("%s has no anchor %s", name, key)
			}
		}
		e, err := x.Of("lead_time.changes")
		if err != nil {
			t.Fatal(err)
		}
		// The section of the counted changes lists each change once, by rank.
		start := strings.Index(page, `<section id="list-lead_time.changes">`)
		end := strings.Index(page[start:], "</section>")
		section := page[start : start+end]
		if n := strings.Count(section, "<tr><td>"); n != len(e.Rows) {
			t.Errorf("%s: %d rows of counted changes, explain lists %d", name, n, len(e.Rows))
		}
		for _, r := range e.Rows {
			if !strings.Contains(section, "<td>"+r.Change.SHA+"</td>") {
				t.Errorf("%s lacks change %s", name, r.Change.SHA)
				break
			}
		}
		month := string(files[ym.String()+".html"])
		for _, key := range []string{"lead_time.p50_hours", "change_failure_rate.rate", "deployment_frequency.per_day", "vulnerabilities.mttr_hours.high"} {
			if !strings.Contains(month, `href="`+name+"#"+key+`"`) {
				t.Errorf("%s.html does not link %s to its rows", ym, key)
			}
		}
	}
}

// A report rebuilt with --as-of the data commit it was built from is the
// same, byte for byte, however the data branch moved since; so are
// compute and explain.
func TestReportAsOf(t *testing.T) {
	if testing.Short() {
		t.Skip("writes the demo's year")
	}
	dir, _, _ := demoHistory(t)
	tmp := t.TempDir()
	report := func(out string, extra ...string) map[string][]byte {
		t.Helper()
		args := append([]string{"-q", "--repo", dir, "report", "--month", "2025-11", "--format", "markdown,html", "--out", filepath.Join(tmp, out)}, extra...)
		run(t, args...)
		return readTree(t, filepath.Join(tmp, out))
	}
	first := report("first")
	store, err := data.Open(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	published := store.Commit()
	computed, _ := run(t, "--repo", dir, "compute", "--month", "2025-11")
	explained, _ := run(t, "--repo", dir, "explain", "time_to_restore.mean_hours", "--month", "2025-11", "--format", "csv")

	run(t, "-q", "--repo", dir, "record", "incident", "--id", "LATE-1", "--opened", "2025-11-12T09:00:00Z", "--resolved", "2025-11-13T09:00:00Z", "--severity", "high")
	if now := report("now"); bytes.Equal(now["2025-11.md"], first["2025-11.md"]) {
		t.Fatal("an incident recorded in November did not change its report: the test proves nothing")
	}
	for _, rev := range []string{published, published[:12], "dora-data~1"} {
		again := report("as-of-"+rev[:6], "--as-of", rev)
		for _, name := range []string{"2025-11.md", "2025-11.html"} {
			if !bytes.Equal(again[name], first[name]) {
				t.Errorf("--as-of %s: %s differs from the report built at that commit", rev, name)
			}
		}
		if c, _ := run(t, "--repo", dir, "compute", "--month", "2025-11", "--as-of", rev); c != computed {
			t.Errorf("compute --as-of %s differs", rev)
		}
		if e, _ := run(t, "--repo", dir, "explain", "time_to_restore.mean_hours", "--month", "2025-11", "--format", "csv", "--as-of", rev); e != explained {
			t.Errorf("explain --as-of %s differs", rev)
		}
	}
	var stderr bytes.Buffer
	if code := Run([]string{"--repo", dir, "report", "--month", "2025-11", "--out", filepath.Join(tmp, "x"), "--as-of", published, "--commit"}, &bytes.Buffer{}, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "--as-of: a report rebuilt as of an earlier data commit is not committed") {
		t.Errorf("--as-of with --commit: exit %d, %s", code, stderr.String())
	}
	stderr.Reset()
	if code := Run([]string{"--repo", dir, "compute", "--month", "2025-11", "--as-of", "main"}, &bytes.Buffer{}, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "--as-of: main: commit") || !strings.Contains(stderr.String(), "is not on the data branch dora-data") {
		t.Errorf("--as-of a code commit: exit %d, %s", code, stderr.String())
	}
}
