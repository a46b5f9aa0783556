package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/internal/gittest"
)

// monorepo is a repository of three folders (services/api, web, and
// libs/common shared by both), built with git: a commit touching two
// services, one touching none, a merge, tags of each service
// (api/v*, web/v*) and of the whole repository (v*), CODEOWNERS changed
// half way, three incidents and one scan.
type monorepo struct {
	repo, data string
	sha        map[string]string
}

// monorepoConfig is the gitdora.yml of the monorepo.
const monorepoConfig = `trunk: main
incidents:
  since: 2026-03
services:
  - name: api
    paths: ["services/api/**", "libs/common/**"]
    tag_pattern: "api/v*"
  - name: web
    paths: ["web/**", "libs/common/**"]
    tag_pattern: "web/v*"
teams:
  source: codeowners
`

const codeownersBefore = "/services/api/ @org/api\n/web/ @org/web\n/libs/ @org/platform\n"

// codeownersAfter moves web to another team, and adds a line GitHub skips
// (character ranges do not work in CODEOWNERS).
const codeownersAfter = "/services/api/ @org/api\n/web/ @org/frontend\n/libs/ @org/platform\ndocs/[ab].md @org/docs\n"

func newMonorepo(t *testing.T, config string) *monorepo {
	t.Helper()
	g := gittest.New(t)
	m := &monorepo{repo: g.Dir, data: t.TempDir(), sha: map[string]string{}}
	commit := func(name, at string, files map[string]string) {
		t.Helper()
		gittest.WriteFiles(t, g.Dir, files)
		g.Git("add", "-A", ".")
		g.GitEnv([]string{"GIT_AUTHOR_DATE=" + at, "GIT_COMMITTER_DATE=" + at}, "commit", "-q", "-m", name)
		m.sha[name] = g.Git("rev-parse", "HEAD")
	}
	commit("C0", "2026-02-20T10:00:00Z", map[string]string{
		"services/api/main.go": "package main\n", "web/index.html": "<p>hi</p>\n", "libs/common/util.go": "package common\n",
		"README.md": "# mono\n", ".github/CODEOWNERS": codeownersBefore,
	})
	g.Tag("v0.1", m.sha["C0"], "2026-02-20T12:00:00Z")
	commit("C1", "2026-03-02T09:00:00Z", map[string]string{"services/api/main.go": "package main // 1\n"})
	g.Git("checkout", "-q", "-b", "feature")
	commit("F1", "2026-03-02T11:00:00Z", map[string]string{"web/index.html": "<p>hello</p>\n"})
	commit("F2", "2026-03-03T09:00:00Z", map[string]string{"web/app.js": "let x = 1\n"})
	g.Git("checkout", "-q", "main")
	commit("C2", "2026-03-02T10:00:00Z", map[string]string{"README.md": "# mono, a monorepo\n"})
	commit("C3", "2026-03-03T10:00:00Z", map[string]string{"libs/common/util.go": "package common // 3\n"})
	g.Tag("api/v1", m.sha["C3"], "2026-03-03T11:00:00Z")
	g.GitEnv([]string{"GIT_AUTHOR_DATE=2026-03-03T12:00:00Z", "GIT_COMMITTER_DATE=2026-03-03T12:00:00Z"}, "merge", "-q", "--no-ff", "-m", "M1", "feature")
	m.sha["M1"] = g.Git("rev-parse", "HEAD")
	g.Tag("web/v1", m.sha["M1"], "2026-03-03T13:00:00Z")
	commit("C4", "2026-03-04T09:00:00Z", map[string]string{"services/api/main.go": "package main // 4\n", "web/index.html": "<p>hello, 4</p>\n"})
	g.Tag("v1.0", m.sha["C4"], "2026-03-04T12:00:00Z")
	commit("C5", "2026-03-05T09:00:00Z", map[string]string{".github/CODEOWNERS": codeownersAfter})
	commit("C6", "2026-03-05T10:00:00Z", map[string]string{"web/index.html": "<p>hello, 6</p>\n"})
	commit("C7", "2026-03-05T11:00:00Z", map[string]string{"services/api/main.go": "package main // 7\n"})
	g.Tag("web/v2", m.sha["C7"], "2026-03-05T12:00:00Z")
	g.Tag("api/v2", m.sha["C7"], "2026-03-05T13:00:00Z")

	gittest.WriteFiles(t, m.data, map[string]string{
		"gitdora.yml": config,
		"events/incidents/2026-03.csv": "id,opened,resolved,severity,category,environment,commit,deployment_id,cwe,title,service\n" +
			"I1,2026-03-04T13:00:00Z,2026-03-04T15:00:00Z,high,reliability,production,,,,slow,\n" +
			"I2,2026-03-05T14:00:00Z,2026-03-05T18:00:00Z,high,reliability,production,,,,web down,web\n" +
			"I3,2026-03-03T14:00:00Z,2026-03-03T15:00:00Z,high,reliability,production," + m.sha["C1"] + ",,,api errors,\n",
	})
	result := func(rule, uri, fp string) string {
		return fmt.Sprintf(`{"ruleId": %q, "message": {"text": "m"}, "partialFingerprints": {"primaryLocationLineHash": %q}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": %q}, "region": {"startLine": 1}}}]}`, rule, fp, uri)
	}
	sarif := `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Semgrep", "rules": [
		{"id": "high", "properties": {"security-severity": "8.0"}}, {"id": "medium", "properties": {"security-severity": "5.0"}},
		{"id": "low", "properties": {"security-severity": "2.0"}}]}}, "results": [` +
		strings.Join([]string{result("high", "services/api/main.go", "f1"), result("medium", "web/index.html", "f2"),
			result("low", "libs/common/util.go", "f3"), result("low", "README.md", "f4")}, ",") + `]}]}`
	file := filepath.Join(t.TempDir(), "semgrep.sarif")
	if err := os.WriteFile(file, []byte(sarif), 0o644); err != nil {
		t.Fatal(err)
	}
	m.gitdora(t, "ingest", "sarif", file, "--sha", m.sha["C7"], "--ref", "main", "--at", "2026-03-05T20:00:00Z")
	return m
}

