package render

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gitdora/gitdora/compute"
)

// Feed is what the Atom feed lists: one entry per month.
type Feed struct {
	// ID is the feed's IRI: the site's base URL when known.
	ID string
	// BaseURL is the site's address, ending in "/"; "" for links relative
	// to the feed.
	BaseURL string
	Months  []compute.Month
	// Updated maps a month to the latest instant of its data; it is the
	// entry's updated time (the feed never reads the clock). A month
	// without data uses the start of its period.
	Updated map[string]time.Time
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary"`
}

// WriteFeed writes the Atom feed, newest month first.
func WriteFeed(w io.Writer, f Feed) error {
	id := f.ID
	if id == "" {
		id = "urn:gitdora:reports"
	}
	af := atomFeed{
		Title:  "Monthly DORA and security scan impact reports",
		ID:     id,
		Links:  []atomLink{{Href: f.BaseURL + "feed.xml", Rel: "self", Type: "application/atom+xml"}, {Href: f.BaseURL + "index.html", Rel: "alternate", Type: "text/html"}},
		Author: atomAuthor{Name: "gitdora"},
	}
	var latest time.Time
	for i := len(f.Months) - 1; i >= 0; i-- {
		m := &f.Months[i]
		up, ok := f.Updated[m.Month]
		if !ok || up.IsZero() {
			up = m.Period.Start
		}
		if up.After(latest) {
			latest = up
		}
		var entryID string
		switch {
		case strings.HasPrefix(id, "urn:"):
			entryID = id + ":" + m.Month
		case strings.HasSuffix(id, "/"):
			entryID = id + m.Month + ".html" // the page's own address
		default:
			entryID = id + "/" + m.Month + ".html"
		}
		af.Entries = append(af.Entries, atomEntry{
			Title:   fmt.Sprintf("DORA report %s: %s", monthName(m), className(m.Classification.Overall)),
			ID:      entryID,
			Updated: up.UTC().Format(time.RFC3339),
			Link:    atomLink{Href: f.BaseURL + m.Month + ".html", Rel: "alternate", Type: "text/html"},
			Summary: feedSummary(m),
		})
	}
	if latest.IsZero() {
		latest = time.Unix(0, 0)
	}
	af.Updated = latest.UTC().Format(time.RFC3339)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(af); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// feedSummary is the headline of a month in one line of plain text.
func feedSummary(m *compute.Month) string {
	parts := []string{"DORA class " + className(m.Classification.Overall)}
	for _, name := range []string{"deployments_per_day", "lead_time_p50_hours", "change_failure_rate", "time_to_restore_p50_hours", "scan_overhead_pct", "mttr_critical_hours"} {
		mi := info(name)
		parts = append(parts, mi.Label+" "+mi.Unit.format(metricValue(m, name)))
	}
	if n := len(m.Alerts); n > 0 {
		parts = append(parts, plural(n, "alert", "alerts")+" firing")
	}
	return strings.Join(parts, "; ") + "."
}
