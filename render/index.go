package render

import (
	"fmt"
	"strings"

	"github.com/gitdora/gitdora/compute"
)

// Index is what the site's index shows: every month of the site.
type Index struct {
	// Months are all months of the site, oldest first.
	Months []compute.Month
	// Partial says the last month has not ended yet.
	Partial bool
	// Latest is the last month's report when it is already prepared (the
	// site prepares every month); nil prepares it from Months, all of
	// them its trend.
	Latest *Prepared
	// Slices are the rows of the index's table of services and teams (of
	// an organisation: repositories, services and teams), each with its
	// figures in the index's latest month; SlicesTitle heads the table.
	Slices      []SliceRow
	SlicesTitle string
}

// SliceRow is a row of the index's table of slices.
type SliceRow struct {
	Kind string // repository, service or team
	Name string
	// Href links to its own pages ("" for none).
	Href string
	// Month is its month (the index's latest); nil without data.
	Month *compute.Month
}

// indexView is what the index template sees.
type indexView struct {
	// Latest is the last month with its summary and trend figure; nil
	// without months.
	Latest *monthView
	Months []indexRow
	// Slices is the table of services and teams (sliceRow), under
	// SlicesTitle.
	Slices      []sliceRow
	SlicesTitle string
}

type sliceRow struct {
	Kind, Class, Deploys, LeadTime, CFR, Restore, Open string
	Name                                               MD
	Href                                               string
}

type indexRow struct {
	Month, Name, Class, Deploys, LeadTime, CFR, Restore, MTTRCritical, Open string
	Alerts                                                                  int
	Partial                                                                 bool
}

func newIndexView(idx Index) *indexView {
	v := &indexView{SlicesTitle: idx.SlicesTitle}
	for _, r := range idx.Slices {
		row := sliceRow{Kind: r.Kind, Name: Text(r.Name, 120), Href: safeHref(r.Href), Class: na, Deploys: na, LeadTime: na, CFR: na, Restore: na, Open: na}
		if m := r.Month; m != nil {
			row.Class = className(m.Classification.Overall)
			row.Deploys = unitPerDay.format(m.DeploymentFrequency.PerDay)
			row.LeadTime = unitHours.format(m.LeadTime.P50Hours)
			row.CFR = unitFraction.format(m.ChangeFailureRate.Rate)
			row.Restore = unitHours.format(m.TimeToRestore.P50Hours)
			row.Open = itoa(m.Vulnerabilities.OpenAtEnd.Total())
		}
		v.Slices = append(v.Slices, row)
	}
	if v.SlicesTitle == "" {
		v.SlicesTitle = "Services and teams"
	}
	n := len(idx.Months)
	if n == 0 {
		return v
	}
	if idx.Latest != nil {
		v.Latest = idx.Latest.v.as(true)
	} else {
		rep := Report{Month: idx.Months[n-1], Trend: idx.Months, Partial: idx.Partial}
		if n > 1 {
			rep.Prev = &idx.Months[n-2]
		}
		v.Latest = newMonthView(rep).as(true)
	}
	for i := n - 1; i >= 0; i-- {
		m := &idx.Months[i]
		v.Months = append(v.Months, indexRow{
			Month:        m.Month,
			Name:         monthName(m),
			Class:        className(m.Classification.Overall),
			Deploys:      unitPerDay.format(m.DeploymentFrequency.PerDay),
			LeadTime:     unitHours.format(m.LeadTime.P50Hours),
			CFR:          unitFraction.format(m.ChangeFailureRate.Rate),
			Restore:      unitHours.format(m.TimeToRestore.P50Hours),
			MTTRCritical: unitHours.format(m.Vulnerabilities.MTTRHours.Critical),
			Open:         itoa(m.Vulnerabilities.OpenAtEnd.Total()),
			Alerts:       len(m.Alerts),
			Partial:      i == n-1 && idx.Partial,
		})
	}
	return v
}

func itoa(n int) string { return trimNum(float64(n), 0) }

// safeHref is href as a Markdown link may hold it: an http(s) address or
// a relative path, with the bytes that could end the link or the cell
// percent-encoded; "" (no link) for anything else.
func safeHref(href string) string {
	if i := strings.IndexAny(href, ":/?#"); i >= 0 && href[i] == ':' {
		if scheme := strings.ToLower(href[:i]); scheme != "http" && scheme != "https" {
			return ""
		}
	}
	var b strings.Builder
	for i := 0; i < len(href); i++ {
		c := href[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>\"|`'[]{}^", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
