package compute

import (
	"reflect"
	"testing"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
)

func TestMonthsAndLastActivity(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	resolved := at("2026-04-02T10:00:00Z")
	f := &fact.Facts{
		// 23:30 UTC on 31 January is already February in Berlin.
		Deployments: []fact.Deployment{{Time: at("2026-01-10T09:00:00Z")}, {Time: at("2026-01-31T23:30:00Z")}},
		Incidents:   []fact.Incident{{Opened: at("2026-02-05T08:00:00Z"), Resolved: &resolved}},
		Scans:       []fact.Scan{{Time: at("2026-02-03T12:00:00Z")}},
	}
	h := &History{Facts: f, Config: config.Default(), Loc: berlin}

	if got, want := h.Months(), []string{"2026-01", "2026-02", "2026-03", "2026-04"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Months() = %v, want %v (March has no data but lies between)", got, want)
	}
	last := h.LastActivity()
	want := map[string]time.Time{
		"2026-01": at("2026-01-10T09:00:00Z"),
		"2026-02": at("2026-02-05T08:00:00Z"),
		"2026-04": resolved,
	}
	if len(last) != len(want) {
		t.Fatalf("LastActivity() = %v, want %v", last, want)
	}
	for m, w := range want {
		if !last[m].Equal(w) {
			t.Errorf("LastActivity()[%s] = %v, want %v", m, last[m], w)
		}
	}

	empty := &History{Facts: &fact.Facts{}, Config: config.Default(), Loc: time.UTC}
	if got := empty.Months(); len(got) != 0 {
		t.Errorf("Months() without data = %v, want none", got)
	}
}

func TestLastCompleteMonth(t *testing.T) {
	tokyo := time.FixedZone("UTC+9", 9*3600)
	for _, tc := range []struct {
		now  string
		loc  *time.Location
		want string
	}{
		{"2026-03-15T12:00:00Z", time.UTC, "2026-02"},
		{"2026-01-01T00:00:00Z", time.UTC, "2025-12"},
		{"2026-02-28T20:00:00Z", tokyo, "2026-02"}, // already 1 March in Tokyo
	} {
		now, _ := time.Parse(time.RFC3339, tc.now)
		if got := LastCompleteMonth(now, tc.loc); got != tc.want {
			t.Errorf("LastCompleteMonth(%s, %s) = %s, want %s", tc.now, tc.loc, got, tc.want)
		}
	}
}

func TestTrailingMonths(t *testing.T) {
	got, err := TrailingMonths("2026-02", 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"2025-12", "2026-01", "2026-02"}; !reflect.DeepEqual(got, want) {
		t.Errorf("TrailingMonths = %v, want %v", got, want)
	}
	if _, err := TrailingMonths("Feb 2026", 3); err == nil {
		t.Error("TrailingMonths accepted a malformed month")
	}
}

func TestMonthPeriods(t *testing.T) {
	ps, err := MonthPeriods([]string{"2026-01", "2026-02"}, time.UTC)
	if err != nil || len(ps) != 2 || ps[1].Start != time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC) || ps[1].Days() != 28 {
		t.Errorf("MonthPeriods = %+v, %v", ps, err)
	}
	if _, err := MonthPeriods([]string{"2026-13"}, time.UTC); err == nil {
		t.Error("a bad month was accepted")
	}
}
