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

	"github.com/gitdora/gitdora/data"
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
		stored[p] = e.Name()
	}
	cfg := data.Default()
	f := &Facts{}
	if err := gatherSecurity(Options{RepoPath: t.TempDir(), Store: plainStore(t, files), Config: cfg}, f); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := WriteFindingsCSV(&out, f.Findings); err != nil {
		t.Fatal(err)
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
			t.Errorf("%s: ref %q; a file without a scan record is read as the trunk's", s.ID, s.Ref)
		}
	}
}
