package collect

import (
	"fmt"

	"github.com/gitdora/gitdora/fact"
)

// Gather reads every fact from the data branch and the code repository:
// the trunk (gitdora.yml's, else FindTrunk's), SARIF scans and CI runs
// first, then deployments (events, CI runs or tags), their change sets and
// incidents, then the scan seconds of deployments that did not record
// them. When o.Ctx is done, the long loops stop and Gather returns its
// error.
func Gather(o Options) (*fact.Facts, error) {
	if o.Store == nil || o.Config == nil {
		return nil, fmt.Errorf("collect: Options.Store and Options.Config are required")
	}
	f := &fact.Facts{DataCommit: o.Store.Commit(), Trunk: o.Config.Trunk, TrunkFrom: TrunkFromConfig}
	f.Notes = append(f.Notes, o.Config.Notes...)
	if f.Trunk == "" {
		// Every reader below sees the trunk found, not the caller's settings changed.
		f.Trunk, f.TrunkFrom = FindTrunk(o.RepoPath)
		cfg := *o.Config
		cfg.Trunk = f.Trunk
		o.Config = &cfg
	}
	if o.Log != nil {
		o.Log.Debug("trunk", "name", f.Trunk, "from", f.TrunkFrom)
	}
	if err := gatherSecurity(o, f); err != nil {
		return nil, err
	}
	f.Warnings = append(f.Warnings, offTrunkWarnings(f)...)
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
