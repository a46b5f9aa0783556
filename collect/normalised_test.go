package collect

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/collect/findings"
	"github.com/gitdora/gitdora/collect/sarif"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
)

// normalisedOf is the normalised findings of a SARIF log made with root,
// as ingest writes them.
func normalisedOf(t *testing.T, doc []byte, root string) []byte {
	t.Helper()
	w := &findings.Writer{Root: root}
	o := sarif.Options{Results: w.Results}
	if root != "" {
		o.Roots = []string{root}
	}
	log, err := sarif.Read(bytes.NewReader(doc), o, w.Run)
	if err != nil {
		t.Fatal(err)
	}
	return w.Bytes(log)
}

// storeScan adds to files scan i of a test, made of SARIF log b and filed
// under day, as ingest stores it for ref: its SARIF file when raw, its
// normalised findings when norm (broken: a rule line with a field too
// many, which its header reads past), and its scan record.
func storeScan(t *testing.T, files map[string][]byte, i int, day time.Time, b []byte, ref string, raw, norm, broken bool) {
	t.Helper()
	p := data.ScanFile(day, strings.Repeat(string(rune('a'+i)), 40), "t", b)
	if raw {
		files[p] = b
	}
	if norm {
		n := normalisedOf(t, b, "")
		if broken {
			n = bytes.Replace(n, []byte("\tR\t"), []byte("\tR\tx\t"), 1)
		}
		files[FindingsFile(p)] = n
	}
	files[ScanMetaFile(p)] = []byte(`{"refs":["` + ref + `"],"scan_type":"full"}`)
}

