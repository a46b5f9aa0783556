package sarif

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// readAll reads a log and returns its runs.
func readAll(t *testing.T, doc string, o Options) ([]*Run, *Log) {
	t.Helper()
	var runs []*Run
	log, err := Read(strings.NewReader(doc), o, func(r *Run) error { runs = append(runs, r); return nil })
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return runs, log
}

// oneRun wraps run members into a log with one run.
func oneRun(members string) string {
	return `{"version":"2.1.0","runs":[{` + members + `}]}`
}

func hasNote(log *Log, part string) bool {
	for _, n := range log.Notes {
		if strings.Contains(n.String(), part) {
			return true
		}
	}
	return false
}

func TestLevelAndSeverity(t *testing.T) {
	tool := `"tool":{"driver":{"name":"T","rules":[
		{"id":"R0"},
		{"id":"R1","defaultConfiguration":{"level":"error"}},
		{"id":"R2","defaultConfiguration":{"level":"note"},"properties":{"security-severity":"9.1"}},
		{"id":"R3","defaultConfiguration":{"level":"note"}}]}},
		"invocations":[{"executionSuccessful":true,"ruleConfigurationOverrides":[{"descriptor":{"index":3},"configuration":{"level":"error"}}]}]`
	for _, tc := range []struct {
		name, result    string
		overrides       map[string]string
		level, severity string
	}{
		{"default warning", `{"ruleId":"R0"}`, nil, "warning", "medium"},
		{"result level first", `{"ruleId":"R1","level":"note"}`, nil, "note", "low"},
		{"kind pass is none", `{"ruleId":"R1","kind":"pass"}`, nil, "none", "info"},
		{"kind fail falls through", `{"ruleId":"R1","kind":"fail"}`, nil, "error", "high"},
		{"kind pass is info before rule security-severity", `{"ruleId":"R2","kind":"pass"}`, nil, "none", "info"},
		{"kind review is info before result security-severity", `{"ruleId":"R0","kind":"review","properties":{"security-severity":"9.8"}}`, nil, "none", "info"},
		{"kind pass is info before a rule's configured severity", `{"ruleId":"R2","kind":"pass"}`, map[string]string{"R2": "critical"}, "none", "info"},
		{"kind fail keeps security-severity", `{"ruleId":"R2","kind":"fail"}`, nil, "note", "critical"},
		{"rule default", `{"ruleId":"R1"}`, nil, "error", "high"},
		{"configuration override before default", `{"ruleId":"R3"}`, nil, "error", "high"},
		{"rule security-severity before level", `{"ruleId":"R2","level":"note"}`, nil, "note", "critical"},
		{"result security-severity first", `{"ruleId":"R2","properties":{"security-severity":"7.0"}}`, nil, "note", "high"},
		{"8.99 is high", `{"ruleId":"R0","properties":{"security-severity":"8.99"}}`, nil, "warning", "high"},
		{"4.0 is medium", `{"ruleId":"R0","properties":{"security-severity":4.0}}`, nil, "warning", "medium"},
		{"0.1 is low", `{"ruleId":"R0","properties":{"security-severity":"0.1"}}`, nil, "warning", "low"},
		{"0 is info", `{"ruleId":"R0","properties":{"security-severity":"0.0"}}`, nil, "warning", "info"},
		{"a word", `{"ruleId":"R0","properties":{"security-severity":"HIGH"}}`, nil, "warning", "high"},
		{"unknown level ignored", `{"ruleId":"R1","level":"fatal"}`, nil, "error", "high"},
		{"config override wins", `{"ruleId":"R2"}`, map[string]string{"R2": "low"}, "note", "low"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runs, _ := readAll(t, oneRun(tool+`,"results":[`+tc.result+`]`), Options{Overrides: tc.overrides})
			got := runs[0].Results[0]
			if got.Level != tc.level || got.Severity != tc.severity {
				t.Errorf("level %s severity %s, want %s %s", got.Level, got.Severity, tc.level, tc.severity)
			}
		})
	}
}

