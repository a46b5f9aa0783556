package imports

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Set is what Combine makes of batches: whole records, and the pieces
// whose record none of the batches holds (a writer applies them to the
// records it stored before, by passing those to Combine too).
type Set struct {
	Deployments []Deployment
	Pulls       []Pull
	Pipelines   []Pipeline
	Incidents   []Incident

	Statuses []DeploymentStatus // of deployments not in the batches
	Reviews  []Review           // of pulls not in the batches, or matching several
	Commits  []Commit           // likewise
	Readies  []ReadyEvent       // likewise
}

// Combine folds batches into whole records, in the order they were first
// seen:
//
//   - Versions of one record (same source and id; pulls: same source,
//     repository and number) become one: the version updated last wins,
//     the first of equals (an older payload read later changes nothing).
//     What never reverts is kept from any version: a merge, the earliest
//     opening of an incident, a resolution time the latest version does
//     not repeat.
//   - A deployment's status is that of its latest success, failure or
//     error status (error is a failure); other states change nothing. A
//     status naming an environment changes the deployment's.
//   - A pull is ready since the last time it left draft (a
//     ready_for_review webhook or timeline event, a GitLab note), else
//     since it was opened; not while its newest version is a draft.
//   - A pull's first commit is the earliest author date of its commits;
//     its first review the earliest review submitted by a person (no
//     [bot] account) other than its author, in any state but pending;
//     its approval the earliest such approving review.
//   - A pipeline has the jobs of every version and piece (per job, the
//     one that got furthest); jobs of a pipeline none of the batches
//     holds make a stub pipeline.
func Combine(batches ...*Batch) *Set {
	var in Batch
	for _, b := range batches {
		if b == nil {
			continue
		}
		in.Deployments = append(in.Deployments, b.Deployments...)
		in.Statuses = append(in.Statuses, b.Statuses...)
		in.Pulls = append(in.Pulls, b.Pulls...)
		in.Reviews = append(in.Reviews, b.Reviews...)
		in.Commits = append(in.Commits, b.Commits...)
		in.Readies = append(in.Readies, b.Readies...)
		in.Pipelines = append(in.Pipelines, b.Pipelines...)
		in.Jobs = append(in.Jobs, b.Jobs...)
		in.Incidents = append(in.Incidents, b.Incidents...)
	}
	s := &Set{}
	s.Deployments, s.Statuses = combineDeployments(in.Deployments, in.Statuses)
	s.Pulls, s.Reviews, s.Commits, s.Readies = combinePulls(in.Pulls, in.Reviews, in.Commits, in.Readies)
	s.Pipelines = combinePipelines(in.Pipelines, in.Jobs)
	s.Incidents = combineIncidents(in.Incidents)
	return s
}

type key struct{ source, id string }

// group gathers items by key, in the order keys are first seen.
func group[T any](items []T, k func(*T) key) ([]key, map[key][]T) {
	var order []key
	m := map[key][]T{}
	for i := range items {
		kk := k(&items[i])
		if _, ok := m[kk]; !ok {
			order = append(order, kk)
		}
		m[kk] = append(m[kk], items[i])
	}
	return order, m
}

// newest is the index of the version updated last, the first of equals.
func newest[T any](vs []T, updated func(*T) time.Time) int {
	best := 0
	for i := range vs {
		if updated(&vs[i]).After(updated(&vs[best])) {
			best = i
		}
	}
	return best
}

func combineDeployments(ds []Deployment, sts []DeploymentStatus) ([]Deployment, []DeploymentStatus) {
	order, versions := group(ds, func(d *Deployment) key { return key{d.Source, d.ID} })
	_, statuses := group(sts, func(s *DeploymentStatus) key { return key{s.Source, s.Deployment} })
	out := make([]Deployment, 0, len(order))
	for _, k := range order {
		vs := versions[k]
		d := vs[newest(vs, func(d *Deployment) time.Time { return d.Updated })]
		type decision struct {
			status, env string
			at          time.Time
		}
		var best *decision
		consider := func(c decision) {
			if best == nil || !c.at.Before(best.at) {
				best = &c
			}
		}
		for _, v := range vs {
			d.Updated = latest(d.Updated, v.Updated)
			if v.Status != "" {
				consider(decision{v.Status, v.Environment, v.Time})
			}
		}
		st := statuses[k]
		slices.SortStableFunc(st, func(a, b DeploymentStatus) int {
			if c := a.Time.Compare(b.Time); c != 0 {
				return c
			}
			return cmpID(a.ID, b.ID)
		})
		for _, s := range st {
			d.Updated = latest(d.Updated, s.Updated, s.Time)
			switch s.State {
			case "success":
				consider(decision{Success, s.Environment, s.Time})
			case "failure", "error":
				consider(decision{Failure, s.Environment, s.Time})
			}
		}
		delete(statuses, k)
		if best != nil {
			d.Status, d.Time = best.status, best.at
			if best.env != "" {
				d.Environment = best.env
			}
		} else {
			d.Status, d.Time = "", d.Created
		}
		out = append(out, d)
	}
	var left []DeploymentStatus
	for _, s := range sts {
		if _, ok := statuses[key{s.Source, s.Deployment}]; ok {
			left = append(left, s)
		}
	}
	return out, left
}

