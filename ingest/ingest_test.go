package ingest

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/internal/sarifgen"
)

const corpus = "../../shared/corpus/sarif"

// manifest reads the corpus MANIFEST: file → column → value.
func manifest(t *testing.T) map[string]map[string]string {
	t.Helper()
	fh, err := os.Open(filepath.Join(corpus, "MANIFEST.tsv"))
	if err != nil {
		t.Skipf("corpus not found at %s (../shared/corpus from the repository root): %v", corpus, err)
	}
	defer fh.Close()
	r := csv.NewReader(fh)
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = '\t', true, -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for _, row := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			if i < len(row) {
				m[h] = row[i]
			}
		}
		out[row[0]] = m
	}
	return out
}

// notSARIF are the corpus files that are not SARIF 2.1.0 JSON at all, and
// what the rejection must say.
var notSARIF = map[string]string{
	"NEG_cqa_results-not-array.sarif":   "$.runs[0].results: results is a number, want an array",
	"NEG_derived_empty.sarif":           "empty file",
	"NEG_derived_truncated_gosec.sarif": "the JSON ends early",
	"NEG_sdk_json-syntax-error.sarif":   "invalid JSON at byte 60",
	"NEG_sdk_sarif-v1.0.0.sarif":        `$.version: SARIF version "1.0.0" is not supported`,
}

// notStored are the corpus files that are SARIF but hold nothing to store.
var notStored = map[string]string{
	"NEG_dd_no-runs.sarif": "$.runs: the log has no runs (no tool ran, so there are no results)",
}

func TestCorpus(t *testing.T) {
	m := manifest(t)
	n := 0
	for name, row := range m {
		if !strings.HasSuffix(name, ".sarif") {
			continue
		}
		n++
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(corpus, name)
			s, err := ReadSARIF(path, Limits(), "")
			if want, bad := notStored[name]; bad {
				if err == nil || err.Error() != path+": nothing to store: "+want {
					t.Fatalf("err = %v, want the file named and %q", err, want)
				}
				return
			}
			if want, bad := notSARIF[name]; bad {
				if err == nil || !strings.Contains(err.Error(), path+": not SARIF 2.1.0") || !strings.Contains(err.Error(), want) {
					t.Fatalf("err = %v, want the file named and %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatalf("rejected: %v", err)
			}
			if row["results"] != "" && strconv.Itoa(s.Results) != row["results"] || row["runs"] != "" && strconv.Itoa(s.Runs) != row["runs"] {
				t.Errorf("%d runs, %d results; the MANIFEST says %s, %s", s.Runs, s.Results, row["runs"], row["results"])
			}
			if row["schema_valid_errata01"] == "n" && len(s.Notes) == 0 {
				t.Errorf("schema-invalid (MANIFEST) but no warning says what was odd")
			}
		})
	}
	if n < 80 {
		t.Errorf("only %d SARIF files in the MANIFEST", n)
	}
}

func TestGzipAndTruncatedGzip(t *testing.T) {
	doc := []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gosec"}},"results":[{"ruleId":"G101","message":{"text":"x"}}]}]}`)
	var b bytes.Buffer
	z := gzip.NewWriter(&b)
	z.Write(doc)
	z.Close()
	s, err := CheckSARIF("scan.sarif.gz", b.Bytes(), "")
	if err != nil || !bytes.Equal(contentOf(t, s), doc) || s.Tool != "gosec" || s.Results != 1 {
		t.Fatalf("gzip: %+v, %v", s, err)
	}
	if _, err := CheckSARIF("cut.sarif.gz", b.Bytes()[:b.Len()-10], ""); err == nil || !strings.HasPrefix(err.Error(), "cut.sarif.gz: not a readable gzip file") {
		t.Errorf("truncated gzip: %v", err)
	}
	// A gzip file inside a gzip file is refused, not inflated twice.
	var twice bytes.Buffer
	z = gzip.NewWriter(&twice)
	z.Write(b.Bytes())
	z.Close()
	if _, err := CheckSARIF("twice.sarif.gz", twice.Bytes(), ""); err == nil || err.Error() != "twice.sarif.gz: a gzip file inside a gzip file, want SARIF JSON inside" {
		t.Errorf("gzip in gzip: %v", err)
	}
}

// BenchmarkCheckSARIF checks generated 50 KB SARIF files as ingest does
// before anything is written.
func BenchmarkCheckSARIF(b *testing.B) {
	var files [][]byte
	var size int64
	for i := 0; i < 20; i++ {
		var buf bytes.Buffer
		if _, err := sarifgen.Write(&buf, 50<<10, uint64(i+1), false); err != nil {
			b.Fatal(err)
		}
		files = append(files, buf.Bytes())
		size += int64(buf.Len())
	}
	b.SetBytes(size)
	for b.Loop() {
		for _, f := range files {
			if _, err := CheckSARIF("gen.sarif", f, ""); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// Every bad file is named, in the order given, and nothing is returned.
func TestReadSARIFFilesNamesEveryBadFile(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"good.sarif":  `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[]}]}`,
		"bad.sarif":   `{"version":"1.0.0","runs":[]}`,
		"empty.sarif": "",
	}
	for name, c := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	for _, n := range []string{"good.sarif", "bad.sarif", "empty.sarif"} {
		names = append(names, filepath.Join(dir, n))
	}
	if got, err := ReadSARIFFiles(names[:1], Limits(), ""); err != nil || len(got) != 1 {
		t.Fatalf("good file alone: %v, %v", got, err)
	}
	got, err := ReadSARIFFiles(names, Limits(), "")
	if got != nil || err == nil {
		t.Fatalf("ReadSARIFFiles = %v, %v; want nothing and an error", got, err)
	}
	lines := strings.Split(err.Error(), "\n")
	want := []string{names[1] + ": not SARIF 2.1.0: $.version", names[2] + ": not SARIF 2.1.0: $: empty file"}
	if len(lines) != len(want) {
		t.Fatalf("error lines = %q, want one per bad file", lines)
	}
	for i := range want {
		if !strings.HasPrefix(lines[i], want[i]) {
			t.Errorf("line %d = %q, want it to start %q", i, lines[i], want[i])
		}
	}
}

// contentOf is what s stores.
func contentOf(t *testing.T, s *SARIF) []byte {
	t.Helper()
	b, err := s.Content()
	if err != nil {
		t.Fatal(err)
	}
	return b
}