// A rule's level or a configuration override's in another case is read
// as the level it spells; a word that is no level is noted with its path
// and the next source of the level is used.
func TestRuleLevelsAnyCase(t *testing.T) {
	doc := oneRun(`"tool":{"driver":{"name":"T","rules":[
		{"id":"R0","defaultConfiguration":{"level":"Error"}},
		{"id":"R1","defaultConfiguration":{"level":"fatal"}},
		{"id":"R2","defaultConfiguration":{"level":"note"}},
		{"id":"R3","defaultConfiguration":{"level":"note"}}]}},
		"invocations":[{"executionSuccessful":true,"ruleConfigurationOverrides":[
		  {"descriptor":{"id":"R2"},"configuration":{"level":"WARNING"}},
		  {"descriptor":{"id":"R3"},"configuration":{"level":"loud"}}]}],
		"results":[{"ruleId":"R0","message":{"text":"a"}},{"ruleId":"R1","message":{"text":"b"}},{"ruleId":"R2","message":{"text":"c"}},
		  {"ruleId":"R3","message":{"text":"d"}},{"ruleId":"R3","level":"None","message":{"text":"e"}}]`)
	runs, log := readAll(t, doc, Options{})
	want := []struct{ level, severity string }{{"error", "high"}, {"warning", "medium"}, {"warning", "medium"}, {"note", "low"}, {"none", "info"}}
	for i, w := range want {
		got := runs[0].Results[i]
		if got.Level != w.level || got.Severity != w.severity {
			t.Errorf("result %d (%s): level %s severity %s, want %s %s", i, got.RuleID, got.Level, got.Severity, w.level, w.severity)
		}
	}
	for _, n := range []string{
		`$.runs[0].tool.driver.rules[1].defaultConfiguration.level: level "fatal" is not error, warning, note or none; ignored`,
		`$.runs[0].invocations[0].ruleConfigurationOverrides[1].configuration.level: level "loud" is not error, warning, note or none; ignored`,
	} {
		if !hasNote(log, n) {
			t.Errorf("notes %v: want %s", log.Notes, n)
		}
	}
	if len(log.Notes) != 2 {
		t.Errorf("notes %v: want 2", log.Notes)
	}
}

func TestRulesByIndexIDAndExtension(t *testing.T) {
	doc := oneRun(`"results":[
		{"ruleIndex":1,"message":{"text":"by index"}},
		{"rule":{"id":"E1","toolComponent":{"index":0}},"message":{"text":"extension by id"}},
		{"rule":{"index":0,"toolComponent":{"index":0}},"message":{"text":"extension by index"}},
		{"ruleId":"D0/sub","message":{"text":"hierarchical"}},
		{"ruleId":"E1","message":{"text":"id found in an extension"}},
		{"message":{"text":"no rule"}}],
		"tool":{"driver":{"name":"T","rules":[{"id":"D0","defaultConfiguration":{"level":"note"}},{"id":"D1","defaultConfiguration":{"level":"error"}}]},
		"extensions":[{"name":"X","rules":[{"id":"E0","properties":{"tags":["external/cwe/cwe-079"]}},{"id":"E1","defaultConfiguration":{"level":"error"},"properties":{"tags":["security","CWE-89"]}}]}]}`)
	runs, log := readAll(t, doc, Options{})
	want := []struct{ id, level, cwe string }{
		{"D1", "error", ""},
		{"E1", "error", "CWE-89"},
		{"E0", "warning", "CWE-79"},
		{"D0/sub", "note", ""},
		{"E1", "error", "CWE-89"},
		{"", "warning", ""},
	}
	for i, w := range want {
		got := runs[0].Results[i]
		if got.RuleID != w.id || got.Level != w.level || got.CWE != w.cwe {
			t.Errorf("result %d (%s): rule %q level %s cwe %q, want %q %s %q", i, got.Message, got.RuleID, got.Level, got.CWE, w.id, w.level, w.cwe)
		}
	}
	if !hasNote(log, "$.runs[0].results[5]: a result has no ruleId") {
		t.Errorf("notes %v: want the result without a rule named", log.Notes)
	}
}

