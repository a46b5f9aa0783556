package app

import (
	"context"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/internal/esc"
	"github.com/gitdora/gitdora/render"
)

// Formats of ComputeRequest.
const (
	FormatJSON = "json"
	FormatCSV  = "csv"
	FormatText = "text"
)

// ComputeRequest asks for the metrics of some months.
type ComputeRequest struct {
	Request
	// Span is the months to compute.
	Span compute.Span
	// Format is FormatJSON, FormatCSV or FormatText.
	Format string
	// One says a single month was asked for: JSON prints its object
	// rather than the list of months.
	One bool
}

// Compute prints the metrics of req.Span, alerts as of req.Now included,
// on env.Stdout.
func Compute(ctx context.Context, req ComputeRequest, env Env) error {
	r := &run{req: req.Request, env: env}
	if err := through(ctx, r.load, r.readFrom(req.Span), r.gather, r.history, r.figures(req.Span), r.alerts); err != nil {
		return err
	}
	return printMonths(env, req.Format, r.months, req.One)
}

// printMonths prints months in format (FormatJSON, FormatCSV or
// FormatText) on env.Stdout; with one, a single month's JSON is its
// object rather than the list of months.
func printMonths(env Env, format string, months []compute.Month, one bool) error {
	switch {
	case format == FormatCSV:
		return render.DottedCSV(env.Stdout, months)
	case format == FormatText:
		return render.Table(env.Stdout, months)
	case one && len(months) == 1:
		return render.MonthJSON(esc.JSONWriter{W: env.Stdout}, months[0])
	default:
		return render.MonthsJSON(esc.JSONWriter{W: env.Stdout}, months)
	}
}