// gitdora runs gitdora on the monorepo and returns its stdout.
func (m *monorepo) gitdora(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := Run(append([]string{"--repo", m.repo, "--data", m.data}, args...), &out, &errb); code != 0 {
		t.Fatalf("gitdora %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
	}
	return out.String()
}

// monthJSON is `gitdora compute --month M` with extra flags, as a JSON
// document.
func (m *monorepo) monthJSON(t *testing.T, month string, flags ...string) map[string]any {
	t.Helper()
	out := m.gitdora(t, append([]string{"-q", "compute", "--month", month, "--format", "json"}, flags...)...)
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return doc
}

// at is the value at the dotted key of a JSON document.
func at(doc map[string]any, key string) any {
	var v any = doc
	for _, part := range strings.Split(key, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			return "missing"
		}
		if v, ok = obj[part]; !ok {
			return "missing"
		}
	}
	return v
}

// checkFigures compares the figures of doc with want (nil: null; a
// float64, an int or a string), numbers to 1e-9.
func checkFigures(t *testing.T, what string, doc map[string]any, want map[string]any) {
	t.Helper()
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		got, w := at(doc, k), want[k]
		if n, ok := w.(int); ok {
			w = float64(n)
		}
		switch wv := w.(type) {
		case float64:
			if g, ok := got.(float64); !ok || math.Abs(g-wv) > 1e-9 {
				t.Errorf("%s: %s = %v, want %v", what, k, got, wv)
			}
		default:
			if got != w {
				t.Errorf("%s: %s = %v, want %v", what, k, got, w)
			}
		}
	}
}

