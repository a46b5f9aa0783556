package collect

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
)

const corpusSARIF = "../../shared/corpus/sarif"

// plainStore writes files (data-branch path → content) into a directory
// and opens it as a Store.
func plainStore(t *testing.T, files map[string][]byte) *data.Store {
	t.Helper()
	dir := t.TempDir()
	for p, b := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := data.Open(dir, dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCorpusFindingsRows stores every corpus SARIF file on a data branch
// and checks that findings.csv has one row per result of each file, and
// that the files that are not SARIF are reported, not crashed on.
func TestCorpusFindingsRows(t *testing.T) {
	entries, err := os.ReadDir(corpusSARIF)
	if err != nil {
		t.Skipf("corpus not found at %s (../shared/corpus from the repository root): %v", corpusSARIF, err)
	}
	manifest, err := os.ReadFile(filepath.Join(corpusSARIF, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	results := map[string]int{} // corpus file → results (MANIFEST)
	r := csv.NewReader(bytes.NewReader(manifest))
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = '\t', true, -1
	rows, _ := r.ReadAll()
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, row := range rows[1:] {
		if n, err := strconv.Atoi(row[col["results"]]); err == nil {
			results[row[0]] = n
		}
	}
	files := map[string][]byte{}
	stored := map[string]string{} // data-branch path → corpus file
	at := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	for i, e := range entries {
		if !strings.HasSuffix(e.Name(), ".sarif") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(corpusSARIF, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		sha := strings.Repeat("0", 38) + strconv.Itoa(10+i)
		p := data.ScanFile(at, sha, strings.TrimSuffix(e.Name(), ".sarif"), b)
		files[p] = b
		files[ScanMetaFile(p)] = []byte(`{"refs": ["main"], "scan_type": "full"}`)
		stored[p] = e.Name()
	}
	cfg := config.Default()
	cfg.Trunk = "main" // as Gather resolves it: the scan records say main
	f := &fact.Facts{}
	if err := gatherSecurity(Options{RepoPath: t.TempDir(), Store: plainStore(t, files), Config: cfg}, f); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := WriteFindingsCSV(&out, f.Scans); err != nil {
		t.Fatal(err)
	}
	if want := findingsCSV(t, f.Scans); out.String() != want {
		t.Errorf("findings.csv is not what encoding/csv writes of the findings' fields")
	}
	csvRows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(csvRows[0][:9], ",") != "scan_id,tool,rule_id,severity,fingerprint,uri,line,cwe,suppressed" {
		t.Errorf("findings.csv header %q", csvRows[0])
	}
	perFile := map[string]int{}
	for _, row := range csvRows[1:] {
		p, _, _ := strings.Cut(row[0], "#")
		perFile[stored[p]]++
	}
	problems := map[string]string{}
	for _, pr := range f.Problems {
		for p, name := range stored {
			if strings.HasSuffix(pr.File, p) {
				problems[name] = pr.Msg
			}
		}
	}
	for p, name := range stored {
		if strings.HasPrefix(name, "NEG_") && name != "NEG_dd_no-runs.sarif" && name != "NEG_sdk_schema-invalid_no-ruleId.sarif" {
			if problems[name] == "" || perFile[name] != 0 {
				t.Errorf("%s: problem %q, %d rows; want it reported and left out", name, problems[name], perFile[name])
			}
			continue
		}
		if problems[name] != "" {
			t.Errorf("%s (%s): %s", name, p, problems[name])
		}
		want, ok := results[name]
		if !ok {
			t.Errorf("%s: not in the MANIFEST", name)
		}
		if perFile[name] != want {
			t.Errorf("%s: %d rows in findings.csv, %d results in the file", name, perFile[name], want)
		}
	}
	if len(stored) < 80 {
		t.Errorf("only %d corpus files", len(stored))
	}
	// Scans come in time order, with the scan time the files say.
	for i := 1; i < len(f.Scans); i++ {
		if f.Scans[i].Time.Before(f.Scans[i-1].Time) {
			t.Fatalf("scans not in time order at %d", i)
		}
	}
	for _, s := range f.Scans {
		if stored[s.File] == "sdk_v2matcher_elfie-arriba.sarif" && (s.Duration == nil || s.Time.Year() != 2019) {
			t.Errorf("%s: time %s duration %v, want the invocation's", s.ID, s.Time, s.Duration)
		}
		if s.Ref != cfg.Trunk {
			t.Errorf("%s: ref %q, want the trunk's as its scan record says", s.ID, s.Ref)
		}
	}
}

func fp(v float64) *float64 { return &v }

// TestCIRunsAndScanSeconds reads CI run records and SARIF without
// invocation times from a data branch, then gives deployments without
// scan seconds those of their sha's CI runs, else of SARIF invocations.
func TestCIRunsAndScanSeconds(t *testing.T) {
	shaCI := "1111111111111111111111111111111111111111"
	shaSARIF := "2222222222222222222222222222222222222222"
	run := func(id, attempt int, sha, scanConclusion string, scanSecs int) []byte {
		return []byte(`{"id": ` + strconv.Itoa(id) + `, "run_attempt": ` + strconv.Itoa(attempt) + `, "head_sha": "` + sha + `", "status": "completed",
  "run_started_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-05T10:10:00Z",
  "jobs": [{"id": ` + strconv.Itoa(id*10+attempt) + `, "run_id": ` + strconv.Itoa(id) + `, "run_attempt": ` + strconv.Itoa(attempt) + `, "name": "build", "steps": [
    {"name": "Run Semgrep", "conclusion": "` + scanConclusion + `", "started_at": "2026-01-05T10:01:00Z", "completed_at": "2026-01-05T10:0` + strconv.Itoa(1+scanSecs/60) + `:00Z"}]}]}`)
	}
	sarifNoTimes := []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Semgrep OSS"}},"results":[]}]}`)
	sarifTimed := []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gosec"}},"invocations":[{"startTimeUtc":"2026-01-06T10:00:00Z","endTimeUtc":"2026-01-06T10:00:42Z"}],"results":[]}]}`)
	at := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	files := map[string][]byte{
		"ci/2026/01/7.json":   run(7, 1, shaCI, "failure", 120), // blocked by the scan
		"ci/2026/01/7-2.json": run(7, 2, shaCI, "success", 60),  // the re-run passed
		"ci/2026/01/8.json":   run(8, 1, shaCI, "success", 180),
		"ci/2026/01/9.json":   []byte(`{"id": 9,`),
		data.ScanFile(at, shaCI, "semgrep-oss", sarifNoTimes): sarifNoTimes,
		data.ScanFile(at, shaSARIF, "gosec", sarifTimed):      sarifTimed,
	}
	for p := range files {
		if strings.HasSuffix(p, ".sarif") {
			files[ScanMetaFile(p)] = []byte(`{"refs": ["main"], "scan_type": "full"}`)
		}
	}
	cfg := config.Default()
	o := Options{RepoPath: t.TempDir(), Store: plainStore(t, files), Config: cfg}
	f := &fact.Facts{Deployments: []fact.Deployment{
		{ID: "d-ci", SHA: shaCI, Source: fact.SourceEvents},
		{ID: "d-sarif", SHA: shaSARIF, Source: fact.SourceEvents},
		{ID: "d-event", SHA: shaCI, Source: fact.SourceEvents, ScanSeconds: fp(5)},
		{ID: "d-none", SHA: "3333333333333333333333333333333333333333", Source: fact.SourceTags},
	}}
	if err := gatherSecurity(o, f); err != nil {
		t.Fatal(err)
	}
	if len(f.CIRuns) != 3 || len(f.Problems) != 1 || !strings.Contains(f.Problems[0].File, "9.json") {
		t.Fatalf("CI runs %+v, problems %v; want 3 runs and 9.json reported", f.CIRuns, f.Problems)
	}
	blocked := 0
	for _, r := range f.CIRuns {
		if r.GateBlocked {
			blocked++
			if r.ID != 7 || r.Attempt != 1 {
				t.Errorf("run %d attempt %d blocked", r.ID, r.Attempt)
			}
		}
		if r.PipelineSeconds == nil || *r.PipelineSeconds != 600 {
			t.Errorf("run %d: pipeline seconds %v", r.ID, r.PipelineSeconds)
		}
	}
	if blocked != 1 {
		t.Errorf("%d runs gate-blocked, want 1", blocked)
	}
	// A scan without invocation times takes the duration of its tool's
	// step in the CI run of its commit (the latest attempt's).
	if len(f.Scans) != 2 {
		t.Fatalf("%d scans, want 2 (semgrep and gosec)", len(f.Scans))
	}
	for _, s := range f.Scans {
		switch s.Tool {
		case "Semgrep OSS":
			if s.Duration == nil || *s.Duration != 60 {
				t.Errorf("semgrep scan duration %v, want 60 (step of attempt 2)", s.Duration)
			}
		case "gosec":
			if s.Duration == nil || *s.Duration != 42 {
				t.Errorf("gosec scan duration %v, want 42 (invocation)", s.Duration)
			}
		default:
			t.Errorf("scan of tool %q, want Semgrep OSS or gosec", s.Tool)
		}
	}
	resolveScanSeconds(o, f)
	want := map[string]struct {
		secs *float64
		from string
	}{
		"d-ci":    {fp(60 + 180), "ci"}, // latest attempt of run 7, plus run 8
		"d-sarif": {fp(42), "sarif"},
		"d-event": {fp(5), "event"},
		"d-none":  {nil, ""},
	}
	for _, d := range f.Deployments {
		w := want[d.ID]
		if (d.ScanSeconds == nil) != (w.secs == nil) || d.ScanSeconds != nil && *d.ScanSeconds != *w.secs || d.ScanSecondsFrom != w.from {
			t.Errorf("%s: scan seconds %v from %q, want %v from %q", d.ID, d.ScanSeconds, d.ScanSecondsFrom, w.secs, w.from)
		}
	}
}

// A commit's SARIF scan seconds add up the latest scan of each tool and
// category: two CodeQL languages are two analyses, a re-run of one
// replaces it.
func TestScanSecondsPerToolAndCategory(t *testing.T) {
	sha := "4444444444444444444444444444444444444444"
	at := time.Date(2026, 1, 6, 10, 0, 0, 0, time.UTC)
	f := &fact.Facts{
		Scans: []fact.Scan{
			{ID: "go", Tool: "CodeQL", Category: "/language:go/", Commit: sha, Time: at, Duration: fp(300)},
			{ID: "js", Tool: "CodeQL", Category: "/language:javascript/", Commit: sha, Time: at.Add(time.Minute), Duration: fp(300)},
			{ID: "js again", Tool: "CodeQL", Category: "/language:javascript/", Commit: sha, Time: at.Add(time.Hour), Duration: fp(200)},
			{ID: "gosec", Tool: "gosec", Commit: sha, Time: at, Duration: fp(40)},
		},
		Deployments: []fact.Deployment{{ID: "d", SHA: sha, Source: fact.SourceTags}},
	}
	resolveScanSeconds(Options{}, f)
	d := f.Deployments[0]
	if d.ScanSeconds == nil || *d.ScanSeconds != 300+200+40 || d.ScanSecondsFrom != "sarif" {
		t.Errorf("scan seconds %v from %q, want 540 from sarif", deref(d.ScanSeconds), d.ScanSecondsFrom)
	}
}

// deref shows a pointer's value in a message, "nil" for nil.
func deref(p *float64) string {
	if p == nil {
		return "nil"
	}
	return strconv.FormatFloat(*p, 'g', -1, 64)
}

// A scan whose record is missing (put there by hand, or an interrupted
// write) or cannot be read is reported by name and read as a scan of an
// unknown ref: never as the trunk's, where a pull request's scan would fix
// the trunk's findings.
func TestScanWithoutRecordIsNotTrunk(t *testing.T) {
	at := time.Date(2026, 1, 7, 0, 0, 0, 0, time.UTC)
	sha := "5555555555555555555555555555555555555555"
	doc := func(tool string) []byte {
		return []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"` + tool + `"}},"results":[]}]}`)
	}
	broken, missing, pr := doc("broken"), doc("missing"), doc("pr")
	pBroken := data.ScanFile(at, sha, "broken", broken)
	pMissing := data.ScanFile(at, sha, "missing", missing)
	pPR := data.ScanFile(at, sha, "pr", pr)
	files := map[string][]byte{
		pBroken:               broken,
		ScanMetaFile(pBroken): []byte(`{"refs": "main"`),
		pMissing:              missing,
		pPR:                   pr,
		ScanMetaFile(pPR):     []byte(`{"refs": ["refs/pull/4/merge"], "scan_type": "full"}`),
	}
	cfg := config.Default()
	o := Options{RepoPath: t.TempDir(), Store: plainStore(t, files), Config: cfg}
	f := &fact.Facts{}
	if err := gatherSecurity(o, f); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"broken": UnknownRef, "missing": UnknownRef, "pr": "refs/pull/4/merge"}
	if len(f.Scans) != len(want) {
		t.Fatalf("%d scans %+v, want %d", len(f.Scans), f.Scans, len(want))
	}
	for _, s := range f.Scans {
		if s.Ref != want[s.Tool] || s.Type != fact.ScanFull {
			t.Errorf("%s: ref %q type %q, want %q full", s.Tool, s.Ref, s.Type, want[s.Tool])
		}
	}
	if len(f.Problems) != 2 || !strings.HasSuffix(f.Problems[0].File, ScanMetaFile(pBroken)) || !strings.Contains(f.Problems[0].Msg, "not a scan record") ||
		!strings.HasSuffix(f.Problems[1].File, pMissing) || !strings.Contains(f.Problems[1].Msg, "no scan record") {
		t.Errorf("problems %+v, want %s and %s named", f.Problems, ScanMetaFile(pBroken), pMissing)
	}
}

// findingsCSV is findings.csv as encoding/csv writes the fields of the
// findings of scans (WriteFindingsCSV writes them row by row without
// garbage).
func findingsCSV(t *testing.T, scans []fact.Scan) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(FindingsHeader)
	for i := range scans {
		s := &scans[i]
		for _, f := range s.Findings() {
			line := ""
			if f.Line > 0 {
				line = strconv.Itoa(int(f.Line))
			}
			w.Write([]string{s.ID, f.Tool, f.RuleID, string(f.Severity), f.Fingerprint(), f.URI, line, f.CWE, strconv.FormatBool(f.Suppressed),
				f.ContentHash.String(), strconv.FormatBool(f.Absent), f.Message(), strings.Join(f.CWEs, ";")})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
