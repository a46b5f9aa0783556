package main

import (
	"fmt"
	"html"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/internal/gittest"
)

// openFinding is a finding the publishing test's scans leave open.
type openFinding struct{ rule, file, message string }

// The scans of TestPublishedSiteNamesNoOpenFinding: the first finds three
// findings, the second (a week later) no longer the first, so two stay
// open at the end of January.
var (
	fixedFinding  = openFinding{"py.fixed-7c1e", "src/legacy/shell.py", "Shell command built from request text"}
	stillOpen     = []openFinding{{"py.sqli-4f2a", "src/billing/query_builder.py", "Query built from an untrusted invoice number"}, {"py.path-9b3d", "src/export/archive_paths.py", "Archive member path joins user input"}}
	publishedCWEs = map[string]string{"py.fixed-7c1e": "CWE-78", "py.sqli-4f2a": "CWE-89", "py.path-9b3d": "CWE-22"}
)

func sarifOf(findings ...openFinding) string {
	var rules, results []string
	for _, f := range findings {
		rules = append(rules, fmt.Sprintf(`{"id":%q,"properties":{"tags":["security","external/cwe/%s"],"security-severity":"8.1"}}`, f.rule, strings.ToLower(publishedCWEs[f.rule])))
		results = append(results, fmt.Sprintf(`{"ruleId":%q,"level":"error","message":{"text":%q},"locations":[{"physicalLocation":{"artifactLocation":{"uri":%q},"region":{"startLine":3}}}],"partialFingerprints":{"primaryLocationLineHash":%q}}`, f.rule, f.message, f.file, f.rule+":1"))
	}
	return `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Semgrep OSS","rules":[` + strings.Join(rules, ",") + `]}},"results":[` + strings.Join(results, ",") + `]}]}`
}

// published is what a reader of a published file sees of its text: HTML
// entities decoded and Markdown's backslash escapes dropped, so that a
// file path or message is found in whatever form it was written.
func published(b []byte) string {
	return strings.ReplaceAll(html.UnescapeString(string(b)), `\`, "")
}

// What gitdora publishes (every file of the site, the Markdown and HTML
// reports, and so the pull request comment made of the Markdown) names
// no rule id, file path or message of an open finding with the default
// report.findings: counts, and shows their count and category; with
// report.findings: full the month's page names them.
func TestPublishedSiteNamesNoOpenFinding(t *testing.T) {
	j := gittest.NewJanuary(t)
	tmp := t.TempDir()
	gittest.WriteFiles(t, tmp, map[string]string{
		"first.sarif":  sarifOf(append([]openFinding{fixedFinding}, stillOpen...)...),
		"second.sarif": sarifOf(stillOpen...),
	})
	base := []string{"--repo", j.Repo.Dir, "--data", j.Data}
	run(t, append(base, "ingest", "sarif", filepath.Join(tmp, "first.sarif"), "--sha", j.SHA["B"], "--ref", "main", "--at", "2026-01-03T12:00:00Z")...)
	run(t, append(base, "ingest", "sarif", filepath.Join(tmp, "second.sarif"), "--sha", j.SHA["S"], "--ref", "main", "--at", "2026-01-10T12:00:00Z")...)

	build := func(name string) map[string][]byte {
		site, reports := filepath.Join(tmp, name, "site"), filepath.Join(tmp, name, "reports")
		run(t, append(base, "site", "--out", site)...)
		run(t, append(base, "report", "--month", "2026-01", "--format", "markdown,html", "--out", reports)...)
		files := readTree(t, site)
		for n, b := range readTree(t, reports) {
			files["reports/"+n] = b
		}
		return files
	}

	j.Config(t, "trunk: main\n")
	counts := build("counts")
	if len(counts) < 10 {
		t.Fatalf("the site and the report hold %d files, want the site's pages and exports", len(counts))
	}
	for name, b := range counts {
		text := published(b)
		for _, f := range stillOpen {
			for _, s := range []string{f.rule, f.file, f.message} {
				if strings.Contains(text, s) {
					t.Errorf("report.findings: counts: %s names %q of an open finding", name, s)
				}
			}
		}
	}
	page := published(counts["2026-01.html"])
	for _, want := range []string{"2 findings open at the end of the month", "CWE-89", "CWE-22", "report.findings: counts"} {
		if !strings.Contains(page, want) {
			t.Errorf("report.findings: counts: 2026-01.html lacks %q", want)
		}
	}

	j.Config(t, "trunk: main\nreport:\n  findings: full\n")
	full := build("full")
	for _, name := range []string{"2026-01.html", "2026-01.md", "reports/2026-01.md", "reports/2026-01.html"} {
		text := published(full[name])
		for _, f := range stillOpen {
			for _, s := range []string{f.rule, f.file, f.message} {
				if !strings.Contains(text, s) {
					t.Errorf("report.findings: full: %s does not name %q of an open finding", name, s)
				}
			}
		}
	}
}
