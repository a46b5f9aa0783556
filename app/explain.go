package app

import (
	"context"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/render"
)

// ExplainRequest asks for the rows behind one figure of one month.
type ExplainRequest struct {
	Request
	// Month is the month of the figure.
	Month compute.YearMonth
	// Metric is the figure's JSON key (lead_time.p50_hours).
	Metric string
	// Format is FormatText, FormatJSON or FormatCSV.
	Format string
}

// Explain prints the figure req.Metric of req.Month, how it follows from
// its rows, and the rows, as computing the month took them: the figure
// and its explanation come from one computation. An unknown metric is a
// *compute.UnknownKeyError.
func Explain(ctx context.Context, req ExplainRequest, env Env) error {
	r := &run{req: req.Request, env: env}
	month := compute.Span{First: req.Month, Last: req.Month, Loc: req.Loc}
	if err := through(ctx, r.load, r.readFrom(month), r.gather, r.history); err != nil {
		return err
	}
	_, x := r.hist.Explained(req.Month.Period(req.Loc))
	e, err := x.Of(req.Metric)
	if err != nil {
		return err
	}
	// The terminal's user reads the data branch: finding details and
	// authors are theirs to see (a published page leaves them out).
	o := render.ExplainOptions{FindingDetails: true, Authors: true, Loc: req.Loc}
	switch req.Format {
	case FormatJSON:
		return render.ExplainJSON(env.Stdout, e, o)
	case FormatCSV:
		return render.ExplainCSV(env.Stdout, e, o)
	default:
		return render.ExplainText(env.Stdout, e, o)
	}
}

// monthsExplained computes the metrics of each of months in loc, and
// for each the way to the rows behind its figures, which the site links
// every month's figures to: they are computed again, with their rows,
// when the site renders the month's page of them (the same computation
// as the figures, so they agree), and not all held at once.
func (r *run) monthsExplained(months []compute.YearMonth, loc *time.Location) stage {
	return func(ctx context.Context) error {
		r.periods = make([]compute.Period, len(months))
		for i, m := range months {
			r.periods[i] = m.Period(loc)
		}
		r.explain = make([]func() *compute.Explained, 0, len(r.periods))
		h := r.hist
		for _, p := range r.periods {
			r.explain = append(r.explain, func() *compute.Explained {
				_, x := h.Explained(p) // safe beside the others: the site renders months in parallel
				return x
			})
		}
		return r.computeMonths(ctx)
	}
}
