package render

import (
	"fmt"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/owasp"
)

// policyView is the report's security policy section: SLA, accepted
// risk, production exposure and OWASP Top 10 categories. Rule ids and
// file paths of findings appear only with report.findings: full.
type policyView struct {
	Day     string // the day the policy was judged on, or ""
	Details bool   // report.findings: full
	SLA     []slaRow
	// Breaches lists findings past their SLA (with Details); Overdue
	// counts them all.
	Breaches     []breachRow
	BreachesMore int
	Overdue      int
	Risk         compute.AcceptedRisk
	// Exemptions are the exemptions that expired or end within 30 days.
	Exemptions []exemptionRow
	Exposure   []exposureRow
	FixToProd  string
	// Shipped are the deployments that shipped open critical or high findings.
	Shipped     []shippedRow
	ShippedMore int
	Attribution string
}

type slaRow struct {
	Severity, SLA, Within string
	Breached              int
}

type breachRow struct {
	Severity, Tool, Rule, File MD
	FirstSeen, Due, Overdue    string
}

type exemptionRow struct {
	Line       int
	Rule, File MD // with Details
	ApprovedBy MD
	Expires    string
	Status     string
	Open       int
}

type exposureRow struct {
	Severity, Mean string
	Live           int
}

type shippedRow struct {
	Deployment     MD
	Time           string
	Critical, High int
}

func policyOf(m *compute.Month, d *compute.Detail, details bool) policyView {
	vu := &m.Vulnerabilities
	v := policyView{Risk: vu.AcceptedRisk, FixToProd: unitHours.format(vu.Exposure.FixToProductionP50Hours), Attribution: owasp.Attribution}
	pd := d.Policy
	if pd == nil {
		pd = &compute.PolicyDetail{}
	}
	if !pd.Day.IsZero() {
		v.Day = pd.Day.String()
	}
	v.Details = details
	loc := m.Period.Start.Location()
	for i, sev := range fact.Severities {
		row := slaRow{Severity: string(sev), SLA: na, Breached: vu.SLA.BreachedOpen.Get(sev), Within: unitPercent.format(vu.SLA.FixedWithinPct.Get(sev))}
		if i < len(pd.SLA) {
			row.SLA = Hours(pd.SLA[i].Hours())
		}
		v.SLA = append(v.SLA, row)
		v.Overdue += row.Breached
		v.Exposure = append(v.Exposure, exposureRow{Severity: string(sev), Mean: unitHours.format(vu.Exposure.MeanHours.Get(sev)), Live: vu.Exposure.LiveAtEnd.Get(sev)})
	}
	if v.Details {
		for i, b := range pd.Breaches {
			if i == listLimit {
				v.BreachesMore = len(pd.Breaches) - listLimit
				break
			}
			v.Breaches = append(v.Breaches, breachRow{
				Severity: Text(string(b.Severity), 20), Tool: Text(b.Tool, 40), Rule: Text(b.RuleID, 80), File: Text(b.URI, 100),
				FirstSeen: dateTime(b.FirstSeen, loc), Due: dateTime(b.Due, loc), Overdue: Hours(b.OverdueHours),
			})
		}
	}
	for _, e := range pd.Exemptions {
		if !e.Expired() && !e.Expiring() {
			continue
		}
		row := exemptionRow{Line: e.Line, ApprovedBy: Text(e.ApprovedBy, 60), Expires: e.Expires.String(), Open: e.Open}
		if row.ApprovedBy == "" {
			row.ApprovedBy = "—"
		}
		if v.Details {
			row.Rule, row.File = Text(e.RuleID, 80), Text(e.File, 100)
			if row.File == "" {
				row.File = "any"
			}
		}
		switch {
		case e.Expired():
			row.Status = fmt.Sprintf("expired %s ago", plural(-e.DaysLeft, "day", "days"))
		case e.DaysLeft == 0:
			row.Status = "ends today"
		default:
			row.Status = "ends in " + plural(e.DaysLeft, "day", "days")
		}
		v.Exemptions = append(v.Exemptions, row)
	}
	for i, s := range pd.Shipped {
		if i == listLimit {
			v.ShippedMore = len(pd.Shipped) - listLimit
			break
		}
		v.Shipped = append(v.Shipped, shippedRow{Deployment: Text(s.DeploymentID, 40), Time: dateTime(s.Time, loc), Critical: s.Critical, High: s.High})
	}
	return v
}

// owaspFigure charts the open findings by OWASP Top 10 category, one
// chart per edition, with a table of both.
func owaspFigure(m *compute.Month) *Figure {
	f := &Figure{ID: "owasp"}
	eds := owasp.Editions()
	f.Table = FigureTable{Header: []string{"Category"}, Align: "l"}
	cats := map[string][]owasp.Category{}
	for _, ed := range eds {
		cats[ed] = owasp.All(ed)
		counts := m.Vulnerabilities.OWASPTop10[ed]
		c := Chart{ID: "chart-owasp-" + ed, Title: "Open findings by OWASP Top 10 " + ed + " category", YName: "findings",
			Series: []Series{{Name: "open findings", Bar: true, Color: severityColors["high"]}}}
		for _, cat := range cats[ed] {
			c.X = append(c.X, cat.ID)
			c.Series[0].Values = append(c.Series[0].Values, countPtr(counts[cat.ID]))
		}
		f.Charts = append(f.Charts, c)
		f.Table.Header = append(f.Table.Header, ed, "Open")
		f.Table.Align += "lr"
	}
	for i := 0; i < 10; i++ {
		row := []MD{MD(fmt.Sprintf("A%02d", i+1))}
		for _, ed := range eds {
			name, n := MD(na), 0
			if i < len(cats[ed]) {
				name = Text(cats[ed][i].Name, 80)
				n = m.Vulnerabilities.OWASPTop10[ed][cats[ed][i].ID]
			}
			row = append(row, name, MD(fmt.Sprint(n)))
		}
		f.Table.Rows = append(f.Table.Rows, row)
	}
	return f
}
