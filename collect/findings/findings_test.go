package findings

import (
	"bytes"
	"cmp"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/collect/sarif"
	"github.com/gitdora/gitdora/fact"
)

// corpusDir is ../shared/corpus/sarif from the repository root.
const corpusDir = "../../../shared/corpus/sarif"

// normalise reads a SARIF log and returns its runs as read (results
// kept) and its normalised form.
func normalise(t testing.TB, doc []byte, o sarif.Options) ([]*sarif.Run, []byte) {
	t.Helper()
	var w Writer
	var runs []*sarif.Run
	log, err := sarif.Read(bytes.NewReader(doc), o, func(r *sarif.Run) error {
		runs = append(runs, r)
		return w.Run(r)
	})
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return runs, w.Bytes(log)
}

// same says how a finding differs from the result it was made of, "" when
// it does not.
func same(f *fact.Finding, r *sarif.Result, tool string) string {
	var diffs []string
	check := func(what string, got, want any) {
		if !equal(got, want) {
			diffs = append(diffs, what)
		}
	}
	check("tool", f.Tool, tool)
	check("rule", f.RuleID, r.RuleID)
	check("severity", string(f.Severity), r.Severity)
	check("cwe", f.CWE, r.CWE)
	check("cwes", f.CWEs, r.CWEs)
	check("uri", f.URI, r.URI)
	check("line", int(f.Line), r.Line)
	check("fingerprint", f.Fingerprint(), r.Fingerprint)
	check("hash", f.ContentHash, r.ContentHash)
	check("message", f.Message(), r.Message)
	check("suppressed", f.Suppressed, r.Suppressed)
	check("absent", f.Absent, r.Absent())
	return strings.Join(diffs, ", ")
}

func equal(a, b any) bool {
	if x, ok := a.([]string); ok {
		return slices.Equal(x, b.([]string))
	}
	return a == b
}

// Every SARIF file of the corpus that reads, normalised and read back,
// gives every field collect makes findings of, in the same order, and
// its runs' fields and notes.
func TestCorpusRoundTrip(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.sarif"))
	if err != nil || len(files) == 0 {
		t.Skipf("corpus not found at %s (../shared/corpus from the repository root)", corpusDir)
	}
	read := 0
	for _, name := range files {
		doc, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var runs []*sarif.Run
		var w Writer
		log, err := sarif.Read(bytes.NewReader(doc), sarif.Options{Roots: []string{"/src"}}, func(r *sarif.Run) error {
			runs = append(runs, r)
			return w.Run(r)
		})
		if err != nil {
			continue // not SARIF: nothing is stored
		}
		read++
		b := w.Bytes(log)
		f, err := Decode(string(b))
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(name), err)
			continue
		}
		if !slices.Equal(f.Notes, log.Notes) {
			t.Errorf("%s: notes %v, want %v", filepath.Base(name), f.Notes, log.Notes)
		}
		if len(f.Runs) != len(runs) {
			t.Fatalf("%s: %d runs, want %d", filepath.Base(name), len(f.Runs), len(runs))
		}
		streamed, err := DecodeReader(bytes.NewReader(b), int64(len(b)), "T", nil, nil)
		if err != nil || len(streamed.Runs) != len(runs) {
			t.Fatalf("%s: read streaming: %v", filepath.Base(name), err)
		}
		for i, r := range runs {
			got := &f.Runs[i]
			want := *r
			want.Results, want.Count = nil, len(r.Results)
			g := got.Run
			if g.Index != want.Index || g.Tool != want.Tool || g.ToolVersion != want.ToolVersion || g.AutomationID != want.AutomationID ||
				g.Incremental != want.Incremental || !g.Start.Equal(want.Start) || !g.End.Equal(want.End) || g.HasResults != want.HasResults ||
				!slices.Equal(g.Artifacts, want.Artifacts) || !slices.Equal(g.Outside, want.Outside) || g.Count != want.Count {
				t.Errorf("%s run %d: %+v, want %+v", filepath.Base(name), i, g, want)
			}
			set, err := got.Set("T", nil, nil)
			if err != nil {
				t.Errorf("%s run %d: %v", filepath.Base(name), i, err)
				continue
			}
			if len(set.List) != len(r.Results) {
				t.Fatalf("%s run %d: %d findings, want %d", filepath.Base(name), i, len(set.List), len(r.Results))
			}
			other, _ := streamed.Runs[i].Set("", nil, nil)
			if len(other.List) != len(set.List) || streamed.Runs[i].Key() != got.Key() {
				t.Fatalf("%s run %d: %d findings read streaming, %d whole", filepath.Base(name), i, len(other.List), len(set.List))
			}
			once, err := got.SetOnce("T", nil, nil)
			if err != nil || len(once.List) != len(set.List) {
				t.Fatalf("%s run %d: read once: %v", filepath.Base(name), i, err)
			}
			suppressed := 0
			for j := range r.Results {
				if d := same(&set.List[j], &r.Results[j], "T"); d != "" {
					t.Errorf("%s run %d result %d: %s differ", filepath.Base(name), i, j, d)
				}
				if d := same(&other.List[j], &r.Results[j], cmp.Or(r.Tool, "T")); d != "" {
					t.Errorf("%s run %d result %d, read streaming: %s differ", filepath.Base(name), i, j, d)
				}
				if d := same(&once.List[j], &r.Results[j], "T"); d != "" {
					t.Errorf("%s run %d result %d, read once: %s differ", filepath.Base(name), i, j, d)
				}
				if r.Results[j].Suppressed {
					suppressed++
				}
			}
			if set.Suppressed != suppressed {
				t.Errorf("%s run %d: %d suppressed, want %d", filepath.Base(name), i, set.Suppressed, suppressed)
			}
		}
		// The same log gives the same bytes.
		if _, again := normalise(t, doc, sarif.Options{Roots: []string{"/src"}}); !bytes.Equal(again, b) {
			t.Errorf("%s: normalised twice, two forms", filepath.Base(name))
		}
	}
	if read < 40 {
		t.Errorf("only %d corpus files read", read)
	}
}