func TestCWEFromTaxa(t *testing.T) {
	doc := oneRun(`"tool":{"driver":{"name":"gosec","rules":[
		{"id":"G304","relationships":[{"target":{"id":"22","toolComponent":{"name":"CWE"}}}]},
		{"id":"G101","relationships":[{"target":{"index":1,"toolComponent":{"index":0}}}]}]}},
		"taxonomies":[{"name":"CWE","taxa":[{"id":"20"},{"id":"798"}]}],
		"results":[{"ruleId":"G304"},{"ruleId":"G101"},{"ruleId":"G101","taxa":[{"id":"CWE-259"}]},{"ruleId":"G101","properties":{"tags":["cwe_312"]}}]`)
	runs, _ := readAll(t, doc, Options{})
	for i, want := range []string{"CWE-22", "CWE-798", "CWE-259", "CWE-312"} {
		if got := runs[0].Results[i].CWE; got != want {
			t.Errorf("result %d: CWE %q, want %q", i, got, want)
		}
	}
}

// TestAllCWEs keeps every CWE a result gives, in the order result tags,
// result taxa, rule tags, rule relationships, each once: the first is
// the CWE of before.
func TestAllCWEs(t *testing.T) {
	doc := oneRun(`"tool":{"driver":{"name":"T","rules":[
		{"id":"codeql","properties":{"tags":["security","external/cwe/cwe-022","external/cwe/cwe-023","external/cwe/cwe-022"]}},
		{"id":"semgrep","properties":{"tags":["CWE-284: Improper Access Control","OWASP-A01:2021","CWE-285: Improper Authorization"]}},
		{"id":"flawfinder","relationships":[{"target":{"id":"CWE-119","toolComponent":{"name":"CWE"}}},{"target":{"id":"CWE-120","toolComponent":{"name":"CWE"}}}]},
		{"id":"both","properties":{"tags":["CWE-79"]},"relationships":[{"target":{"id":"116","toolComponent":{"name":"CWE"}}}]},
		{"id":"none","properties":{"tags":["security"]}}]}},
		"results":[{"ruleId":"codeql"},{"ruleId":"semgrep"},{"ruleId":"flawfinder"},{"ruleId":"both"},
		{"ruleId":"both","properties":{"tags":["cwe-80","CWE-79"]},"taxa":[{"id":"CWE-20","toolComponent":{"name":"CWE"}}]},
		{"ruleId":"none"},{"ruleId":"none","taxa":[{"id":"x"}]}]`)
	runs, _ := readAll(t, doc, Options{})
	want := [][]string{
		{"CWE-22", "CWE-23"},
		{"CWE-284", "CWE-285"},
		{"CWE-119", "CWE-120"},
		{"CWE-79", "CWE-116"},
		{"CWE-80", "CWE-79", "CWE-20", "CWE-116"},
		nil,
		nil,
	}
	for i, w := range want {
		r := runs[0].Results[i]
		if !slices.Equal(r.CWEs, w) {
			t.Errorf("result %d (%s): CWEs %q, want %q", i, r.RuleID, r.CWEs, w)
		}
		first := ""
		if len(w) > 0 {
			first = w[0]
		}
		if r.CWE != first {
			t.Errorf("result %d (%s): CWE %q, want %q", i, r.RuleID, r.CWE, first)
		}
	}
}

// TestCWEsBounded keeps at most MaxCWEs of a rule that lists thousands.
func TestCWEsBounded(t *testing.T) {
	var tags []string
	for i := 1; i <= 5000; i++ {
		tags = append(tags, fmt.Sprintf(`"CWE-%d"`, i))
	}
	doc := oneRun(`"tool":{"driver":{"name":"T","rules":[{"id":"r","properties":{"tags":[` + strings.Join(tags, ",") + `]}}]}},
		"results":[{"ruleId":"r"}]`)
	runs, _ := readAll(t, doc, Options{})
	if got := runs[0].Results[0].CWEs; len(got) != MaxCWEs || got[0] != "CWE-1" {
		t.Errorf("CWEs %q: want the first %d", got, MaxCWEs)
	}
}

