package site_test

import (
	"testing"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/render/rendertest"
	"github.com/gitdora/gitdora/site"
	"github.com/gitdora/gitdora/templates"
)

// BenchmarkRender60 renders the whole site (every page, the exports) of 60
// computed months with large Details, in memory.
func BenchmarkRender60(b *testing.B) {
	months := rendertest.Synthetic(60, 500, 2000)
	o := site.Options{Templates: templates.Builtin(), Reports: reportsOf(months), Updated: map[string]time.Time{}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := site.Files(o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSite60 is `gitdora site` without its I/O: 60 months, 10,000
// deployments and 100,000 findings, from prepared facts to the files of
// the site. It reports the time of compute (NewHistory and the 60
// periods) and of render separately.
func BenchmarkSite60(b *testing.B) {
	facts := rendertest.SyntheticFacts(60, 10_000, 100_000)
	cfg := config.Default()
	var computeNs, renderNs time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		h := compute.NewHistory(facts, cfg, time.UTC)
		span, _ := h.Span()
		names := span.Periods()
		months := make([]compute.Month, len(names))
		for i, p := range names {
			months[i] = h.Period(p)
		}
		t1 := time.Now()
		if _, err := site.Files(site.Options{Templates: templates.Builtin(), Reports: reportsOf(months), Updated: h.LastActivity()}); err != nil {
			b.Fatal(err)
		}
		computeNs += t1.Sub(t0)
		renderNs += time.Since(t1)
		if len(names) != 60 {
			b.Fatalf("%d months, want 60", len(names))
		}
	}
	b.ReportMetric(float64(computeNs.Milliseconds())/float64(b.N), "compute-ms/op")
	b.ReportMetric(float64(renderNs.Milliseconds())/float64(b.N), "render-ms/op")
}
