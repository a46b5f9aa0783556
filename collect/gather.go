package collect

import (
	"fmt"

	"github.com/gitdora/gitdora/fact"
)

// Gather reads every fact from the data branch and the code repository:
// SARIF scans and CI runs first, then deployments (events, CI runs or
// tags), their change sets and incidents, then the scan seconds of
// deployments that did not record them. When o.Ctx is done, the long
// loops stop and Gather returns its error.
func Gather(o Options) (*fact.Facts, error) {
	if o.Store == nil || o.Config == nil {
		return nil, fmt.Errorf("collect: Options.Store and Options.Config are required")
	}
	f := &fact.Facts{DataCommit: o.Store.Commit()}
	if err := gatherSecurity(o, f); err != nil {
		return nil, err
	}
	if err := o.done(); err != nil {
		return nil, err
	}
	if err := gatherHistory(o, f); err != nil {
		return nil, err
	}
	if err := o.done(); err != nil {
		return nil, err
	}
	resolveScanSeconds(o, f)
	return f, nil
}
