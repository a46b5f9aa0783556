package render

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/compute/alert"
	"github.com/gitdora/gitdora/config"
)

// firing builds a Result by hand: rules as in a rules file, each firing
// since the given day with the given operand values.
func alertResultOf(t *testing.T, src string, since map[string]string, values map[string][]*float64) alert.Result {
	t.Helper()
	rules, err := alert.CompileFile([]byte(src), "rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)
	res := alert.Result{At: day.AddDate(0, 0, 1), Day: day, End: day.AddDate(0, 0, 1), Rules: len(rules), Firing: []alert.Firing{}}
	for i := range rules {
		r := &rules[i]
		s, ok := since[r.Name]
		if !ok {
			continue
		}
		d, _ := time.Parse("2006-01-02", s)
		f := alert.Firing{Rule: r, Since: d, Days: int(day.Sub(d)/alert.Day) + 1}
		for j, c := range config.Compares(r.Cond) {
			f.Values = append(f.Values, alert.Value{Operand: c.Operand, Value: values[r.Name][j]})
		}
		res.Firing = append(res.Firing, f)
	}
	return res
}

func alertFP(x float64) *float64 { return &x }

const testRules = `alerts:
  - name: DORA_ChangeFailureRateHigh
    condition: change_failure_rate > 0.15
    for: 7d
    severity: critical
    message: "Change failure rate above 15 % <b>&</b> | rising"
  - name: DORA_ScanTimeRegression
    condition: change_pct(scan_duration_p95_seconds, 7d) > 20 or open_critical > 0
    window: 1d
    for: 1d
    message: "Scan p95 grew: 100%, 50%
      or more"
  - name: Quiet
    condition: open_low > 100
    for: 3d
`

func alertTestResult(t *testing.T) alert.Result {
	return alertResultOf(t, testRules,
		map[string]string{"DORA_ChangeFailureRateHigh": "2026-03-02", "DORA_ScanTimeRegression": "2026-03-15"},
		map[string][]*float64{"DORA_ChangeFailureRateHigh": {alertFP(0.2222222)}, "DORA_ScanTimeRegression": {alertFP(31.25), nil}})
}

func TestAlertText(t *testing.T) {
	got := AlertText(alertTestResult(t))
	want := `2 alerts firing as of the end of 2026-03-15 (UTC); 3 rules evaluated.

CRITICAL  DORA_ChangeFailureRateHigh  since 2026-03-02 (14 days)
          Change failure rate above 15 % <b>&</b> | rising
          change_failure_rate = 0.2222 (rule: change_failure_rate > 0.15 for 7d)

WARNING   DORA_ScanTimeRegression  since 2026-03-15 (1 day)
          Scan p95 grew: 100%, 50% or more
          change_pct(scan_duration_p95_seconds, 7d) = 31.25 %, open_critical = n/a (rule: change_pct(scan_duration_p95_seconds, 7d) > 20 or open_critical > 0 for 1d)
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	none := alertResultOf(t, testRules, nil, nil)
	if got := AlertText(none); got != "No alert firing as of the end of 2026-03-15 (UTC); 3 rules evaluated.\n" {
		t.Errorf("no alerts: %q", got)
	}
}

func TestAlertJSON(t *testing.T) {
	b, err := AlertJSON(alertTestResult(t))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		AsOf   string `json:"as_of"`
		End    string `json:"evaluated_at"`
		Rules  int    `json:"rules"`
		Alerts []map[string]any
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"condition": "change_failure_rate > 0.15"`) {
		t.Errorf("conditions are not readable in the JSON:\n%s", b)
	}
	if doc.AsOf != "2026-03-15" || doc.End != "2026-03-16T00:00:00Z" || doc.Rules != 3 || len(doc.Alerts) != 2 {
		t.Fatalf("doc %+v", doc)
	}
	a := doc.Alerts[1]
	want := map[string]any{"name": "DORA_ScanTimeRegression", "severity": "warning", "since": "2026-03-15", "days": 1.0,
		"for": "1d", "window": "1d", "condition": "change_pct(scan_duration_p95_seconds, 7d) > 20 or open_critical > 0",
		"message": "Scan p95 grew: 100%, 50% or more"}
	for k, w := range want {
		if a[k] != w {
			t.Errorf("%s = %v, want %v", k, a[k], w)
		}
	}
	if fmt.Sprint(a["values"]) != "[map[operand:change_pct(scan_duration_p95_seconds, 7d) value:31.25] map[operand:open_critical value:<nil>]]" {
		t.Errorf("values %v", a["values"])
	}
	// No alert is an empty list, not null.
	b, _ = AlertJSON(alertResultOf(t, testRules, nil, nil))
	if !strings.Contains(string(b), `"alerts": []`) {
		t.Errorf("no alerts: %s", b)
	}
}

