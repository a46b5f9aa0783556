package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/render"
	"github.com/gitdora/gitdora/site"
)

// Scopes of one repository's slices (docs/services.md).
const (
	// Service is the scope of one service of a monorepo (services: in
	// gitdora.yml): its deployments, the changes that touch its paths,
	// its incidents and findings.
	Service ScopeKind = "service"
	// Team is the scope of one team: the changes it owns (CODEOWNERS or
	// teams.map), the deployments that ship them, their incidents, the
	// findings in its files.
	Team ScopeKind = "team"
)

// repo is the path of the code repository the scope is of.
func (s Scope) repo() string {
	if s.Kind == Repository || s.Repo == "" {
		return s.Name
	}
	return s.Repo
}

// figures is the scope as the figures name it (scope.kind, scope.name):
// a repository by its label (an organisation names its repositories),
// else without a name, so that the figures of one repository are the
// same whatever folder or shape of it is read.
func (s Scope) figures() compute.Scope {
	switch s.Kind {
	case Service:
		return compute.Scope{Kind: compute.ScopeService, Name: s.Name}
	case Team:
		return compute.Scope{Kind: compute.ScopeTeam, Name: s.Name}
	}
	return compute.Scope{Kind: compute.ScopeRepository, Name: s.Label}
}

// sliced asks collect for the slice of the scope, or every slice for a
// site, and reads changed paths only from r.since on.
func (r *run) sliced(o collect.Options) collect.Options {
	switch k := r.req.Scope.Kind; k {
	case Service, Team:
		o.Slices = []collect.SliceName{{Kind: fact.SliceKind(k), Name: r.req.Scope.Name}}
	}
	o.AllSlices = r.slices
	o.Since = r.since
	return o
}

// sliceError names the flag of an unknown service or team.
func (r *run) sliceError(err error) error {
	var unknown *collect.UnknownSliceError
	if errors.As(err, &unknown) {
		return &InputError{Input: string(unknown.Kind), Err: err}
	}
	return err
}

// scoped makes the facts of a service's or team's scope those computed.
func (r *run) scoped() error {
	k := r.req.Scope.Kind
	if k != Service && k != Team {
		return nil
	}
	for _, s := range r.repo.Slices {
		if s.Kind == fact.SliceKind(k) && s.Name == r.req.Scope.Name {
			r.facts = s.Facts
			return nil
		}
	}
	// Neither services nor teams are configured: collect made no slice.
	e := &collect.UnknownSliceError{Kind: fact.SliceKind(k), Name: r.req.Scope.Name}
	if k == Service {
		e.Known = r.cfg.Services.Names()
	}
	return &InputError{Input: string(k), Err: e}
}

// lookback is how far before the first month asked for alert rules look:
// the longest window (or for) of the rules, twice (change_pct compares
// with the window before), and a day.
func lookback(cfg *config.Settings) time.Duration {
	longest := 7 * 24 * time.Hour
	for _, a := range cfg.Alerts {
		longest = max(longest, a.Window.D(), a.For.D())
	}
	return 2*longest + 24*time.Hour
}

// readFrom sets what the run reads changed paths from (readSince). The
// configuration is read by then.
func (r *run) readFrom(s compute.Span) stage {
	return func(ctx context.Context) error {
		r.since = readSince(s, r.cfg)
		return nil
	}
}

// readSince is when a computation of the months of s reads changed paths
// from: the start of its first month less the alert rules' lookback; zero
// (from the first commit) without a month or a configuration.
func readSince(s compute.Span, cfg *config.Settings) time.Time {
	ps := s.Periods()
	if cfg == nil || len(ps) == 0 {
		return time.Time{}
	}
	return ps[0].Start.Add(-lookback(cfg))
}

// slicePages computes, for a site, the months of every service and team
// of the repository (the months the repository's site has pages for; its
// alerts and the rows behind its figures too): the pages of each, and the
// rows of the index's table.
func (r *run) slicePages(ctx context.Context, months []compute.YearMonth) ([]site.Slice, []render.SliceRow, error) {
	if r.req.Scope.Kind != Repository || r.repo == nil {
		return nil, nil, nil
	}
	var pages []site.Slice
	var rows []render.SliceRow
	for _, sl := range r.repo.Slices {
		req := r.req
		req.Scope = Scope{Kind: ScopeKind(sl.Kind), Name: sl.Name, Repo: r.req.Scope.repo()}
		sub := &run{req: req, env: r.env, store: r.store, cfg: r.cfg, facts: sl.Facts, repo: r.repo}
		if err := through(ctx, sub.history, sub.monthsExplained(months, r.hist.Loc), sub.alerts); err != nil {
			return nil, nil, err
		}
		path := site.SlicePath(string(sl.Kind), sl.Name)
		pages = append(pages, site.Slice{Path: path, Title: fmt.Sprintf("%s %s: DORA and security scan impact", sliceWord(sl.Kind), sl.Name),
			Reports: sub.reports(), Updated: sub.hist.LastActivity()})
		row := render.SliceRow{Kind: string(sl.Kind), Name: sl.Name, Href: path + "index.html"}
		if n := len(sub.months); n > 0 {
			row.Month = &sub.months[n-1]
		}
		rows = append(rows, row)
	}
	return pages, rows, nil
}

// sliceWord names a kind of slice at the start of a title.
func sliceWord(k fact.SliceKind) string {
	if k == fact.SliceTeam {
		return "Team"
	}
	return "Service"
}
