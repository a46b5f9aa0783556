package compute

import (
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
)

// History is the facts prepared once (sorted, indexed, finding episodes
// built) so that many periods can be computed cheaply: the months of a
// report and the daily windows of alert evaluation.
type History struct {
	Facts  *fact.Facts
	Config *config.Settings
	Loc    *time.Location
	// Scope is what the facts are of: a repository when not set.
	Scope Scope

	dora     doraIndex     // deployments, changes, incidents (dora.go)
	cycle    cycleIndex    // merged pull requests (cycle.go)
	security securityIndex // scans, findings, episodes (security.go)
	targets  []target      // the configured targets of known metrics, in the order of Metrics
	unknown  []string      // target names that name no metric, sorted
}

// NewHistory prepares facts for computing periods in loc.
func NewHistory(f *fact.Facts, cfg *config.Settings, loc *time.Location) *History {
	h := &History{Facts: f, Config: cfg, Loc: loc}
	h.dora = newDoraIndex(f, cfg, loc)
	h.cycle = newCycleIndex(f, cfg)
	h.security = newSecurityIndex(f, cfg)
	h.targets, h.unknown = parseTargets(cfg.Targets)
	return h
}

// Period computes the metrics of p and the Detail the reports show.
// Alerts are left empty: they are evaluated over many periods (package
// compute/alert).
func (h *History) Period(p Period) Month { return h.compute(p, h.detail(p)) }

// detail is the Detail of p before its metrics are computed.
func (h *History) detail(p Period) *Detail {
	d := &Detail{Benchmark: h.Config.Classification.Benchmark, DataCommit: h.Facts.DataCommit, CodeLOC: h.Facts.CodeLOC}
	d.Amended, d.Voided = correctedIn(h.Facts.Corrections, p)
	return d
}

// Metrics computes the metrics of p without Detail: what alert windows
// need, at the cost of binary searches rather than a walk of the history.
func (h *History) Metrics(p Period) Month { return h.compute(p, nil) }

// WindowMetrics is Metrics of a window that alert rules are evaluated
// over, with the security policy's figures (accepted risk, SLA, OWASP Top
// 10, production exposure: what the metrics PolicyMetric names read) only
// when policy is set: the others are the same, and thousands of windows
// for rules that name none of them then cost what the rules read.
func (h *History) WindowMetrics(p Period, policy bool) Month {
	return h.computeWith(p, nil, policy, nil)
}

func (h *History) compute(p Period, d *Detail) Month { return h.computeWith(p, d, true, nil) }

// sampled is compute keeping in s what the figures are computed from
// (org.go); s nil keeps nothing.
func (h *History) sampled(p Period, d *Detail, s *sample) Month { return h.computeWith(p, d, true, s) }

func (h *History) computeWith(p Period, d *Detail, policy bool, s *sample) Month {
	m := Month{
		samp:          s,
		SchemaVersion: SchemaVersion,
		Month:         p.Name,
		Period:        PeriodInfo{Start: p.Start, End: p.End, Days: p.Days()},
		Scans:         Scans{ByTool: map[string]ToolScans{}},
		Targets:       []TargetResult{},
		Alerts:        []Alert{},
		Detail:        d,
	}
	m.Scope = h.scope()
	h.dora.period(&m, p, h.Loc)
	h.cycle.period(&m, p)
	if !h.unassignedShown() {
		m.LeadTime.UnassignedChanges = nil
	}
	h.security.period(&m, p, h.Loc, policy)
	finite(&m)
	h.judge(&m)
	m.samp = nil
	return m
}
