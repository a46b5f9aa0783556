package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/collect/ci"
	"github.com/gitdora/gitdora/data"
)

// files is every file under root (hidden ones too), path → content.
func files(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	return out
}

func same(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// seededDir is a plain-directory data store holding a scan and a run.
func seededDir(t *testing.T) string {
	dir := t.TempDir()
	for p, c := range map[string]string{
		"gitdora.yml": "trunk: main\n",
		"scans/2026/01/" + strings.Repeat("a", 40) + "/t-000000000000.sarif": `{"version":"2.1.0","runs":[]}`,
		"scans/2026/01/" + strings.Repeat("a", 40) + "/t-000000000000.json":  `{"refs":["main"],"scan_type":"full"}`,
		"ci/2026/01/1.json": `{"id": 1, "head_sha": "a", "jobs": []}`,
	} {
		full := filepath.Join(dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Whatever SARIF, ref and --at ingest is given (plain or gzip), checking
// never panics, and the store is either untouched (refused) or holds every
// file stored, each with its scan record naming the ref.
func FuzzIngestSARIF(f *testing.F) {
	f.Add([]byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"semgrep"}},"results":[{"ruleId":"r","message":{"text":"m"}}]}]}`), "main", "", false)
	f.Add([]byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"invocations":[{"endTimeUtc":"9999-12-31T00:00:00Z"}],"results":[]}]}`), "refs/pull/1/merge", "2026-01-05T10:00:00Z", true)
	f.Add([]byte(`{"version":"2.1.0","runs":[]}`), "main\nSigned-off-by: x", "1969-01-01T00:00:00Z", false)
	f.Add([]byte("\x1f\x8b\x08\x00"), "a..b", "soon", true)
	f.Fuzz(func(t *testing.T, doc []byte, ref, at string, gz bool) {
		now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		if gz {
			var b bytes.Buffer
			z := gzip.NewWriter(&b)
			z.Write(doc)
			z.Close()
			doc = b.Bytes()
		}
		dir := seededDir(t)
		before := files(t, dir)
		s, err := data.Open("", dir)
		if err != nil {
			t.Fatal(err)
		}
		f, err := CheckSARIF("in.sarif", doc, "")
		var out []Outcome
		if err == nil {
			sc := Scan{SHA: strings.Repeat("b", 40), Ref: ref, At: at, ScanType: "full", Now: now}
			_, err = s.Update(context.Background(), "x", data.WriteOptions{}, func(tx *data.Tx) error {
				var err error
				out, err = StageSARIF(tx, []*SARIF{f}, sc)
				return err
			})
		}
		after := files(t, dir)
		if err != nil {
			if !same(before, after) {
				t.Fatalf("refused (%v), but the store changed", err)
			}
			return
		}
		for _, o := range out {
			if b, err := f.Content(); err != nil || after[o.Path] != string(b) {
				t.Fatalf("%s: not stored as checked", o.Path)
			}
			var m collect.ScanMeta
			if err := json.Unmarshal([]byte(after[collect.ScanMetaFile(o.Path)]), &m); err != nil || len(m.Refs) == 0 || m.Refs[len(m.Refs)-1] != ref {
				t.Fatalf("%s: scan record %q, want the ref %q", o.Path, after[collect.ScanMetaFile(o.Path)], ref)
			}
			if data.CheckRef(ref) != nil {
				t.Fatalf("ref %q stored", ref)
			}
		}
		for p, c := range before {
			if after[p] != c {
				t.Fatalf("%s changed", p)
			}
		}
	})
}

// Whatever CI JSON ingest ci is given, checking never panics, and the
// store is either untouched (refused) or holds a record of every run that
// parses back to the run.
func FuzzIngestCI(f *testing.F) {
	f.Add([]byte(`{"id": 7, "head_sha": "abc", "status": "completed", "run_started_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-05T10:10:00Z",
  "jobs": [{"id": 70, "run_id": 7, "name": "scan", "steps": [{"name": "Run Semgrep", "started_at": "2026-01-05T10:01:00Z", "completed_at": "9999-01-05T10:02:00Z"}]}]}`))
	f.Add([]byte(`{"jobs": [{"id": 1, "run_id": 2, "started_at": "2026-01-05T10:01:00Z", "completed_at": "2026-01-05T10:02:00Z"}]}`))
	f.Add([]byte(`[{"workflow_run": {"id": 3, "head_sha": "x", "created_at": "0000-01-01T00:00:00Z"}}]`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		defer func(f func() time.Time) { data.Now = f }(data.Now)
		data.Now = func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }
		dir := seededDir(t)
		before := files(t, dir)
		s, err := data.Open("", dir)
		if err != nil {
			t.Fatal(err)
		}
		d, err := CheckCI("run.json", doc)
		var out []Outcome
		if err == nil {
			runs := ci.Attach(d.Runs, d.Jobs)
			_, err = s.Update(context.Background(), "x", data.WriteOptions{}, func(tx *data.Tx) error {
				var err error
				out, err = StageCI(tx, runs)
				return err
			})
		}
		after := files(t, dir)
		if err != nil {
			if !same(before, after) {
				t.Fatalf("refused (%v), but the store changed", err)
			}
			return
		}
		for _, o := range out {
			rec, ok := after[o.Path]
			if !ok {
				t.Fatalf("%s: %s not written", o.Name, o.Path)
			}
			if _, err := ci.Parse([]byte(rec)); err != nil {
				t.Fatalf("%s: the stored record does not parse: %v\n%s", o.Path, err, rec)
			}
		}
	})
}
