package render_test

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/render"
	"github.com/gitdora/gitdora/render/rendertest"
)

func TestPromName(t *testing.T) {
	for _, tc := range []struct {
		metric, name string
		scale        float64
	}{
		{"deployments_per_day", "gitdora_deployments_per_day", 1},
		{"lead_time_p50_hours", "gitdora_lead_time_p50_seconds", 3600},
		{"mttr_critical_hours", "gitdora_mttr_critical_seconds", 3600},
		{"scan_duration_p95_seconds", "gitdora_scan_duration_p95_seconds", 1},
		{"change_failure_rate", "gitdora_change_failure_rate", 1},
		{"deployments_total", "gitdora_deployments", 1},
		{"deploy_days", "gitdora_deploy_dates", 1},
		{"scans_count", "gitdora_scans", 1},
	} {
		name, scale := render.PromName(tc.metric)
		if name != tc.name || scale != tc.scale {
			t.Errorf("PromName(%s) = %s ×%v, want %s ×%v", tc.metric, name, scale, tc.name, tc.scale)
		}
	}
	seen := map[string]string{}
	for _, m := range compute.Metrics {
		n, _ := render.PromName(m.Name)
		if other, dup := seen[n]; dup {
			t.Errorf("%s and %s share the Prometheus name %s", m.Name, other, n)
		}
		seen[n] = m.Name
	}
}

func TestPrometheus(t *testing.T) {
	m := rendertest.Months("")[11]
	var b bytes.Buffer
	if err := render.Prometheus(&b, &m); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"# TYPE gitdora_lead_time_p50_seconds gauge\ngitdora_lead_time_p50_seconds 5040\n",
		"# HELP gitdora_lead_time_p50_seconds lead time for changes, median, seconds (gitdora metric lead_time_p50_hours)\n",
		"gitdora_change_failure_rate 0.0547945205479452\n",
		`gitdora_report_info{month="2026-03",overall="medium"} 1` + "\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics.prom lacks %q", want)
		}
	}
	if strings.Contains(out, "gitdora_mttr_low_seconds") {
		t.Error("a metric without data has a sample")
	}
}

func TestFeed(t *testing.T) {
	months := rendertest.Months(rendertest.Evil)[9:]
	updated := map[string]time.Time{"2026-01": time.Date(2026, 1, 30, 10, 0, 0, 0, time.UTC), "2026-03": time.Date(2026, 3, 31, 12, 30, 0, 0, time.FixedZone("CEST", 7200))}
	var b bytes.Buffer
	if err := render.WriteFeed(&b, render.Feed{Months: months, Updated: updated, BaseURL: "https://example.org/dora/", ID: "https://example.org/dora/"}); err != nil {
		t.Fatal(err)
	}
	var feed struct {
		Updated string `xml:"updated"`
		Entries []struct {
			Title   string `xml:"title"`
			ID      string `xml:"id"`
			Updated string `xml:"updated"`
			Summary string `xml:"summary"`
			Link    struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(b.Bytes(), &feed); err != nil {
		t.Fatal(err)
	}
	if feed.Updated != "2026-03-31T10:30:00Z" {
		t.Errorf("feed updated %s, want the latest data time", feed.Updated)
	}
	if len(feed.Entries) != 3 || feed.Entries[0].ID != "https://example.org/dora/2026-03.html" || feed.Entries[0].Link.Href != "https://example.org/dora/2026-03.html" {
		t.Fatalf("entries = %+v", feed.Entries)
	}
	// 2026-02 has no recorded activity: the start of its period.
	if feed.Entries[1].Updated != "2026-02-01T00:00:00Z" || feed.Entries[2].Updated != "2026-01-30T10:00:00Z" {
		t.Errorf("entry updated = %s, %s", feed.Entries[1].Updated, feed.Entries[2].Updated)
	}
	if !strings.HasPrefix(feed.Entries[0].Title, "DORA report March 2026: Medium") {
		t.Errorf("title %q", feed.Entries[0].Title)
	}
}

func TestBadge(t *testing.T) {
	for _, tc := range []struct {
		class *string
		want  string
	}{
		{ptrS("elite"), "#44cc11"}, {ptrS("low"), "#e05d44"}, {nil, "n/a"}, {ptrS("<script>"), "n/a"},
	} {
		m := rendertest.Empty("2026-03")
		m.Classification.Overall = tc.class
		var b bytes.Buffer
		if err := render.Badge(&b, &m); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tc.want) || strings.Contains(b.String(), "<script>") {
			t.Errorf("badge of %v lacks %s:\n%s", tc.class, tc.want, b.String())
		}
		var v struct {
			XMLName xml.Name `xml:"svg"`
		}
		if err := xml.Unmarshal(b.Bytes(), &v); err != nil {
			t.Errorf("badge is not XML: %v", err)
		}
	}
}

func ptrS(s string) *string { return &s }
