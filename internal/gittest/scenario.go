package gittest

import (
	"path/filepath"
	"strings"
	"testing"
)

// Dependabot is the author of bot commits in the scenarios.
const Dependabot = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"

// January is a month of history with every case the DORA metrics must
// get right, on a repository and a data directory of events. All times
// are UTC. Commits (author date = committer date unless said):
//
//	A  01-01 09:00  init
//	B  01-02 09:00  b                        D1 01-02 12:00 success (first deployment: A, B)
//	F1 01-03 09:00  f1 (branch from B)
//	C  01-03 10:00  c (main, from B)
//	M1 01-04 09:00  merge of C and F1
//	Bot 01-04 10:00 dependabot bump            D2 01-05 09:00 success, scan 360 s: C, F1, M1, Bot
//	                                           D3 01-05 15:00 success, Bot again: nothing new
//	X1 01-06 09:00, Y1 01-06 10:00 (branches from Bot)
//	MX 01-06 11:00 merge X1+Y1, MY 01-06 12:00 merge Y1+X1 (criss-cross)
//	O  01-07 09:00  octopus merge of Bot, MX, MY
//	R  authored 01-08 12:00, committed 01-07 10:00  D4 01-07 11:00 success: X1 Y1 MX MY O R
//	S  01-08 08:00  s                          D5 01-08 09:00 failure, D6 01-08 10:00 blocked,
//	                                           D7 01-09 09:00 success: S
//	T  01-10 09:00  Revert "c" (body names C)  D8 01-10 12:00 success: T
//	                                           E1 01-09 12:00 staging success of T
//
// Incidents:
//
//	I1 01-05 10:00-16:00 high security, commit F1 (→ D2 by commit; fixed by D3)
//	I2 01-08 09:30-10:30 medium reliability, deployment_id D4
//	I3 01-07 13:00-14:00 low other, nothing (→ D4 by time)
//	I4 01-09 10:00-11:00 staging, commit S
//	I5 01-20 09:00-11:00 high reliability, nothing (10 days after D8: unattributed)
type January struct {
	Repo *Repo
	Data string            // plain data directory
	SHA  map[string]string // commit name → sha
}

// NewJanuary builds the January scenario.
func NewJanuary(t testing.TB) *January {
	t.Helper()
	r := New(t)
	s := map[string]string{}
	at := func(day, hm string) string { return "2026-01-" + day + "T" + hm + ":00Z" }
	c := func(name, msg, authored string, parents ...string) string {
		s[name] = r.Commit(C{Msg: msg, Authored: authored, Parents: parents})
		return s[name]
	}
	c("A", "init", at("01", "09:00"))
	c("B", "b", at("02", "09:00"), s["A"])
	c("F1", "f1", at("03", "09:00"), s["B"])
	c("C", "c", at("03", "10:00"), s["B"])
	c("M1", "Merge branch 'f'", at("04", "09:00"), s["C"], s["F1"])
	s["Bot"] = r.Commit(C{Msg: "Bump golang.org/x/net from 0.1.0 to 0.2.0", Author: Dependabot, Authored: at("04", "10:00"), Parents: []string{s["M1"]}})
	c("X1", "x1", at("06", "09:00"), s["Bot"])
	c("Y1", "y1", at("06", "10:00"), s["Bot"])
	c("MX", "Merge y into x", at("06", "11:00"), s["X1"], s["Y1"])
	c("MY", "Merge x into y", at("06", "12:00"), s["Y1"], s["X1"])
	c("O", "Octopus", at("07", "09:00"), s["Bot"], s["MX"], s["MY"])
	s["R"] = r.Commit(C{Msg: "r", Authored: at("08", "12:00"), Committed: at("07", "10:00"), Parents: []string{s["O"]}})
	c("S", "s", at("08", "08:00"), s["R"])
	c("T", "Revert \"c\"\n\nThis reverts commit "+s["C"]+".", at("10", "09:00"), s["S"])
	r.Branch("main", s["T"])

	dep := func(id, when, sha, env, status, scan string, blocked bool) string {
		b := "false"
		if blocked {
			b = "true"
		}
		return strings.Join([]string{id, when, sha, env, status, scan, "", b, "0", "0", "0", "0", "test"}, ",") + "\n"
	}
	deps := "id,time,sha,environment,status,scan_seconds,pipeline_seconds,gate_blocked,critical,high,medium,low,source\n" +
		dep("D1", at("02", "12:00"), s["B"], "production", "success", "", false) +
		dep("D2", at("05", "09:00"), s["Bot"], "production", "success", "360", false) +
		dep("D3", at("05", "15:00"), s["Bot"], "production", "success", "", false) +
		dep("D4", at("07", "11:00"), s["R"], "production", "success", "", false) +
		dep("D5", at("08", "09:00"), s["S"], "production", "failure", "", false) +
		dep("D6", at("08", "10:00"), s["S"], "production", "blocked", "", true) +
		dep("D7", at("09", "09:00"), s["S"], "production", "success", "", false) +
		dep("E1", at("09", "12:00"), s["T"], "staging", "success", "", false) +
		dep("D8", at("10", "12:00"), s["T"], "production", "success", "", false)
	inc := func(id, opened, resolved, sev, cat, env, commit, dep, title string) string {
		return strings.Join([]string{id, opened, resolved, sev, cat, env, commit, dep, "", title}, ",") + "\n"
	}
	incs := "id,opened,resolved,severity,category,environment,commit,deployment_id,cwe,title\n" +
		inc("I1", at("05", "10:00"), at("05", "16:00"), "high", "security", "production", s["F1"], "", "token in logs") +
		inc("I2", at("08", "09:30"), at("08", "10:30"), "medium", "reliability", "production", "", "D4", "slow pages") +
		inc("I3", at("07", "13:00"), at("07", "14:00"), "low", "other", "production", "", "", "typo") +
		inc("I4", at("09", "10:00"), at("09", "11:00"), "high", "reliability", "staging", s["S"], "", "staging down") +
		inc("I5", at("20", "09:00"), at("20", "11:00"), "high", "reliability", "production", "", "", "disk full")
	dir := t.TempDir()
	WriteFiles(t, dir, map[string]string{
		"events/deployments/2026-01.csv": deps,
		"events/incidents/2026-01.csv":   incs,
	})
	return &January{Repo: r, Data: dir, SHA: s}
}

