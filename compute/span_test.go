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

	if got, want := spanNames(h), []string{"2026-01", "2026-02", "2026-03", "2026-04"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Span() = %v, want %v (March has no data but lies between)", got, want)
	}
	if got, want := h.ActiveMonths(), []YearMonth{{2026, time.January}, {2026, time.February}, {2026, time.April}}; !reflect.DeepEqual(got, want) {
		t.Errorf("ActiveMonths() = %v, want %v (March has no data)", got, want)
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
	if got, ok := empty.Span(); ok || len(got.Months()) != 0 {
		t.Errorf("Span() without data = %v, %v, want none", got, ok)
	}
	if got := empty.ActiveMonths(); len(got) != 0 {
		t.Errorf("ActiveMonths() without data = %v, want none", got)
	}
}

// spanNames lists the months of h.Span as YYYY-MM.
func spanNames(h *History) []string {
	s, ok := h.Span()
	if !ok {
		return nil
	}
	var out []string
	for _, m := range s.Months() {
		out = append(out, m.String())
	}
	return out
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
		if got := LastCompleteMonth(now, tc.loc).String(); got != tc.want {
			t.Errorf("LastCompleteMonth(%s, %s) = %s, want %s", tc.now, tc.loc, got, tc.want)
		}
	}
}

func TestTrailing(t *testing.T) {
	feb := YearMonth{2026, time.February}
	s := Trailing(feb, 3, time.UTC)
	var got []string
	for _, m := range s.Months() {
		got = append(got, m.String())
	}
	if want := []string{"2025-12", "2026-01", "2026-02"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Trailing = %v, want %v", got, want)
	}
	if one := Trailing(feb, 0, time.UTC).Months(); len(one) != 1 || one[0] != feb {
		t.Errorf("Trailing(0) = %v, want February alone", one)
	}
}

func TestSpanPeriods(t *testing.T) {
	s, err := NewSpan(YearMonth{2026, time.January}, YearMonth{2026, time.February}, time.UTC)
	ps := s.Periods()
	if err != nil || len(ps) != 2 || ps[1].Name != "2026-02" || ps[1].Start != time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC) || ps[1].Days() != 28 {
		t.Errorf("Periods = %+v, %v", ps, err)
	}
	if got := (Span{}).Periods(); len(got) != 0 {
		t.Errorf("the zero Span has periods %v", got)
	}
}
