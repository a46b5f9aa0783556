package collect

import (
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
}
