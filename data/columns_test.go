package data

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Event files an older gitdora wrote, without the service column, stay
// readable (the service is empty); recording into one without a service
// keeps its header, and recording a service rewrites it under the
// current header with the older rows padded. A new file starts with the
// older columns unless its record fills a newer one.
func TestOlderEventFiles(t *testing.T) {
	dir := t.TempDir()
	const oldDeps = "id,time,sha,environment,status,scan_seconds,pipeline_seconds,gate_blocked,critical,high,medium,low,source\n" +
		"d1,2026-01-05T10:00:00Z,abc1234,production,success,30,,false,0,0,0,0,cli\n"
	const oldIncs = "id,opened,resolved,severity,category,environment,commit,deployment_id,cwe,title\n" +
		"i1,2026-01-06T10:00:00Z,,high,reliability,production,,d1,,\"down, briefly\"\n"
	write := func(rel, text string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("events/deployments/2026-01.csv", oldDeps)
	write("events/incidents/2026-01.csv", oldIncs)
	s, err := Open(dir, dir)
	if err != nil {
		t.Fatal(err)
	}
	deps, probs, err := s.Deployments()
	if err != nil || len(probs) > 0 || len(deps) != 1 || deps[0].ID != "d1" || deps[0].Source != "cli" || deps[0].Service != "" || deps[0].ScanSeconds.Value != 30 {
		t.Fatalf("deployments %+v, problems %v, %v", deps, probs, err)
	}
	incs, probs, err := s.Incidents()
	if err != nil || len(probs) > 0 || len(incs) != 1 || incs[0].Title != "down, briefly" || incs[0].Service != "" {
		t.Fatalf("incidents %+v, problems %v, %v", incs, probs, err)
	}
	// A header cut before the first columns is not an older file.
	if _, _, probs := decodeRows([]byte("id,time,sha\nd1,2026-01-05T10:00:00Z,abc\n"), "f.csv", deploymentRows); len(probs) != 1 || !strings.Contains(probs[0].Msg, "header is") {
		t.Errorf("a short header: %v", probs)
	}

	ctx := context.Background()
	d2 := dep("d2", "2026-01-07T10:00:00Z")
	if _, err := s.Update(ctx, "d2", WriteOptions{}, appendDeps(d2)); err != nil {
		t.Fatal(err)
	}
	read := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if got, want := read("events/deployments/2026-01.csv"), oldDeps+"d2,2026-01-07T10:00:00Z,abc1234,production,success,12.5,,false,0,0,0,0,test\n"; got != want {
		t.Errorf("without a service, the older file grows as it was:\n%s\nwant\n%s", got, want)
	}
	d3 := dep("d3", "2026-01-08T10:00:00Z")
	d3.Service = "api"
	if _, err := s.Update(ctx, "d3", WriteOptions{}, appendDeps(d3)); err != nil {
		t.Fatal(err)
	}
	want := strings.Join(DeploymentHeader, ",") + "\n" +
		"d1,2026-01-05T10:00:00Z,abc1234,production,success,30,,false,0,0,0,0,cli,\n" +
		"d2,2026-01-07T10:00:00Z,abc1234,production,success,12.5,,false,0,0,0,0,test,\n" +
		"d3,2026-01-08T10:00:00Z,abc1234,production,success,12.5,,false,0,0,0,0,test,api\n"
	if got := read("events/deployments/2026-01.csv"); got != want {
		t.Errorf("with a service, the file is rewritten under the current header:\n%s\nwant\n%s", got, want)
	}
	in2 := Incident{ID: "i2", Opened: NewTime(d3.Time.Add(3600e9)), Severity: "low", Category: "other", Environment: "production", Service: "web"}
	if _, err := s.Update(ctx, "i2", WriteOptions{}, func(tx *Tx) error { _, err := tx.AppendIncident(in2); return err }); err != nil {
		t.Fatal(err)
	}
	incs, probs, err = s.Incidents()
	if err != nil || len(probs) > 0 || len(incs) != 2 || incs[0].Title != "down, briefly" || incs[1].Service != "web" {
		t.Fatalf("incidents %+v, problems %v, %v", incs, probs, err)
	}
	deps, probs, err = s.Deployments()
	if err != nil || len(probs) > 0 || len(deps) != 3 || deps[2].Service != "api" || deps[0].Service != "" {
		t.Fatalf("deployments %+v, problems %v, %v", deps, probs, err)
	}
	d4, d5 := dep("d4", "2026-02-01T10:00:00Z"), dep("d5", "2026-04-01T10:00:00Z")
	d5.Service = "web"
	if _, err := s.Update(ctx, "d4 d5", WriteOptions{}, appendDeps(d4, d5)); err != nil {
		t.Fatal(err)
	}
	if got, want := read("events/deployments/2026-02.csv"), oldDeps[:strings.Index(oldDeps, "\n")+1]+"d4,2026-02-01T10:00:00Z,abc1234,production,success,12.5,,false,0,0,0,0,test\n"; got != want {
		t.Errorf("a new file without a service:\n%s\nwant\n%s", got, want)
	}
	if got, want := read("events/deployments/2026-04.csv"), strings.Join(DeploymentHeader, ",")+"\nd5,2026-04-01T10:00:00Z,abc1234,production,success,12.5,,false,0,0,0,0,test,web\n"; got != want {
		t.Errorf("a new file with a service:\n%s\nwant\n%s", got, want)
	}
}
