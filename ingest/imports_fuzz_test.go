package ingest

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/collect/ci"
	"github.com/gitdora/gitdora/collect/imports"
	"github.com/gitdora/gitdora/data"
)

// FuzzStageImport feeds whatever a source's parser accepts to the writer:
// nothing panics, everything written reads back without a problem (every
// event row, every CI record), and staging the same input again writes
// nothing.
func FuzzStageImport(f *testing.F) {
	index := func(source string) uint8 {
		for i, s := range imports.Sources {
			if s == source {
				return uint8(i)
			}
		}
		return 0
	}
	f.Add(index(imports.GitHubDeployments), []byte(list(ghDeployment(1, shaA, "production", "2026-03-02T10:00:00Z"), ghStatus(2, 1, "success", "2026-03-02T10:05:00Z"))))
	f.Add(index(imports.GitHubPulls), []byte(ghPull(900, 5, "2026-03-02T09:00:00Z", "2026-03-03T10:00:00Z", "2026-03-03T10:00:00Z")))
	f.Add(index(imports.PagerDuty), []byte(`{"incident": {"id": "P1", "type": "incident", "title": "t,\"x\"", "status": "resolved", "urgency": "low",
  "created_at": "2026-03-10T08:00:00Z", "last_status_change_at": "2026-03-10T09:00:00+02:00"}}`))
	f.Add(index(imports.GitLabPipelines), []byte(`{"object_kind": "pipeline", "object_attributes": {"id": 5, "status": "success", "sha": "`+shaA+`",
  "created_at": "2026-03-05 10:00:00 UTC", "finished_at": "2026-03-05 10:10:00 UTC", "duration": 500},
  "builds": [{"id": 6, "name": "semgrep", "status": "failed", "started_at": "2026-03-05 10:01:00 UTC", "duration": 30.5, "allow_failure": true}]}`))
	f.Add(index(imports.GitLabMergeRequests), []byte(`{"id": 3, "iid": 2, "state": "merged", "created_at": "2026-03-01T00:00:00Z", "merged_at": "2026-03-02T00:00:00.5Z",
  "merge_commit_sha": "`+shaA+`", "author": {"username": "a", "id": 1}, "project_id": 9}`))
	f.Fuzz(func(t *testing.T, which uint8, b []byte) {
		source := imports.Sources[int(which)%len(imports.Sources)]
		batch, err := imports.Parse(source, "f.json", b, imports.Options{Now: importNow, Pull: 7})
		if err != nil {
			return
		}
		dir, err := os.MkdirTemp("", "import-fuzz") // t.TempDir's name may hold '#', which --data reads as a branch
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		store, err := data.Open(".", dir)
		if err != nil {
			t.Fatal(err)
		}
		stage := func() *ImportReport {
			in := NewImport(source, []ImportFile{{Name: "f.json", Batch: batch}})
			in.Production = "production"
			var rep *ImportReport
			if _, err := store.Update(context.Background(), "import", data.WriteOptions{}, func(tx *data.Tx) error {
				var err error
				rep, err = StageImport(tx, in)
				return err
			}); err != nil {
				t.Fatalf("StageImport: %v", err)
			}
			return rep
		}
		rep := stage()
		_, p1, err1 := store.Deployments()
		_, p2, err2 := store.Incidents()
		_, p3, err3 := store.Pulls()
		for _, err := range []error{err1, err2, err3} {
			if err != nil {
				t.Fatal(err)
			}
		}
		if probs := append(append(p1, p2...), p3...); len(probs) > 0 {
			t.Fatalf("what was written does not read back: %v", probs)
		}
		files, err := store.List(data.CIDir)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range files {
			b, err := store.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ci.Parse(b); err != nil || !strings.Contains(p, "/gitlab-") {
				t.Fatalf("%s: %v", p, err)
			}
		}
		before := snapshot(t, dir)
		if again := stage(); len(again.Written) != 0 || len(again.Changed) != 0 {
			t.Fatalf("the same input again: written %v, changed %q (first: %d written)", again.Written, again.Changed, len(rep.Written))
		}
		if after := snapshot(t, dir); after != before {
			t.Fatalf("the same input again wrote:\n%s\nwas\n%s", after, before)
		}
	})
}