func TestURIs(t *testing.T) {
	doc := oneRun(`"tool":{"driver":{"name":"T"}},
		"originalUriBaseIds":{"ROOT":{"uri":"file:///home/me/repo/"},"SRC":{"uri":"src/","uriBaseId":"ROOT"},"WIN":{"uri":"file:///C:/code/"},"CI":{"uri":"file:///home/runner/work/app/app/lib/"}},
		"artifacts":[{"location":{"uri":"pkg/a.go","uriBaseId":"SRC"}},{"location":{"uri":"./docs/x.md"}}],
		"results":[
		{"ruleId":"r","locations":[{"physicalLocation":{"artifactLocation":{"uri":"./src/tool_progress.c","uriBaseId":"SRCROOT"}}}]},
		{"ruleId":"r","locations":[{"physicalLocation":{"artifactLocation":{"uri":"a%20b.c","uriBaseId":"SRC"}}}]},
		{"ruleId":"r","locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///home/me/repo/main.go"}}}]},
		{"ruleId":"r","locations":[{"physicalLocation":{"artifactLocation":{"uri":"/home/runner/work/app/app/cmd/x.go"}}}]},
		{"ruleId":"r","locations":[{"physicalLocation":{"artifactLocation":{"uri":"sub\\win.cs","uriBaseId":"WIN"}}}]},
		{"ruleId":"r","locations":[{"physicalLocation":{"artifactLocation":{"index":0}}}]},
		{"ruleId":"r","locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///usr/include/stdio.h"}}}]},
		{"ruleId":"r","locations":[{"physicalLocation":{"artifactLocation":{"uri":"https://example.com/x.js"}}}]},
		{"ruleId":"r","locations":[{"physicalLocation":{"artifactLocation":{"uri":"z.py","uriBaseId":"CI"}}}]},
		{"ruleId":"r","locations":[{"physicalLocation":{"artifactLocation":{"uri":"/opt/checkout/y.go"}}}]},
		{"ruleId":"r"}]`)
	runs, _ := readAll(t, doc, Options{Roots: []string{"/opt/checkout"}})
	want := []string{"src/tool_progress.c", "src/a b.c", "main.go", "cmd/x.go", "sub/win.cs", "src/pkg/a.go", "/usr/include/stdio.h", "https://example.com/x.js", "lib/z.py", "y.go", ""}
	for i, w := range want {
		if got := runs[0].Results[i].URI; got != w {
			t.Errorf("result %d: URI %q, want %q", i, got, w)
		}
	}
	if a := runs[0].Artifacts; len(a) != 2 || a[0] != "src/pkg/a.go" || a[1] != "docs/x.md" {
		t.Errorf("artifacts %q, want src/pkg/a.go docs/x.md", a)
	}
	// The folders of the absolute paths that /opt/checkout does not hold:
	// another root could have made them relative otherwise.
	outside := []string{"/home/me/repo", "/home/me/repo/src", "/home/me/repo/src/pkg", "/home/runner/work/app/app/cmd", "/home/runner/work/app/app/lib", "/usr/include", "C:/code/sub"}
	if got := runs[0].Outside; !slices.Equal(got, outside) {
		t.Errorf("outside %q, want %q", got, outside)
	}
}

func TestSuppressions(t *testing.T) {
	doc := oneRun(`"tool":{"driver":{"name":"T"}},"results":[
		{"ruleId":"a","suppressions":[{"kind":"inSource"}]},
		{"ruleId":"b","suppressions":[{"kind":"external","status":"accepted"}]},
		{"ruleId":"c","suppressions":[{"kind":"external","status":"underReview"}]},
		{"ruleId":"d","suppressions":[{"kind":"external","status":"rejected"}]},
		{"ruleId":"e","suppressions":[]},
		{"ruleId":"f"}]`)
	runs, _ := readAll(t, doc, Options{})
	for i, want := range []bool{true, true, false, false, false, false} {
		if got := runs[0].Results[i].Suppressed; got != want {
			t.Errorf("result %s: suppressed %v, want %v", runs[0].Results[i].RuleID, got, want)
		}
	}
}

