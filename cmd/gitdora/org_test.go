package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/internal/gittest"
)

// dataBranch commits the monorepo's data folder as its dora-data branch.
func (m *monorepo) dataBranch(t *testing.T) {
	t.Helper()
	env := []string{"GIT_INDEX_FILE=" + filepath.Join(t.TempDir(), "index"), "GIT_WORK_TREE=" + m.data}
	if _, err := gittest.Run(m.repo, env, "", "add", "-A", "."); err != nil {
		t.Fatal(err)
	}
	tree, err := gittest.Run(m.repo, env, "", "write-tree")
	if err != nil {
		t.Fatal(err)
	}
	commit := gittest.MustRun(t, m.repo, "commit-tree", tree, "-m", "data")
	gittest.MustRun(t, m.repo, "update-ref", "refs/heads/dora-data", commit)
}

// smallRepo is a repository of three commits deployed by recorded events
// (2h and 24h lead times in March 2026), with no incident ever recorded:
// its change failure rate is unknown, not zero.
func smallRepo(t *testing.T) string {
	t.Helper()
	g := gittest.New(t)
	sha := map[string]string{}
	for _, c := range []struct{ name, at string }{{"S0", "2026-02-25T08:00:00Z"}, {"S1", "2026-03-10T08:00:00Z"}, {"S2", "2026-03-11T08:00:00Z"}} {
		sha[c.name] = g.Commit(gittest.C{Msg: c.name, Authored: c.at, Parents: parentsOf(sha, c.name)})
	}
	g.Branch("main", sha["S2"])
	for _, d := range []struct{ id, commit, at string }{{"e0", "S0", "2026-02-26T08:00:00Z"}, {"e1", "S1", "2026-03-10T10:00:00Z"}, {"e2", "S2", "2026-03-12T08:00:00Z"}} {
		run(t, "-q", "--repo", g.Dir, "record", "deployment", "--id", d.id, "--sha", sha[d.commit], "--at", d.at)
	}
	return g.Dir
}

func parentsOf(sha map[string]string, name string) []string {
	prev := map[string]string{"S1": "S0", "S2": "S1"}[name]
	if prev == "" {
		return nil
	}
	return []string{sha[prev]}
}

// readCSV reads a facts CSV as rows of column → value.
func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = r[i]
		}
		out = append(out, row)
	}
	return out
}

// percentile is numpy.percentile's default over values, written apart
// from compute's.
func percentile(values []float64, p float64) float64 {
	s := slices.Clone(values)
	slices.Sort(s)
	x := float64(len(s)-1) * p / 100
	lo := int(x)
	if lo+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[lo] + (x-float64(lo))*(s[lo+1]-s[lo])
}

