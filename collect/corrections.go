package collect

import (
	"io"

	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
)

// correctedEvents reads the deployment, incident and pull events and the
// corrections of the data branch, and applies the corrections: what
// follows sees the corrected events only, voided ones left out
// (docs/corrections.md). It returns the deployments and incidents, and
// puts the pulls in f.Pulls. f.Corrections gets every correction with
// what it did; one that did not apply is also a problem.
func correctedEvents(o Options, f *fact.Facts) ([]data.Deployment, []data.Incident, error) {
	var r data.Recorded
	var probs []fact.Problem
	var err error
	if r.Deployments, probs, err = o.Store.Deployments(); err != nil {
		return nil, nil, err
	}
	f.Problems = append(f.Problems, probs...)
	if r.Incidents, probs, err = o.Store.Incidents(); err != nil {
		return nil, nil, err
	}
	f.Problems = append(f.Problems, probs...)
	if r.Pulls, probs, err = o.Store.Pulls(); err != nil {
		return nil, nil, err
	}
	f.Problems = append(f.Problems, probs...)
	cs, probs, err := o.Store.Corrections()
	if err != nil {
		return nil, nil, err
	}
	f.Problems = append(f.Problems, probs...)
	if len(cs) == 0 {
		f.Pulls = PullFacts(r.Pulls)
		return r.Deployments, r.Incidents, nil
	}
	c := r.Correct(cs)
	f.Pulls = PullFacts(c.Pulls)
	recorded := func(kind, id string) fact.Correction {
		var out fact.Correction
		switch r := c.Original[kind][id].(type) {
		case data.Deployment:
			out.EventTime = r.Time.Time
		case data.Incident:
			out.EventTime = r.Opened.Time
		case data.Pull:
			out.EventTime = r.Opened.Time
		}
		return out
	}
	for _, o2 := range c.Outcomes {
		fc := recorded(o2.Kind, o2.Target)
		fc.ID, fc.Time, fc.Kind, fc.Target, fc.Field, fc.Value = o2.ID, o2.Time.Time, o2.Kind, o2.Target, o2.Field, o2.Value
		fc.Reason, fc.Author, fc.Applied, fc.Problem = o2.Reason, o2.Author, o2.Applied, o2.Problem
		f.Corrections = append(f.Corrections, fc)
		if !o2.Applied {
			f.Problems = append(f.Problems, fact.Problem{File: o.Store.Where(data.CorrectionFile(o2.Time.Time)), Msg: "correction " + o2.ID + " not applied: " + o2.Problem})
		}
	}
	return c.Deployments, c.Incidents, nil
}

// CorrectionsHeader is the columns of corrections.csv of `gitdora
// collect`: the columns of the corrections files, then whether each
// applied and, when not, why.
var CorrectionsHeader = append(append([]string{}, data.CorrectionHeader...), "applied", "problem")

// WriteCorrectionsCSV writes corrections under CorrectionsHeader, in the
// order they were applied.
func WriteCorrectionsCSV(w io.Writer, cs []fact.Correction) error {
	return writeCSV(w, CorrectionsHeader, len(cs), func(i int) []string {
		c := &cs[i]
		applied := "no"
		if c.Applied {
			applied = "yes"
		}
		return []string{c.ID, stamp(c.Time), c.Kind, c.Target, c.Field, c.Value, c.Reason, c.Author, applied, c.Problem}
	})
}
