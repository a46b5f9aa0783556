package render

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/fact"
)

// cell shows a number for a table column whose header names the unit.
func cell(v *float64, scale float64, prec int) MD {
	if v == nil {
		return na
	}
	return MD(trimNum(*v*scale, prec))
}

func scaled(v *float64, f float64) *float64 {
	if v == nil {
		return nil
	}
	return ptr(*v * f)
}

func countPtr(n int) *float64 { return ptr(float64(n)) }

// trendFigure charts the headline metrics over months (oldest first).
func trendFigure(months []compute.Month) *Figure {
	x := make([]string, len(months))
	col := func(f func(m *compute.Month) *float64) []*float64 {
		out := make([]*float64, len(months))
		for i := range months {
			out[i] = f(&months[i])
		}
		return out
	}
	for i := range months {
		x[i] = months[i].Month
	}
	deploys := col(func(m *compute.Month) *float64 { return m.DeploymentFrequency.PerDay })
	ltP50 := col(func(m *compute.Month) *float64 { return m.LeadTime.P50Hours })
	ltP95 := col(func(m *compute.Month) *float64 { return m.LeadTime.P95Hours })
	cfr := col(func(m *compute.Month) *float64 { return scaled(m.ChangeFailureRate.Rate, 100) })
	ttr := col(func(m *compute.Month) *float64 { return m.TimeToRestore.P50Hours })
	overhead := col(func(m *compute.Month) *float64 { return m.LeadTime.ScanOverheadPct })
	block := col(func(m *compute.Month) *float64 { return scaled(m.DeploymentFrequency.BlockRate, 100) })
	mttrC := col(func(m *compute.Month) *float64 { return m.Vulnerabilities.MTTRHours.Critical })
	mttrH := col(func(m *compute.Month) *float64 { return m.Vulnerabilities.MTTRHours.High })
	scanP50 := col(func(m *compute.Month) *float64 { return m.Scans.DurationP50Seconds })
	scanP95 := col(func(m *compute.Month) *float64 { return m.Scans.DurationP95Seconds })
	open := map[string][]*float64{}
	for _, s := range severities {
		open[s] = col(func(m *compute.Month) *float64 { return countPtr(m.Vulnerabilities.OpenAtEnd.Get(fact.Severity(s))) })
	}
	var openSeries []Series
	for _, s := range severities {
		openSeries = append(openSeries, Series{Name: s, Values: open[s], Bar: true, Stack: "open", Color: severityColors[s]})
	}

	f := &Figure{ID: "trends", Charts: []Chart{
		{ID: "chart-trend-deploys", Title: "Deployment frequency (per day)", YName: "per day", X: x,
			Series: []Series{{Name: "deployments per day", Values: deploys}}},
		{ID: "chart-trend-lead-time", Title: "Lead time for changes (hours)", YName: "hours", X: x,
			Series: []Series{{Name: "p50", Values: ltP50, Bar: true}, {Name: "p95", Values: ltP95}}},
		{ID: "chart-trend-cfr", Title: "Change failure rate (%)", YName: "%", X: x,
			Series: []Series{{Name: "change failure rate", Values: cfr, Color: "#b3261e"}}},
		{ID: "chart-trend-ttr", Title: "Time to restore service, p50 (hours)", YName: "hours", X: x,
			Series: []Series{{Name: "time to restore p50", Values: ttr}}},
		{ID: "chart-trend-scan-impact", Title: "Security scan impact (%)", YName: "%", X: x,
			Series: []Series{{Name: "scan overhead (% of lead time)", Values: overhead}, {Name: "gate block rate", Values: block}}},
		{ID: "chart-trend-scan-duration", Title: "Scan duration (seconds)", YName: "seconds", X: x,
			Series: []Series{{Name: "p50", Values: scanP50, Bar: true}, {Name: "p95", Values: scanP95}}},
		{ID: "chart-trend-mttr", Title: "Vulnerability MTTR (hours)", YName: "hours", X: x,
			Series: []Series{{Name: "critical", Values: mttrC, Color: severityColors["critical"]}, {Name: "high", Values: mttrH, Color: severityColors["high"]}}},
		{ID: "chart-trend-open", Title: "Open findings at month end", YName: "findings", X: x, Series: openSeries},
	}}
	f.Table = FigureTable{
		Header: []string{"Month", "Deploys/day", "Lead time p50 (h)", "p95 (h)", "CFR (%)", "Restore p50 (h)", "Scan overhead (%)", "Block rate (%)", "Scan p95 (s)", "MTTR crit. (h)", "MTTR high (h)", "Open C/H/M/L"},
		Align:  "lrrrrrrrrrrr",
	}
	for i := range months {
		m := &months[i]
		var oc []string
		for _, s := range severities {
			oc = append(oc, fmt.Sprint(m.Vulnerabilities.OpenAtEnd.Get(fact.Severity(s))))
		}
		f.Table.Rows = append(f.Table.Rows, []MD{
			MD(m.Month), cell(deploys[i], 1, 2), cell(ltP50[i], 1, 1), cell(ltP95[i], 1, 1), cell(cfr[i], 1, 1),
			cell(ttr[i], 1, 1), cell(overhead[i], 1, 1), cell(block[i], 1, 1), cell(scanP95[i], 1, 0),
			cell(mttrC[i], 1, 1), cell(mttrH[i], 1, 1), MD(strings.Join(oc, "/")),
		})
	}
	return f
}