// An organisation's figures are the same from the repositories
// (--repos) and from the facts each exported (--facts), and they are the
// figures of the union of those facts computed by hand: percentiles over
// all changes, deployment days over all deployments, and a change failure
// rate over the repositories that track incidents only. A repository
// that is missing or has no data branch is named and left out; with
// --strict it is an error.
func TestOrganisationFromReposAndFacts(t *testing.T) {
	mono := newMonorepo(t, monorepoConfig)
	mono.dataBranch(t)
	small := smallRepo(t)
	empty := gittest.New(t).Dir
	dir := t.TempDir()
	list := filepath.Join(dir, "repos.txt")
	if err := os.WriteFile(list, []byte("# the organisation\nmono "+mono.repo+"\nsmall "+small+"\n\nghost nowhere\nempty "+empty+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	facts := filepath.Join(dir, "facts")
	run(t, "-q", "--repo", mono.repo, "collect", "--out", filepath.Join(facts, "mono"))
	run(t, "-q", "--repo", small, "collect", "--out", filepath.Join(facts, "small"))
	for _, name := range []string{"gitdora.yml", "slices.csv", "services/api/changes.csv", "teams/org-2fweb/deployments.csv"} {
		if _, err := os.Stat(filepath.Join(facts, "mono", filepath.FromSlash(name))); err != nil {
			t.Errorf("collect --out wrote no %s: %v", name, err)
		}
	}

	fromRepos, stderr := run(t, "org", "--repos", list, "--from", "2026-02", "--to", "2026-03", "--format", "json")
	for _, want := range []string{"repository ghost left out", "repository empty left out", "has no data branch dora-data"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("org --repos does not say %q:\n%s", want, stderr)
		}
	}
	fromFacts, _ := run(t, "org", "--facts", facts, "--from", "2026-02", "--to", "2026-03", "--format", "json")
	if fromRepos != fromFacts {
		t.Fatalf("org --repos and org --facts differ:\n%s\n%s", fromRepos, fromFacts)
	}
	var out bytes.Buffer
	if code := Run([]string{"--strict", "org", "--repos", list, "--from", "2026-02", "--to", "2026-03"}, &out, &out); code != 1 ||
		!strings.Contains(out.String(), "2 repositories could not be read (ghost, empty) and --strict is given") {
		t.Errorf("org --strict with missing repositories: exit %d\n%s", code, out.String())
	}

	// By hand, over the union of the facts collect exported.
	var doc struct {
		Months []map[string]any `json:"months"`
	}
	if err := json.Unmarshal([]byte(fromFacts), &doc); err != nil || len(doc.Months) != 2 {
		t.Fatalf("%v: %s", err, fromFacts)
	}
	march := doc.Months[1]
	inMarch := func(ts string) bool { return strings.HasPrefix(ts, "2026-03") }
	days := map[string]bool{}
	var leads []float64
	total, tracked, failed := 0, 0, 0
	var restores []float64
	for _, repo := range []string{"mono", "small"} {
		depTime := map[string]string{}
		incs := readCSV(t, filepath.Join(facts, repo, "incidents.csv"))
		hasIncidents := len(incs) > 0
		attributed := map[string]bool{}
		for _, in := range incs {
			if in["attribution"] != "none" {
				attributed[in["deployment_id"]] = true
			}
			if in["resolved"] != "" && inMarch(in["resolved"]) {
				o, _ := time.Parse(time.RFC3339, in["opened"])
				r, _ := time.Parse(time.RFC3339, in["resolved"])
				restores = append(restores, r.Sub(o).Hours())
			}
		}
		for _, d := range readCSV(t, filepath.Join(facts, repo, "deployments.csv")) {
			depTime[d["id"]] = d["time"]
			if !inMarch(d["time"]) || d["status"] != "success" {
				continue
			}
			total++
			days[d["time"][:10]] = true
			if hasIncidents {
				tracked++
				if attributed[d["id"]] {
					failed++
				}
			}
		}
		for _, c := range readCSV(t, filepath.Join(facts, repo, "changes.csv")) {
			if c["counted"] == "yes" && inMarch(depTime[c["deployment_id"]]) {
				s, _ := strconv.ParseFloat(c["lead_time_seconds"], 64)
				leads = append(leads, s/3600)
			}
		}
	}
	sum := 0.0
	for _, l := range leads {
		sum += l
	}
	restoreSum := 0.0
	for _, r := range restores {
		restoreSum += r
	}
	if total != 7 || len(leads) != 12 || tracked != 5 || failed != 3 {
		t.Fatalf("the facts are not the fixture's: %d deployments, %d changes, %d tracked, %d failed", total, len(leads), tracked, failed)
	}
	checkFigures(t, "organisation", march, map[string]any{
		"scope.kind": "organisation", "repositories": 2,
		"deployment_frequency.successful": total, "deployment_frequency.deploy_days": len(days), "deployment_frequency.per_day": float64(total) / 31,
		"lead_time.changes": len(leads), "lead_time.p50_hours": percentile(leads, 50), "lead_time.p95_hours": percentile(leads, 95),
		"lead_time.mean_hours": sum / float64(len(leads)), "lead_time.unassigned_changes": 2,
		// small tracks no incident: its deployments are in no change-failure sum.
		"change_failure_rate.deployments": tracked, "change_failure_rate.failed_deployments": failed, "change_failure_rate.rate": float64(failed) / float64(tracked),
		"time_to_restore.incidents": len(restores), "time_to_restore.mean_hours": restoreSum / float64(len(restores)), "time_to_restore.p50_hours": percentile(restores, 50),
		"vulnerabilities.open_at_end.low": 2,
	})
	// …and those are the fixture's, as worked out: days Mar 3, 4, 5, 10,
	// 12; leads 1 1 1 2 2 3 3 4 24 25 26 26.
	checkFigures(t, "organisation", march, map[string]any{"deployment_frequency.deploy_days": 5, "lead_time.p50_hours": 3.0,
		"lead_time.p95_hours": 26.0, "lead_time.mean_hours": 118.0 / 12, "change_failure_rate.rate": 0.6})
	checkFigures(t, "organisation", doc.Months[0], map[string]any{"repositories": 2, "deployment_frequency.successful": 2, "lead_time.changes": 0,
		"change_failure_rate.rate": nil})

	// The organisation's site: its months, and a table of its
	// repositories, services and teams linking their own sites.
	site := filepath.Join(dir, "site")
	run(t, "-q", "org", "--facts", facts, "--name", "Example", "--out", site, "--site-url", "https://pages.example/{name}/")
	files := readTree(t, site)
	index := string(files["index.html"])
	for _, want := range []string{"<title>Example: DORA and security scan impact</title>", `<h2 id="repositories-services-and-teams">`,
		`<a href="https://pages.example/mono/index.html">mono</a>`, `<a href="https://pages.example/mono/services/api/index.html">mono/api</a>`,
		`<a href="https://pages.example/mono/teams/org-2fweb/index.html">mono/@org/web</a>`, `<a href="https://pages.example/small/index.html">small</a>`,
		`<script src="assets/sort.js"></script>`} {
		if !strings.Contains(index, want) {
			t.Errorf("the organisation's index lacks %s", want)
		}
	}
	if len(files["2026-03.html"]) == 0 || len(files["metrics.json"]) == 0 {
		t.Errorf("the organisation's site has no month pages or metrics.json")
	}
}