// A scan is read from its normalised findings when they stand for its
// SARIF file, and from the SARIF file when they do not: none, another
// format version, unreadable, or made with a root under which this
// repository's paths would read otherwise. Each such kind is said once,
// but the last.
func TestNormalisedOrSARIF(t *testing.T) {
	repo := t.TempDir() // --repo: an absolute path under it is relative to it
	at := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	doc := func(uri, msg string) []byte {
		return []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"invocations":[{"endTimeUtc":"2026-01-05T10:00:00Z"}],"results":[
 {"ruleId":"R","message":{"text":"` + msg + `"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"` + uri + `"}}}]}]}]}`)
	}
	type scan struct {
		name, uri string
		norm      func(doc []byte) []byte // nil: no normalised findings
		wantURI   string
	}
	record := []byte(`{"refs":["main"],"scan_type":"full","root":"/elsewhere"}`)
	fresh := func(b []byte) []byte { return normalisedOf(t, b, "/elsewhere") }
	cases := []scan{
		{"fresh", "src/a.go", fresh, "src/a.go"},
		{"none", "src/b.go", nil, "src/b.go"},
		{"newer", "src/c.go", func(b []byte) []byte {
			return bytes.Replace(fresh(b), []byte("gitdora findings 1"), []byte("gitdora findings 99"), 1)
		}, "src/c.go"},
		{"broken", "src/d.go", func(b []byte) []byte { return append(fresh(b), "r\tx\n"...) }, "src/d.go"},
		// Made where /elsewhere was the root: the path under --repo stayed
		// absolute; read here, it is relative to --repo.
		{"elsewhere", "file://" + filepath.ToSlash(repo) + "/src/e.go", fresh, "src/e.go"},
	}
	files := map[string][]byte{}
	for i, c := range cases {
		b := doc(c.uri, c.name)
		p := data.ScanFile(at.Add(time.Duration(i)*time.Hour), strings.Repeat(string(rune('a'+i)), 40), c.name, b)
		files[p] = b
		files[ScanMetaFile(p)] = record
		if c.norm != nil {
			files[FindingsFile(p)] = c.norm(b)
		}
	}
	f := &fact.Facts{}
	if err := gatherSecurity(Options{RepoPath: repo, Store: plainStore(t, files), Config: config.Default()}, f); err != nil {
		t.Fatal(err)
	}
	if len(f.Scans) != len(cases) || len(f.Problems) > 0 {
		t.Fatalf("%d scans, problems %v", len(f.Scans), f.Problems)
	}
	for _, s := range f.Scans {
		x := s.Findings()[0]
		for _, c := range cases {
			if x.Message() == c.name && x.URI != c.wantURI {
				t.Errorf("%s: URI %q, want %q", c.name, x.URI, c.wantURI)
			}
		}
	}
	notes := strings.Join(f.Notes, "\n")
	for _, want := range []string{"1 SARIF file(s) have no normalised findings", "1 SARIF file(s) have normalised findings that a newer gitdora wrote",
		"1 SARIF file(s) have normalised findings that cannot be read", "run `gitdora reindex`"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if strings.Count(notes, "SARIF file(s)") != 3 {
		t.Errorf("want three notes on SARIF files read whole:\n%s", notes)
	}

	// Without its SARIF file (scans.keep_raw: false), a scan is read from
	// its normalised findings, whatever they were made with; unreadable,
	// it is skipped with a problem.
	kept := map[string][]byte{}
	for p, b := range files {
		if !strings.HasSuffix(p, ".sarif") {
			kept[p] = b
		}
	}
	f = &fact.Facts{}
	if err := gatherSecurity(Options{RepoPath: repo, Store: plainStore(t, kept), Config: config.Default()}, f); err != nil {
		t.Fatal(err)
	}
	if len(f.Scans) != 2 || len(f.Problems) != 2 {
		t.Fatalf("keep_raw false: %d scans (want fresh and elsewhere), problems %v (want newer and broken)", len(f.Scans), f.Problems)
	}
	for _, p := range f.Problems {
		if !strings.HasSuffix(p.File, findings.Ext) {
			t.Errorf("problem %v names no normalised findings file", p)
		}
	}
}

// Scans of the same findings (the same log ingested night after night,
// or logs that differ only in their times) share one set, and the same
// content stored for several commits is read once.
func TestSameFindingsShareASet(t *testing.T) {
	files := map[string][]byte{}
	for i := range 6 {
		end := "2026-01-0" + string(rune('1'+i%3)) + "T10:00:00Z" // three contents, each twice
		b := []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"invocations":[{"endTimeUtc":"` + end + `"}],"results":[
 {"ruleId":"R","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"}}}]}]}]}`)
		p := data.ScanFile(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), strings.Repeat(string(rune('a'+i)), 40), "t", b)
		files[p] = b
		files[FindingsFile(p)] = normalisedOf(t, b, "")
		files[ScanMetaFile(p)] = []byte(`{"refs":["main"],"scan_type":"full"}`)
	}
	f := &fact.Facts{}
	if err := gatherSecurity(Options{RepoPath: t.TempDir(), Store: plainStore(t, files), Config: config.Default()}, f); err != nil {
		t.Fatal(err)
	}
	if len(f.Scans) != 6 {
		t.Fatalf("%d scans", len(f.Scans))
	}
	for _, s := range f.Scans {
		if s.Set != f.Scans[0].Set || s.Results != 1 {
			t.Fatalf("scan %s: its own set of %d findings, want the one set", s.ID, s.Results)
		}
	}
}

