package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/internal/gittest"
)

// policyScenario is March 2026 of a repository whose trunk scans
// introduce and fix findings between production deployments (times UTC,
// one Semgrep scan at 10:00 of each commit's day, ingested with --ref main):
//
//	commit  day    deployment          scan finds
//	A       03-01  D1 03-01 12:00      nothing
//	B       03-02  D2 03-03 12:00      F1 critical (sqli, CWE-89), F2 high (xss, CWE-79, CWE-116),
//	                                   F3 medium (weak-hash, tests/), F4 high (debug, CWE-798)
//	C       03-05  D3 03-06 12:00      F1 F3 F4                 (F2 fixed 03-05 10:00)
//	C2      03-07  (shipped by D4)     F1 F3 F4 F5 low (tmp)
//	C3      03-08  (shipped by D4)     F1 F3 F4                 (F5 fixed 03-08 10:00)
//	D       03-10  D4 03-17 12:00      F3 F4                    (F1 fixed 03-10 10:00: in production a week later)
//	E       03-20  D5 03-21 12:00      F3 F4, and F7 low suppressed
//	F       03-25  (never deployed)    F3 F4 F6 critical (cmd, CWE-78, CWE-489), F7 suppressed
//
// The policy: high findings are due in 3 days (critical 7 d, low 180 d by
// default); tests/** is exempt; the debug rule in app/*.py is exempt
// through expiresOn.
type policyScenario struct {
	repo, data string
}

