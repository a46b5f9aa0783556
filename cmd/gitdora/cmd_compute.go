package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/gitdora/gitdora/app"
	"github.com/gitdora/gitdora/compute"
)

// ComputeCmd is `gitdora compute`.
type ComputeCmd struct {
	Month  string `xor:"range" placeholder:"YYYY-MM" help:"The month to compute."`
	From   string `xor:"range" placeholder:"YYYY-MM" help:"First month of a range."`
	To     string `placeholder:"YYYY-MM" help:"Last month of a range (with --from)."`
	Format string `default:"json" enum:"json,csv,text" help:"json, csv or text."`
	asOfFlag
	scopeFlags
}

// Help shows an example.
func (c *ComputeCmd) Help() string {
	return "Examples:\n  gitdora compute --month 2026-03 --format text\n  gitdora compute --from 2025-04 --to 2026-03 --format json > metrics.json\n\n" +
		"Months are calendar months in --tz. json prints one object for --month and\n" +
		"{\"schema_version\": 1, \"months\": [...]} for a range; csv one row per month\n" +
		"with the JSON keys flattened (lead_time.p50_hours); text a table. A metric\n" +
		"without data is null (n/a in text)."
}

// Run prints the metrics.
func (c *ComputeCmd) Run(g *Globals) error {
	req, err := g.request(c.AsOf)
	if err != nil {
		return err
	}
	c.scope(&req)
	span, err := c.periods(req.Loc)
	if err != nil {
		return err
	}
	return app.Compute(g.context(), app.ComputeRequest{Request: req, Span: span, Format: c.Format, One: c.Month != ""}, g.env())
}

// periods parses the months asked for, in loc: the flag edge, where
// --month, --from and --to become a compute.Span.
func (c *ComputeCmd) periods(loc *time.Location) (compute.Span, error) {
	switch {
	case c.Month != "":
		if c.To != "" {
			return compute.Span{}, errors.New("--to goes with --from, not --month")
		}
		m, err := compute.ParseYearMonth("month", c.Month)
		if err != nil {
			return compute.Span{}, monthFlagError(c.Month, err)
		}
		return compute.Span{First: m, Last: m, Loc: loc}, nil
	case c.From != "":
		if c.To == "" {
			return compute.Span{}, errors.New("--from needs --to (the last month of the range)")
		}
		from, err := compute.ParseYearMonth("from", c.From)
		if err != nil {
			return compute.Span{}, rangeFlagError(err)
		}
		to, err := compute.ParseYearMonth("to", c.To)
		if err != nil {
			return compute.Span{}, rangeFlagError(err)
		}
		s, err := compute.NewSpan(from, to, loc)
		return s, rangeFlagError(err)
	}
	return compute.Span{}, errors.New("say which months: --month YYYY-MM, or --from YYYY-MM --to YYYY-MM")
}

// rangeFlagError says what is wrong with --from and --to, from what
// compute reports; nil stays nil.
func rangeFlagError(err error) error {
	var pe *compute.PeriodError
	var re *compute.RangeError
	var le *compute.LongSpanError
	switch {
	case errors.As(err, &pe):
		return fmt.Errorf("--%s %q: want %s", pe.Field, pe.Value, pe.Want)
	case errors.As(err, &re):
		return fmt.Errorf("--to %s is before --from %s", re.To, re.From)
	case errors.As(err, &le):
		return fmt.Errorf("--from %s --to %s: %d months, want at most %d", le.From, le.To, le.Months, compute.MaxMonths)
	}
	return err
}

// monthFlagError says what is wrong with --month value, from what
// compute.ParseYearMonth reports.
func monthFlagError(value string, err error) error {
	var pe *compute.PeriodError
	if errors.As(err, &pe) {
		return fmt.Errorf("--month %s: want %s", value, pe.Want)
	}
	return fmt.Errorf("--month %s: %w", value, err)
}
