package sarif

import (
	"fmt"
	"strings"
	"time"

	"github.com/gitdora/gitdora/fact"
	"github.com/go-json-experiment/json/jsontext"
)

// prepare completes a run's own fields once all its members are read, and
// makes the resolver of its results.
func (r *reader) prepare(rs *runState) {
	run := &rs.run
	run.Tool = rs.driver.name
	run.ToolVersion = rs.driver.version
	if run.Tool == "" {
		r.note("notool", fmt.Sprintf("$.runs[%d].tool.driver.name", rs.index), "the tool has no name")
	}
	id := strings.ToLower(run.AutomationID)
	run.Incremental = strings.Contains(id, "incremental")
	if !run.Start.IsZero() && !run.End.IsZero() && run.End.Before(run.Start) {
		r.note("invorder", fmt.Sprintf("$.runs[%d].invocations[0]", rs.index), "endTimeUtc is before startTimeUtc; the scan duration is unknown")
		run.Start = time.Time{}
	}
	rs.res = newResolver(r, rs)
	for _, a := range rs.artifacts {
		if u := rs.res.uri(a, 0); u != "" {
			run.Artifacts = append(run.Artifacts, u)
		}
	}
	if !run.HasResults {
		r.note("noresults", fmt.Sprintf("$.runs[%d]", rs.index), "the run has no results array (the tool may not have run); it fixes no finding")
	}
	rs.seen, rs.seenHash = dedup{newCounts(rs.seq)}, newCounts(rs.seq)
	run.Count = rs.seq
}

// resolveOne resolves result i of a run into out.
func (r *reader) resolveOne(rs *runState, x *raw, out *Result, i int) {
	rs.res.result(x, out, i)
	if x.fp == "" {
		out.Fingerprint = fact.Hash{Sum: out.ContentHash.Sum}.String()
	}
	out.Fingerprint = rs.seen.give(out.RuleID, out.Fingerprint)
	out.ContentHash.N = rs.seenHash.add(out.ContentHash.Sum) + 1
}

// add passes one resolved result on: into the current batch of
// Options.Results, else into the run's Results.
func (r *reader) add(rs *runState, x *raw, i int) error {
	var out *Result
	if r.o.Results != nil {
		if rs.batch == nil {
			rs.batch = make([]Result, 0, batchSize)
		}
		rs.batch = append(rs.batch, Result{})
		out = &rs.batch[len(rs.batch)-1]
	} else {
		rs.run.Results = append(rs.run.Results, Result{})
		out = &rs.run.Results[len(rs.run.Results)-1]
	}
	r.resolveOne(rs, x, out, i)
	r.log.Results++
	if len(rs.batch) == batchSize {
		return r.flush(rs)
	}
	return nil
}

// flush hands the current batch to Options.Results.
func (r *reader) flush(rs *runState) error {
	if len(rs.batch) == 0 {
		return nil
	}
	err := r.o.Results(&rs.run, rs.batch)
	rs.batch = rs.batch[:0]
	return err
}

// emit resolves a run's buffered results, passes them on, then the run.
func (r *reader) emit(rs *runState) error {
	if r.o.Results == nil {
		rs.run.Results = make([]Result, 0, rs.nraws)
	}
	i := 0
	for ci, chunk := range rs.raws {
		for j := range chunk {
			if err := r.add(rs, &chunk[j], i); err != nil {
				return err
			}
			i++
		}
		rs.raws[ci] = nil // let the chunk go as soon as its results are made
	}
	rs.raws = nil
	if err := r.flush(rs); err != nil {
		return err
	}
	rs.run.Outside = rs.res.outsideDirs()
	if r.each != nil {
		return r.each(&rs.run)
	}
	return nil
}

// second reads the input again for the runs whose results were too many
// to buffer: their context is known now, so each result is resolved as
// it streams. Notes already made in the first pass are not made again.
func (r *reader) second() error {
	rc, err := r.o.Reopen()
	if err != nil {
		return fmt.Errorf("read again: %w", err)
	}
	defer rc.Close()
	in, err := r.input(rc, false)
	if err != nil {
		return err
	}
	r.d = jsontext.NewDecoder(in, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	byIndex := map[int]*runState{}
	for _, rs := range r.deferred {
		byIndex[rs.index] = rs
		if r.o.Results == nil {
			rs.run.Results = nil
		}
	}
	err = r.object(func(name string) error {
		if name != "runs" {
			return r.d.SkipValue()
		}
		return r.array(func(i int) error {
			rs := byIndex[i]
			if rs == nil {
				return r.d.SkipValue()
			}
			seq := 0
			return r.object(func(name string) error {
				if name != "results" {
					return r.d.SkipValue()
				}
				return r.array(func(int) error {
					var x raw
					x.ruleIndex, x.rule.index, x.loc.index, x.fpRank = -1, -1, -1, 9
					r.mute = seq < rs.deferredAt
					err := r.result(&x)
					r.mute = false
					if err != nil {
						return err
					}
					seq++
					return r.add(rs, &x, seq-1)
				})
			})
		})
	})
	if err != nil {
		return err
	}
	for _, rs := range r.deferred {
		if err := r.flush(rs); err != nil {
			return err
		}
		rs.run.Outside = rs.res.outsideDirs()
		if r.each != nil {
			if err := r.each(&rs.run); err != nil {
				return err
			}
		}
	}
	return nil
}
