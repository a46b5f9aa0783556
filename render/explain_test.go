package render_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
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
	class := &fact.Class{ScanID: "s1", Tool: "semgrep" + extra, RuleID: "rule" + extra, Severity: fact.SeverityHigh}
	f.Scans = []fact.Scan{
		{ID: "s1", Tool: "semgrep" + extra, Ref: "main", Time: at(4, 2), Type: fact.ScanFull, File: "a.sarif", Results: 1},
		{ID: "s2", Tool: "semgrep" + extra, Ref: "main", Time: at(5, 2), Type: fact.ScanFull, File: "b.sarif"},
	}
	f.Findings = []fact.Finding{fact.NewFinding(class, "fp1", "src/secret"+extra+".go", 7, "message"+extra)}
	h := compute.NewHistory(f, config.Default(), time.UTC)
	_, x := h.Explained(compute.YearMonth{Year: 2026, Month: time.March}.Period(time.UTC))
	return x
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

	var c bytes.Buffer
	if err := render.ExplainCSV(&c, e, o); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&c).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
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

	rep := render.Report{Month: *x.Month(), Explained: x}
	var md bytes.Buffer
	if err := r.Markdown(&md, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "| Lead time for changes, p50 | [3"+"\u00a0"+"h](explain/2026-03.html#lead_time.p50_hours) |") {
		t.Errorf("the summary does not link lead time to its rows:\n%s", md.String())
	}
	rep.Explained = nil
	md.Reset()
	r.Markdown(&md, rep)
	if strings.Contains(md.String(), "explain/") {
		t.Error("a report without rows links to them")
	}
}
