package compute

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/collect/findings"
	"github.com/gitdora/gitdora/collect/sarif"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
)

// scanOf is one scan of a hand-built sequence.
type scanOf struct {
	at          string // RFC 3339
	log         string // SARIF
	ref         string // default main
	incremental bool
}

// factsOf reads a sequence of SARIF logs as collect would from the data
// branch, through their normalised findings: scan i is commit ci, file
// si.sarif.
func factsOf(t *testing.T, scans ...scanOf) *fact.Facts {
	t.Helper()
	f := &fact.Facts{}
	for i, sc := range scans {
		var at time.Time // zero: the run's invocation end time
		if sc.at != "" {
			at = ts(sc.at)
		}
		ref := sc.ref
		if ref == "" {
			ref = "main"
		}
		base := fact.Scan{Commit: fmt.Sprintf("c%d", i), Ref: ref, Type: fact.ScanFull, File: fmt.Sprintf("s%d.sarif", i), Time: at}
		if sc.incremental {
			base.Type = fact.ScanIncremental
		}
		var w findings.Writer
		log, err := sarif.Read(strings.NewReader(sc.log), sarif.Options{}, w.Run)
		if err != nil {
			t.Fatalf("scan %d: %v", i, err)
		}
		file, err := findings.Decode(string(w.Bytes(log)))
		if err != nil {
			t.Fatalf("scan %d: %v", i, err)
		}
		for k := range file.Runs {
			r := &file.Runs[k]
			b := base
			b.ID = fmt.Sprintf("%s#%d", base.File, r.Index)
			s := r.Run.Scan(b)
			if s.Set, err = r.Set(s.Tool, nil, nil); err != nil {
				t.Fatalf("scan %d: %v", i, err)
			}
			if s.Set != nil {
				s.Results, s.Suppressed = len(s.Set.List), s.Set.Suppressed
			}
			f.Scans = append(f.Scans, s)
		}
	}
	return f
}

// episodesOf is the finding episodes of the trunk "main" in f. It checks
// that EpisodeRows gives them too, but for their messages.
func episodesOf(t *testing.T, f *fact.Facts) []Episode {
	t.Helper()
	cfg := config.Default()
	cfg.Trunk = "main"
	h := NewHistory(f, cfg, time.UTC)
	var out []Episode
	for _, e := range h.Episodes() {
		out = append(out, e)
	}
	i := 0
	for e := range h.EpisodeRows() {
		want := out[i]
		want.Message = ""
		if !reflect.DeepEqual(*e, want) {
			t.Errorf("EpisodeRows: episode %d is %+v, want %+v", i, *e, want)
		}
		i++
	}
	if i != len(out) {
		t.Errorf("EpisodeRows: %d episodes, want %d", i, len(out))
	}
	return out
}

// sarifLog is a log with one run of tool holding results (JSON objects).
func sarifLog(tool string, results ...string) string {
	return `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"` + tool + `","rules":[{"id":"R","defaultConfiguration":{"level":"error"}}]}},"results":[` + strings.Join(results, ",") + `]}]}`
}