func newPolicyScenario(t *testing.T, expiresOn string) *policyScenario {
	t.Helper()
	r := gittest.New(t)
	s := &policyScenario{repo: r.Dir, data: t.TempDir()}
	day := func(d int) string { return fmt.Sprintf("2026-03-%02d", d) }
	commits := []struct {
		name string
		day  int
	}{{"A", 1}, {"B", 2}, {"C", 5}, {"C2", 7}, {"C3", 8}, {"D", 10}, {"E", 20}, {"F", 25}}
	sha := map[string]string{}
	var parent []string
	for _, c := range commits {
		sha[c.name] = r.Commit(gittest.C{Msg: "commit " + c.name, Authored: day(c.day) + "T09:00:00Z", Parents: parent})
		parent = []string{sha[c.name]}
	}
	r.Branch("main", sha["F"])
	r.Git("symbolic-ref", "HEAD", "refs/heads/main")

	cfg := `trunk: main
policy:
  sla: {high: 3d}
  exemptions:
    paths: ["tests/**"]
    findings:
      - rule_id: debug
        file: "app/*.py"
        justification: debug endpoint behind the VPN until the rewrite
        approved_by: security-team
        expires: ` + expiresOn + "\n"
	if err := os.WriteFile(filepath.Join(s.data, "gitdora.yml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) {
		t.Helper()
		var out, errb bytes.Buffer
		if code := Run(append([]string{"--repo", s.repo, "--data", s.data}, args...), &out, &errb); code != 0 {
			t.Fatalf("gitdora %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
		}
	}
	for _, d := range []struct{ id, commit, at string }{
		{"D1", "A", "2026-03-01T12:00:00Z"}, {"D2", "B", "2026-03-03T12:00:00Z"}, {"D3", "C", "2026-03-06T12:00:00Z"},
		{"D4", "D", "2026-03-17T12:00:00Z"}, {"D5", "E", "2026-03-21T12:00:00Z"},
	} {
		run("record", "deployment", "--id", d.id, "--sha", sha[d.commit], "--at", d.at)
	}
	results := map[string]string{
		"F1": `{"ruleId": "sqli", "message": {"text": "SQL built from input"}, "partialFingerprints": {"primaryLocationLineHash": "f1"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app/db.py"}, "region": {"startLine": 10}}}]}`,
		"F2": `{"ruleId": "xss", "message": {"text": "unescaped output"}, "partialFingerprints": {"primaryLocationLineHash": "f2"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "web/page.js"}, "region": {"startLine": 3}}}]}`,
		"F3": `{"ruleId": "weak-hash", "message": {"text": "md5"}, "partialFingerprints": {"primaryLocationLineHash": "f3"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "tests/fixtures.py"}, "region": {"startLine": 7}}}]}`,
		"F4": `{"ruleId": "debug", "message": {"text": "debug mode on"}, "partialFingerprints": {"primaryLocationLineHash": "f4"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app/server.py"}, "region": {"startLine": 1}}}]}`,
		"F5": `{"ruleId": "tmp", "message": {"text": "temp file"}, "partialFingerprints": {"primaryLocationLineHash": "f5"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app/jobs.py"}, "region": {"startLine": 5}}}]}`,
		"F6": `{"ruleId": "cmd", "message": {"text": "shell from input"}, "partialFingerprints": {"primaryLocationLineHash": "f6"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app/run.py"}, "region": {"startLine": 2}}}]}`,
		"F7": `{"ruleId": "tmp", "message": {"text": "temp file, reviewed"}, "partialFingerprints": {"primaryLocationLineHash": "f7"}, "suppressions": [{"kind": "inSource"}], "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app/cache.py"}, "region": {"startLine": 9}}}]}`,
	}
	const rules = `[
		{"id": "sqli", "properties": {"security-severity": "9.5", "tags": ["security", "CWE-89: SQL Injection"]}},
		{"id": "xss", "properties": {"security-severity": "7.5", "tags": ["CWE-79", "CWE-116"]}},
		{"id": "weak-hash", "properties": {"security-severity": "5.0", "tags": ["CWE-328"]}},
		{"id": "debug", "properties": {"security-severity": "7.0", "tags": ["CWE-798"]}},
		{"id": "tmp", "properties": {"security-severity": "3.0", "tags": ["CWE-377"]}},
		{"id": "cmd", "properties": {"security-severity": "9.8", "tags": ["CWE-78: OS Command Injection", "CWE-489: Active Debug Code"]}}]`
	for _, sc := range []struct {
		commit string
		day    int
		finds  []string
	}{
		{"A", 1, nil}, {"B", 2, []string{"F1", "F2", "F3", "F4"}}, {"C", 5, []string{"F1", "F3", "F4"}},
		{"C2", 7, []string{"F1", "F3", "F4", "F5"}}, {"C3", 8, []string{"F1", "F3", "F4"}}, {"D", 10, []string{"F3", "F4"}},
		{"E", 20, []string{"F3", "F4", "F7"}}, {"F", 25, []string{"F3", "F4", "F6", "F7"}},
	} {
		var rs []string
		for _, f := range sc.finds {
			rs = append(rs, results[f])
		}
		doc := `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Semgrep", "rules": ` + rules + `}}, "results": [` + strings.Join(rs, ",") + `]}]}`
		file := filepath.Join(t.TempDir(), "semgrep.sarif")
		if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		run("ingest", "sarif", file, "--sha", sha[sc.commit], "--ref", "main", "--at", day(sc.day)+"T10:00:00Z")
	}
	return s
}

// month runs gitdora compute --month and reads its JSON.
func (s *policyScenario) month(t *testing.T, month string) compute.Month {
	t.Helper()
	var out, errb bytes.Buffer
	if code := Run([]string{"--repo", s.repo, "--data", s.data, "compute", "--month", month, "--format", "json"}, &out, &errb); code != 0 {
		t.Fatalf("gitdora compute: exit %d\n%s", code, errb.String())
	}
	var m compute.Month
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatalf("compute JSON: %v\n%s", err, out.String())
	}
	return m
}

func hours(v float64) *float64 { return &v }

func owaspOf(counts map[string]int) compute.OWASPCounts {
	c := compute.OWASPCounts{}
	for i := 1; i <= 10; i++ {
		c[fmt.Sprintf("A%02d", i)] = counts[fmt.Sprintf("A%02d", i)]
	}
	return c
}

// The policy's figures of March, computed by hand from the scenario:
//
//   - F1: critical, first seen 03-02 10:00, due 03-09 10:00, fixed 03-10
//     10:00 (192 h, past due); live from D2 (03-03 12:00, which first
//     shipped B) until D4 (03-17 12:00, which first shipped D): 336 h; fix
//     to production 170 h.
//   - F2: high, due 03-05 10:00 (3 d), fixed exactly then (72 h, within);
//     live 03-03 12:00 until D3 03-06 12:00: 72 h; fix to production 26 h.
//   - F3: in tests/: exempt, accepted risk.
//   - F4: high, exempt through expiresOn; once expired it is open, past
//     due (03-05 10:00), live since D2, and maps to OWASP 2021 and 2025 A07.
//   - F5: low, 03-07 10:00 → 03-08 10:00 (24 h); its commits first reach
//     production with D4 (03-17 12:00), which also ships the fix: never
//     live; fix to production 218 h.
//   - F6: critical from 03-25 10:00 (due 04-01 10:00), on a commit no
//     deployment ships: not live; CWE-78 (2021 A03, 2025 A05) and CWE-489
//     (2025 A02).
//   - F7: suppressed in the last scan: accepted risk.
func TestPolicyFigures(t *testing.T) {
	s := newPolicyScenario(t, "2026-03-15")
	m := s.month(t, "2026-03")
	v := m.Vulnerabilities
	check := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(want)
			t.Errorf("%s = %s, want %s", what, gj, wj)
		}
	}
	check("new", v.New, compute.SeverityCounts{Critical: 2, High: 2, Low: 1})
	check("fixed", v.Fixed, compute.SeverityCounts{Critical: 1, High: 1, Low: 1})
	check("open_at_end", v.OpenAtEnd, compute.SeverityCounts{Critical: 1, High: 1})
	check("mttr_hours", v.MTTRHours, compute.SeverityHours{Critical: hours(192), High: hours(72), Low: hours(24)})
	check("sla.breached_open", v.SLA.BreachedOpen, compute.SeverityCounts{High: 1})
	check("sla.fixed_within_pct", v.SLA.FixedWithinPct, compute.SeverityPercent{Critical: hours(0), High: hours(100), Low: hours(100)})
	check("accepted_risk", v.AcceptedRisk, compute.AcceptedRisk{Exempted: 1, Suppressed: 1, Expiring30d: 0, Expired: 1})
	check("owasp_top10", v.OWASPTop10, map[string]compute.OWASPCounts{
		"2021": owaspOf(map[string]int{"A03": 1, "A07": 1}),
		"2025": owaspOf(map[string]int{"A02": 1, "A05": 1, "A07": 1}),
	})
	check("exposure.mean_hours", v.Exposure.MeanHours, compute.SeverityHours{Critical: hours(336), High: hours(72)})
	check("exposure.live_at_end", v.Exposure.LiveAtEnd, compute.SeverityCounts{High: 1})
	check("exposure.fix_to_production_p50_hours", v.Exposure.FixToProductionP50Hours, hours(170))

	// April: nothing new; F6 is now past due; F4 still live.
	a := s.month(t, "2026-04").Vulnerabilities
	check("April sla.breached_open", a.SLA.BreachedOpen, compute.SeverityCounts{Critical: 1, High: 1})
	check("April sla.fixed_within_pct", a.SLA.FixedWithinPct, compute.SeverityPercent{})
	check("April exposure", a.Exposure, compute.Exposure{LiveAtEnd: compute.SeverityCounts{High: 1}})
	check("April accepted_risk", a.AcceptedRisk, compute.AcceptedRisk{Exempted: 1, Suppressed: 1, Expired: 1})

	// While the exemption of F4 holds (through 04-15), F4 is accepted
	// risk, expiring within 30 days of March's last day, and counts in no
	// open figure.
	s = newPolicyScenario(t, "2026-04-15")
	v = s.month(t, "2026-03").Vulnerabilities
	check("exempt: new", v.New, compute.SeverityCounts{Critical: 2, High: 1, Low: 1})
	check("exempt: open_at_end", v.OpenAtEnd, compute.SeverityCounts{Critical: 1})
	check("exempt: sla.breached_open", v.SLA.BreachedOpen, compute.SeverityCounts{})
	check("exempt: accepted_risk", v.AcceptedRisk, compute.AcceptedRisk{Exempted: 2, Suppressed: 1, Expiring30d: 1})
	check("exempt: exposure.live_at_end", v.Exposure.LiveAtEnd, compute.SeverityCounts{})
	check("exempt: owasp_top10", v.OWASPTop10, map[string]compute.OWASPCounts{
		"2021": owaspOf(map[string]int{"A03": 1}),
		"2025": owaspOf(map[string]int{"A02": 1, "A05": 1}),
	})
	// In May the exemption has expired.
	check("exempt, May: accepted_risk", s.month(t, "2026-05").Vulnerabilities.AcceptedRisk, compute.AcceptedRisk{Exempted: 1, Suppressed: 1, Expired: 1})
}

