package demo

import (
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/fact"
)

// Month is what gitdora must compute for one month of the demo: the
// figures of `gitdora compute` JSON (docs/metrics.md) named in the comments,
// derived from the plan alone.
type Month struct {
	Month string

	// deployment_frequency.{total,successful,blocked,failed,deploy_days}
	Total, Successful, Blocked, Failed, DeployDays int
	// change_failure_rate.{deployments,failed_deployments,security_related_failures}
	CFRDeployments, CFRFailed, CFRSecurity int
	// time_to_restore.{incidents,mean_hours}; mean nil without incidents
	Restored         int
	RestoreMeanHours *float64
	// vulnerabilities.{new,fixed,open_at_end} and mttr_hours, by severity
	New, Fixed, OpenAtEnd map[fact.Severity]int
	MTTRHours             map[fact.Severity]*float64
	// scans.count and scans.by_tool.<tool>.count
	Scans       int
	ScansByTool map[string]int
}

// Episode is a stretch of nights a finding was open, as the plan made it.
type Episode struct {
	Finding   *Finding
	Severity  fact.Severity
	FirstSeen time.Time
	Closed    *time.Time // the scan that lacked it (fixed) or reported it suppressed; nil while open
	Fixed     bool
}

// ScanTime is the time gitdora gives tool t's scan of night n: the
// invocation end time CodeQL writes, else the --at of the ingest.
func (p *Plan) ScanTime(t, n int) time.Time {
	if t == codeql {
		return p.Nights[n].Scans[t].End.Add(-5 * time.Second)
	}
	return p.Nights[n].IngestAt()
}

// Episodes lists every finding episode of the plan: a span of nights is
// one episode, ended by the first night that lacks the finding (fixed)
// or reports it suppressed (triaged).
func (p *Plan) Episodes() []Episode {
	var out []Episode
	for _, f := range p.Findings {
		for _, s := range f.Spans {
			e := Episode{Finding: f, Severity: f.Severity(), FirstSeen: p.ScanTime(f.Tool, s.From)}
			if s.To < len(p.Nights) {
				t := p.ScanTime(f.Tool, s.To)
				e.Closed = &t
				e.Fixed = !(f.Suppressed.To > f.Suppressed.From && f.Suppressed.From == s.To)
			}
			out = append(out, e)
		}
	}
	return out
}

// Attributed is the index in Pipelines of the production deployment
// incident in belongs to by gitdora's rules (docs/metrics.md: its commit, else its
// deployment id, else the last successful production deployment before it
// opened within 7 days), or -1.
func (p *Plan) Attributed(in *Incident) int {
	if in.Commit != "" {
		line := -1
		for i, c := range p.line {
			if p.Model.Commits[c].Hash == in.Commit {
				line = i
			}
		}
		for i, pl := range p.Pipelines {
			if pl.Success() && line >= 0 && pl.Line >= line {
				return i
			}
		}
	}
	if in.DeploymentID != "" {
		for i, pl := range p.Pipelines {
			if pl.Production.ID == in.DeploymentID {
				return i
			}
		}
	}
	best := -1
	for i, pl := range p.Pipelines {
		if pl.Success() && !pl.Production.Time.After(in.Opened.Time) {
			best = i
		}
	}
	if best >= 0 && in.Opened.Sub(p.Pipelines[best].Production.Time.Time) <= 7*24*time.Hour {
		return best
	}
	return -1
}

// Expect is what gitdora must compute for each month of the demo, in order.
func (p *Plan) Expect() []Month {
	var out []Month
	index := map[string]*Month{}
	for m := p.Start; m.Before(End); m = m.AddDate(0, 1, 0) {
		out = append(out, Month{Month: m.Format("2006-01"), New: map[fact.Severity]int{}, Fixed: map[fact.Severity]int{}, OpenAtEnd: map[fact.Severity]int{},
			MTTRHours: map[fact.Severity]*float64{}, ScansByTool: map[string]int{}})
	}
	for i := range out {
		index[out[i].Month] = &out[i]
	}
	month := func(t time.Time) *Month { return index[t.UTC().Format("2006-01")] }

	days := map[string]bool{}
	failed := map[int]bool{}
	security := map[int]bool{}
	restore := map[*Month][]float64{}
	for _, in := range p.Incidents {
		if in.Environment != production {
			continue
		}
		if i := p.Attributed(in); i >= 0 {
			failed[i] = true
			if fact.Category(in.Category) == fact.CategorySecurity {
				security[i] = true
			}
		}
		if in.Resolved.Valid {
			m := month(in.Resolved.Time.Time)
			restore[m] = append(restore[m], in.Resolved.Time.Sub(in.Opened.Time).Hours())
		}
	}
	for m, hs := range restore {
		m.Restored, m.RestoreMeanHours = len(hs), compute.Mean(hs)
	}
	for i, pl := range p.Pipelines {
		d := pl.Production
		m := month(d.Time.Time)
		m.Total++
		switch fact.Status(d.Status) {
		case fact.StatusSuccess:
			m.Successful++
			m.CFRDeployments++
			if failed[i] {
				m.CFRFailed++
			}
			if security[i] {
				m.CFRSecurity++
			}
			days[d.Time.UTC().Format("2006-01-02")] = true
		case fact.StatusBlocked:
			m.Blocked++
		case fact.StatusFailure:
			m.Failed++
		}
	}
	for d := range days {
		index[d[:7]].DeployDays++
	}

	fixes := map[*Month]map[fact.Severity][]float64{}
	for _, e := range p.Episodes() {
		month(e.FirstSeen).New[e.Severity]++
		if e.Fixed {
			m := month(*e.Closed)
			m.Fixed[e.Severity]++
			if fixes[m] == nil {
				fixes[m] = map[fact.Severity][]float64{}
			}
			fixes[m][e.Severity] = append(fixes[m][e.Severity], e.Closed.Sub(e.FirstSeen).Hours())
		}
		for i := range out {
			end := p.Start.AddDate(0, i+1, 0)
			if e.FirstSeen.Before(end) && (e.Closed == nil || !e.Closed.Before(end)) {
				out[i].OpenAtEnd[e.Severity]++
			}
		}
	}
	for m, bySev := range fixes {
		for sev, hs := range bySev {
			m.MTTRHours[sev] = compute.Mean(hs)
		}
	}
	for n := range p.Nights {
		for t := range tools {
			m := month(p.ScanTime(t, n))
			m.Scans++
			m.ScansByTool[tools[t].Name]++
		}
	}
	return out
}
