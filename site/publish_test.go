package site_test

import (
	"html"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/render/rendertest"
	"github.com/gitdora/gitdora/site"
	"github.com/gitdora/gitdora/templates"
)

// readable is a published file's text as a reader finds things in it:
// HTML entities decoded, Markdown's backslash escapes dropped.
func readable(b []byte) string {
	return strings.ReplaceAll(html.UnescapeString(string(b)), `\`, "")
}

// Every file of a site built with report.findings: counts (reports
// without FindingDetails, the default) is free of the rule ids, file
// paths and messages of the fixture's open findings; with full, the
// month's page and Markdown name each of them.
func TestSiteNamesNoOpenFindingByDefault(t *testing.T) {
	months := rendertest.Months("")
	open := months[len(months)-1].Detail.OpenFindings
	if len(open) == 0 {
		t.Fatal("the fixture's last month has no open finding: this test would check nothing")
	}
	for _, full := range []bool{false, true} {
		reports := reportsOf(months)
		for i := range reports {
			reports[i].FindingDetails = full
		}
		out := filepath.Join(t.TempDir(), "public")
		if err := site.Build(site.Options{Out: out, Templates: templates.Builtin(), Reports: reports}); err != nil {
			t.Fatal(err)
		}
		files := tree(t, out)
		for name, b := range files {
			text := readable(b)
			for _, f := range open {
				for _, s := range []string{f.RuleID, f.URI, f.Message} {
					shown := strings.Contains(text, s)
					if !full && shown {
						t.Errorf("report.findings: counts: %s names %q of an open finding", name, s)
					}
					if full && !shown && (name == "2026-03.html" || name == "2026-03.md") {
						t.Errorf("report.findings: full: %s does not name %q of an open finding", name, s)
					}
				}
			}
		}
	}
}