// Every figure of a service and of a team, as computed by hand from the
// monorepo's history: deployments chosen per service (its tags and the
// whole repository's), change sets per service (a commit belongs to the
// first deployment of the service that contains it, and counts when it
// touches the service's paths: a merge by its first-parent diff, the
// shared library in both), incidents by their service or their
// deployment's, findings by the first service matching their file;
// teams by CODEOWNERS at each commit (the web team changes half way).
func TestServicesAndTeamsByHand(t *testing.T) {
	m := newMonorepo(t, monorepoConfig)
	const days = 31.0
	// The repository: every tag once (v*, api/v*, web/v*), change sets
	// over all of them, lead times D − author date:
	// D1 api/v1 (C3): C1 26h, C2 25h, C3 1h; D2 web/v1 (M1): F1 26h, F2 4h,
	// M1 1h; D3 v1.0 (C4): C4 3h; D4 web/v2 (C7): C5 3h, C6 2h, C7 1h; D5
	// api/v2 (C7): none. Sorted: 1 1 1 2 3 3 4 25 26 26.
	// Incidents: I1 by time to D3, I2 by time to D5, I3 by commit C1 to D1.
	repo := m.monthJSON(t, "2026-03")
	checkFigures(t, "repository", repo, map[string]any{
		"scope.kind": "repository", "scope.name": "",
		"deployment_frequency.total": 5, "deployment_frequency.successful": 5, "deployment_frequency.deploy_days": 3,
		"deployment_frequency.per_day": 5 / days, "deployment_frequency.source": "tags",
		"lead_time.changes": 10, "lead_time.p50_hours": 3.0, "lead_time.p95_hours": 26.0, "lead_time.mean_hours": 9.2,
		"lead_time.unassigned_changes":    2, // C2 (README.md) and C5 (.github/CODEOWNERS)
		"change_failure_rate.deployments": 5, "change_failure_rate.failed_deployments": 3, "change_failure_rate.rate": 0.6,
		"time_to_restore.incidents": 3, "time_to_restore.mean_hours": 7.0 / 3, "time_to_restore.p50_hours": 2.0,
		"rework_rate":                      0.0,
		"vulnerabilities.open_at_end.high": 1, "vulnerabilities.open_at_end.medium": 1, "vulnerabilities.open_at_end.low": 2,
		"classification.lead_time": "elite", "classification.change_failure_rate": "low",
	})

	// api: v0.1 (Feb), api/v1 (C3), v1.0 (C4), api/v2 (C7). Change sets:
	// api/v1 = C1 C2 C3, of which C1 and C3 (libs/common) touch api; v1.0
	// = C4 M1 F1 F2, of which C4 (3h); api/v2 = C5 C6 C7, of which C7
	// (13:00 − 11:00 = 2h). Leads 1 2 3 26. Incidents: I1 (D3 deploys
	// everything) and I3 (D1, an api tag); I2 is web's.
	api := m.monthJSON(t, "2026-03", "--service", "api")
	checkFigures(t, "api", api, map[string]any{
		"scope.kind": "service", "scope.name": "api",
		"deployment_frequency.total": 3, "deployment_frequency.successful": 3, "deployment_frequency.deploy_days": 3,
		"deployment_frequency.per_day": 3 / days, "deployment_frequency.source": "tags",
		"lead_time.changes": 4, "lead_time.p50_hours": 2.5, "lead_time.p95_hours": 22.55, "lead_time.mean_hours": 8.0,
		"lead_time.unassigned_changes": "missing", "lead_time.skipped_bots": 0, "lead_time.skipped_negative": 0,
		"change_failure_rate.deployments": 3, "change_failure_rate.failed_deployments": 2, "change_failure_rate.rate": 2.0 / 3,
		"time_to_restore.incidents": 2, "time_to_restore.mean_hours": 1.5, "time_to_restore.p50_hours": 1.5,
		// services/api/main.go (high) and libs/common/util.go (low: api is
		// the first service whose paths match it); README.md is nobody's.
		"vulnerabilities.open_at_end.high": 1, "vulnerabilities.open_at_end.medium": 0, "vulnerabilities.open_at_end.low": 1,
		"vulnerabilities.new.high": 1, "vulnerabilities.new.low": 1,
		"classification.lead_time": "elite",
	})

	// web: v0.1, web/v1 (M1), v1.0 (C4), web/v2 (C7). web/v1 = C1 C2 C3
	// F1 F2 M1, of which C3 (libs: 13:00 − 10:00 = 3h), F1 26h, F2 4h, M1
	// 1h (its first-parent diff is web's); v1.0 = C4 3h; web/v2 = C5 C6
	// C7, of which C6 2h. Leads 1 2 3 3 4 26. Incidents: I1 (D3), and I2
	// (web's by its column, attributed to api/v2: no failed deployment of
	// web, but its restore time counts).
	web := m.monthJSON(t, "2026-03", "--service", "web")
	checkFigures(t, "web", web, map[string]any{
		"scope.kind": "service", "scope.name": "web",
		"deployment_frequency.successful": 3, "deployment_frequency.deploy_days": 3,
		"lead_time.changes": 6, "lead_time.p50_hours": 3.0, "lead_time.p95_hours": 20.5, "lead_time.mean_hours": 6.5,
		"change_failure_rate.deployments": 3, "change_failure_rate.failed_deployments": 1, "change_failure_rate.rate": 1.0 / 3,
		"time_to_restore.incidents": 2, "time_to_restore.mean_hours": 3.0, "time_to_restore.p50_hours": 3.0,
		"vulnerabilities.open_at_end.high": 0, "vulnerabilities.open_at_end.medium": 1, "vulnerabilities.open_at_end.low": 0,
	})

	// Teams by CODEOWNERS at each commit's tree: @org/web owns F1 F2 M1
	// (26, 4, 1) and C4 (3, with @org/api), shipped by web/v1 and v1.0;
	// after C5, web/ is @org/frontend's: C6 (2h), shipped by web/v2.
	webTeam := m.monthJSON(t, "2026-03", "--team", "@org/web")
	checkFigures(t, "@org/web", webTeam, map[string]any{
		"scope.kind": "team", "scope.name": "@org/web",
		"deployment_frequency.successful": 2, "deployment_frequency.deploy_days": 2,
		"lead_time.changes": 4, "lead_time.p50_hours": 3.5, "lead_time.p95_hours": 22.7, "lead_time.mean_hours": 8.5,
		"change_failure_rate.deployments": 2, "change_failure_rate.failed_deployments": 1, "change_failure_rate.rate": 0.5,
		"time_to_restore.incidents": 1, "time_to_restore.p50_hours": 2.0,
		// At the scan's commit (C7) web/ is @org/frontend's.
		"vulnerabilities.open_at_end.medium": 0,
	})
	frontend := m.monthJSON(t, "2026-03", "--team", "@org/frontend")
	checkFigures(t, "@org/frontend", frontend, map[string]any{
		"deployment_frequency.successful": 1, "lead_time.changes": 1, "lead_time.p50_hours": 2.0, "lead_time.mean_hours": 2.0,
		"change_failure_rate.deployments": 1, "change_failure_rate.failed_deployments": 0, "change_failure_rate.rate": 0.0,
		"time_to_restore.incidents": 0, "time_to_restore.mean_hours": nil,
		"vulnerabilities.open_at_end.medium": 1,
	})
	// @org/api owns C1 (26h, api/v1), C4 (3h, v1.0) and C7 (1h: shipped by
	// web/v2 at the repository level, which a team's figures are over).
	apiTeam := m.monthJSON(t, "2026-03", "--team", "@org/api")
	checkFigures(t, "@org/api", apiTeam, map[string]any{
		"deployment_frequency.successful": 3, "lead_time.changes": 3, "lead_time.p50_hours": 3.0, "lead_time.p95_hours": 23.7,
		"lead_time.mean_hours": 10.0, "change_failure_rate.failed_deployments": 2, "change_failure_rate.rate": 2.0 / 3,
		"time_to_restore.mean_hours": 1.5, "vulnerabilities.open_at_end.high": 1,
	})
	platform := m.monthJSON(t, "2026-03", "--team", "@org/platform")
	checkFigures(t, "@org/platform", platform, map[string]any{
		"deployment_frequency.successful": 1, "lead_time.changes": 1, "lead_time.p50_hours": 1.0,
		"change_failure_rate.failed_deployments": 1, "vulnerabilities.open_at_end.low": 1,
	})
}

