package compute

import (
	"testing"

	"github.com/gitdora/gitdora/fact"
)

func TestSeverityAccessors(t *testing.T) {
	c := SeverityCounts{Critical: 1, High: 2, Medium: 4, Low: 8}
	h := SeverityHours{Critical: ptrF(1.5), High: ptrF(2.5), Low: ptrF(8.5)}
	for _, tc := range []struct {
		sev   fact.Severity
		count int
		hours *float64
	}{
		{"critical", 1, ptrF(1.5)},
		{"high", 2, ptrF(2.5)},
		{"medium", 4, nil},
		{"low", 8, ptrF(8.5)},
		{"info", 0, nil},
		{"", 0, nil},
	} {
		if got := c.Get(tc.sev); got != tc.count {
			t.Errorf("SeverityCounts.Get(%q) = %d, want %d", tc.sev, got, tc.count)
		}
		got := h.Get(tc.sev)
		if (got == nil) != (tc.hours == nil) || got != nil && *got != *tc.hours {
			t.Errorf("SeverityHours.Get(%q) = %v, want %v", tc.sev, got, tc.hours)
		}
	}
	if got := c.Total(); got != 15 {
		t.Errorf("Total = %d, want 15", got)
	}
}

func ptrF(v float64) *float64 { return &v }
