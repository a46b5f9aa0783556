package render

import (
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
}

// indexView is what the index template sees.
type indexView struct {
	// Latest is the last month with its summary and trend figure; nil
	// without months.
	Latest *monthView
	Months []indexRow
}

type indexRow struct {
	Month, Name, Class, Deploys, LeadTime, CFR, Restore, MTTRCritical, Open string
	Alerts                                                                  int
	Partial                                                                 bool
}

func newIndexView(idx Index) *indexView {
	v := &indexView{}
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