// The report of March names the deployments that shipped open critical
// or high findings, and the expired exemption; with report.findings:
// counts (the default) not the rules and files past their SLA.
func TestPolicyReport(t *testing.T) {
	s := newPolicyScenario(t, "2026-03-15")
	out := filepath.Join(t.TempDir(), "reports")
	var stdout, errb bytes.Buffer
	if code := Run([]string{"--repo", s.repo, "--data", s.data, "report", "--month", "2026-03", "--out", out}, &stdout, &errb); code != 0 {
		t.Fatalf("gitdora report: exit %d\n%s", code, errb.String())
	}
	b, err := os.ReadFile(filepath.Join(out, "2026-03.md"))
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	// D2 shipped F1 (critical), F2 and F4 (high); D3 F1 and F4 (F2's fix);
	// D4 (F1's fix) and D5 F4 only. D1 shipped nothing open.
	for _, want := range []string{
		"| D2 | 2026-03-03 12:00 | 1 | 2 |", "| D3 | 2026-03-06 12:00 | 1 | 1 |", "| D4 | 2026-03-17 12:00 | 0 | 1 |", "| D5 | 2026-03-21 12:00 | 0 | 1 |",
		"| gitdora.yml line 7 | — | — | security-team | 2026-03-15 | expired 16 days ago | 1 |",
		"| high | 3\u00a0d | 1 | 100\u00a0% |",
		"The rules and files of the findings past their SLA are not shown",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Contains(md, "| D1 |") {
		t.Error("the report lists D1, which shipped no finding")
	}
}

// gitdora explain lists, for each policy figure of March, the findings
// the hand computation of TestPolicyFigures counts, with what the figure
// takes from them.
func TestExplainPolicyFigures(t *testing.T) {
	expired := newPolicyScenario(t, "2026-03-15")
	holding := newPolicyScenario(t, "2026-04-15")
	explain := func(s *policyScenario, key string) (value any, rows []map[string]any) {
		t.Helper()
		var out, errb bytes.Buffer
		if code := Run([]string{"--repo", s.repo, "--data", s.data, "explain", key, "--month", "2026-03", "--format", "json"}, &out, &errb); code != 0 {
			t.Fatalf("gitdora explain %s: exit %d\n%s", key, code, errb.String())
		}
		var doc struct {
			Value   any
			Columns []string
			Rows    [][]any
		}
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatalf("%s: %v\n%s", key, err, out.String())
		}
		for _, r := range doc.Rows {
			row := map[string]any{}
			for i, c := range doc.Columns {
				row[c] = r[i]
			}
			rows = append(rows, row)
		}
		return doc.Value, rows
	}
	for _, tc := range []struct {
		s     *policyScenario
		key   string
		value any
		col   string // the column listed in want, row by row
		want  []any
		extra map[string]any // of the first row
	}{
		{expired, "vulnerabilities.sla.breached_open.high", 1.0, "rule_id", []any{"debug"}, map[string]any{"due": "2026-03-05T10:00:00Z"}},
		{expired, "vulnerabilities.sla.fixed_within_pct.critical", 0.0, "within", []any{"no"}, map[string]any{"rule_id": "sqli", "due": "2026-03-09T10:00:00Z"}},
		{expired, "vulnerabilities.sla.fixed_within_pct.high", 100.0, "within", []any{"yes"}, map[string]any{"rule_id": "xss"}},
		{expired, "vulnerabilities.accepted_risk.exempted", 1.0, "exemption", []any{"path, gitdora.yml line 5"}, map[string]any{"exempts": "tests/**", "rule_id": "weak-hash"}},
		{expired, "vulnerabilities.accepted_risk.expired", 1.0, "exempts", []any{"rule debug file app/*.py"},
			map[string]any{"expires": "2026-03-15", "approved_by": "security-team", "justification": "debug endpoint behind the VPN until the rewrite"}},
		{holding, "vulnerabilities.accepted_risk.expiring_30d", 1.0, "rule_id", []any{"debug"}, map[string]any{"expires": "2026-04-15"}},
		{expired, "vulnerabilities.accepted_risk.suppressed", 1.0, "rule_id", []any{"tmp"}, map[string]any{"uri": "app/cache.py", "observed": "2026-03-25T10:00:00Z"}},
		{expired, "vulnerabilities.owasp_top10.2021.A03", 1.0, "rule_id", []any{"cmd"}, map[string]any{"cwes": "CWE-78;CWE-489"}},
		{expired, "vulnerabilities.owasp_top10.2025.A07", 1.0, "rule_id", []any{"debug"}, map[string]any{"cwes": "CWE-798"}},
		{expired, "vulnerabilities.exposure.mean_hours.critical", 336.0, "exposure_hours", []any{336.0},
			map[string]any{"rule_id": "sqli", "shipped_by": "D2", "fix_shipped_by": "D4", "live_from": "2026-03-03T12:00:00Z", "live_until": "2026-03-17T12:00:00Z"}},
		{expired, "vulnerabilities.exposure.live_at_end.high", 1.0, "rule_id", []any{"debug"}, map[string]any{"shipped_by": "D2", "live_until": ""}},
		// F2 26 h, F1 170 h, F5 218 h (never live, its fix counts): the median is rank 2.
		{expired, "vulnerabilities.exposure.fix_to_production_p50_hours", 170.0, "rule_id", []any{"xss", "sqli", "tmp"}, map[string]any{"rank": 1.0, "fix_to_production_hours": 26.0, "fix_shipped_by": "D3"}},
	} {
		value, rows := explain(tc.s, tc.key)
		if value != tc.value {
			t.Errorf("%s = %v, want %v", tc.key, value, tc.value)
		}
		var got []any
		for _, r := range rows {
			got = append(got, r[tc.col])
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %s of the rows %v, want %v", tc.key, tc.col, got, tc.want)
			continue
		}
		for col, want := range tc.extra {
			if rows[0][col] != want {
				t.Errorf("%s: %s = %v, want %v", tc.key, col, rows[0][col], want)
			}
		}
	}
}