// cmpID orders ids numerically when both are numbers, else as text.
func cmpID(a, b string) int {
	if isDigits(a) && isDigits(b) {
		if c := cmp.Compare(len(strings.TrimLeft(a, "0")), len(strings.TrimLeft(b, "0"))); c != 0 {
			return c
		}
		return strings.Compare(strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0"))
	}
	return strings.Compare(a, b)
}

func isDigits(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }

// pullKey keys a pull by source, repository and number.
type pullKey struct {
	source, repo string
	number       int64
}

func combinePulls(ps []Pull, rs []Review, cs []Commit, es []ReadyEvent) ([]Pull, []Review, []Commit, []ReadyEvent) {
	var order []pullKey
	versions := map[pullKey][]Pull{}
	for _, p := range ps {
		k := pullKey{p.Source, p.Repo, p.Number}
		if _, ok := versions[k]; !ok {
			order = append(order, k)
		}
		versions[k] = append(versions[k], p)
	}
	// find matches a piece to its pull: same repository, or a unique
	// pull of that number when one side does not know its repository.
	find := func(source, repo string, number int64) (pullKey, bool) {
		k := pullKey{source, repo, number}
		if _, ok := versions[k]; ok {
			return k, true
		}
		var found []pullKey
		for _, o := range order {
			if o.source == source && o.number == number && (repo == "" || o.repo == "") {
				found = append(found, o)
			}
		}
		if len(found) == 1 {
			return found[0], true
		}
		return pullKey{}, false
	}
	reviews := map[pullKey][]Review{}
	commits := map[pullKey][]Commit{}
	var leftR []Review
	var leftC []Commit
	for _, r := range rs {
		if k, ok := find(r.Source, r.Repo, r.Pull); ok {
			reviews[k] = append(reviews[k], r)
		} else {
			leftR = append(leftR, r)
		}
	}
	for _, c := range cs {
		if k, ok := find(c.Source, c.Repo, c.Pull); ok {
			commits[k] = append(commits[k], c)
		} else {
			leftC = append(leftC, c)
		}
	}
	readies := map[pullKey][]ReadyEvent{}
	var leftE []ReadyEvent
	for _, e := range es {
		if k, ok := find(e.Source, e.Repo, e.Pull); ok {
			readies[k] = append(readies[k], e)
		} else {
			leftE = append(leftE, e)
		}
	}
	out := make([]Pull, 0, len(order))
	for _, k := range order {
		out = append(out, mergePull(versions[k], reviews[k], commits[k], readies[k]))
	}
	return out, leftR, leftC, leftE
}

// earliest is the earliest of a and b that is not zero.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || !b.IsZero() && b.Before(a) {
		return b
	}
	return a
}

// mergePull makes one pull of its versions, reviews, commits and ready
// events. It is ready since the last time an event saw it leave draft,
// else since it was opened; not at all while its newest version is a
// draft.
func mergePull(vs []Pull, rs []Review, cs []Commit, es []ReadyEvent) Pull {
	p := vs[newest(vs, func(p *Pull) time.Time { return p.Updated })]
	var lastReady time.Time
	for _, v := range vs {
		p.Updated = latest(p.Updated, v.Updated)
		p.FirstCommit = earliest(p.FirstCommit, v.FirstCommit)
		p.FirstReview = earliest(p.FirstReview, v.FirstReview)
		p.Approved = earliest(p.Approved, v.Approved)
		p.Opened = earliest(p.Opened, v.Opened)
		if p.Merged.IsZero() && !v.Merged.IsZero() {
			p.Merged, p.MergeSHA, p.State = v.Merged, v.MergeSHA, "merged"
		}
		if p.MergeSHA == "" && !p.Merged.IsZero() {
			p.MergeSHA = v.MergeSHA
		}
		if p.HeadSHA == "" {
			p.HeadSHA = v.HeadSHA
		}
		if p.Author == "" && (p.AuthorID == "" || p.AuthorID == v.AuthorID) {
			p.Author = v.Author
		}
		if p.AuthorID == "" && (p.Author == "" || strings.EqualFold(p.Author, v.Author)) {
			p.AuthorID = v.AuthorID
		}
		if p.ID == "" {
			p.ID = v.ID
		}
		if v.ReadySeen && v.Ready.After(lastReady) {
			lastReady = v.Ready
		}
	}
	for _, e := range es {
		lastReady = latest(lastReady, e.Time)
		p.Updated = latest(p.Updated, e.Time)
	}
	switch {
	case p.Draft:
		p.Ready, p.ReadySeen = time.Time{}, false
	case !lastReady.IsZero():
		p.Ready, p.ReadySeen = lastReady, true
	case p.Ready.IsZero():
		p.Ready = p.Opened
	}
	for _, c := range cs {
		p.FirstCommit = earliest(p.FirstCommit, c.Authored)
		p.Updated = latest(p.Updated, c.Committed, c.Authored)
	}
	for _, r := range rs {
		if r.State == "pending" || r.Submitted.IsZero() || r.Bot || !p.byOther(r) {
			continue
		}
		p.FirstReview = earliest(p.FirstReview, r.Submitted)
		if r.State == "approved" {
			p.Approved = earliest(p.Approved, r.Submitted)
		}
		p.Updated = latest(p.Updated, r.Submitted)
	}
	return p
}

