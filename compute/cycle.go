package compute

import (
	"slices"
	"sort"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
)

// CycleTime is cycle_time.*: the stages of the pull requests merged in
// the period (docs/metrics.md, "Cycle time").
type CycleTime struct {
	PullRequests   int      `json:"pull_requests"`
	CodingP50Hours *float64 `json:"coding_p50_hours"`
	PickupP50Hours *float64 `json:"pickup_p50_hours"`
	ReviewP50Hours *float64 `json:"review_p50_hours"`
	DeployP50Hours *float64 `json:"deploy_p50_hours"`
}

// Stages of a pull request's cycle, in order.
const (
	StageCoding = "coding"
	StagePickup = "pickup"
	StageReview = "review"
	StageDeploy = "deploy"
)

// CycleStages names the stages in order.
var CycleStages = []string{StageCoding, StagePickup, StageReview, StageDeploy}

// PullCycle is the stages of one pull request; a stage is nil when a
// time it needs is unknown, or when it would be negative (a review while
// still a draft, commit dates rewritten).
type PullCycle struct {
	Coding, Pickup, Review, Deploy *time.Duration
}

// Stage is the stage named (one of CycleStages), nil for any other.
func (c PullCycle) Stage(name string) *time.Duration {
	switch name {
	case StageCoding:
		return c.Coding
	case StagePickup:
		return c.Pickup
	case StageReview:
		return c.Review
	case StageDeploy:
		return c.Deploy
	}
	return nil
}

// CycleOf is the coding, pickup and review stages of p: first commit →
// ready for review → first review by another person → merged. Its
// deploy stage needs the deployments: History.Cycle has it.
func CycleOf(p fact.Pull) PullCycle {
	return PullCycle{Coding: between(p.FirstCommit, p.Ready), Pickup: between(p.Ready, p.FirstReview), Review: between(p.FirstReview, p.Merged)}
}

// between is to − from, nil when either is zero or to is before from.
func between(from, to time.Time) *time.Duration {
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return nil
	}
	d := to.Sub(from)
	return &d
}

// CycleStage is one stage over the period's merged pull requests, as the
// report shows it.
type CycleStage struct {
	Name               string // one of CycleStages
	Pulls              int    // merged pull requests that have the stage
	P50Hours, P95Hours *float64
}

// cycleIndex holds the merged pull requests with their stages, by merge
// time.
type cycleIndex struct {
	merged []cyclePull
}

type cyclePull struct {
	merged time.Time
	cycle  PullCycle
	pull   *fact.Pull
	// shippedBy is the deployment its deploy stage ends at (explain).
	shippedBy *fact.Deployment
}

func newCycleIndex(f *fact.Facts, cfg *config.Settings) cycleIndex {
	var x cycleIndex
	if len(f.Pulls) == 0 {
		return x
	}
	ship := newShipping(f)
	include := cfg.LeadTime.FirstDeployment == "include"
	for i := range f.Pulls {
		p := &f.Pulls[i]
		if p.Merged.IsZero() {
			continue
		}
		c := CycleOf(*p)
		cp := cyclePull{merged: p.Merged, pull: p}
		// deploy: merged → the first successful production deployment
		// that ships its merge commit; not when that deployment is the
		// first seen (what it newly shipped is unknown, as for lead time).
		if p.MergeSHA != "" {
			if i := ship.of(p.MergeSHA); i >= 0 {
				if d := ship.prod[i]; d.Baseline || include {
					c.Deploy = between(p.Merged, d.Time)
					if c.Deploy != nil {
						cp.shippedBy = d
					}
				}
			}
		}
		cp.cycle = c
		x.merged = append(x.merged, cp)
	}
	sort.SliceStable(x.merged, func(i, j int) bool { return x.merged[i].merged.Before(x.merged[j].merged) })
	return x
}