func TestFingerprints(t *testing.T) {
	loc := func(line int, snippet string) string {
		return `"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.c"},"region":{"startLine":` + strconv.Itoa(line) + `,"snippet":{"text":"` + snippet + `"}}}}]`
	}
	doc := oneRun(`"tool":{"driver":{"name":"T"}},"results":[
		{"ruleId":"r","partialFingerprints":{"otherHash":"o1","primaryLocationLineHash":"p1"},"fingerprints":{"f":"f1"}},
		{"ruleId":"r","partialFingerprints":{"primaryLocationStartColumnFingerprint":"4","b":"b2","a":"a2"}},
		{"ruleId":"r","partialFingerprints":{"x":"x3"},"fingerprints":{"zz":"z3","id/v1":"f3"}},
		{"ruleId":"r","fingerprints":{"csvRowSha256":{"value":"obj4"}}},
		{"ruleId":"r",` + loc(10, "  strcpy(a, b);") + `},
		{"ruleId":"r",` + loc(99, "strcpy(a, b);  ") + `},
		{"ruleId":"r",` + loc(12, "strcpy(c, d);") + `},
		{"ruleId":"q",` + loc(10, "strcpy(a, b);") + `},
		{"ruleId":"r","partialFingerprints":{"primaryLocationLineHash":"p1"}},
		{"ruleId":"r","partialFingerprints":{"primaryLocationLineHash":"p1"}}]`)
	runs, log := readAll(t, doc, Options{})
	rs := runs[0].Results
	for i, want := range []string{"p1", "a2", "f3", "obj4"} {
		if rs[i].Fingerprint != want {
			t.Errorf("result %d: fingerprint %q, want %q", i, rs[i].Fingerprint, want)
		}
	}
	// Without fingerprints, the identity is the content hash: the same
	// snippet on another line is the same finding (the second of the scan
	// gets :2); another snippet or another rule is another.
	if rs[4].Fingerprint != rs[4].ContentHash.String() || len(rs[4].Fingerprint) != 16 {
		t.Errorf("result 4: fingerprint %q, content hash %q", rs[4].Fingerprint, rs[4].ContentHash)
	}
	if rs[5].Fingerprint != rs[4].Fingerprint+":2" {
		t.Errorf("same snippet on another line: %q, want %q", rs[5].Fingerprint, rs[4].Fingerprint+":2")
	}
	if rs[6].Fingerprint == rs[4].Fingerprint || rs[7].Fingerprint == rs[4].Fingerprint {
		t.Errorf("other snippet %q, other rule %q (base %q): want both to differ", rs[6].Fingerprint, rs[7].Fingerprint, rs[4].Fingerprint)
	}
	if rs[8].Fingerprint != "p1:2" || rs[9].Fingerprint != "p1:3" {
		t.Errorf("duplicates: %q %q, want p1:2 p1:3", rs[8].Fingerprint, rs[9].Fingerprint)
	}
	if !hasNote(log, "fingerprints.csvRowSha256: a fingerprint is an object") {
		t.Errorf("notes %v: want the object fingerprint noted", log.Notes)
	}
}

func TestRunMembers(t *testing.T) {
	// Results before the tool (as Semgrep writes, alphabetically) still
	// find their rules; a second invocation does not set the times.
	doc := oneRun(`"automationDetails":{"id":"nightly/incremental/2026-01-05"},
		"invocations":[{"startTimeUtc":"2026-01-05T10:00:00Z","endTimeUtc":"2026-01-05T10:02:30.500Z"},{"startTimeUtc":"2027-01-01T00:00:00Z"}],
		"results":[{"ruleIndex":0}],
		"tool":{"driver":{"name":"semgrep","version":"1.2.3","rules":[{"id":"R","defaultConfiguration":{"level":"error"}}]}}`)
	runs, _ := readAll(t, doc, Options{})
	r := runs[0]
	if r.Tool != "semgrep" || r.ToolVersion != "1.2.3" || !r.Incremental || r.AutomationID != "nightly/incremental/2026-01-05" || !r.HasResults {
		t.Errorf("run = %+v", r)
	}
	if !r.Start.Equal(time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)) || r.End.Sub(r.Start) != 150500*time.Millisecond {
		t.Errorf("times %v – %v", r.Start, r.End)
	}
	if r.Results[0].RuleID != "R" || r.Results[0].Level != "error" {
		t.Errorf("result %+v: want rule R at level error", r.Results[0])
	}
}

