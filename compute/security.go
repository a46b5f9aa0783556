package compute

import (
	"time"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/data"
)

// securityIndex holds scans, findings and finding episodes prepared for
// computing periods (issue 4).
type securityIndex struct{}

func newSecurityIndex(f *collect.Facts, cfg *data.Config) securityIndex { return securityIndex{} }

// period fills vulnerabilities and scans of m.
func (x *securityIndex) period(m *Month, p Period, loc *time.Location) {}
