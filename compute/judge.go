package compute

import (
	"fmt"
	"math"
	"sort"

	"github.com/gitdora/gitdora/config"
)

// Benchmarks of the DORA clusters (classification.benchmark).
const (
	BenchmarkDORA2023 = "dora-2023"
	BenchmarkDORA2021 = "dora-2021"
)

// benchmark holds the upper bounds of a cluster table: a value below
// (lead time, restore) or at most (change failure rate) the bound of a
// class is in that class.
type benchmark struct {
	leadHours    [3]float64 // elite, high, medium: below
	cfr          [3]float64 // elite, high, medium: at most
	restoreHours [3]float64 // elite, high, medium: below
}

var benchmarks = map[string]benchmark{
	BenchmarkDORA2023: {leadHours: [3]float64{24, 168, 720}, cfr: [3]float64{0.05, 0.10, 0.15}, restoreHours: [3]float64{1, 24, 168}},
	BenchmarkDORA2021: {leadHours: [3]float64{1, 168, 4320}, cfr: [3]float64{0.15, 0.20, 0.30}, restoreHours: [3]float64{1, 24, 168}},
}

// Bounds are the upper bounds of the elite, high and medium clusters of a
// benchmark: a lead time or time to restore below a bound, or a change
// failure rate at most a bound, is in that class (worse is low).
type Bounds struct {
	LeadHours, ChangeFailureRate, RestoreHours [3]float64
}

// BoundsOf returns the bounds of the named benchmark; ok is false for a
// name it does not know.
func BoundsOf(name string) (b Bounds, ok bool) {
	x, ok := benchmarks[name]
	return Bounds{LeadHours: x.leadHours, ChangeFailureRate: x.cfr, RestoreHours: x.restoreHours}, ok
}

var classes = [4]string{Elite, High, Medium, Low}

// judge fills classification and targets of m from its metrics.
func (h *History) judge(m *Month) {
	b, ok := benchmarks[h.Config.Classification.Benchmark]
	if !ok {
		b = benchmarks[BenchmarkDORA2023]
	}
	c := &m.Classification
	df := m.DeploymentFrequency
	if df.PerDay != nil {
		perWeek := float64(df.DeployDays) * 7 / float64(m.Period.Days)
		switch {
		case perWeek >= DeployDaysPerWeek[0]:
			c.DeploymentFrequency = class(0)
		case perWeek >= DeployDaysPerWeek[1]:
			c.DeploymentFrequency = class(1)
		case df.DeployDays >= 1:
			c.DeploymentFrequency = class(2)
		default:
			c.DeploymentFrequency = class(3)
		}
	}
	c.LeadTime = below(m.LeadTime.P50Hours, b.leadHours)
	if r := m.ChangeFailureRate.Rate; r != nil {
		k := 3
		for i, bound := range b.cfr {
			if *r <= bound {
				k = i
				break
			}
		}
		c.ChangeFailureRate = class(k)
	}
	c.TimeToRestore = below(m.TimeToRestore.P50Hours, b.restoreHours)
	worst := -1
	for _, x := range []*string{c.DeploymentFrequency, c.LeadTime, c.ChangeFailureRate, c.TimeToRestore} {
		if x == nil {
			continue
		}
		for i, name := range classes {
			if name == *x && i > worst {
				worst = i
			}
		}
	}
	if worst >= 0 {
		c.Overall = class(worst)
	}
	m.Targets = h.checkTargets(m)
}

func class(i int) *string { s := classes[i]; return &s }

// below classes a value against three "less than" bounds; nil without data.
func below(v *float64, bounds [3]float64) *string {
	if v == nil {
		return nil
	}
	for i, bound := range bounds {
		if *v < bound {
			return class(i)
		}
	}
	return class(3)
}

// target is a configured target of a known metric, parsed.
type target struct {
	metric Metric
	op     string
	value  float64
}

// parseTargets parses the targets of the configuration once, in the order
// of Metrics; unknown lists the names that name no metric, sorted.
func parseTargets(ts map[string]string) (known []target, unknown []string) {
	for _, mt := range Metrics {
		t, ok := ts[mt.Name]
		if !ok {
			continue
		}
		op, v, err := config.ParseTarget(t)
		if err != nil {
			continue // the config was validated; cannot happen
		}
		known = append(known, target{metric: mt, op: op, value: v})
	}
	for name := range ts {
		if _, ok := LookupMetric(name); !ok {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	return known, unknown
}

// checkTargets checks the configured targets, in the order of Metrics; a
// target naming no metric is listed in Detail.Skipped.
func (h *History) checkTargets(m *Month) []TargetResult {
	out := []TargetResult{}
	for _, t := range h.targets {
		r := TargetResult{Metric: t.metric.Name, Op: t.op, Target: t.value, Value: t.metric.Value(m)}
		if r.Value != nil {
			met := Compare(*r.Value, t.op, t.value)
			r.Met = &met
		}
		out = append(out, r)
	}
	if m.Detail != nil {
		for _, name := range h.unknown {
			m.Detail.Skipped = append(m.Detail.Skipped, fmt.Sprintf("targets.%s: no such metric, the target is not checked", name))
		}
	}
	return out
}

// Compare reports whether v op t holds, op one of < <= > >= == !=. NaN
// meets no comparison, and an unknown op none either.
func Compare(v float64, op string, t float64) bool {
	if math.IsNaN(v) {
		return false
	}
	switch op {
	case "<":
		return v < t
	case "<=":
		return v <= t
	case ">":
		return v > t
	case ">=":
		return v >= t
	case "==":
		return v == t
	case "!=":
		return v != t
	}
	return false
}