// result is a result of rule R in uri at line whose code is snippet; more
// are extra members.
func result(uri string, line int, snippet string, more ...string) string {
	s := fmt.Sprintf(`{"ruleId":"R","message":{"text":%q},"locations":[{"physicalLocation":{"artifactLocation":{"uri":%q},"region":{"startLine":%d,"snippet":{"text":%q}}}}]`, "found "+snippet, uri, line, snippet)
	for _, m := range more {
		s += "," + m
	}
	return s + "}"
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

type epWant struct {
	firstSeen, fixedAt, suppressedAt string // "" for none
}

func checkEpisodes(t *testing.T, got []Episode, want []epWant) {
	t.Helper()
	if len(got) != len(want) {
		for _, e := range got {
			t.Logf("episode %s %s %s first %s fixed %v suppressed %v", e.Tool, e.RuleID, e.Fingerprint, e.FirstSeen, e.FixedAt, e.SuppressedAt)
		}
		t.Fatalf("%d episodes, want %d", len(got), len(want))
	}
	for i, w := range want {
		e := got[i]
		if !e.FirstSeen.Equal(ts(w.firstSeen)) {
			t.Errorf("episode %d: first seen %s, want %s", i, e.FirstSeen, w.firstSeen)
		}
		for _, c := range []struct {
			name string
			got  *time.Time
			want string
		}{{"fixed at", e.FixedAt, w.fixedAt}, {"suppressed at", e.SuppressedAt, w.suppressedAt}} {
			switch {
			case c.want == "" && c.got != nil:
				t.Errorf("episode %d: %s %s, want none", i, c.name, c.got)
			case c.want != "" && (c.got == nil || !c.got.Equal(ts(c.want))):
				t.Errorf("episode %d: %s %v, want %s", i, c.name, c.got, c.want)
			}
		}
	}
}

const (
	t1 = "2026-01-05T10:00:00Z"
	t2 = "2026-01-12T10:00:00Z"
	t3 = "2026-02-02T10:00:00Z"
	t4 = "2026-02-09T10:00:00Z"
)

func TestFixedThenReintroduced(t *testing.T) {
	a := result("src/a.c", 10, "strcpy(buf, s);")
	f := factsOf(t,
		scanOf{at: t1, log: sarifLog("T", a)},
		scanOf{at: t2, log: sarifLog("T")},
		scanOf{at: t3, log: sarifLog("T", a)},
	)
	checkEpisodes(t, episodesOf(t, f), []epWant{{t1, t2, ""}, {t3, "", ""}})
}

func TestMovedLinesKeepTheirIdentity(t *testing.T) {
	// Without fingerprints the identity is rule, file and code: the line
	// is not part of it. With fingerprints, the tool's value is.
	f := factsOf(t,
		scanOf{at: t1, log: sarifLog("T", result("src/a.c", 10, "strcpy(buf, s);"), result("b.go", 3, "x", `"partialFingerprints":{"primaryLocationLineHash":"abc:1"}`))},
		scanOf{at: t2, log: sarifLog("T", result("src/a.c", 42, "    strcpy(buf, s);"), result("b.go", 90, "y", `"partialFingerprints":{"primaryLocationLineHash":"abc:1"}`))},
	)
	eps := episodesOf(t, f)
	checkEpisodes(t, eps, []epWant{{t1, "", ""}, {t1, "", ""}})
	for _, e := range eps {
		if !e.LastSeen.Equal(ts(t2)) || e.Line != 42 && e.Line != 90 {
			t.Errorf("episode %s: last seen %s at line %d, want %s at the new line", e.URI, e.LastSeen, e.Line, t2)
		}
	}
}

func TestIncrementalScanFixesOnlyWhatItCovers(t *testing.T) {
	a := result("src/a.c", 10, "strcpy(buf, s);")
	incr := func(files ...string) string {
		var arts []string
		for _, f := range files {
			arts = append(arts, fmt.Sprintf(`{"location":{"uri":%q}}`, f))
		}
		return `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"artifacts":[` + strings.Join(arts, ",") + `],"results":[]}]}`
	}
	f := factsOf(t,
		scanOf{at: t1, log: sarifLog("T", a)},
		scanOf{at: t2, log: incr("src/b.c"), incremental: true},
		scanOf{at: t3, log: incr(), incremental: true},
		scanOf{at: t4, log: incr("./src/a.c"), incremental: true},
	)
	checkEpisodes(t, episodesOf(t, f), []epWant{{t1, t4, ""}})
}

func TestSuppressedFindingsAreNotOpen(t *testing.T) {
	sup := `"suppressions":[{"kind":"inSource"}]`
	a := result("a.c", 1, "a()")
	b := result("b.c", 1, "b()")
	f := factsOf(t,
		scanOf{at: t1, log: sarifLog("T", result("a.c", 1, "a()", sup), b)},
		scanOf{at: t2, log: sarifLog("T", result("a.c", 1, "a()", sup), result("b.c", 1, "b()", sup))},
		scanOf{at: t3, log: sarifLog("T", a, b)},
	)
	eps := episodesOf(t, f)
	// a: suppressed until t3, then open. b: open t1, triaged (not fixed) at t2, back at t3.
	checkEpisodes(t, eps, []epWant{{t1, "", t2}, {t3, "", ""}, {t3, "", ""}})
	if eps[0].URI != "b.c" || eps[0].State() != "suppressed" {
		t.Errorf("first episode %s is %s, want b.c suppressed", eps[0].URI, eps[0].State())
	}
	h := &History{Facts: f, Config: config.Default(), Loc: time.UTC}
	h.security = newSecurityIndex(f, h.Config)
	jan := h.Period(mustMonth(t, "2026-01"))
	if jan.Vulnerabilities.OpenAtEnd.High != 0 || jan.Vulnerabilities.Fixed.High != 0 || jan.Vulnerabilities.New.High != 1 {
		t.Errorf("January: new %d fixed %d open %d; want 1 new, 0 fixed (triaged is not fixed), 0 open",
			jan.Vulnerabilities.New.High, jan.Vulnerabilities.Fixed.High, jan.Vulnerabilities.OpenAtEnd.High)
	}
	if jan.Detail.Results != 4 || jan.Detail.Suppressed != 3 {
		t.Errorf("January detail: %d results, %d suppressed; want 4, 3", jan.Detail.Results, jan.Detail.Suppressed)
	}
}

func TestTwoToolsAtTheSamePlace(t *testing.T) {
	a := result("a.c", 7, "gets(buf);")
	f := factsOf(t,
		scanOf{at: t1, log: sarifLog("semgrep", a)},
		scanOf{at: t1, log: sarifLog("codeql", a)},
		scanOf{at: t2, log: sarifLog("semgrep")},
	)
	eps := episodesOf(t, f)
	checkEpisodes(t, eps, []epWant{{t1, t2, ""}, {t1, "", ""}})
	if eps[0].Tool != "semgrep" || eps[1].Tool != "codeql" {
		t.Errorf("tools %s, %s; want semgrep (fixed by its own scan only), codeql (open)", eps[0].Tool, eps[1].Tool)
	}
}

func TestOnlyTrunkScansTakePart(t *testing.T) {
	a := result("a.c", 7, "gets(buf);")
	f := factsOf(t,
		scanOf{at: t1, log: sarifLog("T", a)},
		scanOf{at: t2, log: sarifLog("T"), ref: "feature/x"},                                           // a pull request's scan fixes nothing
		scanOf{at: t3, log: `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}}}]}`},           // no results array: fixes nothing
		scanOf{at: t3, log: sarifLog("T", result("b.c", 1, "new()")), ref: "refs/pull/1/merge"},        // nor opens anything
		scanOf{at: t4, log: sarifLog("T", result("a.c", 7, "gets(buf);", `"baselineState":"absent"`))}, // reported as gone
	)
	checkEpisodes(t, episodesOf(t, f), []epWant{{t1, t4, ""}})
}

func TestFingerprintAddedLater(t *testing.T) {
	// Like codeql-action adding primaryLocationLineHash to a log that had none.
	f := factsOf(t,
		scanOf{at: t1, log: sarifLog("T", result("a.js", 1, "var a;"), result("a.js", 5, "var b;"))},
		scanOf{at: t2, log: sarifLog("T", result("a.js", 1, "var a;", `"partialFingerprints":{"primaryLocationLineHash":"5e4d:1"}`), result("a.js", 5, "var b;", `"partialFingerprints":{"primaryLocationLineHash":"f759:1"}`))},
		scanOf{at: t3, log: sarifLog("T", result("a.js", 9, "var a;", `"partialFingerprints":{"primaryLocationLineHash":"5e4d:1"}`))},
	)
	eps := episodesOf(t, f)
	checkEpisodes(t, eps, []epWant{{t1, "", ""}, {t1, t3, ""}})
	if eps[0].Fingerprint != "5e4d:1" {
		t.Errorf("fingerprint %q, want the latest (5e4d:1)", eps[0].Fingerprint)
	}
}

func mustMonth(t *testing.T, m string) Period {
	t.Helper()
	return monthPeriod(t, m, time.UTC)
}

func TestVulnerabilityAndScanMetrics(t *testing.T) {
	crit := `"properties":{"security-severity":"9.5"}`
	timed := func(start, end string, results ...string) string {
		return `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T","rules":[{"id":"R","defaultConfiguration":{"level":"error"}}]}},"invocations":[{"startTimeUtc":"` + start + `","endTimeUtc":"` + end + `"}],"results":[` + strings.Join(results, ",") + `]}]}`
	}
	c1 := result("a.c", 1, "c1()", crit)
	c2 := result("a.c", 2, "c2()", crit)
	h1 := result("a.c", 3, "h1()")
	h2 := result("a.c", 4, "h2()")
	f := factsOf(t,
		scanOf{log: timed("2025-12-31T23:58:20Z", "2026-01-01T00:00:00Z", c1, c2, h1, h2)},          // 100 s
		scanOf{log: timed("2026-01-01T09:56:40Z", "2026-01-01T10:00:00Z", c2, h1, h2)},              // 200 s; c1 fixed after 10 h
		scanOf{log: timed("2026-01-02T23:55:00Z", "2026-01-03T00:00:00Z", h2)},                      // 300 s; c2 after 48 h, h1 after 48 h
		scanOf{log: timed("2026-01-31T23:59:00Z", "2026-02-01T00:00:00Z", result("b.c", 1, "n()"))}, // h2 after 31 days
	)
	f.Deployments = []fact.Deployment{
		{ID: "a", Time: ts("2026-01-02T00:00:00Z"), Environment: "production", Production: true, ScanSecondsFrom: "ci"},
		{ID: "b", Time: ts("2026-01-03T00:00:00Z"), Environment: "production", Production: true, ScanSecondsFrom: "ci"},
		{ID: "c", Time: ts("2026-01-04T00:00:00Z"), Environment: "production", Production: true, ScanSecondsFrom: "sarif"},
		{ID: "d", Time: ts("2026-01-05T00:00:00Z"), Environment: "staging", ScanSecondsFrom: "event"},
		{ID: "e", Time: ts("2026-02-05T00:00:00Z"), Environment: "production", Production: true, ScanSecondsFrom: "event"},
	}
	cfg := config.Default()
	h := NewHistory(f, cfg, time.UTC)
	jan := h.Period(mustMonth(t, "2026-01"))
	if got := jan.Detail.ScanSecondsFrom; len(got) != 2 || got["ci"] != 2 || got["sarif"] != 1 {
		t.Errorf("January scan seconds from %v, want ci 2, sarif 1 (production only)", got)
	}
	v := jan.Vulnerabilities
	if v.New.Critical != 2 || v.New.High != 2 || v.Fixed.Critical != 2 || v.Fixed.High != 1 || v.OpenAtEnd.High != 1 || v.OpenAtEnd.Critical != 0 {
		t.Errorf("January counts: new %+v fixed %+v open %+v", v.New, v.Fixed, v.OpenAtEnd)
	}
	// Critical: (10 + 48) / 2 = 29 h; high: 48 h. All fixes: 10, 48, 48 → p50 48, p95 48.
	if !near(v.MTTRHours.Critical, 29) || !near(v.MTTRHours.High, 48) || v.MTTRHours.Medium != nil {
		t.Errorf("MTTR %v %v %v", show(v.MTTRHours.Critical), show(v.MTTRHours.High), show(v.MTTRHours.Medium))
	}
	if !near(v.FixLeadTimeP50Hours, 48) || !near(v.FixLeadTimeP95Hours, 48) {
		t.Errorf("fix lead time p50 %v p95 %v", show(v.FixLeadTimeP50Hours), show(v.FixLeadTimeP95Hours))
	}
	// Scans: 100, 200, 300 s → p50 200, p95 = 200 + 0.9·100 = 290.
	s := jan.Scans
	if s.Count != 3 || !near(s.DurationP50Seconds, 200) || !near(s.DurationP95Seconds, 290) || s.ByTool["T"].Count != 3 || !near(s.ByTool["T"].DurationP95Seconds, 290) {
		t.Errorf("scans %+v (p50 %v p95 %v)", s, show(s.DurationP50Seconds), show(s.DurationP95Seconds))
	}
	if len(jan.Detail.OpenFindings) != 1 || jan.Detail.OpenFindings[0].AgeHours != 31*24 || jan.Detail.OpenFindings[0].Message != "found h2()" {
		t.Errorf("open findings %+v, want h2 aged 744 h with its message", jan.Detail.OpenFindings)
	}
	feb := h.Period(mustMonth(t, "2026-02"))
	if feb.Vulnerabilities.Fixed.High != 1 || !near(feb.Vulnerabilities.MTTRHours.High, 31*24) || feb.Vulnerabilities.MTTRHours.Critical != nil || feb.Vulnerabilities.New.High != 1 {
		t.Errorf("February: %+v", feb.Vulnerabilities)
	}
	mar := h.Period(mustMonth(t, "2026-03"))
	if mar.Scans.Count != 0 || mar.Scans.DurationP50Seconds != nil || mar.Vulnerabilities.OpenAtEnd.High != 1 || mar.Vulnerabilities.FixLeadTimeP50Hours != nil {
		t.Errorf("March (no scans): %+v %+v", mar.Scans, mar.Vulnerabilities)
	}
}

func near(v *float64, want float64) bool { return v != nil && *v > want-1e-9 && *v < want+1e-9 }

func show(v *float64) string {
	if v == nil {
		return "nil"
	}
	return fmt.Sprint(*v)
}

const corpusSARIF = "../../shared/corpus/sarif/"

func corpusLog(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(corpusSARIF + name)
	if err != nil {
		t.Skipf("corpus not found (../shared/corpus/sarif from the repository root): %v", err)
	}
	return string(b)
}

// TestCorpusPairs runs the longitudinal pairs of the corpus as two trunk scans.
func TestCorpusPairs(t *testing.T) {
	t.Run("sdk_suppression", func(t *testing.T) {
		f := factsOf(t, scanOf{at: t1, log: corpusLog(t, "sdk_suppression_previous.sarif")}, scanOf{at: t2, log: corpusLog(t, "sdk_suppression_current.sarif")})
		eps := episodesOf(t, f)
		// previous: TST0002 open; TST0003, TST0004 suppressed. current:
		// TST0001 new and suppressed, TST0002 and TST0003 suppressed, TST0004
		// no longer suppressed. So: TST0002 triaged at t2, TST0004 opens at t2.
		byRule := map[string]Episode{}
		for _, e := range eps {
			byRule[e.RuleID] = e
		}
		if len(eps) != 2 || byRule["TST0002"].State() != "suppressed" || byRule["TST0004"].State() != "open" || !byRule["TST0004"].FirstSeen.Equal(ts(t2)) {
			t.Errorf("episodes %+v", eps)
		}
	})
	t.Run("cqa_fingerprinting", func(t *testing.T) {
		f := factsOf(t, scanOf{at: t1, log: corpusLog(t, "cqa_fingerprinting_input.sarif")}, scanOf{at: t2, log: corpusLog(t, "cqa_fingerprinting_expected.sarif")})
		eps := episodesOf(t, f)
		// Both findings keep their episode although the second scan adds
		// primaryLocationLineHash (matched by content hash).
		if len(eps) != 2 || eps[0].State() != "open" || eps[1].State() != "open" || !strings.HasSuffix(eps[0].Fingerprint, ":1") {
			t.Errorf("episodes %+v", eps)
		}
	})
	t.Run("curl flawfinder 7.88.1 to 8.21.0", func(t *testing.T) {
		old, cur := corpusLog(t, "gen_flawfinder-2.0.19_curl-7.88.1.sarif"), corpusLog(t, "gen_flawfinder-2.0.19_curl-8.21.0.sarif")
		f := factsOf(t, scanOf{at: t1, log: old}, scanOf{at: t2, log: cur})
		if n := len(f.Scans[0].Findings()) + len(f.Scans[1].Findings()); n != 3673+2582 {
			t.Fatalf("%d findings, want 6255", n)
		}
		eps := episodesOf(t, f)
		kept, fixed, added := 0, 0, 0
		for _, e := range eps {
			switch {
			case e.FirstSeen.Equal(ts(t1)) && e.FixedAt == nil:
				kept++
			case e.FixedAt != nil:
				fixed++
			default:
				added++
			}
		}
		if kept+fixed != 3673 || kept+added != 2582 {
			t.Errorf("kept %d + fixed %d must be 3673, kept + new %d must be 2582", kept, fixed, added)
		}
		// The most any content identity can keep: findings of 8.21.0 whose
		// rule and flagged code (flawfinder's contextHash) are in 7.88.1,
		// counted with multiplicity; and what the line number would keep.
		type k3 struct {
			a, b string
			line int
		}
		before, beforeLine := map[k3]int{}, map[k3]int{}
		possible, byLine := 0, 0
		for s, x := range f.AllFindings() {
			base := x.Fingerprint()
			if i := strings.LastIndexByte(base, ':'); i > 0 && strings.Trim(base[i+1:], "0123456789") == "" {
				base = base[:i]
			}
			code, line := k3{x.RuleID, base, 0}, k3{x.RuleID, x.URI, int(x.Line)}
			if strings.HasPrefix(s.ID, "s0.") {
				before[code]++
				beforeLine[line]++
				continue
			}
			if before[code] > 0 {
				before[code]--
				possible++
			}
			if beforeLine[line] > 0 {
				beforeLine[line]--
				byLine++
			}
		}
		t.Logf("curl 7.88.1 → 8.21.0: %d of 2582 findings kept their identity (%d possible: the flagged code is unchanged; %d by rule, file and line), %d fixed, %d new", kept, possible, byLine, fixed, added)
		if kept != possible {
			t.Errorf("%d findings kept their identity, %d could", kept, possible)
		}
		// flawfinder's contextHash hashes the flagged code, not its place:
		// code that moved lines or files keeps its identity.
		if kept < 10*byLine {
			t.Errorf("%d kept their identity, against %d by line: want far more", kept, byLine)
		}
	})
}

// TestFingerprintGivenUp: in the last scan, a finding that changed its
// fingerprint (matched by content) gives the old one up, and a suppressed
// result carrying that old fingerprint finds its own episode by content
// hash: the other finding is triaged, not fixed.
func TestFingerprintGivenUp(t *testing.T) {
	fp := func(v string) string { return `"partialFingerprints":{"primaryLocationLineHash":"` + v + `"}` }
	f := factsOf(t,
		scanOf{at: t1, log: sarifLog("T", result("a.go", 1, "one()", fp("F1")), result("b.go", 2, "two()", fp("F2")))},
		scanOf{at: t2, log: sarifLog("T", result("a.go", 1, "one()", fp("F1new")), result("b.go", 2, "two()", fp("F1"), `"suppressions":[{"status":"accepted"}]`))},
	)
	eps := episodesOf(t, f)
	checkEpisodes(t, eps, []epWant{{t1, "", ""}, {t1, "", t2}})
	if eps[0].Fingerprint != "F1new" {
		t.Errorf("fingerprint %q, want F1new", eps[0].Fingerprint)
	}
}

// The facts' trunk wins over the settings' (collect found it); the
// settings' is used without one, and main without either. A month whose
// scans are all off the trunk says so, naming the refs.
func TestTrunkOfFacts(t *testing.T) {
	a := result("a.c", 7, "gets(buf);")
	f := factsOf(t, scanOf{at: t1, log: sarifLog("T", a), ref: "trunk"}, scanOf{at: t2, log: sarifLog("T"), ref: "trunk"})
	cfg := config.Default()
	for _, tc := range []struct{ facts, settings, want string }{
		{"trunk", "", "trunk"}, {"trunk", "main", "trunk"}, {"", "trunk", "trunk"}, {"", "", "main"},
	} {
		f.Trunk, cfg.Trunk = tc.facts, tc.settings
		if got := Trunk(f, cfg); got != tc.want {
			t.Errorf("Trunk(facts %q, settings %q) = %q, want %q", tc.facts, tc.settings, got, tc.want)
		}
	}
	f.Trunk, cfg.Trunk = "trunk", ""
	m := NewHistory(f, cfg, time.UTC).Period(mustMonth(t, "2026-01"))
	if m.Scans.Count != 2 || m.Vulnerabilities.Fixed.High != 1 || len(m.Detail.Warnings) != 0 || m.Detail.Trunk != "trunk" {
		t.Errorf("trunk %q: %d scans, %d fixed, warnings %q; want 2 scans, 1 fixed, none", m.Detail.Trunk, m.Scans.Count, m.Vulnerabilities.Fixed.High, m.Detail.Warnings)
	}
	f.Trunk = "main"
	m = NewHistory(f, cfg, time.UTC).Period(mustMonth(t, "2026-01"))
	want := "No scan this month is of the trunk main: its 2 scans are of other refs (trunk)"
	if m.Scans.Count != 0 || len(m.Detail.Warnings) != 1 || !strings.HasPrefix(m.Detail.Warnings[0], want) {
		t.Errorf("trunk main: %d scans, warnings %q; want none and %q", m.Scans.Count, m.Detail.Warnings, want)
	}
}

// An open finding carries the CWE of its results, the category a report
// shows in place of its rule and file (report.findings: counts); one
// without a CWE carries none.
func TestOpenFindingCWE(t *testing.T) {
	log := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T","rules":[{"id":"R"}]}},"results":[` +
		result("a.c", 1, "q()", `"properties":{"tags":["security","external/cwe/cwe-089"]}`) + "," + result("b.c", 2, "p()") + `]}]}`
	h := NewHistory(factsOf(t, scanOf{at: "2026-01-10T00:00:00Z", log: log}), config.Default(), time.UTC)
	got := map[string]string{}
	for _, o := range h.Period(mustMonth(t, "2026-01")).Detail.OpenFindings {
		got[o.URI] = o.CWE
	}
	if want := map[string]string{"a.c": "CWE-89", "b.c": ""}; !maps.Equal(got, want) {
		t.Errorf("CWEs of the open findings by file = %v, want %v", got, want)
	}
}

// shareSets makes scans whose findings are equal (field by field, in
// order) share the set of the first of them, as collect does for scans of
// the same normalised findings.
func shareSets(f *fact.Facts) *fact.Facts {
	g := *f
	g.Scans = slices.Clone(f.Scans)
	same := func(a, b *fact.FindingSet) bool {
		if a == nil || b == nil || len(a.List) != len(b.List) {
			return false
		}
		for i := range a.List {
			x, y := &a.List[i], &b.List[i]
			if !(x.Tool == y.Tool && x.RuleID == y.RuleID && x.Severity == y.Severity && x.CWE == y.CWE && slices.Equal(x.CWEs, y.CWEs)) ||
				x.URI != y.URI || x.ContentHash != y.ContentHash || x.Line != y.Line || x.Suppressed != y.Suppressed || x.Absent != y.Absent ||
				x.Fingerprint() != y.Fingerprint() || x.Message() != y.Message() {
				return false
			}
		}
		return true
	}
	for i := range g.Scans {
		for j := 0; j < i; j++ {
			if same(g.Scans[j].Set, g.Scans[i].Set) {
				g.Scans[i].Set = g.Scans[j].Set
				break
			}
		}
	}
	return &g
}

// Night after night of the same findings: scans that share their set give
// the same episodes (their last seen too) and figures as scans with sets
// of their own, with a change, a suppression and an incremental scan in
// between, and two tools interleaved.
func TestSharedSetsChangeNothing(t *testing.T) {
	sup := `"suppressions":[{"kind":"inSource"}]`
	a, b, c := result("a.c", 1, "a()"), result("b.c", 2, "b()"), result("c.c", 3, "c()")
	same := sarifLog("T", a, b, result("s.c", 4, "s()", sup))
	changed := sarifLog("T", a, c, result("s.c", 4, "s()", sup))
	other := sarifLog("U", b)
	incr := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"artifacts":[{"location":{"uri":"b.c"}}],"results":[]}]}`
	var scans []scanOf
	day := time.Date(2026, 1, 1, 2, 0, 0, 0, time.UTC)
	for n := 0; n < 60; n++ {
		at := day.AddDate(0, 0, n).Format(time.RFC3339)
		log := same
		switch {
		case n >= 20 && n < 25:
			log = changed
		case n == 40:
			scans = append(scans, scanOf{at: day.AddDate(0, 0, n).Add(time.Hour).Format(time.RFC3339), log: incr, incremental: true})
		}
		scans = append(scans, scanOf{at: at, log: log}, scanOf{at: day.AddDate(0, 0, n).Add(30 * time.Minute).Format(time.RFC3339), log: other})
	}
	f := factsOf(t, scans...)
	g := shareSets(f)
	if g.Scans[0].Set != g.Scans[2].Set || f.Scans[0].Set == f.Scans[2].Set {
		t.Fatal("the nightly scans do not share their set")
	}
	want, got := episodesOf(t, f), episodesOf(t, g)
	if len(want) == 0 || !reflect.DeepEqual(want, got) {
		t.Fatalf("episodes of shared sets:\n%+v\nwant\n%+v", got, want)
	}
	cfg := config.Default()
	cfg.Trunk = "main"
	hf, hg := NewHistory(f, cfg, time.UTC), NewHistory(g, cfg, time.UTC)
	for _, m := range []string{"2026-01", "2026-02", "2026-03"} {
		x, _ := json.Marshal(hf.Period(mustMonth(t, m)))
		y, _ := json.Marshal(hg.Period(mustMonth(t, m)))
		if !bytes.Equal(x, y) {
			t.Errorf("%s: shared sets give\n%s\nwant\n%s", m, y, x)
		}
	}
}
