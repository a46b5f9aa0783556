package collect

import (
	"strings"
	"time"

	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
)

// PullFacts turns the pulls of the data branch (events/pulls) into facts.
func PullFacts(rows []data.Pull) []fact.Pull {
	out := make([]fact.Pull, 0, len(rows))
	t := func(v data.OptTime) time.Time {
		if !v.Valid {
			return time.Time{}
		}
		return v.Time.Time
	}
	for _, r := range rows {
		out = append(out, fact.Pull{
			ID: r.ID, Number: r.Number, Opened: r.Opened.Time, Ready: t(r.Ready), FirstCommit: t(r.FirstCommit),
			FirstReview: t(r.FirstReview), Approved: t(r.Approved), Merged: t(r.Merged),
			MergeSHA: strings.ToLower(r.MergeSHA), HeadSHA: strings.ToLower(r.HeadSHA), Author: r.Author, Draft: r.Draft, Source: r.Source,
		})
	}
	return out
}

// start is where a change's lead time starts when not at its own date,
// and what gave it (fact.Change.StartedBy).
type start struct {
	at time.Time
	by string
}

// pullStarts is the start of each change that is the merge commit of an
// imported, merged pull request with a known first commit: a squash or
// rebase merge rewrites the pull's commits into new ones whose dates say
// little about when the work began (docs/metrics.md, "Squash merges").
// A start from the pull's head (refs/pull/N/head, squash.go) wins over
// these.
func pullStarts(pulls []fact.Pull) map[string]start {
	out := map[string]start{}
	for _, p := range pulls {
		if p.Merged.IsZero() || p.FirstCommit.IsZero() || !data.IsFullHash(p.MergeSHA) {
			continue
		}
		if s, ok := out[p.MergeSHA]; ok && !p.FirstCommit.Before(s.at) {
			continue // two pulls of one merge commit: the earlier start
		}
		out[p.MergeSHA] = start{at: p.FirstCommit, by: p.ID}
	}
	return out
}
