package collect

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
)

// Options says where Gather reads from.
type Options struct {
	RepoPath string           // --repo: the code repository
	Store    *data.Store      // the data branch
	Config   *config.Settings // settings
	Loc      *time.Location   // --tz: the months in which deployment sources are chosen; nil is UTC
	Progress io.Writer        // progress of long walks; nil for none
	Log      *slog.Logger     // nil for none
	Ctx      context.Context  // the long loops stop when it is done; nil never

	// Slices names the services and teams whose own facts to gather
	// (fact.Facts.Slices); AllSlices gathers every one. Since, when set,
	// reads what commits change only for the deployments from then on
	// (the months asked for): earlier ones have no slice changes.
	Slices    []SliceName
	AllSlices bool
	Since     time.Time

	// TrunkFindingsOnly reads the findings of the trunk's scans only, all
	// that finding lifecycles and every figure take: a scan of another
	// ref (a pull request's) has no fact.Scan.Set and no Covers, its
	// Results and Suppressed as its normalised findings' count line says.
	// Its SARIF file, when read instead, gives its findings anyway.
	TrunkFindingsOnly bool
	// StreamTrunk leaves the findings of the trunk's scans pending
	// (fact.Scan.Pending), read through fact.Facts.Pending one scan at a
	// time as finding lifecycles are made, so that memory does not hold
	// every finding of the history. It takes effect with
	// TrunkFindingsOnly, and not when services' or teams' facts are
	// gathered (they cut every scan's findings), nor when the data holds
	// findings of few contents (those are read whole, once each).
	StreamTrunk bool
}

// streamTrunk reports whether the trunk's findings are left pending.
func (o Options) streamTrunk() bool {
	if !o.StreamTrunk || !o.TrunkFindingsOnly {
		return false
	}
	slicing := len(o.Slices) > 0 || o.AllSlices
	return !slicing || o.Config == nil || len(o.Config.Services) == 0 && !o.Config.Teams.Configured()
}

// done is the error of o.Ctx once it is done, else nil.
func (o Options) done() error {
	if o.Ctx == nil {
		return nil
	}
	return o.Ctx.Err()
}
