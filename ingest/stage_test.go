package ingest

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/data"
)

// TestStageSARIFAnyMonth stages the same content for the same commit in
// other months (another --at, a file without invocation times): it is
// already stored, wherever it was; another commit's copy is not.
func TestStageSARIFAnyMonth(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not found")
	}
	repo := t.TempDir()
	if out, err := exec.Command("git", "init", "-q", "-b", "main", repo).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v: %s", err, out)
	}
	doc := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gitleaks"}},"results":[{"ruleId":"aws","message":{"text":"key"}}]}]}`
	other := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gitleaks"}},"results":[]}]}`
	timed := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"semgrep"}},"invocations":[{"endTimeUtc":"2025-03-02T10:00:00Z"}],"results":[]}]}`
	check := func(name, doc string) *SARIF {
		s, err := CheckSARIF(name, []byte(doc), "")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	sha1, sha2 := strings.Repeat("a", 40), strings.Repeat("b", 40)
	scan := func(sha, at string) Scan {
		return Scan{SHA: sha, Ref: "main", At: at, ScanType: "full", Now: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)}
	}
	s, err := data.Open(repo, "")
	if err != nil {
		t.Fatal(err)
	}
	stage := func(files []*SARIF, sc Scan) []Outcome {
		t.Helper()
		var out []Outcome
		if _, err := s.Update(context.Background(), "ingest", data.WriteOptions{}, func(tx *data.Tx) error {
			var err error
			out, err = StageSARIF(tx, files, sc)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	what := func(out []Outcome) string {
		var w []string
		for _, o := range out {
			w = append(w, o.What+" "+o.Path)
		}
		return strings.Join(w, "; ")
	}
	month := func(m, sha string) string { return "scans/" + m + "/" + sha + "/" }

	// Stored in November 2025; the same content for the same commit in
	// the same call is one file.
	out := stage([]*SARIF{check("a.sarif", doc), check("a-again.sarif", doc), check("t.sarif", timed)}, scan(sha1, "2025-11-20T00:00:00Z"))
	if len(out) != 3 || out[0].What != "stored" || !strings.HasPrefix(out[0].Path, month("2025/11", sha1)) ||
		!strings.HasPrefix(out[1].What, "already stored") || out[1].Path != out[0].Path ||
		out[2].What != "stored" || !strings.HasPrefix(out[2].Path, month("2025/03", sha1)) {
		t.Fatalf("first call: %s", what(out))
	}
	first := out[0].Path

	// Later, with another --at (another month) and another ref: already
	// stored where it was, the ref added; another commit's copy, and other
	// content, are stored.
	out = stage([]*SARIF{check("a.sarif", doc), check("other.sarif", other)}, scan(sha1, "2026-01-03T00:00:00Z"))
	if out[0].Path != first || !strings.HasPrefix(out[0].What, "already stored") || out[1].What != "stored" || !strings.HasPrefix(out[1].Path, month("2026/01", sha1)) {
		t.Errorf("second call: %s", what(out))
	}
	sc := scan(sha1, "")
	sc.Ref = "release"
	out = stage([]*SARIF{check("a.sarif", doc), check("t.sarif", timed)}, sc)
	if out[0].Path != first || out[0].What != "already stored; ref release added" || !strings.HasPrefix(out[1].What, "already stored; ref release added") {
		t.Errorf("third call: %s", what(out))
	}
	out = stage([]*SARIF{check("a.sarif", doc)}, scan(sha2, "2025-11-20T00:00:00Z"))
	if out[0].What != "stored" || !strings.HasPrefix(out[0].Path, month("2025/11", sha2)) {
		t.Errorf("another commit: %s", what(out))
	}
	files, err := data.Open(repo, "")
	if err != nil {
		t.Fatal(err)
	}
	list, err := files.List(data.ScansDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 12 { // 4 SARIF files, their normalised findings and scan records
		t.Errorf("stored %d files: %q", len(list), list)
	}
}
