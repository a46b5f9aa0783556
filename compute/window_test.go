package compute_test

import (
	"testing"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/render/rendertest"
)

// A window computed without the security policy's figures has every
// other metric as computed with them: PolicyMetric names every metric
// that reads them.
func TestWindowMetricsWithoutPolicy(t *testing.T) {
	f := rendertest.SyntheticFacts(12, 2000, 20000)
	h := compute.NewHistory(f, config.Default(), time.UTC)
	span, ok := h.Span()
	if !ok {
		t.Fatal("no span")
	}
	differ := map[string]bool{}
	for _, p := range span.Periods() {
		full, lean := h.WindowMetrics(p, true), h.WindowMetrics(p, false)
		for _, m := range compute.Metrics {
			a, b := m.Value(&full), m.Value(&lean)
			same := a == nil && b == nil || a != nil && b != nil && *a == *b
			if !same && !compute.PolicyMetric(m.Name) {
				t.Errorf("%s %s: %v with the policy's figures, %v without: PolicyMetric does not name it", p.Name, m.Name, fmtv(a), fmtv(b))
			}
			if !same {
				differ[m.Name] = true
			}
		}
	}
	if len(differ) == 0 {
		t.Fatal("no metric differs without the policy's figures: the facts have none to test with")
	}
	t.Logf("policy metrics with values: %v", differ)
}

func fmtv(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}