// leadBuckets are the bars of the lead time distribution (upper bounds in hours).
var leadBuckets = []struct {
	label string
	upto  float64
}{{"0–1 h", 1}, {"1–4 h", 4}, {"4–24 h", 24}, {"1–7 d", 168}, {"7–30 d", 720}, {"≥ 30 d", 0}}

func leadTimeFigure(d *compute.Detail) *Figure {
	if len(d.LeadTimeHours) == 0 {
		return nil
	}
	counts := make([]int, len(leadBuckets))
	for _, h := range d.LeadTimeHours {
		for i, b := range leadBuckets {
			if b.upto == 0 || h < b.upto {
				counts[i]++
				break
			}
		}
	}
	f := &Figure{ID: "lead-time"}
	c := Chart{ID: "chart-lead-time", Title: "Changes by lead time", YName: "changes", Series: []Series{{Name: "changes", Bar: true}}}
	f.Table = FigureTable{Header: []string{"Lead time", "Changes", "Share"}, Align: "lrr"}
	for i, b := range leadBuckets {
		c.X = append(c.X, b.label)
		c.Series[0].Values = append(c.Series[0].Values, countPtr(counts[i]))
		f.Table.Rows = append(f.Table.Rows, []MD{MD(b.label), MD(fmt.Sprint(counts[i])), MD(Percent(float64(counts[i]) / float64(len(d.LeadTimeHours))))})
	}
	f.Charts = []Chart{c}
	return f
}

func weeksFigure(d *compute.Detail) *Figure {
	if len(d.Weeks) == 0 {
		return nil
	}
	f := &Figure{ID: "cfr-weeks"}
	c := Chart{ID: "chart-cfr-weeks", Title: "Change failure rate by week (%)", YName: "%", Series: []Series{{Name: "change failure rate", Bar: true, Color: "#b3261e"}}}
	f.Table = FigureTable{Header: []string{"Week of", "Deployments", "Failed", "Change failure rate"}, Align: "lrrr"}
	for _, w := range d.Weeks {
		label := w.Start.Format("2006-01-02")
		rate := ratio(w.Failed, w.Deployments)
		c.X = append(c.X, label)
		c.Series[0].Values = append(c.Series[0].Values, scaled(rate, 100))
		f.Table.Rows = append(f.Table.Rows, []MD{MD(label), MD(fmt.Sprint(w.Deployments)), MD(fmt.Sprint(w.Failed)), MD(unitFraction.format(rate))})
	}
	f.Charts = []Chart{c}
	return f
}