func TestOddButReadable(t *testing.T) {
	for _, tc := range []struct{ name, doc, note string }{
		{"startLine past 2^31", oneRun(`"tool":{"driver":{"name":"semgrep"}},"results":[{"ruleId":"r","locations":[{"physicalLocation":{"artifactLocation":{"uri":"a"},"region":{"startLine":4294967296}}}]}]`), "startLine 4294967296"},
		{"startLine 0", oneRun(`"tool":{"driver":{"name":"semgrep"}},"results":[{"ruleId":"r","locations":[{"physicalLocation":{"artifactLocation":{"uri":"a"},"region":{"startLine":0}}}]}]`), "startLine 0"},
		{"duplicate keys", oneRun(`"tool":{"driver":{"name":"T","name":"U"}},"results":[{"ruleId":"r","ruleId":"s"}]`), "ruleId appears twice in one object"},
		{"no results", oneRun(`"tool":{"driver":{"name":"T"}}`), "no results array"},
		{"null results", oneRun(`"tool":{"driver":{"name":"T"}},"results":null`), "results is null"},
		{"BOM", "\xef\xbb\xbf" + oneRun(`"tool":{"driver":{"name":"T"}},"results":[]`), "byte order mark"},
		{"2.0.0", `{"version":"2.0.0","runs":[{"tool":{"name":"Old"},"results":[{"ruleId":"r","locations":[{"physicalLocation":{"fileLocation":{"uri":"a.c"}}}]}]}]}`, "tool.name instead"},
		{"locations not an array", oneRun(`"tool":{"driver":{"name":"T"}},"results":[{"ruleId":"r","locations":{"uri":"x"}}]`), "locations is an object, want an array"},
		{"line as a string", oneRun(`"tool":{"driver":{"name":"T"}},"results":[{"ruleId":"r","locations":[{"physicalLocation":{"region":{"startLine":"7"}}}]}]`), "startLine is a string"},
		{"no tool name", oneRun(`"tool":{"driver":{"name":null}},"results":[]`), "the tool has no name"},
		{"invalid UTF-8", oneRun(`"tool":{"driver":{"name":"T"}},"results":[{"ruleId":"r","message":{"text":"bad ` + "\xff" + ` byte"}}]`), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runs, log := readAll(t, tc.doc, Options{})
			if len(runs) != 1 {
				t.Fatalf("%d runs, want 1", len(runs))
			}
			if tc.note != "" && !hasNote(log, tc.note) {
				t.Errorf("notes %v: want one saying %q", log.Notes, tc.note)
			}
		})
	}
	runs, _ := readAll(t, oneRun(`"tool":{"driver":{"name":"T","name":"U"}},"results":[{"ruleId":"r","ruleId":"s"}]`), Options{})
	if runs[0].Tool != "U" || runs[0].Results[0].RuleID != "s" {
		t.Errorf("duplicate keys: tool %q rule %q, want the last of each (U, s)", runs[0].Tool, runs[0].Results[0].RuleID)
	}
	runs, _ = readAll(t, oneRun(`"tool":{"driver":{"name":"T"}},"results":[{"ruleId":"r","locations":[{"physicalLocation":{"region":{"startLine":"7"}}}]}]`), Options{})
	if runs[0].Results[0].Line != 7 {
		t.Errorf("startLine \"7\" read as %d", runs[0].Results[0].Line)
	}
}

