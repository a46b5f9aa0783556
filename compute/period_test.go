package compute

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
)

func TestPeriodLength(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	utc := func(s string) time.Time { return ts(s) }
	in := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02T15:04", s, berlin)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	mar := monthPeriod(t, "2026-03", berlin) // 743 hours: DST starts on 29 March
	for _, tc := range []struct {
		name       string
		start, end time.Time
		want       float64
	}{
		{"a month", utc("2026-01-01T00:00:00Z"), utc("2026-02-01T00:00:00Z"), 31},
		{"a month of a DST change", mar.Start, mar.End, 31},
		{"a week of a DST change", in("2026-03-26T00:00"), in("2026-04-02T00:00"), 7},
		{"12 hours within a day", utc("2026-01-05T06:00:00Z"), utc("2026-01-05T18:00:00Z"), 0.5},
		{"12 hours across midnight", utc("2026-01-05T18:00:00Z"), utc("2026-01-06T06:00:00Z"), 0.5},
		{"36 hours to midnight", utc("2026-01-04T12:00:00Z"), utc("2026-01-06T00:00:00Z"), 1.5},
		{"23 hours to midnight over the DST change", in("2026-03-29T01:00"), in("2026-03-30T00:00"), 22.0 / 24},
	} {
		if got := (Period{Start: tc.start, End: tc.end}).Length(); got != tc.want {
			t.Errorf("%s: Length = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// A window of 12 hours with 3 successful deployments deploys 6 a day.
func TestPerDayOfAWindow(t *testing.T) {
	f := &fact.Facts{}
	for i, at := range []string{"2026-01-05T07:00:00Z", "2026-01-05T08:00:00Z", "2026-01-05T17:00:00Z"} {
		f.Deployments = append(f.Deployments, fact.Deployment{ID: string(rune('a' + i)), Time: ts(at), Environment: "production", Production: true, Status: fact.StatusSuccess})
	}
	h := NewHistory(f, config.Default(), time.UTC)
	m := h.Metrics(Period{Start: ts("2026-01-05T06:00:00Z"), End: ts("2026-01-05T18:00:00Z")})
	if m.DeploymentFrequency.PerDay == nil || *m.DeploymentFrequency.PerDay != 6 {
		t.Errorf("deployments_per_day = %v, want 6", deref(m.DeploymentFrequency.PerDay))
	}
}

// Bad months are typed errors that name the value, not a flag.
func TestPeriodErrors(t *testing.T) {
	_, err := ParseYearMonth("month", "2026-13")
	var pe *PeriodError
	if !errors.As(err, &pe) || *pe != (PeriodError{Field: "month", Value: "2026-13", Want: "YYYY-MM"}) || err.Error() != `month "2026-13": want YYYY-MM` {
		t.Errorf("ParseYearMonth: %#v", err)
	}
	for _, tc := range []struct {
		from, to string
		want     error
	}{
		{"March", "2026-04", &PeriodError{Field: "from", Value: "March", Want: "YYYY-MM"}},
		{"2026-03", "", &PeriodError{Field: "to", Value: "", Want: "YYYY-MM"}},
		{"2026-03", "2026-01", &RangeError{From: "2026-03", To: "2026-01"}},
	} {
		_, err := monthRange(tc.from, tc.to)
		if fmt.Sprintf("%#v", err) != fmt.Sprintf("%#v", tc.want) || strings.Contains(err.Error(), "--") {
			t.Errorf("range %q to %q = %#v, want %#v", tc.from, tc.to, err, tc.want)
		}
	}
}

// monthRange parses from and to as a caller does, and spans them.
func monthRange(from, to string) (Span, error) {
	f, err := ParseYearMonth("from", from)
	if err != nil {
		return Span{}, err
	}
	l, err := ParseYearMonth("to", to)
	if err != nil {
		return Span{}, err
	}
	return NewSpan(f, l, time.UTC)
}

// monthPeriod is the period of the month name (YYYY-MM) in loc.
func monthPeriod(t testing.TB, name string, loc *time.Location) Period {
	t.Helper()
	m, err := ParseYearMonth("month", name)
	if err != nil {
		t.Fatal(err)
	}
	return m.Period(loc)
}