// byOther reports a review by someone other than the pull's author; a
// review of a pull whose author is unknown is nobody's.
func (p *Pull) byOther(r Review) bool {
	switch {
	case p.AuthorID != "" && r.ReviewerID != "":
		return p.AuthorID != r.ReviewerID
	case p.Author != "" && r.Reviewer != "":
		return !strings.EqualFold(p.Author, r.Reviewer)
	}
	return false
}

func combinePipelines(ps []Pipeline, js []Job) []Pipeline {
	order, versions := group(ps, func(p *Pipeline) key { return key{p.Source, p.ID} })
	jobs := map[key][]Job{}
	for _, j := range js {
		k := key{j.Source, j.Pipeline}
		if _, ok := versions[k]; !ok {
			if _, ok := jobs[k]; !ok {
				order = append(order, k)
			}
		}
		jobs[k] = append(jobs[k], j)
	}
	out := make([]Pipeline, 0, len(order))
	for _, k := range order {
		vs := versions[k]
		var p Pipeline
		var all []Job
		if len(vs) > 0 {
			p = vs[newest(vs, func(p *Pipeline) time.Time { return p.Updated })]
			for _, v := range vs {
				p.Updated = latest(p.Updated, v.Updated)
				all = append(all, v.Jobs...)
			}
		} else {
			j := jobs[k][0]
			p = Pipeline{ID: j.Pipeline, SHA: j.SHA, Ref: j.Ref, Stub: true, Source: j.Source}
			for _, j := range jobs[k] {
				p.Created = earliest(p.Created, j.Created)
				p.Updated = latest(p.Updated, j.Created, j.Started, j.Finished)
			}
		}
		var merged []Job
		at := map[string]int{} // the index of each job id in merged
		for _, j := range append(all, jobs[k]...) {
			merged = mergeJob(merged, at, j)
		}
		slices.SortStableFunc(merged, func(a, b Job) int { return cmpID(a.ID, b.ID) })
		p.Jobs = merged
		out = append(out, p)
	}
	return out
}

// progress ranks how far a job got.
func progress(j *Job) int {
	switch {
	case !j.Finished.IsZero() || j.Status == "success" || j.Status == "failed" || j.Status == "canceled" || j.Status == "skipped":
		return 3
	case !j.Started.IsZero() || j.Status == "running":
		return 2
	}
	return 1
}

// mergeJob adds j to jobs, or puts it in place of the same job when it
// got at least as far; at holds the index of each job id in jobs (a search
// of jobs for each made a pipeline of many jobs quadratic).
func mergeJob(jobs []Job, at map[string]int, j Job) []Job {
	if i, ok := at[j.ID]; ok {
		if progress(&j) >= progress(&jobs[i]) {
			jobs[i] = j
		}
		return jobs
	}
	at[j.ID] = len(jobs)
	return append(jobs, j)
}

func combineIncidents(is []Incident) []Incident {
	order, versions := group(is, func(i *Incident) key { return key{i.Source, i.ID} })
	out := make([]Incident, 0, len(order))
	for _, k := range order {
		vs := versions[k]
		slices.SortStableFunc(vs, func(a, b Incident) int { return a.Updated.Compare(b.Updated) })
		// vs is oldest first; the newest is the last of the latest
		// Updated's first version.
		n := len(vs) - 1
		for n > 0 && vs[n-1].Updated.Equal(vs[n].Updated) {
			n--
		}
		in := vs[n]
		reopened := false                   // a version newer than v is open
		for i := len(vs) - 1; i >= 0; i-- { // newest first
			v := vs[i]
			in.Updated = latest(in.Updated, v.Updated)
			if in.Opened.IsZero() {
				in.Opened = v.Opened
			}
			if in.State == "" {
				in.State = v.State
			}
			// A resolution time the newest versions do not repeat comes
			// from the latest version that has one, not from before a
			// reopening.
			if in.State == Resolved && in.Resolved.IsZero() && v.State == Resolved && !reopened {
				in.Resolved = v.Resolved
			}
			reopened = reopened || v.State == Open
			if in.Severity == "" {
				in.Severity = v.Severity
			}
			if in.Title == "" {
				in.Title = v.Title
			}
			if in.Number == "" {
				in.Number = v.Number
			}
		}
		if in.State != Resolved {
			in.Resolved = time.Time{}
		}
		out = append(out, in)
	}
	return out
}