func mttrFigure(m *compute.Month) *Figure {
	vu := m.Vulnerabilities
	f := &Figure{ID: "mttr"}
	c := Chart{ID: "chart-mttr", Title: "Mean time to fix by severity (hours)", YName: "hours", Series: []Series{{Name: "MTTR", Bar: true}}}
	f.Table = FigureTable{Header: []string{"Severity", "New", "Fixed", "Open at end", "MTTR", "Target", "Status"}, Align: "lrrrrll"}
	for _, s := range severities {
		c.X = append(c.X, s)
		mttr := vu.MTTRHours.Get(fact.Severity(s))
		c.Series[0].Values = append(c.Series[0].Values, mttr)
		row := []MD{MD(s), MD(fmt.Sprint(vu.New.Get(fact.Severity(s)))), MD(fmt.Sprint(vu.Fixed.Get(fact.Severity(s)))), MD(fmt.Sprint(vu.OpenAtEnd.Get(fact.Severity(s)))), MD(unitHours.format(mttr)), "", ""}
		if t := targetOf(m, "mttr_"+s+"_hours"); t != nil {
			row[5], row[6] = MD(targetText(t)), MD(status(t))
		}
		f.Table.Rows = append(f.Table.Rows, row)
	}
	f.Charts = []Chart{c}
	return f
}

func openAgeFigure(d *compute.Detail) *Figure {
	if len(d.OpenFindings) == 0 {
		return nil
	}
	counts := map[string][]int{}
	for _, s := range severities {
		counts[s] = make([]int, len(ageBuckets))
	}
	for i := range d.OpenFindings {
		of := &d.OpenFindings[i]
		if c, ok := counts[string(of.Severity)]; ok {
			c[ageBucket(of.AgeHours)]++
		}
	}
	f := &Figure{ID: "open-age"}
	c := Chart{ID: "chart-open-age", Title: "Open findings by age", YName: "findings"}
	for _, b := range ageBuckets {
		c.X = append(c.X, b.label)
	}
	f.Table = FigureTable{Header: []string{"Severity"}, Align: "l"}
	for _, b := range ageBuckets {
		f.Table.Header = append(f.Table.Header, b.label)
		f.Table.Align += "r"
	}
	f.Table.Header = append(f.Table.Header, "Total")
	f.Table.Align += "r"
	for _, s := range severities {
		sr := Series{Name: s, Bar: true, Stack: "age", Color: severityColors[s]}
		row := []MD{MD(s)}
		total := 0
		for _, n := range counts[s] {
			sr.Values = append(sr.Values, countPtr(n))
			row = append(row, MD(fmt.Sprint(n)))
			total += n
		}
		c.Series = append(c.Series, sr)
		f.Table.Rows = append(f.Table.Rows, append(row, MD(fmt.Sprint(total))))
	}
	f.Charts = []Chart{c}
	return f
}

// toolsFigure charts each tool's scan duration against the budget
// (seconds, 0 when unknown).
func toolsFigure(m *compute.Month, budget float64) *Figure {
	if len(m.Scans.ByTool) == 0 {
		return nil
	}
	tools := make([]string, 0, len(m.Scans.ByTool))
	for t := range m.Scans.ByTool {
		tools = append(tools, t)
	}
	sort.Strings(tools)
	f := &Figure{ID: "scan-tools"}
	c := Chart{ID: "chart-scan-tools", Title: "Scan duration p95 by tool (seconds)", YName: "seconds", Series: []Series{{Name: "p95", Bar: true}}}
	if budget > 0 {
		c.Budget, c.BudgetName = ptr(budget), "budget "+Seconds(budget)
	}
	f.Table = FigureTable{Header: []string{"Tool", "Scans", "Duration p95", "Budget", "Within budget"}, Align: "lrrrl"}
	for _, t := range tools {
		ts := m.Scans.ByTool[t]
		c.X = append(c.X, t) // untrusted: escaped in the chart's JSON, never put into HTML by charts.js
		c.Series[0].Values = append(c.Series[0].Values, ts.DurationP95Seconds)
		row := []MD{Text(t, 60), MD(fmt.Sprint(ts.Count)), MD(unitSeconds.format(ts.DurationP95Seconds)), na, na}
		if budget > 0 {
			row[3] = MD("< " + Seconds(budget))
			if ts.DurationP95Seconds != nil {
				row[4] = "✅"
				if *ts.DurationP95Seconds >= budget {
					row[4] = "⚠️"
				}
			}
		}
		f.Table.Rows = append(f.Table.Rows, row)
	}
	f.Charts = []Chart{c}
	return f
}
