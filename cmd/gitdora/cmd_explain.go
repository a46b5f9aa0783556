package main

import (
	"github.com/gitdora/gitdora/app"
	"github.com/gitdora/gitdora/compute"
)

// ExplainCmd is `gitdora explain`.
type ExplainCmd struct {
	Metric string `arg:"" placeholder:"METRIC" help:"The figure: its JSON key in gitdora compute --format json, e.g. lead_time.p50_hours, change_failure_rate.rate, vulnerabilities.mttr_hours.high, deployment_frequency.deploy_days."`
	Month  string `required:"" placeholder:"YYYY-MM" help:"The month of the figure."`
	Format string `default:"text" enum:"text,json,csv" help:"text, json or csv."`
	asOfFlag
	scopeFlags
}

// Help shows an example.
func (c *ExplainCmd) Help() string {
	return "Prints the figure, how it follows from its rows (a count, a ratio, a mean,\n" +
		"or a percentile with the two ranks it interpolates and the weight), and the\n" +
		"rows themselves as computing the month took them: the counted changes in\n" +
		"lead-time order, the deployments with their attributed incidents, the\n" +
		"incidents, the finding episodes, the scans.\n\n" +
		"Examples:\n  gitdora explain lead_time.p50_hours --month 2026-03\n" +
		"  gitdora explain change_failure_rate.rate --month 2026-03 --format csv > cfr.csv\n" +
		"  gitdora explain vulnerabilities.mttr_hours.high --month 2026-03 --as-of dora-data~1"
}

// Run prints the explanation.
func (c *ExplainCmd) Run(g *Globals) error {
	req, err := g.request(c.AsOf)
	if err != nil {
		return err
	}
	c.scope(&req)
	month, err := compute.ParseYearMonth("month", c.Month)
	if err != nil {
		return monthFlagError(c.Month, err)
	}
	return app.Explain(g.context(), app.ExplainRequest{Request: req, Month: month, Metric: c.Metric, Format: c.Format}, g.env())
}
