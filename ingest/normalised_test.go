package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/collect/findings"
	"github.com/gitdora/gitdora/data"
)

// branch is a repository with an empty data branch to stage on.
func branch(t *testing.T) *data.Store {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not found")
	}
	repo := t.TempDir()
	if out, err := exec.Command("git", "init", "-q", "-b", "main", repo).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v: %s", err, out)
	}
	s, err := data.Open(repo, "")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// stageOn stages files on s in one write, and returns the outcomes or
// the error.
func stageOn(s *data.Store, files []*SARIF, sc Scan) ([]Outcome, error) {
	var out []Outcome
	_, err := s.Update(context.Background(), "ingest", data.WriteOptions{}, func(tx *data.Tx) error {
		var err error
		out, err = StageSARIF(tx, files, sc)
		return err
	})
	if err == nil {
		err = s.Refresh()
	}
	return out, err
}

const oneResult = `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gitleaks"}},"results":[{"ruleId":"aws","message":{"text":"key"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///work/repo/src/a.go"}}}]}]}]}`

func scanOf(sha string) Scan {
	return Scan{SHA: sha, Ref: "main", At: "2026-01-04T10:00:00Z", ScanType: "full", Root: "/work/repo", Now: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)}
}

// A stored scan has its SARIF file, its normalised findings (made with
// the repository root, which its record keeps) and its record; with
// scans.keep_raw false (NoRaw), no SARIF file; staged again, nothing
// changes.
func TestStageNormalised(t *testing.T) {
	s := branch(t)
	f, err := CheckSARIF("a.sarif", []byte(oneResult), "/work/repo")
	if err != nil {
		t.Fatal(err)
	}
	out, err := stageOn(s, []*SARIF{f}, scanOf(strings.Repeat("a", 40)))
	if err != nil {
		t.Fatal(err)
	}
	p := out[0].Path
	for _, q := range []string{p, collect.FindingsFile(p), collect.ScanMetaFile(p)} {
		if _, err := s.ReadFile(q); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
	raw, _ := s.ReadFile(p)
	if string(raw) != oneResult {
		t.Errorf("stored %q, want the SARIF as given", raw)
	}
	norm, _ := s.ReadFile(collect.FindingsFile(p))
	file, err := findings.Decode(string(norm))
	if err != nil || !file.HasRoot || file.Root != "/work/repo" || len(file.Runs) != 1 || file.Runs[0].Count != 1 {
		t.Fatalf("normalised findings %+v, %v:\n%s", file, err, norm)
	}
	if !bytes.Contains(norm, []byte("file\tsrc/a.go\n")) {
		t.Errorf("the URI is not made relative to the root:\n%s", norm)
	}
	commit := s.Commit()
	if out, err := stageOn(s, []*SARIF{f}, scanOf(strings.Repeat("a", 40))); err != nil || !strings.HasPrefix(out[0].What, "already stored") || s.Commit() != commit {
		t.Errorf("staged again: %+v, %v; commit %s, was %s", out, err, s.Commit(), commit)
	}

	// keep_raw: false: the normalised findings and the record, no SARIF.
	sc := scanOf(strings.Repeat("b", 40))
	sc.NoRaw = true
	out, err = stageOn(s, []*SARIF{f}, sc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(out[0].Path, findings.Ext) || out[0].What != "stored" {
		t.Fatalf("keep_raw false: %+v", out[0])
	}
	q := strings.TrimSuffix(out[0].Path, findings.Ext) + ".sarif"
	if _, err := s.ReadFile(q); err == nil {
		t.Errorf("%s stored with keep_raw false", q)
	}
	if b, err := s.ReadFile(out[0].Path); err != nil || !bytes.Equal(b, norm) {
		t.Errorf("normalised findings %q, %v; want those of the first commit", b, err)
	}
	if out, err := stageOn(s, []*SARIF{f}, sc); err != nil || !strings.HasPrefix(out[0].What, "already stored") {
		t.Errorf("keep_raw false, staged again: %+v, %v", out, err)
	}

	// Normalised with another root than the record's: refused.
	if _, err := stageOn(s, []*SARIF{f}, Scan{SHA: strings.Repeat("c", 40), Ref: "main", ScanType: "full", Root: "/elsewhere", Now: sc.Now}); err == nil || !strings.Contains(err.Error(), "normalised with the repository root") {
		t.Errorf("another root: %v", err)
	}
}

// A scan an older gitdora stored (its SARIF and record, no normalised
// findings) gets them when the same file is ingested again.
func TestStageAddsNormalisedToOlderScans(t *testing.T) {
	dir := t.TempDir()
	s, err := data.Open(dir, dir)
	if err != nil {
		t.Fatal(err)
	}
	f, err := CheckSARIF("a.sarif", []byte(oneResult), "/work/repo")
	if err != nil {
		t.Fatal(err)
	}
	out, err := stageOn(s, []*SARIF{f}, scanOf(strings.Repeat("a", 40)))
	if err != nil {
		t.Fatal(err)
	}
	p := out[0].Path
	if err := os.Remove(filepath.Join(dir, filepath.FromSlash(collect.FindingsFile(p)))); err != nil {
		t.Fatal(err)
	}
	out, err = stageOn(s, []*SARIF{f}, scanOf(strings.Repeat("a", 40)))
	if err != nil || len(out[0].Notes) != 1 || !strings.Contains(out[0].Notes[0], "normalised findings were written") {
		t.Fatalf("%+v, %v", out, err)
	}
	if _, err := s.ReadFile(collect.FindingsFile(p)); err != nil {
		t.Error(err)
	}
}

// A file is read as it is stored, not held: a gzip file is stored as its
// SARIF; a file changed between its check and its write stores nothing.
func TestStageReadsTheFileAgain(t *testing.T) {
	s := branch(t)
	dir := t.TempDir()
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(oneResult))
	zw.Close()
	gz := filepath.Join(dir, "a.sarif.gz")
	os.WriteFile(gz, z.Bytes(), 0o644)
	f, err := ReadSARIF(gz, Limits(), "/work/repo")
	if err != nil {
		t.Fatal(err)
	}
	out, err := stageOn(s, []*SARIF{f}, scanOf(strings.Repeat("a", 40)))
	if err != nil {
		t.Fatal(err)
	}
	if b, err := s.ReadFile(out[0].Path); err != nil || string(b) != oneResult {
		t.Errorf("stored %q, %v; want the SARIF inflated", b, err)
	}

	plain := filepath.Join(dir, "b.sarif")
	doc := strings.Replace(oneResult, "key", "other key", 1)
	os.WriteFile(plain, []byte(doc), 0o644)
	f, err = ReadSARIF(plain, Limits(), "/work/repo")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(plain, []byte(strings.Replace(doc, "other key", "third key", 1)), 0o644)
	commit := s.Commit()
	if _, err := stageOn(s, []*SARIF{f}, scanOf(strings.Repeat("b", 40))); err == nil || !strings.Contains(err.Error(), "changed since it was checked") {
		t.Errorf("a changed file: %v", err)
	}
	if s.Commit() != commit {
		t.Error("a changed file made a commit")
	}
}
