package ingest

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/gitdora/gitdora/collect/imports"
	"github.com/gitdora/gitdora/data"
)

// BenchmarkStageImport stages 1,000 GitHub deployments (with a status
// each, over twelve months) into a plain directory that already holds
// them: what importing a year of history again costs, reading every
// stored event and the ledger and writing nothing.
func BenchmarkStageImport(b *testing.B) {
	var deps, sts []string
	start := time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)
	for i := 1; i <= 1000; i++ {
		at := start.Add(time.Duration(i) * 8 * time.Hour)
		deps = append(deps, ghDeployment(i, shaA, "production", at.Format(time.RFC3339)))
		sts = append(sts, ghStatus(i*10, i, "success", at.Add(5*time.Minute).Format(time.RFC3339)))
	}
	var files []ImportFile
	for i, p := range []string{list(deps...), list(sts...)} {
		bt, err := imports.Parse(imports.GitHubDeployments, fmt.Sprint(i), []byte(p), imports.Options{Now: importNow})
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, ImportFile{Name: fmt.Sprint(i), Batch: bt})
	}
	dir, err := os.MkdirTemp("", "import-bench")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	store, err := data.Open(".", dir)
	if err != nil {
		b.Fatal(err)
	}
	stage := func() *ImportReport {
		in := NewImport(imports.GitHubDeployments, files)
		in.Production = "production"
		var rep *ImportReport
		if _, err := store.Update(context.Background(), "import", data.WriteOptions{}, func(tx *data.Tx) error {
			var err error
			rep, err = StageImport(tx, in)
			return err
		}); err != nil {
			b.Fatal(err)
		}
		return rep
	}
	if rep := stage(); len(rep.Written) != 1000 {
		b.Fatalf("%d written", len(rep.Written))
	}
	b.ResetTimer()
	for range b.N {
		if rep := stage(); rep.Unchanged != 1000 {
			b.Fatalf("%+v", rep)
		}
	}
}

// BenchmarkStageImportNew stages the same 1,000 deployments into an empty
// directory: each is written with its ledger row.
func BenchmarkStageImportNew(b *testing.B) {
	var deps, sts []string
	start := time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)
	for i := 1; i <= 1000; i++ {
		at := start.Add(time.Duration(i) * 8 * time.Hour)
		deps = append(deps, ghDeployment(i, shaA, "production", at.Format(time.RFC3339)))
		sts = append(sts, ghStatus(i*10, i, "success", at.Add(5*time.Minute).Format(time.RFC3339)))
	}
	var files []ImportFile
	for i, p := range []string{list(deps...), list(sts...)} {
		bt, err := imports.Parse(imports.GitHubDeployments, fmt.Sprint(i), []byte(p), imports.Options{Now: importNow})
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, ImportFile{Name: fmt.Sprint(i), Batch: bt})
	}
	for range b.N {
		dir, err := os.MkdirTemp("", "import-bench")
		if err != nil {
			b.Fatal(err)
		}
		store, err := data.Open(".", dir)
		if err != nil {
			b.Fatal(err)
		}
		in := NewImport(imports.GitHubDeployments, files)
		in.Production = "production"
		if _, err := store.Update(context.Background(), "import", data.WriteOptions{}, func(tx *data.Tx) error {
			_, err := StageImport(tx, in)
			return err
		}); err != nil {
			b.Fatal(err)
		}
		os.RemoveAll(dir)
	}
}
