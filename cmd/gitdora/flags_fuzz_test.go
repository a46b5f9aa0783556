package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/data"
)

// dirFiles is every file under root, path → content.
func dirFiles(t *testing.T, root string) map[string]string {
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

// changed lists the files of after that before lacks or holds otherwise,
// and fails when a file of before is gone or changed outside want.
func changed(t *testing.T, before, after map[string]string, may func(p string) bool) []string {
	t.Helper()
	var out []string
	for p, c := range before {
		if a, ok := after[p]; !ok || a != c && !may(p) {
			t.Fatalf("%s was lost or rewritten", p)
		}
	}
	for p, c := range after {
		if before[p] != c {
			out = append(out, p)
		}
	}
	return out
}

// Whatever flags record deployment is given, it exits 0 or 1 without a
// panic, and the data directory either is untouched or gained one row,
// with that id, and nothing else.
func FuzzRecordFlags(f *testing.F) {
	f.Add("d1", "2026-03-04T10:00:00Z", "95", "production", "cli", "0")
	f.Add("d\n1", "9999-01-01T00:00:00Z", "1e308", "prod\rx", "", "1.5")
	f.Add("", "0000-01-01T00:00:00Z", "NaN", "", "-x", "-1")
	f.Add(strings.Repeat("x", 300), "2026-03-04T10:00:00+25:00", "31622401", "e", "s", "1000000001")
	f.Fuzz(func(t *testing.T, id, at, seconds, env, source, critical string) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "gitdora.yml"), []byte("trunk: main\n"), 0o644)
		os.MkdirAll(filepath.Join(dir, "events/deployments"), 0o755)
		head := strings.Join(data.DeploymentHeader, ",")
		os.WriteFile(filepath.Join(dir, "events/deployments/2026-03.csv"), []byte(head+"\nd0,2026-03-01T10:00:00Z,abc1234,production,success,,,false,0,0,0,0,cli,\n"), 0o644)
		before := dirFiles(t, dir)
		args := []string{"--repo", t.TempDir(), "--data", dir, "record", "deployment", "--allow-unknown-sha", "--sha", "abc1234",
			"--id=" + id, "--at=" + at, "--scan-seconds=" + seconds, "--env=" + env, "--source=" + source, "--critical=" + critical}
		var out, errb bytes.Buffer
		code := Run(args, &out, &errb)
		if code != 0 && code != 1 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		added := changed(t, before, dirFiles(t, dir), func(p string) bool { return strings.HasPrefix(p, "events/deployments/") })
		if code != 0 && len(added) > 0 {
			t.Fatalf("exit %d, but %q changed: %s", code, added, errb.String())
		}
		if len(added) > 1 {
			t.Fatalf("one record changed %q", added)
		}
		if len(added) == 1 {
			s, err := data.Open("", dir)
			if err != nil {
				t.Fatal(err)
			}
			deps, probs, err := s.Deployments()
			if err != nil || len(probs) > 0 || len(deps) != 2 || deps[0].ID != "d0" && deps[1].ID != "d0" {
				t.Fatalf("after recording %q: %+v, %v, %v", id, deps, probs, err)
			}
		}
	})
}

// Whatever --ref, --at, --sha and --scan-type ingest sarif is given, it
// exits 0 or 1 without a panic, and the data directory either is untouched
// or gained the scan and its record, which names the ref.
func FuzzIngestFlags(f *testing.F) {
	f.Add("main", "2026-03-04T10:00:00Z", "0123456789abcdef0123456789abcdef01234567", "full")
	f.Add("main\n::error::x", "", "HEAD", "incremental")
	f.Add("refs/pull/1/merge", "9999-01-01T00:00:00Z", "../../etc", "fast")
	f.Add(strings.Repeat("r", 300), "1969-12-31T23:59:59Z", "0123456", "full")
	f.Fuzz(func(t *testing.T, ref, at, sha, scanType string) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "gitdora.yml"), []byte("trunk: main\n"), 0o644)
		in := filepath.Join(t.TempDir(), "scan.sarif")
		os.WriteFile(in, []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"semgrep"}},"results":[]}]}`), 0o644)
		before := dirFiles(t, dir)
		args := []string{"--repo", t.TempDir(), "--data", dir, "ingest", "sarif", in, "--ref=" + ref, "--sha=" + sha, "--scan-type=" + scanType}
		if at != "" {
			args = append(args, "--at="+at)
		}
		var out, errb bytes.Buffer
		code := Run(args, &out, &errb)
		if code != 0 && code != 1 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		added := changed(t, before, dirFiles(t, dir), func(string) bool { return false })
		if code != 0 {
			if len(added) > 0 {
				t.Fatalf("exit %d, but %q changed: %s", code, added, errb.String())
			}
			return
		}
		if len(added) != 3 {
			t.Fatalf("stored %q, want a scan, its normalised findings and its record", added)
		}
		for _, p := range added {
			if !strings.HasSuffix(p, ".json") {
				continue
			}
			var m collect.ScanMeta
			if err := json.Unmarshal([]byte(dirFiles(t, dir)[p]), &m); err != nil || len(m.Refs) != 1 || m.Refs[0] != ref || data.CheckRef(ref) != nil {
				t.Fatalf("%s: refs %q, want %q", p, m.Refs, ref)
			}
		}
	})
}