func TestGzip(t *testing.T) {
	var b bytes.Buffer
	z := gzip.NewWriter(&b)
	z.Write([]byte(oneRun(`"tool":{"driver":{"name":"T"}},"results":[{"ruleId":"r"},{"ruleId":"s"}]`)))
	z.Close()
	n := 0
	if _, err := Read(bytes.NewReader(b.Bytes()), Options{}, func(r *Run) error { n += len(r.Results); return nil }); err != nil || n != 2 {
		t.Fatalf("gzip: %d results, %v", n, err)
	}
	_, err := Read(bytes.NewReader(b.Bytes()[:b.Len()/2]), Options{}, nil)
	if err == nil || !strings.Contains(err.Error(), "gzip") && !strings.Contains(err.Error(), "ends early") {
		t.Errorf("truncated gzip: %v", err)
	}
}

// Content receives the log as read, inflated, with its byte order mark;
// Log.Gzip says whether it was gzip; a gzip file inside one is refused.
func TestContent(t *testing.T) {
	doc := "\xef\xbb\xbf" + oneRun(`"tool":{"driver":{"name":"T"}},"results":[{"ruleId":"r","message":{"text":"m"}}]`) + "\n"
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(doc))
	zw.Close()
	for _, in := range []struct {
		name string
		b    []byte
		gz   bool
	}{{"plain", []byte(doc), false}, {"gzip", z.Bytes(), true}} {
		var got bytes.Buffer
		log, err := Read(bytes.NewReader(in.b), Options{Content: &got}, nil)
		if err != nil || got.String() != doc || log.Gzip != in.gz {
			t.Errorf("%s: content %q, gzip %v, %v; want the document, gzip %v", in.name, got.String(), log.Gzip, err, in.gz)
		}
	}
	var twice bytes.Buffer
	zw = gzip.NewWriter(&twice)
	zw.Write(z.Bytes())
	zw.Close()
	_, err := Read(bytes.NewReader(twice.Bytes()), Options{}, nil)
	var e *Error
	if !errors.As(err, &e) || e.Msg != NestedGzip {
		t.Errorf("gzip inside gzip: %v, want %q", err, NestedGzip)
	}
}

