package render

import (
	"fmt"

	"github.com/gitdora/gitdora/compute"
)

// cycleView is the "Cycle time" section: the stages of the month's
// merged pull requests.
type cycleView struct {
	Pulls          int
	SquashResolved int
}

func cycleOf(m *compute.Month) cycleView {
	return cycleView{Pulls: m.CycleTime.PullRequests, SquashResolved: m.LeadTime.SquashResolved}
}

// stageLabels are the stages as the report names them (our own text).
var stageLabels = map[string]string{
	compute.StageCoding: "Coding (first commit → ready for review)",
	compute.StagePickup: "Pickup (ready → first review)",
	compute.StageReview: "Review (first review → merged)",
	compute.StageDeploy: "Deploy (merged → in production)",
}

// cycleFigure charts the p50 of each stage, with a table of the stages.
func cycleFigure(d *compute.Detail) *Figure {
	if len(d.CycleStages) == 0 {
		return nil
	}
	f := &Figure{ID: "cycle-time"}
	c := Chart{ID: "chart-cycle-time", Title: "Cycle time by stage, p50 (hours)", YName: "hours", Series: []Series{{Name: "p50", Bar: true}}}
	f.Table = FigureTable{Header: []string{"Stage", "Pull requests", "p50", "p95"}, Align: "lrrr"}
	for _, s := range d.CycleStages {
		c.X = append(c.X, s.Name)
		c.Series[0].Values = append(c.Series[0].Values, s.P50Hours)
		label := stageLabels[s.Name]
		if label == "" {
			label = s.Name
		}
		f.Table.Rows = append(f.Table.Rows, []MD{Text(label, 80), MD(fmt.Sprint(s.Pulls)), MD(unitHours.format(s.P50Hours)), MD(unitHours.format(s.P95Hours))})
	}
	f.Charts = []Chart{c}
	return f
}
