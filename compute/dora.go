package compute

import (
	"time"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/data"
)

// doraIndex holds deployments, changes and incidents prepared for
// computing periods (issue 3).
type doraIndex struct{}

func newDoraIndex(f *collect.Facts, cfg *data.Config) doraIndex { return doraIndex{} }

// period fills deployment_frequency, lead_time, change_failure_rate,
// time_to_restore and rework_rate of m.
func (x *doraIndex) period(m *Month, p Period, loc *time.Location) {}