// The curl log's normalised form is at most a tenth of the SARIF file.
func TestNormalisedIsSmall(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(corpusDir, "gen_flawfinder-2.0.19_curl-8.21.0.sarif"))
	if err != nil {
		t.Skipf("corpus not found at %s (../shared/corpus from the repository root): %v", corpusDir, err)
	}
	_, b := normalise(t, doc, sarif.Options{})
	if len(b)*10 > len(doc) {
		t.Errorf("%d bytes normalised, more than a tenth of the SARIF's %d", len(b), len(doc))
	}
	t.Logf("%d bytes of SARIF, %d normalised (%.1f%%)", len(doc), len(b), 100*float64(len(b))/float64(len(doc)))
}

// oddLog has what the form must escape or encode: tabs, line breaks and
// backslashes in every text, fingerprints of hex (encoded), of upper-case
// hex and starting with ~ (kept), none (the content hash), duplicates
// (:2), results of another kind, suppressed and absent ones, and a run
// without results.
const oddLog = `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T\tool","version":"1\n2",
  "rules":[{"id":"R\\1","properties":{"tags":["CWE-79","external/cwe/cwe-89"],"security-severity":"9.1"}},{"id":"Q","defaultConfiguration":{"level":"note"}}]}},
  "automationDetails":{"id":"ci/incremental/"},
  "invocations":[{"startTimeUtc":"2025-01-02T03:04:05.123+02:00","endTimeUtc":"2025-01-02T03:05:05Z"}],
  "artifacts":[{"location":{"uri":"a\tb.go"}},{"location":{"uri":"/abs/x.go"}}],
  "results":[
   {"ruleId":"R\\1","message":{"text":"line\none\r\n\\"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a\tb.go"},"region":{"startLine":3}}}],"partialFingerprints":{"primaryLocationLineHash":"0123456789abcdef0123456789abcdef"}},
   {"ruleId":"R\\1","message":{"text":"x"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a\tb.go"},"region":{"startLine":3}}}],"partialFingerprints":{"primaryLocationLineHash":"0123456789abcdef0123456789abcdef"}},
   {"ruleId":"Q","kind":"pass","message":{"text":"passed"},"fingerprints":{"v":"ABCDEF0123456789ABCD"}},
   {"ruleId":"Q","message":{"text":"~tilde"},"fingerprints":{"v":"~tilde"},"suppressions":[{"kind":"inSource"}],"baselineState":"absent"},
   {"ruleId":"Q","message":{"text":""},"baselineState":"new"},
   {"ruleId":"Q","message":{"text":""},"baselineState":"new"},
   {"ruleId":"Q","level":"none","message":{"text":"none"},"suppressions":[{"status":"accepted"}]}]},
 {"tool":{"driver":{"name":"U"}}}]}`