// With services by path alone (no tags of their own) and teams, a
// repository's figures are those without: only scope and
// lead_time.unassigned_changes differ.
func TestServicesLeaveTheRepositoryAlone(t *testing.T) {
	m := newMonorepo(t, "trunk: main\nincidents:\n  since: 2026-03\n")
	without := m.gitdora(t, "-q", "compute", "--from", "2026-02", "--to", "2026-03", "--format", "json")
	cfg := "trunk: main\nincidents:\n  since: 2026-03\nservices:\n  - name: api\n    paths: [\"services/api/**\", \"libs/common/**\"]\n" +
		"  - name: web\n    paths: [\"web/**\", \"libs/**\"]\nteams:\n  source: codeowners\n"
	if err := os.WriteFile(filepath.Join(m.data, "gitdora.yml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	with := m.gitdora(t, "-q", "compute", "--from", "2026-02", "--to", "2026-03", "--format", "json")
	strip := func(s string) string {
		var doc map[string]any
		if err := json.Unmarshal([]byte(s), &doc); err != nil {
			t.Fatal(err)
		}
		months := doc["months"].([]any)
		for _, mo := range months {
			mm := mo.(map[string]any)
			delete(mm, "scope")
			delete(mm["lead_time"].(map[string]any), "unassigned_changes")
		}
		b, _ := json.Marshal(doc)
		return string(b)
	}
	if !strings.Contains(with, `"unassigned_changes": 1`) || strings.Contains(without, "unassigned_changes") {
		t.Errorf("unassigned_changes: with services\n%s\nwithout\n%s", with, without)
	}
	if a, b := strip(without), strip(with); a != b {
		t.Errorf("the repository's figures differ with services:\n%s\n%s", a, b)
	}
}

// An unknown service or team is an error naming the flag and listing
// the ones defined; so is a service without services configured.
func TestUnknownSlices(t *testing.T) {
	m := newMonorepo(t, monorepoConfig)
	for _, tc := range []struct {
		flags []string
		want  string
	}{
		{[]string{"--service", "db"}, `--service: no service "db": the services (gitdora.yml, line 5) are api, web`},
		{[]string{"--team", "@org/nobody"}, `--team: no team "@org/nobody": the teams known are @org/api, @org/frontend, @org/platform, @org/web`},
	} {
		var out, errb bytes.Buffer
		args := append([]string{"--repo", m.repo, "--data", m.data, "compute", "--month", "2026-03"}, tc.flags...)
		if code := Run(args, &out, &errb); code != 1 || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("%v: exit %d\n%s\nwant %q", tc.flags, code, errb.String(), tc.want)
		}
	}
	// The CODEOWNERS line GitHub skips is named, once.
	_, stderr := run(t, "--repo", m.repo, "--data", m.data, "compute", "--month", "2026-03", "--team", "@org/api")
	if n := strings.Count(stderr, "line 4: "); n != 1 || !strings.Contains(stderr, ".github/CODEOWNERS (blob ") || !strings.Contains(stderr, "GitHub skips it") {
		t.Errorf("the CODEOWNERS line GitHub skips is said %d times:\n%s", n, stderr)
	}
	if err := os.WriteFile(filepath.Join(m.data, "gitdora.yml"), []byte("trunk: main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := Run([]string{"--repo", m.repo, "--data", m.data, "compute", "--month", "2026-03", "--service", "api"}, &out, &errb); code != 1 ||
		!strings.Contains(errb.String(), `--service: no service "api": gitdora.yml defines no services`) {
		t.Errorf("no services: exit %d\n%s", code, errb.String())
	}
}

// With services and teams, the site's index has a row for each (with its
// class, sortable) and each has pages of its own.
func TestSiteOfServicesAndTeams(t *testing.T) {
	m := newMonorepo(t, monorepoConfig)
	out := filepath.Join(t.TempDir(), "site")
	m.gitdora(t, "-q", "site", "--out", out)
	files := readTree(t, out)
	for _, name := range []string{"index.html", "2026-03.html", "assets/sort.js", "services/api/index.html", "services/api/2026-03.html",
		"services/api/metrics.json", "services/web/2026-03.md", "teams/org-2fapi/index.html", "teams/org-2ffrontend/2026-03.html",
		"services/api/explain/2026-03.html"} {
		if len(files[name]) == 0 {
			t.Errorf("the site has no %s", name)
		}
	}
	index := string(files["index.html"])
	for _, want := range []string{`<a href="services/api/index.html">api</a>`, `<a href="services/web/index.html">web</a>`,
		`<a href="teams/org-2fweb/index.html">@org/web</a>`, `<script src="assets/sort.js"></script>`, `<h2 id="services-and-teams">`} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
	api := string(files["services/api/2026-03.html"])
	if !strings.Contains(api, `href="../../assets/style.css"`) || !strings.Contains(api, `href="../../index.html"`) {
		t.Errorf("a service's page does not reach the site's root")
	}
	var doc struct {
		Months []map[string]any `json:"months"`
	}
	if err := json.Unmarshal(files["services/api/metrics.json"], &doc); err != nil || len(doc.Months) != 2 {
		t.Fatalf("services/api/metrics.json: %v, %d months", err, len(doc.Months))
	}
	checkFigures(t, "api in the site", doc.Months[1], map[string]any{"scope.name": "api", "lead_time.p50_hours": 2.5, "change_failure_rate.rate": 2.0 / 3})
	if explain := string(files["services/api/explain/2026-03.html"]); !strings.Contains(explain, `href="../2026-03.html"`) {
		t.Errorf("the rows' page of a service does not link its month's report")
	}
}

// explain lists the changes lead_time.unassigned_changes counts.
func TestExplainUnassignedChanges(t *testing.T) {
	m := newMonorepo(t, monorepoConfig)
	out := m.gitdora(t, "-q", "explain", "lead_time.unassigned_changes", "--month", "2026-03", "--format", "csv")
	for _, sha := range []string{m.sha["C2"], m.sha["C5"]} {
		if !strings.Contains(out, sha) {
			t.Errorf("explain lead_time.unassigned_changes does not list %s:\n%s", sha, out)
		}
	}
	if n := strings.Count(strings.TrimSpace(out), "\n"); n != 2 {
		t.Errorf("explain lists %d rows, want 2:\n%s", n, out)
	}
}

// Deployment sources are chosen per service: a deployment event of api
// makes api's March come from events, while web's stays with its tags.
// The reading commands all take --service and --team; a service path that
// matches no file at the trunk's tip is a warning.
func TestServiceSourcesAndCommands(t *testing.T) {
	m := newMonorepo(t, monorepoConfig)
	cfg := strings.Replace(monorepoConfig, `paths: ["web/**", "libs/common/**"]`, `paths: ["web/**", "libs/common/**", "nowhere/**"]`, 1)
	if err := os.WriteFile(filepath.Join(m.data, "gitdora.yml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	m.gitdora(t, "-q", "record", "deployment", "--id", "ev-api", "--sha", m.sha["C7"], "--at", "2026-03-06T10:00:00Z", "--service", "api")
	api := m.monthJSON(t, "2026-03", "--service", "api")
	web := m.monthJSON(t, "2026-03", "--service", "web")
	checkFigures(t, "api", api, map[string]any{"deployment_frequency.source": "events", "deployment_frequency.total": 1})
	checkFigures(t, "web", web, map[string]any{"deployment_frequency.source": "tags", "deployment_frequency.total": 3})

	_, stderr := run(t, "--repo", m.repo, "--data", m.data, "compute", "--month", "2026-03", "--service", "web")
	if !strings.Contains(stderr, `service web: the path "nowhere/**" matches no file of the trunk main`) {
		t.Errorf("no warning of the path that matches nothing:\n%s", stderr)
	}
	out := t.TempDir()
	for _, args := range [][]string{
		{"report", "--month", "2026-03", "--service", "api", "--out", filepath.Join(out, "report")},
		{"site", "--team", "@org/web", "--out", filepath.Join(out, "site")},
		{"alerts", "--at", "2026-03-31T00:00:00Z", "--service", "web"},
		{"explain", "lead_time.p50_hours", "--month", "2026-03", "--team", "@org/api"},
	} {
		m.gitdora(t, append([]string{"-q"}, args...)...)
	}
	report, err := os.ReadFile(filepath.Join(out, "report", "2026-03.md"))
	if err != nil || !strings.Contains(string(report), "March 2026") {
		t.Errorf("report --service: %v", err)
	}
	var doc struct {
		Months []map[string]any `json:"months"`
	}
	b, _ := os.ReadFile(filepath.Join(out, "site", "metrics.json"))
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.Months) == 0 || at(doc.Months[len(doc.Months)-1], "scope.name") != "@org/web" {
		t.Errorf("site --team: %v %s", err, b)
	}
}