// Config writes a gitdora.yml with yaml into the scenario's data
// directory and returns its path.
func (j *January) Config(t testing.TB, yaml string) string {
	t.Helper()
	WriteFiles(t, j.Data, map[string]string{"gitdora.yml": yaml})
	return filepath.Join(j.Data, "gitdora.yml")
}

// Tags is a history whose deployments come from tags: annotated (tagger
// date), lightweight (committer date), tags that do not match v*, a
// deployment at 23:30 UTC on 31 January (00:30 on 1 February in Berlin),
// and March events that outrank March's tag. All times UTC unless said.
//
//	P0 01-09 10:00 init
//	P1 01-10 10:00             v1.0.0 annotated, 01-10 12:00 (first deployment)
//	P2 authored 01-31 20:00, committed 01-31 23:30   v1.1.0 lightweight
//	P3 02-05 10:00             nightly-1 (lightweight), docs-1 (annotated): not releases
//	P4 02-10 10:00             v1.2.0 annotated, 02-10 11:00+01:00
//	P5 03-03 10:00             v1.3.0 annotated, 03-03 11:00 (March has events: not a deployment)
//
// Events: st1 02-20 10:00 staging of P4; ev1 03-02 10:00 production of P4
// (abbreviated sha).
type Tags struct {
	Repo *Repo
	Data string
	SHA  map[string]string
}

// NewTags builds the Tags scenario.
func NewTags(t testing.TB) *Tags {
	t.Helper()
	r := New(t)
	s := map[string]string{}
	s["P0"] = r.Commit(C{Msg: "init", Authored: "2026-01-09T10:00:00Z"})
	s["P1"] = r.Commit(C{Msg: "p1", Authored: "2026-01-10T10:00:00Z", Parents: []string{s["P0"]}})
	r.Tag("v1.0.0", s["P1"], "2026-01-10T12:00:00Z")
	s["P2"] = r.Commit(C{Msg: "p2", Authored: "2026-01-31T20:00:00Z", Committed: "2026-01-31T23:30:00Z", Parents: []string{s["P1"]}})
	r.LightTag("v1.1.0", s["P2"])
	s["P3"] = r.Commit(C{Msg: "p3", Authored: "2026-02-05T10:00:00Z", Parents: []string{s["P2"]}})
	r.LightTag("nightly-1", s["P3"])
	r.Tag("docs-1", s["P3"], "2026-02-05T11:00:00Z")
	s["P4"] = r.Commit(C{Msg: "p4", Authored: "2026-02-10T10:00:00Z", Parents: []string{s["P3"]}})
	r.Tag("v1.2.0", s["P4"], "2026-02-10T11:00:00+01:00")
	s["P5"] = r.Commit(C{Msg: "p5", Authored: "2026-03-03T10:00:00Z", Parents: []string{s["P4"]}})
	r.Tag("v1.3.0", s["P5"], "2026-03-03T11:00:00Z")
	r.Branch("main", s["P5"])
	dir := t.TempDir()
	const header = "id,time,sha,environment,status,scan_seconds,pipeline_seconds,gate_blocked,critical,high,medium,low,source\n"
	WriteFiles(t, dir, map[string]string{
		"events/deployments/2026-02.csv": header + "st1,2026-02-20T10:00:00Z," + s["P4"] + ",staging,success,,,false,0,0,0,0,cli\n",
		"events/deployments/2026-03.csv": header + "ev1,2026-03-02T10:00:00Z," + s["P4"][:10] + ",production,success,,,false,0,0,0,0,cli\n",
	})
	return &Tags{Repo: r, Data: dir, SHA: s}
}
