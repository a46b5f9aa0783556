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
	if err := through(ctx, r.load, r.readFrom(req.Span), r.gather, r.history, r.span(req.Span), r.alerts); err != nil {
		return err
	}
	switch {
	case req.Format == FormatCSV:
		return render.DottedCSV(env.Stdout, r.months)
	case req.Format == FormatText:
		return render.Table(env.Stdout, r.months)
	case req.One:
		return render.MonthJSON(esc.JSONWriter{W: env.Stdout}, r.months[0])
	default:
		return render.MonthsJSON(esc.JSONWriter{W: env.Stdout}, r.months)
	}
}