func TestAlertSlack(t *testing.T) {
	b, err := AlertSlack(alertTestResult(t))
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Text   string
		Blocks []struct {
			Type     string
			Text     *struct{ Type, Text string }
			Elements []struct{ Type, Text string }
		}
	}
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	if p.Text != "gitdora: 2 alerts firing (1 critical, 1 warning) as of the end of 2026-03-15 (UTC)" {
		t.Errorf("text %q", p.Text)
	}
	if len(p.Blocks) != 4 || p.Blocks[0].Type != "header" || p.Blocks[0].Text.Type != "plain_text" ||
		p.Blocks[1].Type != "section" || p.Blocks[1].Text.Type != "mrkdwn" || p.Blocks[3].Type != "context" {
		t.Fatalf("blocks %s", b)
	}
	sec := p.Blocks[1].Text.Text
	for _, w := range []string{":red_circle: *critical*", "`DORA_ChangeFailureRateHigh`", "since 2026-03-02", "&lt;b&gt;&amp;&lt;/b&gt;", "`change_failure_rate = 0.2222`"} {
		if !strings.Contains(sec, w) {
			t.Errorf("section %q lacks %q", sec, w)
		}
	}
	if strings.Contains(sec, "<b>") {
		t.Errorf("section not escaped: %q", sec)
	}

	// Many alerts stay within Slack's 50 blocks and say how many are left out.
	var src strings.Builder
	src.WriteString("alerts:\n")
	since := map[string]string{}
	vals := map[string][]*float64{}
	for i := range 60 {
		name := fmt.Sprintf("R%02d", i)
		fmt.Fprintf(&src, "  - name: %s\n    condition: open_low > 1\n    for: 1d\n", name)
		since[name] = "2026-03-15"
		vals[name] = []*float64{alertFP(2)}
	}
	b, _ = AlertSlack(alertResultOf(t, src.String(), since, vals))
	json.Unmarshal(b, &p)
	if len(p.Blocks) != 50 || !strings.Contains(p.Blocks[48].Text.Text, "and 13 more") {
		t.Errorf("60 alerts: %d blocks, last section %+v", len(p.Blocks), p.Blocks[48].Text)
	}
}

func TestAlertAnnotationsAndSummary(t *testing.T) {
	got := AlertAnnotations(alertTestResult(t))
	want := "::error title=gitdora alert DORA_ChangeFailureRateHigh::Change failure rate above 15 %25 <b>&</b> | rising (since 2026-03-02; change_failure_rate = 0.2222)\n" +
		"::warning title=gitdora alert DORA_ScanTimeRegression::Scan p95 grew: 100%25, 50%25 or more (since 2026-03-15; change_pct(scan_duration_p95_seconds, 7d) = 31.25 %25, open_critical = n/a)\n"
	if got != want {
		t.Errorf("annotations:\n%s\nwant\n%s", got, want)
	}

	sum := AlertSummary(alertTestResult(t))
	for _, w := range []string{
		"### gitdora alerts: 2 firing",
		"| 🔴 critical | DORA_ChangeFailureRateHigh | 2026-03-02 | Change failure rate above 15 % &lt;b&gt;&amp;&lt;/b&gt; \\| rising | change_failure_rate = 0.2222 | `change_failure_rate > 0.15 for 7d` |",
	} {
		if !strings.Contains(sum, w) {
			t.Errorf("summary lacks %q:\n%s", w, sum)
		}
	}
	if s := AlertSummary(alertResultOf(t, testRules, nil, nil)); !strings.HasPrefix(s, "### gitdora alerts: none firing") {
		t.Errorf("summary without alerts: %q", s)
	}
}

