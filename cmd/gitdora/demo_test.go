package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/cmd/gitdora/internal/demo"
	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/fact"
)

// run runs gitdora in-process and fails the test unless it exits 0.
func run(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	if code := Run(args, &out, &errb); code != 0 {
		t.Fatalf("gitdora %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
	}
	return out.String(), errb.String()
}

// readTree reads every file under dir: relative path → content.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestDemo(t *testing.T) {
	tmp := t.TempDir()
	repo, site := filepath.Join(tmp, "repo"), filepath.Join(tmp, "site")
	const months, seed = 12, 3
	stdout, _ := run(t, "demo", "--months", "12", "--seed", "3", "--repo-dir", repo, "--out", site)
	for _, want := range []string{"Built the demo site in " + site, "gitdora serve " + site, "go run ./cmd/gitdora serve " + site, "2025-01 to 2025-12"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("demo output lacks %q:\n%s", want, stdout)
		}
	}
	first := readTree(t, site)
	for _, name := range []string{"index.html", "2025-01.html", "2025-12.html", "2025-06.md", "metrics.json", "metrics.csv", "metrics.prom", "badge.svg", "feed.xml"} {
		if len(first[name]) == 0 {
			t.Errorf("the demo site has no %s", name)
		}
	}

	t.Run("same seed, same site", func(t *testing.T) {
		// Whoever runs it: another committer identity must not show.
		t.Setenv("GIT_COMMITTER_NAME", "Someone Else")
		t.Setenv("GIT_COMMITTER_EMAIL", "else@example.com")
		again := filepath.Join(t.TempDir(), "site")
		run(t, "-q", "demo", "--months", "12", "--seed", "3", "--out", again)
		second := readTree(t, again)
		if len(second) != len(first) {
			t.Errorf("%d files, then %d", len(first), len(second))
		}
		for name, b := range first {
			if !bytes.Equal(b, second[name]) {
				t.Errorf("%s differs between two runs with the same seed", name)
			}
		}
	})

	t.Run("normalised findings read as the SARIF files", func(t *testing.T) { demoNormalisedIsSARIF(t, repo) })

	t.Run("compute reads what the demo planned", func(t *testing.T) {
		plan, err := demo.New(demo.Options{Months: months, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		want := plan.Expect()
		out, _ := run(t, "--repo", repo, "compute", "--from", want[0].Month, "--to", want[len(want)-1].Month, "--format", "json")
		var got struct {
			Months []compute.Month `json:"months"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Months) != len(want) {
			t.Fatalf("%d months computed, %d planned", len(got.Months), len(want))
		}
		var blocked, failed, cfrFailed, security, restored, fixed, mttr, reopenedAtEnd int
		for i, w := range want {
			g := got.Months[i]
			checkMonth(t, w, g)
			blocked += w.Blocked
			failed += w.Failed
			cfrFailed += w.CFRFailed
			security += w.CFRSecurity
			restored += w.Restored
			for _, n := range w.Fixed {
				fixed += n
			}
			mttr += len(w.MTTRHours)
			for _, n := range w.OpenAtEnd {
				reopenedAtEnd += n
			}
		}
		// The comparison means something only if the demo has each case.
		for what, n := range map[string]int{"blocked deployments": blocked, "failed deployments": failed, "failed deployments (CFR)": cfrFailed,
			"security-related failures": security, "restored incidents": restored, "fixed findings": fixed, "MTTR values": mttr, "open findings": reopenedAtEnd} {
			if n == 0 {
				t.Errorf("the demo has no %s over %d months", what, months)
			}
		}
	})
}

// checkMonth compares the figures a month of the demo must have with
// what gitdora computed.
func checkMonth(t *testing.T, w demo.Month, g compute.Month) {
	t.Helper()
	eq := func(what string, want, got int) {
		t.Helper()
		if want != got {
			t.Errorf("%s %s: computed %d, planned %d", w.Month, what, got, want)
		}
	}
	near := func(what string, want, got *float64) {
		t.Helper()
		switch {
		case want == nil && got == nil:
		case want == nil || got == nil:
			t.Errorf("%s %s: computed %v, planned %v", w.Month, what, fmtPtr(got), fmtPtr(want))
		case math.Abs(*want-*got) > 1e-6:
			t.Errorf("%s %s: computed %v, planned %v", w.Month, what, *got, *want)
		}
	}
	if g.Month != w.Month {
		t.Fatalf("month %s computed where %s was planned", g.Month, w.Month)
	}
	df := g.DeploymentFrequency
	eq("deployment_frequency.total", w.Total, df.Total)
	eq("deployment_frequency.successful", w.Successful, df.Successful)
	eq("deployment_frequency.blocked", w.Blocked, df.Blocked)
	eq("deployment_frequency.failed", w.Failed, df.Failed)
	eq("deployment_frequency.deploy_days", w.DeployDays, df.DeployDays)
	eq("change_failure_rate.deployments", w.CFRDeployments, g.ChangeFailureRate.Deployments)
	eq("change_failure_rate.failed_deployments", w.CFRFailed, g.ChangeFailureRate.FailedDeployments)
	eq("change_failure_rate.security_related_failures", w.CFRSecurity, g.ChangeFailureRate.SecurityRelatedFailures)
	eq("time_to_restore.incidents", w.Restored, g.TimeToRestore.Incidents)
	near("time_to_restore.mean_hours", w.RestoreMeanHours, g.TimeToRestore.MeanHours)
	v := g.Vulnerabilities
	for _, s := range []struct {
		sev               fact.Severity
		newN, fixed, open int
		mttr              *float64
	}{
		{"critical", v.New.Critical, v.Fixed.Critical, v.OpenAtEnd.Critical, v.MTTRHours.Critical},
		{"high", v.New.High, v.Fixed.High, v.OpenAtEnd.High, v.MTTRHours.High},
		{"medium", v.New.Medium, v.Fixed.Medium, v.OpenAtEnd.Medium, v.MTTRHours.Medium},
		{"low", v.New.Low, v.Fixed.Low, v.OpenAtEnd.Low, v.MTTRHours.Low},
	} {
		eq("vulnerabilities.new."+string(s.sev), w.New[s.sev], s.newN)
		eq("vulnerabilities.fixed."+string(s.sev), w.Fixed[s.sev], s.fixed)
		eq("vulnerabilities.open_at_end."+string(s.sev), w.OpenAtEnd[s.sev], s.open)
		near("vulnerabilities.mttr_hours."+string(s.sev), w.MTTRHours[s.sev], s.mttr)
	}
	eq("scans.count", w.Scans, g.Scans.Count)
	for tool, n := range w.ScansByTool {
		eq("scans.by_tool."+tool+".count", n, g.Scans.ByTool[tool].Count)
	}
	eq("scans.by_tool (tools)", len(w.ScansByTool), len(g.Scans.ByTool))
}

func fmtPtr(p *float64) any {
	if p == nil {
		return "null"
	}
	return *p
}

// gitdora demo --monorepo builds a monorepo of three services with teams
// from a CODEOWNERS file that changes half way: the site has each
// service's and team's pages, every deployment deploys every service,
// and the team CODEOWNERS adds half way owns changes only after it.
func TestDemoMonorepo(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a demo year")
	}
	tmp := t.TempDir()
	repo, site := filepath.Join(tmp, "repo"), filepath.Join(tmp, "site")
	run(t, "-q", "demo", "--monorepo", "--months", "12", "--seed", "3", "--repo-dir", repo, "--out", site)
	files := readTree(t, site)
	for _, name := range []string{"index.html", "services/api/index.html", "services/web/2025-06.html", "services/billing/metrics.json",
		"teams/acme-2fapi/index.html", "teams/acme-2ffrontend/index.html", "teams/acme-2fbilling/index.html", "teams/acme-2fsearch/index.html"} {
		if len(files[name]) == 0 {
			t.Errorf("the monorepo demo's site has no %s", name)
		}
	}
	months := func(flags ...string) []map[string]any {
		out, _ := run(t, append([]string{"-q", "--repo", repo, "compute", "--from", "2025-01", "--to", "2025-12"}, flags...)...)
		var doc struct {
			Months []map[string]any `json:"months"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		return doc.Months
	}
	repoMonths, api, search := months(), months("--service", "api"), months("--team", "@acme/search")
	firstSearch := ""
	for i, m := range repoMonths {
		if at(m, "deployment_frequency.total") != at(api[i], "deployment_frequency.total") {
			t.Errorf("%s: the repository has %v deployments, api %v (each deploys the whole repository)", m["month"], at(m, "deployment_frequency.total"), at(api[i], "deployment_frequency.total"))
		}
		if at(m, "lead_time.unassigned_changes") == "missing" {
			t.Errorf("%s: no lead_time.unassigned_changes", m["month"])
		}
		if n, _ := at(api[i], "lead_time.changes").(float64); n > at(m, "lead_time.changes").(float64) {
			t.Errorf("%s: api counts more changes than the repository", m["month"])
		}
		if n, _ := at(search[i], "lead_time.changes").(float64); n > 0 && firstSearch == "" {
			firstSearch = m["month"].(string)
		}
	}
	if firstSearch == "" || firstSearch < "2025-04" {
		t.Errorf("@acme/search, named by CODEOWNERS half way, owns changes from %q", firstSearch)
	}
}

// gitdora demo --org builds three repositories, their sites, and the
// organisation's site that links them.
func TestDemoOrg(t *testing.T) {
	if testing.Short() {
		t.Skip("writes three demos")
	}
	site := filepath.Join(t.TempDir(), "site")
	stdout, _ := run(t, "demo", "--org", "--months", "3", "--seed", "5", "--out", site)
	if !strings.Contains(stdout, "3 repositories (shop, payments, mobile)") {
		t.Errorf("demo --org says:\n%s", stdout)
	}
	files := readTree(t, site)
	index := string(files["index.html"])
	for _, want := range []string{`<a href="shop/index.html">shop</a>`, `<a href="shop/services/api/index.html">shop/api</a>`, `<a href="payments/index.html">payments</a>`} {
		if !strings.Contains(index, want) {
			t.Errorf("the organisation's index lacks %s", want)
		}
	}
	for _, name := range []string{"shop/index.html", "shop/services/web/index.html", "payments/2025-12.html", "mobile/metrics.json"} {
		if len(files[name]) == 0 {
			t.Errorf("the organisation's site has no %s", name)
		}
	}
	var doc struct {
		Months []map[string]any `json:"months"`
	}
	if err := json.Unmarshal(files["metrics.json"], &doc); err != nil || len(doc.Months) != 3 {
		t.Fatalf("metrics.json: %v", err)
	}
	checkFigures(t, "the organisation", doc.Months[2], map[string]any{"scope.kind": "organisation", "scope.name": "Example organisation", "repositories": 3})
}