// A scan record reads the same through quickMeta as through
// encoding/json, whatever it holds; quickMeta reads those ingest writes.
func FuzzScanRecord(f *testing.F) {
	f.Add([]byte("{\n  \"refs\": [\n    \"main\",\n    \"release/1.x\"\n  ],\n  \"at\": \"2026-01-05T10:00:00Z\",\n  \"scan_type\": \"incremental\",\n  \"commit_time\": \"2026-01-05T09:00:00Z\",\n  \"root\": \"/w/r\",\n  \"source\": \"a.sarif\",\n  \"ingested\": \"2026-01-05T10:01:00Z\"\n}\n"))
	f.Add([]byte(`{"REFS":["main"],"refs":null,"scan_type":1}`))
	f.Add([]byte(`{"refs":["ma\u0069n"],"refs":["x"]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var quick ScanMeta
		quick.ScanType = fact.ScanFull
		if !quickMeta(b, &quick) {
			return
		}
		slow := ScanMeta{ScanType: fact.ScanFull}
		if err := json.Unmarshal(b, &slow); err != nil {
			t.Fatalf("quickMeta read %q, encoding/json refuses it: %v", b, err)
		}
		if !reflect.DeepEqual(quick, slow) && !(len(quick.Refs) == 0 && len(slow.Refs) == 0) {
			t.Fatalf("quickMeta %+v, encoding/json %+v", quick, slow)
		}
	})
}

// quickMeta reads the records ingest writes (two-space indented).
func TestQuickMetaReadsWhatIngestWrites(t *testing.T) {
	want := ScanMeta{Refs: []string{"main", "pr/1"}, At: "2026-01-05T10:00:00Z", ScanType: fact.ScanIncremental, CommitTime: "x", Root: "/w", Source: "a.sarif", Ingested: "y"}
	b, _ := json.MarshalIndent(want, "", "  ")
	var got ScanMeta
	if !quickMeta(append(b, '\n'), &got) || !reflect.DeepEqual(got, want) {
		t.Errorf("quickMeta(%s) = %+v", b, got)
	}
}

// With TrunkFindingsOnly, the findings of a scan of another ref are not
// read: it has no set, its counts are its count line's, and a body that
// cannot be read goes unseen; the trunk's scans, and a scan read from its
// SARIF file, have their findings. Without it, every scan has them.
func TestTrunkFindingsOnly(t *testing.T) {
	doc := func(day int, suppressed bool) []byte {
		s := ""
		if suppressed {
			s = `,"suppressions":[{"kind":"inSource"}]`
		}
		return []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"invocations":[{"endTimeUtc":"2026-01-0` + strconv.Itoa(day) + `T10:00:00Z"}],"results":[
 {"ruleId":"R","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"}}}]},
 {"ruleId":"S","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"b.go"}}}]` + s + `}]}]}`)
	}
	type stored struct {
		ref        string
		day        int
		norm, raw  bool
		broken     bool // the normalised findings' body cannot be read
		suppressed bool
	}
	scans := []stored{
		{ref: "main", day: 1, norm: true, raw: true},
		{ref: "refs/pull/7/merge", day: 2, norm: true, raw: true, suppressed: true},
		{ref: "refs/pull/8/merge", day: 3, norm: true, broken: true},
		{ref: "refs/pull/9/merge", day: 4, raw: true},
	}
	files := map[string][]byte{}
	for i, s := range scans {
		storeScan(t, files, i, time.Date(2026, 1, s.day, 0, 0, 0, 0, time.UTC), doc(s.day, s.suppressed), s.ref, s.raw, s.norm, s.broken)
	}
	cfg := config.Default()
	cfg.Trunk = "main" // as Gather sets it
	for _, only := range []bool{false, true} {
		f := &fact.Facts{}
		if err := gatherSecurity(Options{RepoPath: t.TempDir(), Store: plainStore(t, files), Config: cfg, TrunkFindingsOnly: only}, f); err != nil {
			t.Fatal(err)
		}
		byRef := map[string]fact.Scan{}
		for _, s := range f.Scans {
			byRef[s.Ref] = s
		}
		for _, s := range scans {
			got, ok := byRef[s.ref]
			if s.broken && !only {
				if ok {
					t.Errorf("all findings: the unreadable scan of %s was read", s.ref)
				}
				continue
			}
			wantSet := !only || s.ref == "main" || !s.norm
			suppressed := 0
			if s.suppressed {
				suppressed = 1
			}
			if !ok || (got.Set != nil) != wantSet || got.Results != 2 || got.Suppressed != suppressed {
				t.Errorf("trunk findings only %v, %s: found %v, set %v (want %v), %d results (%d suppressed), want 2 (%d)",
					only, s.ref, ok, got.Set != nil, wantSet, got.Results, got.Suppressed, suppressed)
			}
		}
		if problems := len(f.Problems); only && problems != 0 || !only && problems != 1 {
			t.Errorf("trunk findings only %v: problems %v", only, f.Problems)
		}
	}
}