func TestAlertNumber(t *testing.T) {
	for _, tc := range []struct {
		v    *float64
		want string
	}{
		{nil, "n/a"}, {alertFP(0), "0"}, {alertFP(1), "1"}, {alertFP(1.005), "1"}, {alertFP(12.345), "12.35"}, {alertFP(0.42857), "0.4286"},
		{alertFP(0.0123456), "0.01235"}, {alertFP(-3.5), "-3.5"}, {alertFP(123456), "123456"},
	} {
		if got := alertNumber(tc.v); got != tc.want {
			t.Errorf("alertNumber(%v) = %s, want %s", alertDeref(tc.v), got, tc.want)
		}
	}
}

func alertDeref(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

func TestPromExpr(t *testing.T) {
	for _, tc := range []struct{ cond, want string }{
		{"deployments_per_day < 1", "gitdora_deployments_per_day < 1"},
		{"change_failure_rate > 0.15", "gitdora_change_failure_rate > 0.15"},
		{"change_pct(scan_duration_p95_seconds, 7d) > 20",
			"100 * (gitdora_scan_duration_p95_seconds - gitdora_scan_duration_p95_seconds offset 7d) / abs(gitdora_scan_duration_p95_seconds offset 7d != 0) > 20"},
		// Hours are exported as seconds: the threshold follows; a percent change needs no scaling.
		{"lead_time_p50_hours > 1", "gitdora_lead_time_p50_seconds > 3600"},
		{"change_pct(mttr_critical_hours, 7d) > 50",
			"100 * (gitdora_mttr_critical_seconds - gitdora_mttr_critical_seconds offset 7d) / abs(gitdora_mttr_critical_seconds offset 7d != 0) > 50"},
		{"deployments_total < 2 and scans_count >= 1", "(gitdora_deployments < 2) and (gitdora_scans >= 1)"},
		{"open_critical > 0 or open_high > 1 and open_low >= 1e3",
			"(gitdora_open_critical > 0) or ((gitdora_open_high > 1) and (gitdora_open_low >= 1000))"},
	} {
		e, err := alert.Parse(tc.cond)
		if err != nil {
			t.Fatal(err)
		}
		if got := PromExpr(e); got != tc.want {
			t.Errorf("PromExpr(%s) =\n %s\nwant\n %s", tc.cond, got, tc.want)
		}
	}
}

// Every gauge the exported rules read is one metrics.prom writes, for
// every metric a condition may name.
func TestAlertRulesReadTheGaugesOfMetricsProm(t *testing.T) {
	var m compute.Month
	for _, mt := range compute.Metrics {
		setMetric(t, &m, mt.Name)
	}
	var prom strings.Builder
	if err := Prometheus(&prom, &m); err != nil {
		t.Fatal(err)
	}
	written := map[string]bool{}
	for _, l := range strings.Split(prom.String(), "\n") {
		if f := strings.Fields(l); len(f) == 2 && !strings.HasPrefix(l, "#") {
			written[f[0]] = true
		}
	}
	gauge := regexp.MustCompile(`gitdora_[a-z0-9_]+`)
	for _, mt := range compute.Metrics {
		e, err := alert.Parse(mt.Name + " > 1")
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range gauge.FindAllString(PromExpr(e), -1) {
			if !written[g] {
				t.Errorf("the rule for %s reads %s, which metrics.prom does not write", mt.Name, g)
			}
		}
	}
}

// setMetric gives metric a value in m, whatever field holds it.
func setMetric(t *testing.T, m *compute.Month, metric string) {
	t.Helper()
	one := 1.0
	mt, _ := compute.LookupMetric(metric)
	if mt.Value(m) != nil {
		return // a count: always has a value
	}
	for _, p := range []**float64{
		&m.DeploymentFrequency.PerDay, &m.DeploymentFrequency.BlockRate, &m.LeadTime.P50Hours, &m.LeadTime.P95Hours,
		&m.LeadTime.MeanHours, &m.LeadTime.ScanOverheadPct, &m.ChangeFailureRate.Rate, &m.TimeToRestore.MeanHours,
		&m.TimeToRestore.P50Hours, &m.ReworkRate, &m.Vulnerabilities.MTTRHours.Critical, &m.Vulnerabilities.MTTRHours.High,
		&m.Vulnerabilities.MTTRHours.Medium, &m.Vulnerabilities.MTTRHours.Low, &m.Vulnerabilities.FixLeadTimeP50Hours,
		&m.Vulnerabilities.FixLeadTimeP95Hours, &m.Scans.DurationP50Seconds, &m.Scans.DurationP95Seconds,
		&m.CycleTime.CodingP50Hours, &m.CycleTime.PickupP50Hours, &m.CycleTime.ReviewP50Hours, &m.CycleTime.DeployP50Hours,
	} {
		if *p == nil {
			*p = &one
			if mt.Value(m) != nil {
				return
			}
			*p = nil
		}
	}
	t.Fatalf("no field of Month holds %s", metric)
}

// promtool finds promtool: the test skips without it, unless
// GITDORA_REQUIRE_PROMTOOL=1 (as in CI), where its absence fails.
func alertPromtool(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("GITDORA_REQUIRE_PROMTOOL") == "1" {
			t.Fatal("promtool not found and GITDORA_REQUIRE_PROMTOOL=1 (install the Debian package prometheus)")
		}
		t.Skip("promtool not found: install the Debian package prometheus to check the exported rules")
	}
	return p
}

