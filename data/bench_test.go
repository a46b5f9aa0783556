package data

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// seedEvents builds a repository whose data branch holds n deployments
// over the 12 months of 2026 (one commit, packed, as after git gc), and
// returns it.
func seedEvents(b *testing.B, n int) string {
	b.Helper()
	repo := b.TempDir()
	cmd := gitCmd(repo, "init", "-q", "-b", "main")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatal(err, string(out))
	}
	var rows [13]strings.Builder
	for i := range n {
		m := i%12 + 1
		fmt.Fprintf(&rows[m], "deploy-%d,2026-%02d-%02dT%02d:00:00Z,%040x,production,success,%d,%d,false,0,%d,%d,0,bench\n", i, m, i/12%28+1, i%24, i*7919, 30+i%300, 300+i%900, i%3, i%5)
	}
	var fi strings.Builder
	fi.WriteString("commit refs/heads/dora-data\ncommitter bench <bench@example.com> 1767225600 +0000\ndata 4\nseed\n")
	for m := 1; m <= 12; m++ {
		body := strings.Join(DeploymentHeader, ",") + "\n" + rows[m].String()
		fmt.Fprintf(&fi, "M 100644 inline events/deployments/2026-%02d.csv\ndata %d\n%s\n", m, len(body), body)
	}
	cmd = gitCmd(repo, "fast-import", "--quiet")
	cmd.Stdin = strings.NewReader(fi.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatal(err, string(out))
	}
	if out, err := gitCmd(repo, "gc", "-q").CombinedOutput(); err != nil {
		b.Fatal(err, string(out))
	}
	return repo
}

// BenchmarkUpdate records one deployment per iteration, as one
// `gitdora record deployment` does after opening the store, onto a data
// branch that holds 10,000 events.
func BenchmarkUpdate(b *testing.B) {
	repo := seedEvents(b, 10000)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		s, err := Open(repo, "")
		if err != nil {
			b.Fatal(err)
		}
		res, err := s.Update(ctx, "bench", WriteOptions{}, appendDeps(dep(fmt.Sprintf("b%d", i), "2026-06-15T10:00:00Z")))
		if err != nil || !res.Changed {
			b.Fatal(res, err)
		}
	}
}

// BenchmarkHasEvent is the duplicate check alone: every month's file is
// read and searched for the id.
func BenchmarkHasEvent(b *testing.B) {
	repo := seedEvents(b, 10000)
	s, err := Open(repo, "")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		tx := newTreeTx(s, s.tree)
		if dup, err := tx.HasEvent(DeploymentsDir, "deploy-9999"); err != nil || !dup {
			b.Fatal(dup, err)
		}
	}
}

// BenchmarkUpdateManyFiles stages 1,000 files of 50 KB in one Update (the
// shape of a batch SARIF ingest) and commits them.
func BenchmarkUpdateManyFiles(b *testing.B) {
	files := make([][]byte, 1000)
	for i := range files {
		var s strings.Builder
		for s.Len() < 50_000 {
			fmt.Fprintf(&s, `{"ruleId":"rule-%d","message":{"text":"finding %d in file %d"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/f%d.go"},"region":{"startLine":%d}}}]},`, s.Len()%97, s.Len(), i, s.Len()%13, s.Len()%500)
		}
		files[i] = []byte(s.String())
	}
	b.SetBytes(1000 * 50_000)
	ctx := context.Background()
	n := 0
	for b.Loop() {
		n++
		repo := b.TempDir()
		if out, err := gitCmd(repo, "init", "-q").CombinedOutput(); err != nil {
			b.Fatal(err, string(out))
		}
		s, err := Open(repo, "")
		if err != nil {
			b.Fatal(err)
		}
		res, err := s.Update(ctx, "ingest", WriteOptions{}, func(tx *Tx) error {
			for i, f := range files {
				if err := tx.WriteFile(fmt.Sprintf("scans/2026/03/%040x/tool-%012x.sarif", i%50, i*n), f); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || !res.Changed {
			b.Fatal(res, err)
		}
	}
}
