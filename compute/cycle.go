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
}

func newCycleIndex(f *fact.Facts, cfg *config.Settings) cycleIndex {
	var x cycleIndex
	if len(f.Pulls) == 0 {
		return x
	}
	ship := newShipping(f)
	include := cfg.LeadTime.FirstDeployment == "include"
	for _, p := range f.Pulls {
		if p.Merged.IsZero() {
			continue
		}
		c := CycleOf(p)
		// deploy: merged → the first successful production deployment
		// that ships its merge commit; not when that deployment is the
		// first seen (what it newly shipped is unknown, as for lead time).
		if p.MergeSHA != "" {
			if i := ship.of(p.MergeSHA); i >= 0 {
				if d := ship.prod[i]; d.Baseline || include {
					c.Deploy = between(p.Merged, d.Time)
				}
			}
		}
		x.merged = append(x.merged, cyclePull{merged: p.Merged, cycle: c})
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
	for _, name := range CycleStages {
		var hours []float64
		for _, cp := range pulls {
			if d := cp.cycle.Stage(name); d != nil {
				hours = append(hours, float64(*d)/float64(time.Hour))
			}
		}
		slices.Sort(hours)
		p50 := Percentile(hours, 50)
		switch name {
		case StageCoding:
			ct.CodingP50Hours = p50
		case StagePickup:
			ct.PickupP50Hours = p50
		case StageReview:
			ct.ReviewP50Hours = p50
		case StageDeploy:
			ct.DeployP50Hours = p50
		}
		if m.Detail != nil && len(pulls) > 0 {
			m.Detail.CycleStages = append(m.Detail.CycleStages, CycleStage{Name: name, Pulls: len(hours), P50Hours: p50, P95Hours: Percentile(hours, 95)})
		}
	}
}