func alertExport(t *testing.T, src string) []byte {
	t.Helper()
	rules, err := alert.CompileFile([]byte(src), "rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := AlertRulesPrometheus(rules)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The exported default rules, and rules using every part of the
// language, pass promtool check rules.
func TestAlertRulesPrometheusCheck(t *testing.T) {
	pt := alertPromtool(t)
	dir := t.TempDir()
	for name, src := range map[string]string{
		"default.yml": string(config.DefaultYAML),
		"all.yml": `- name: "every part: {{ $labels }}"
  condition: (change_pct(scan_duration_p95_seconds, 36h) >= -5 or open_critical != 0) and block_rate <= 0.5
  window: 12h
  for: 90m
  severity: info
  message: "message with {{ braces }} and 'quotes' and \"double\" ones"
`,
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, alertExport(t, src), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(pt, "check", "rules", p).CombinedOutput()
		if err != nil {
			t.Errorf("promtool check rules %s: %v\n%s\n%s", name, err, out, alertExport(t, src))
		}
	}
}

// promtool test rules shows the exported expressions mean what gitdora's
// conditions mean: change_pct against the value one window earlier (no
// alert when that value is zero), and and/or across two gauges of one
// target, with for carried over.
func TestAlertRulesPrometheusSemantics(t *testing.T) {
	pt := alertPromtool(t)
	dir := t.TempDir()
	rules := alertExport(t, `- name: ScanTimeRegression
  condition: change_pct(scan_duration_p95_seconds, 7d) > 20
  for: 1d
  message: Scan p95 grew
- name: Both
  condition: open_critical > 0 and open_high > 1 or open_low > 100
  for: 2h
  severity: critical
  message: Both open
`)
	if err := os.WriteFile(filepath.Join(dir, "rules.yml"), rules, 0o644); err != nil {
		t.Fatal(err)
	}
	// One sample an hour. The p95 is 100 for 201 hours, then 130: the
	// change against 7 days (168 h) earlier holds from hour 201 on, so the
	// alert fires from hour 225 (for 1d). From zero it never fires.
	scanDesc := func(val string) map[string]string {
		return map[string]string{"summary": "Scan p95 grew", "description": "gitdora rule ScanTimeRegression: change_pct(scan_duration_p95_seconds, 7d) > 20 for 1d. Value: " + val + "."}
	}
	bothDesc := map[string]string{"summary": "Both open", "description": "gitdora rule Both: open_critical > 0 and open_high > 1 or open_low > 100 for 2h. Value: 1."}
	test := map[string]any{
		"rule_files":          []string{"rules.yml"},
		"evaluation_interval": "1h",
		"tests": []any{
			map[string]any{
				"interval": "1h",
				"input_series": []any{
					map[string]string{"series": `gitdora_scan_duration_p95_seconds{job="a"}`, "values": "100+0x200 130+0x200"},
					map[string]string{"series": `gitdora_scan_duration_p95_seconds{job="zero"}`, "values": "0+0x200 130+0x200"},
					map[string]string{"series": `gitdora_open_critical{job="a"}`, "values": "1+0x10"},
					map[string]string{"series": `gitdora_open_high{job="a"}`, "values": "0 0 0 2+0x7"},
					map[string]string{"series": `gitdora_open_critical{job="b"}`, "values": "1+0x10"},
					map[string]string{"series": `gitdora_open_high{job="b"}`, "values": "0+0x10"},
				},
				"alert_rule_test": []any{
					map[string]any{"eval_time": "210h", "alertname": "ScanTimeRegression", "exp_alerts": []any{}},
					map[string]any{"eval_time": "230h", "alertname": "ScanTimeRegression", "exp_alerts": []any{
						map[string]any{"exp_labels": map[string]string{"severity": "warning", "job": "a"}, "exp_annotations": scanDesc("30")},
					}},
					// open_high > 1 from hour 3: firing from hour 5, for job a only.
					map[string]any{"eval_time": "4h", "alertname": "Both", "exp_alerts": []any{}},
					map[string]any{"eval_time": "6h", "alertname": "Both", "exp_alerts": []any{
						map[string]any{"exp_labels": map[string]string{"severity": "critical", "job": "a"}, "exp_annotations": bothDesc},
					}},
				},
			},
		},
	}
	tb, _ := json.Marshal(test) // JSON is YAML
	if err := os.WriteFile(filepath.Join(dir, "test.yml"), tb, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(pt, "test", "rules", "test.yml")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool test rules: %v\n%s\nrules:\n%s", err, out, rules)
	}
}

// docs/alerts.md holds the table of metrics conditions may use; it must
// match compute.Metrics (go test ./render -update rewrites it).
func TestAlertDocsListEveryMetric(t *testing.T) {
	const begin, end = "<!-- metrics:begin (generated by go test ./render -update) -->\n", "<!-- metrics:end -->"
	p := filepath.Join("..", "docs", "alerts.md")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s: no %q … %q section", p, begin, end)
	}
	want := doc[:i+len(begin)] + alertMetricsMarkdown() + doc[j:]
	if want == doc {
		return
	}
	if updating() {
		if err := os.WriteFile(p, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: the metric table is out of date; run go test ./render -update", p)
}

// A rules file is text from outside: no name or message may end a line
// of the alerts text, start or end a workflow command, or carry a
// terminal escape, wherever it is printed.
func TestAlertOutputsEscapeRuleText(t *testing.T) {
	const src = `alerts:
  - name: "Bad\u001b[2J\r\n::error title=X::pwned"
    condition: open_critical > 0
    for: 1d
    severity: critical
    message: "::add-mask::secret\u001b]0;t\u0007 \u202egnirts"
`
	res := alertResultOf(t, src, map[string]string{"Bad\x1b[2J\r\n::error title=X::pwned": "2026-03-15"}, map[string][]*float64{"Bad\x1b[2J\r\n::error title=X::pwned": {alertFP(1)}})
	text := AlertText(res)
	for _, w := range []string{
		"CRITICAL  Bad\\x1b[2J\\r\\n::error title=X::pwned  since 2026-03-15 (1 day)\n",
		"          \\x3a:add-mask::secret\\x1b]0;t\\x07 \\u202egnirts\n",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("alerts text lacks %q:\n%s", w, text)
		}
	}
	ann := AlertAnnotations(res)
	want := "::error title=gitdora alert Bad\\x1b[2J%0D%0A%3A%3Aerror title=X%3A%3Apwned::::add-mask::secret\\x1b]0;t\\x07 \\u202egnirts (since 2026-03-15; open_critical = 1)\n"
	if ann != want {
		t.Errorf("annotations:\n%q\nwant\n%q", ann, want)
	}
	sum := AlertSummary(res)
	for i, out := range []string{text, ann, sum} {
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		for _, l := range lines {
			if strings.ContainsAny(l, "\x1b\x07\r\u202e") || i != 1 && strings.HasPrefix(strings.TrimSpace(l), "::") {
				t.Errorf("output %d: line %q carries a control character or starts a workflow command", i, l)
			}
		}
	}
	if !strings.Contains(sum, "| 🔴 critical | Bad\\x1b[2J ::error title=X::pwned | 2026-03-15 |") {
		t.Errorf("summary:\n%s", sum)
	}
}

// The step summary is Markdown that GitHub renders: a rule's condition in
// its code span reads as written (< and > were shown as &lt; and &gt;),
// backticks and pipes in it neither end the span nor the cell, and
// nothing in a rule becomes HTML.
func TestAlertSummaryRendersAsWritten(t *testing.T) {
	src := `alerts:
  - name: "Low <b>deploys</b>"
    condition: deployments_per_day < 1 and open_critical >= 1
    for: 7d
    message: "x <script>alert(1)</script> & y"
`
	res := alertResultOf(t, src, map[string]string{"Low <b>deploys</b>": "2026-03-09"}, map[string][]*float64{"Low <b>deploys</b>": {alertFP(0.5), alertFP(2)}})
	sum := AlertSummary(res)
	var html strings.Builder
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	if err := md.Convert([]byte(sum), &html); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"<td><code>deployments_per_day &lt; 1 and open_critical &gt;= 1 for 7d</code></td>",
		"<td>Low &lt;b&gt;deploys&lt;/b&gt;</td>",
		"<td>x &lt;script&gt;alert(1)&lt;/script&gt; &amp; y</td>",
	} {
		if !strings.Contains(html.String(), w) {
			t.Errorf("rendered summary lacks %q:\n%s\n%s", w, sum, html.String())
		}
	}
	if strings.Contains(html.String(), "&amp;lt;") || strings.Contains(html.String(), "<script") || strings.Contains(html.String(), "<b>") {
		t.Errorf("rendered summary shows an entity literally or holds HTML:\n%s", html.String())
	}
	for _, tc := range []struct{ in, want string }{
		{"a < b", "`a < b`"},
		{"a ` b", "``a ` b``"},
		{"`x``", "``` `x`` ```"},
		{"a | b", "`a \\| b`"},
		{"", ""},
	} {
		if got := alertCode(tc.in); got != tc.want {
			t.Errorf("alertCode(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if tc.in == "" {
			continue
		}
		var out strings.Builder
		if err := md.Convert([]byte("| h |\n|---|\n| "+alertCode(tc.in)+" |\n"), &out); err != nil {
			t.Fatal(err)
		}
		want := "<td><code>" + strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(tc.in) + "</code></td>"
		if !strings.Contains(out.String(), want) {
			t.Errorf("alertCode(%q) renders as %s, want %s", tc.in, out.String(), want)
		}
	}
}

// alertMetricsMarkdown is the list of AlertMetrics as a Markdown table, with the
// name of the Prometheus gauge of each metric.
func alertMetricsMarkdown() string {
	var b strings.Builder
	b.WriteString("| metric | meaning | Prometheus gauge |\n|---|---|---|\n")
	for _, m := range compute.Metrics {
		g, scale := PromName(m.Name)
		unit := ""
		if scale != 1 {
			unit = fmt.Sprintf(" (× %g)", scale)
		}
		fmt.Fprintf(&b, "| `%s` | %s | `%s`%s |\n", m.Name, alertCell(m.Help), g, unit)
	}
	return b.String()
}

// `alerts --export prometheus` prints the rules file on stdout: a rule's
// name and message reach it escaped as the other alert outputs escape
// them, so that no line carries a bidirectional control or the runner's
// "##[" command prefix, nor starts a workflow command.
func TestAlertRulesPrometheusEscapesRuleText(t *testing.T) {
	const src = `alerts:
  - name: "Bad\u202egnirts ##[error]x"
    condition: open_critical > 0
    for: 1d
    severity: critical
    message: "::add-mask::secret\u001b]0;t\u0007 \u202egnirts ##[group]"
`
	out := string(alertExport(t, src))
	for _, l := range strings.Split(out, "\n") {
		if strings.ContainsAny(l, "\x1b\x07\u202e") || strings.Contains(l, "##[") || strings.HasPrefix(strings.TrimSpace(l), "::") {
			t.Errorf("line %q carries a control character or a workflow command", l)
		}
	}
	if !strings.Contains(out, `\u202egnirts`) {
		t.Errorf("the rules file does not show the bidirectional control escaped:\n%s", out)
	}
}
