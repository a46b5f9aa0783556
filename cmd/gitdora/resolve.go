package main

import (
	"fmt"
	"time"

	"github.com/gitdora/gitdora/app"
	"github.com/gitdora/gitdora/data"
)

// resolution is what recording an incident again with --resolved does:
// an open incident is resolved by a correction of resolved
// (docs/corrections.md).
type resolution struct {
	open       bool            // recorded and open before the write: the commit says it resolves
	resolved   bool            // the write appended the correction
	was        data.Incident   // the incident as readers saw it, when it was recorded
	correction data.Correction // the time, reason and author of the correction
}

// resolution looks up the incident in as the data branch holds it now
// and prepares the correction that would resolve it.
func (c *RecordIncidentCmd) resolution(g *Globals, store *data.Store, in data.Incident) (resolution, error) {
	author, err := app.Author(c.Author, g.Repo)
	if err != nil {
		if c.Author != "" {
			return resolution{}, err
		}
		author = "gitdora"
	}
	res := resolution{correction: data.Correction{
		Time:   data.NewTime(time.Now().UTC().Truncate(time.Second)),
		Reason: "recorded again with --resolved " + in.Resolved.String(),
		Author: author,
	}}
	incs, _, err := store.Incidents()
	if err != nil {
		return res, err
	}
	cs, _, err := store.Corrections()
	if err != nil {
		return res, err
	}
	ev := data.Correct(nil, incs, cs)
	if row, voided, ok := ev.Find(data.KindIncident, in.ID); ok && !voided {
		was, _ := row.(data.Incident)
		res.open = !was.Resolved.Valid
	}
	return res, nil
}

// report says what recording the incident again did, when it resolved
// it or found it resolved at another time; otherwise reportRecord says it.
func (res *resolution) report(g *Globals, store *data.Store, in data.Incident, added bool, r data.Result, p pushFlags) bool {
	switch {
	case res.resolved:
		attrs := []any{}
		if r.Commit != "" {
			attrs = append(attrs, "commit", short(r.Commit))
		}
		if p.Push {
			attrs = append(attrs, "pushed_to", p.Remote)
		}
		g.Log.Info(fmt.Sprintf("resolved incident %s at %s: a correction of resolved in %s", in.ID, in.Resolved, store.Where(data.CorrectionFile(res.correction.Time.Time))), attrs...)
		return true
	case !added && res.was.ID != "" && res.was.Resolved.Valid && !res.was.Resolved.Equal(in.Resolved.Time.Time):
		g.Log.Info(fmt.Sprintf("incident %s is already recorded, resolved at %s; nothing written (to change it: gitdora amend incident %s --resolved=%s --reason TEXT)",
			in.ID, res.was.Resolved, in.ID, in.Resolved))
		return true
	}
	return false
}
