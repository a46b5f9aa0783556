package app

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/gitdora/gitdora/compute"
)

// BenchmarkOrgFacts rolls up the facts of GITDORA_BENCH_FACTS (a folder
// internal/cmd/genfacts wrote; skipped without one) over 2024 and 2025.
func BenchmarkOrgFacts(b *testing.B) {
	dir := os.Getenv("GITDORA_BENCH_FACTS")
	if dir == "" {
		b.Skip("set GITDORA_BENCH_FACTS to a folder of facts (go run ./internal/cmd/genfacts -out DIR)")
	}
	from, _ := compute.ParseYearMonth("from", "2024-01")
	to, _ := compute.ParseYearMonth("to", "2025-12")
	req := OrgRequest{Facts: dir, Loc: time.UTC, Now: time.Now(), Span: compute.Span{First: from, Last: to, Loc: time.UTC}, Format: FormatJSON}
	env := Env{Stdout: io.Discard, Stderr: io.Discard, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for b.Loop() {
		if err := Org(context.Background(), req, env); err != nil {
			b.Fatal(err)
		}
	}
}
