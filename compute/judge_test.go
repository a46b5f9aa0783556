package compute

import (
	"math"
	"testing"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
)

func f64(v float64) *float64 { return &v }

func TestClassification(t *testing.T) {
	for _, tc := range []struct {
		bench                string
		deployDays, days     int
		lead, cfr, restore   *float64
		df, lt, cf, tr, over string
	}{
		// deploy days per week = deploy_days·7/days: 23·7/31 = 5.19 elite; 22·7/31 = 4.97 high
		{"dora-2023", 23, 31, f64(0.5), f64(0.05), f64(0.9), Elite, Elite, Elite, Elite, Elite},
		{"dora-2023", 22, 31, f64(24), f64(0.0500001), f64(1), High, High, High, High, High},
		{"dora-2023", 4, 28, f64(167.9), f64(0.10), f64(23.9), High, High, High, High, High},
		{"dora-2023", 3, 28, f64(168), f64(0.15), f64(24), Medium, Medium, Medium, Medium, Medium},
		{"dora-2023", 1, 30, f64(720), f64(0.1500001), f64(168), Medium, Low, Low, Low, Low},
		{"dora-2023", 0, 30, nil, nil, nil, Low, "null", "null", "null", Low},
		{"dora-2021", 5, 7, f64(10), f64(0.12), f64(0.5), Elite, High, Elite, Elite, High},
		{"dora-2021", 5, 7, f64(1000), f64(0.20), f64(0.5), Elite, Medium, High, Elite, Medium},
		{"dora-2021", 5, 7, f64(4320), f64(0.31), f64(0.5), Elite, Low, Low, Elite, Low},
	} {
		cfg := config.Default()
		cfg.Classification.Benchmark = tc.bench
		h := NewHistory(&fact.Facts{}, cfg, time.UTC)
		m := Month{Period: PeriodInfo{Days: tc.days}}
		m.DeploymentFrequency.DeployDays = tc.deployDays
		m.DeploymentFrequency.PerDay = f64(0)
		m.LeadTime.P50Hours, m.ChangeFailureRate.Rate, m.TimeToRestore.P50Hours = tc.lead, tc.cfr, tc.restore
		h.judge(&m)
		c := m.Classification
		for _, x := range []struct {
			key  string
			got  *string
			want string
		}{{"deployment_frequency", c.DeploymentFrequency, tc.df}, {"lead_time", c.LeadTime, tc.lt}, {"change_failure_rate", c.ChangeFailureRate, tc.cf}, {"time_to_restore", c.TimeToRestore, tc.tr}, {"overall", c.Overall, tc.over}} {
			got := "null"
			if x.got != nil {
				got = *x.got
			}
			if got != x.want {
				t.Errorf("%s %+v: %s = %s, want %s", tc.bench, tc, x.key, got, x.want)
			}
		}
	}
}

func TestTargets(t *testing.T) {
	cfg := config.Default()
	cfg.Targets = map[string]string{"change_failure_rate": "<= 0.1", "lead_time_p50_hours": "< 24", "deployments_per_day": ">= 1", "no_such_metric": "< 3"}
	h := NewHistory(&fact.Facts{}, cfg, time.UTC)
	m := Month{Detail: &Detail{}}
	m.DeploymentFrequency.PerDay = f64(1)
	m.ChangeFailureRate.Rate = f64(0.1)
	h.judge(&m)
	if len(m.Targets) != 3 {
		t.Fatalf("targets = %+v, want 3 (the unknown metric left out)", m.Targets)
	}
	// in the order of Metrics: deployments_per_day, lead_time_p50_hours, change_failure_rate
	if m.Targets[0].Metric != "deployments_per_day" || *m.Targets[0].Met != true {
		t.Errorf("targets[0] = %+v", m.Targets[0])
	}
	if m.Targets[1].Metric != "lead_time_p50_hours" || m.Targets[1].Value != nil || m.Targets[1].Met != nil {
		t.Errorf("targets[1] = %+v, want no value and no verdict without data", m.Targets[1])
	}
	if m.Targets[2].Metric != "change_failure_rate" || m.Targets[2].Op != "<=" || *m.Targets[2].Met != true {
		t.Errorf("targets[2] = %+v", m.Targets[2])
	}
	if len(m.Detail.Skipped) != 1 {
		t.Errorf("Detail.Skipped = %q, want the unknown target named", m.Detail.Skipped)
	}
}

func TestCompare(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		v    float64
		op   string
		t    float64
		want bool
	}{
		{1, "<", 2, true}, {2, "<", 2, false},
		{2, "<=", 2, true}, {3, "<=", 2, false},
		{3, ">", 2, true}, {2, ">", 2, false},
		{2, ">=", 2, true}, {1, ">=", 2, false},
		{2, "==", 2, true}, {1, "==", 2, false},
		{1, "!=", 2, true}, {2, "!=", 2, false},
		{nan, "!=", 2, false}, {nan, "<", 2, false}, // NaN meets no comparison
		{1, "=>", 2, false},
	} {
		if got := Compare(tc.v, tc.op, tc.t); got != tc.want {
			t.Errorf("Compare(%v, %q, %v) = %v, want %v", tc.v, tc.op, tc.t, got, tc.want)
		}
	}
}