func TestNotSARIF(t *testing.T) {
	for _, tc := range []struct{ name, doc, path, msg string }{
		{"empty", "", "$", "empty file"},
		{"blank", "  \n", "$", "ends early"},
		{"invalid JSON", `{"version":"2.1.0",}`, "$", "invalid JSON at byte"},
		{"truncated", `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"results":[{"ruleId":"r"`, "$.runs[0].results[0]", "ends early"},
		{"an array", `[1,2]`, "$", "want a SARIF log"},
		{"SARIF 1.0", `{"version":"1.0.0","runs":[]}`, "$.version", `"1.0.0" is not supported`},
		{"no version", `{"runs":[]}`, "$.version", "missing"},
		{"version a number", `{"version":2.1,"runs":[]}`, "$.version", "a number"},
		{"no runs", `{"version":"2.1.0"}`, "$.runs", "missing"},
		{"runs an object", `{"version":"2.1.0","runs":{}}`, "$.runs", "want an array of runs"},
		{"run a string", `{"version":"2.1.0","runs":["x"]}`, "$.runs[0]", "want an object"},
		{"results 42", oneRun(`"tool":{"driver":{"name":"T"}},"results":42`), "$.runs[0].results", "results is a number, want an array"},
		{"result a string", oneRun(`"tool":{"driver":{"name":"T"}},"results":[{},"x"]`), "$.runs[0].results[1]", "want an object"},
		{"no tool", `{"version":"2.1.0","runs":[{"results":[]}]}`, "$.runs[0].tool", "no tool object"},
		{"tool a string", `{"version":"2.1.0","runs":[{"tool":"semgrep","results":[]}]}`, "$.runs[0].tool", "tool is a string"},
		{"trailing data", oneRun(`"tool":{"driver":{"name":"T"}},"results":[]`) + `{}`, "$", "more JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.doc), Options{}, nil)
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			if e.Path != tc.path || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("err = %q at %q, want %q at %q", e.Msg, e.Path, tc.msg, tc.path)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"./a/b.c":                 "a/b.c",
		"a/../b.c":                "b.c",
		"file:///C:/x/y.c":        "C:/x/y.c",
		"file://localhost/etc/x":  "/etc/x",
		"file:/etc/x":             "/etc/x",
		`C:\src\a.cs`:             "C:/src/a.cs",
		"a%2Fb%20c":               "a/b c",
		".":                       "",
		"HTTPS://h/x":             "HTTPS://h/x",
		"file://server/share/a.c": "//server/share/a.c",
	} {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestManyResults reads a run with more results than fit in many chunks.
func TestManyResults(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"results":[`)
	const n = 100000
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"ruleId":"r","message":{"text":"m` + strconv.Itoa(i) + `"}}`)
	}
	b.WriteString(`]}]}`)
	runs, _ := readAll(t, b.String(), Options{})
	if len(runs[0].Results) != n || runs[0].Results[n-1].Message != "m99999" {
		t.Fatalf("%d results, last %+v", len(runs[0].Results), runs[0].Results[len(runs[0].Results)-1])
	}
}

// TestSecondPassGivesTheSameResults reads logs whose runs have more
// results than are buffered, again from the start, with results in
// batches, and compares with reading them whole.
func TestSecondPassGivesTheSameResults(t *testing.T) {
	var docs []string
	doc := `{"version":"2.1.0","runs":[` +
		`{"results":[` // results before the tool, as Semgrep writes
	for i := 0; i < 10; i++ {
		if i > 0 {
			doc += ","
		}
		doc += `{"ruleIndex":` + strconv.Itoa(i%2) + `,"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.c","uriBaseId":"SRC"},"region":{"startLine":0,"snippet":{"text":"x"}}}}]}`
	}
	doc += `],"tool":{"driver":{"name":"semgrep","rules":[{"id":"A","defaultConfiguration":{"level":"error"}},{"id":"B","properties":{"security-severity":"9.9"}}]}},"originalUriBaseIds":{"SRC":{"uri":"src/"}}},` +
		`{"tool":{"driver":{"name":"small"}},"results":[{"ruleId":"s","message":{"text":"one"}}]}]}`
	docs = append(docs, doc)
	if b, err := os.ReadFile(filepath.Join(corpusDir, "dd_lgtm-export_2runs.sarif")); err == nil {
		docs = append(docs, string(b))
	}
	defer func(n int) { bufferResults = n }(bufferResults)
	for di, doc := range docs {
		bufferResults = 1 << 30
		whole := map[int][]Result{}
		wholeLog, err := Read(strings.NewReader(doc), Options{}, func(r *Run) error { whole[r.Index] = r.Results; return nil })
		if err != nil {
			t.Fatal(err)
		}
		bufferResults = 3
		batched := map[int][]Result{}
		reopened := 0
		o := Options{
			Reopen:  func() (io.ReadCloser, error) { reopened++; return io.NopCloser(strings.NewReader(doc)), nil },
			Results: func(r *Run, batch []Result) error { batched[r.Index] = append(batched[r.Index], batch...); return nil },
		}
		var order []int
		log, err := Read(strings.NewReader(doc), o, func(r *Run) error {
			order = append(order, r.Index)
			if len(r.Results) != 0 {
				t.Errorf("run %d: Results filled although Options.Results is set", r.Index)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if reopened != 1 || len(order) != len(whole) {
			t.Errorf("doc %d: reopened %d times, runs %v", di, reopened, order)
		}
		for i, rs := range whole {
			if !reflect.DeepEqual(rs, batched[i]) && !(len(rs) == 0 && len(batched[i]) == 0) {
				t.Errorf("doc %d run %d: second pass gave other results:\n%+v\n%+v", di, i, rs, batched[i])
			}
		}
		if !reflect.DeepEqual(log.Notes, wholeLog.Notes) || log.Results != wholeLog.Results {
			t.Errorf("doc %d: notes %v (%d results), read whole %v (%d)", di, log.Notes, log.Results, wholeLog.Notes, wholeLog.Results)
		}
	}
}