// period fills cycle_time of m, and the stages of m.Detail.
func (x *cycleIndex) period(m *Month, p Period) {
	lo := sort.Search(len(x.merged), func(i int) bool { return !x.merged[i].merged.Before(p.Start) })
	hi := sort.Search(len(x.merged), func(i int) bool { return !x.merged[i].merged.Before(p.End) })
	pulls := x.merged[lo:hi]
	ct := &m.CycleTime
	ct.PullRequests = len(pulls)
	rec := m.Detail.recorder() // the rows of each figure, for explain
	var rows []*PullRow
	if rec != nil {
		rows = make([]*PullRow, len(pulls))
		for i := range pulls {
			rows[i] = pullRow(&pulls[i])
			rec.add(listPulls, Row{In: true, Pull: rows[i]})
		}
	}
	for _, name := range CycleStages {
		var hours []float64
		for i, cp := range pulls {
			if d := cp.cycle.Stage(name); d != nil {
				h := float64(*d) / float64(time.Hour)
				hours = append(hours, h)
				if rec != nil {
					rec.add(cycleList(name), Row{In: true, Value: &h, Pull: rows[i]})
				}
			}
		}
		slices.Sort(hours)
		p50 := Percentile(hours, 50)
		*ct.stageP50(name) = p50
		if s := m.samp; s != nil { // an organisation's figures are computed from these (org.go)
			if s.cycle == nil {
				s.cycle = map[string][]float64{}
			}
			s.cycle[name] = hours
		}
		if m.Detail != nil && len(pulls) > 0 {
			m.Detail.CycleStages = append(m.Detail.CycleStages, CycleStage{Name: name, Pulls: len(hours), P50Hours: p50, P95Hours: Percentile(hours, 95)})
		}
	}
}

// PullRow is a merged pull request as explain lists it, with the hours
// of each stage of its cycle (nil: unknown, or negative).
type PullRow struct {
	ID     string
	Number int64
	Author string
	Opened time.Time
	Ready  time.Time // zero: unknown
	// FirstCommit and FirstReview are zero when unknown.
	FirstCommit, FirstReview time.Time
	Merged                   time.Time
	MergeSHA                 string
	// DeploymentID and Deployed are the deployment its deploy stage ends
	// at: the first successful production deployment that ships
	// MergeSHA; "" when the stage is unknown.
	DeploymentID string
	Deployed     time.Time

	CodingHours, PickupHours, ReviewHours, DeployHours *float64
}

// Hours is the hours of the stage named (one of CycleStages).
func (r *PullRow) Hours(stage string) *float64 {
	switch stage {
	case StageCoding:
		return r.CodingHours
	case StagePickup:
		return r.PickupHours
	case StageReview:
		return r.ReviewHours
	case StageDeploy:
		return r.DeployHours
	}
	return nil
}

func pullRow(cp *cyclePull) *PullRow {
	p := cp.pull
	hours := func(d *time.Duration) *float64 {
		if d == nil {
			return nil
		}
		h := float64(*d) / float64(time.Hour)
		return &h
	}
	r := &PullRow{ID: p.ID, Number: p.Number, Author: p.Author, Opened: p.Opened, Ready: p.Ready, FirstCommit: p.FirstCommit,
		FirstReview: p.FirstReview, Merged: p.Merged, MergeSHA: p.MergeSHA,
		CodingHours: hours(cp.cycle.Coding), PickupHours: hours(cp.cycle.Pickup), ReviewHours: hours(cp.cycle.Review), DeployHours: hours(cp.cycle.Deploy)}
	if d := cp.shippedBy; d != nil {
		r.DeploymentID, r.Deployed = d.ID, d.Time
	}
	return r
}

// cycleList is the row list of a stage's figure: the merged pull
// requests that have the stage.
func cycleList(stage string) string { return "cycle_time." + stage }

// stageP50 is the field of ct that holds the p50 of the stage named.
func (ct *CycleTime) stageP50(stage string) **float64 {
	switch stage {
	case StageCoding:
		return &ct.CodingP50Hours
	case StagePickup:
		return &ct.PickupP50Hours
	case StageReview:
		return &ct.ReviewP50Hours
	}
	return &ct.DeployP50Hours
}