// Texts with tabs, line breaks and backslashes, every kind of fingerprint
// and state, and a run without results read back as they were; overrides
// apply to results of kind fail only.
func TestOddRoundTrip(t *testing.T) {
	runs, b := normalise(t, []byte(oddLog), sarif.Options{})
	f, err := Decode(string(b))
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if len(f.Runs) != 2 || f.Runs[1].HasResults || f.Runs[1].Count != 0 || !f.Runs[0].Incremental || f.Runs[0].ToolVersion != "1\n2" {
		t.Fatalf("runs %+v", f.Runs)
	}
	set, err := f.Runs[0].Set("T\tool", nil, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	once, err := f.Runs[0].SetOnce("T\tool", nil, nil) // the texts where they were written
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	for j := range runs[0].Results {
		if d := same(&set.List[j], &runs[0].Results[j], "T\tool"); d != "" {
			t.Errorf("result %d: %s differ", j, d)
		}
		if d := same(&once.List[j], &runs[0].Results[j], "T\tool"); d != "" {
			t.Errorf("result %d, read once: %s differ", j, d)
		}
	}
	if !bytes.Contains(b, []byte("~ASNFZ4mrze8BI0VniavN7w")) {
		t.Errorf("the hex fingerprint is not in base64:\n%s", b)
	}
	over, err := f.Runs[0].Set("T", map[string]string{"Q": "critical"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var sevs []fact.Severity
	for _, x := range over.List {
		sevs = append(sevs, x.Severity)
	}
	want := []fact.Severity{"critical", "critical", "info", "critical", "critical", "critical", "critical"}
	if !slices.Equal(sevs, want) {
		t.Errorf("with an override of Q: %v, want %v (a pass result stays info)", sevs, want)
	}
}

// Decode and Set refuse what is not normalised findings, naming the line.
func TestBadFiles(t *testing.T) {
	_, good := normalise(t, []byte(oddLog), sarif.Options{})
	lines := strings.Split(strings.TrimSuffix(string(good), "\n"), "\n")
	edit := func(i int, repl string) []byte {
		l := slices.Clone(lines)
		l[i] = repl
		return []byte(strings.Join(l, "\n") + "\n")
	}
	find := func(prefix string) int {
		for i, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return i
			}
		}
		t.Fatalf("no line %q in\n%s", prefix, good)
		return 0
	}
	r := find("r\t")
	for _, c := range []struct {
		name string
		b    []byte
		line int
		msg  string
	}{
		{"empty", nil, 1, "first line"},
		{"not ours", []byte("{}\n"), 1, "first line"},
		{"bad version", edit(0, "gitdora findings x"), 1, "version"},
		{"unknown line", edit(find("tool"), "colour\tred"), find("tool") + 1, `"colour" is not a line`},
		{"fields", edit(find("tool"), "tool\ta\tb"), find("tool") + 1, "2 fields, want 1"},
		{"time", edit(find("end"), "end\tyesterday"), find("end") + 1, "RFC 3339"},
		{"run order", edit(find("run\t1"), "run\t5"), find("run\t1") + 1, "want run 1"},
		{"count", edit(find("count"), "count\t99\t0"), find("count") + 2, "its count line says 99"},
		{"escape", edit(find("tool"), "tool\ta\\q"), find("tool") + 1, "unknown escape"},
		{"rule index", edit(r, "r\t1\t99\t0\t3\t0\t\tAAAAAAAAAAA\t-"), r + 1, "not in the run's tables"},
		{"order", edit(r, "r\t-5\t0\t0\t3\t0\t\tAAAAAAAAAAA\t-"), r + 1, "order"},
		{"hash", edit(r, "r\t1\t0\t0\t3\t0\t\tnot-a-hash\t-"), r + 1, "content hash"},
		{"state", edit(r, "r\t1\t0\t0\t3\t0\t\tAAAAAAAAAAA\tz"), r + 1, "state"},
		{"severity", edit(find("rule"), "rule\tR\tsevere\t\t"), find("rule") + 1, "severity"},
		{"cwe", edit(find("rule"), "rule\tR\tlow\tCWE-x\t"), find("rule") + 1, "not a CWE"},
	} {
		f, err := Decode(string(c.b))
		if err == nil {
			for i := range f.Runs {
				if _, err = f.Runs[i].Set("T", nil, nil); err != nil {
					break
				}
			}
		}
		var e *Error
		if !errors.As(err, &e) || e.Line != c.line || !strings.Contains(e.Msg, c.msg) {
			t.Errorf("%s: %v, want line %d: …%s…", c.name, err, c.line, c.msg)
		}
	}
	var ve *VersionError
	if _, err := Decode(string(edit(0, "gitdora findings 2"))); !errors.As(err, &ve) || ve.Found != 2 || !strings.Contains(err.Error(), "newer gitdora") {
		t.Errorf("a newer version: %v", err)
	}
}

// Headers keeps what a scan is made of but its findings: its times,
// tools, counts, artifacts, incremental mark and key. The file it came
// from is unchanged, and its findings still read.
func TestHeaders(t *testing.T) {
	_, b := normalise(t, []byte(oddLog), sarif.Options{})
	f, err := Decode(string(b))
	if err != nil {
		t.Fatal(err)
	}
	h := f.Headers()
	if len(h.Runs) != len(f.Runs) || h.Root != f.Root || h.HasRoot != f.HasRoot {
		t.Fatalf("headers %+v of %+v", h, f)
	}
	for i := range f.Runs {
		r, hr := &f.Runs[i], &h.Runs[i]
		if hr.Tool != r.Tool || hr.ToolVersion != r.ToolVersion || !hr.End.Equal(r.End) || hr.Count != r.Count || hr.Suppressed() != r.Suppressed() ||
			hr.Incremental != r.Incremental || hr.HasResults != r.HasResults || !slices.Equal(hr.Artifacts, r.Artifacts) || hr.Key() != r.Key() {
			t.Errorf("run %d: headers %+v, of %+v", i, hr.Run, r.Run)
		}
		if _, err := hr.Set("T", nil, nil); err == nil {
			t.Errorf("run %d: the headers' findings read", i)
		}
	}
	if set, err := f.Runs[0].Set("T", nil, nil); err != nil || len(set.List) != f.Runs[0].Count || f.Runs[0].Count == 0 {
		t.Errorf("the file's findings: %v, %v", set, err)
	}
}
