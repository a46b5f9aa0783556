package ingest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gitdora/gitdora/collect/imports"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/git"
)

// unknownSeverity is the severity of an imported incident whose source
// names none (GitLab's "unknown", an urgency missing): the data branch
// needs one, and medium claims least either way.
const unknownSeverity = "medium"

// deployments stages the deployments of the set, and the statuses of
// deployments imported before.
func (st *importer) deployments() error {
	if len(st.in.Set.Deployments)+len(st.in.Set.Statuses) == 0 {
		return nil
	}
	if err := st.events(); err != nil {
		return err
	}
	stored := map[string]data.Deployment{} // one row an id: Recorded reads them so
	for _, r := range st.own.Deployments {
		stored[r.ID] = r
	}
	for _, d := range st.in.Set.Deployments {
		id := EventID(d.Source, d.ID)
		old, ok := stored[id]
		if !ok {
			if err := st.newDeployment(id, d); err != nil {
				return err
			}
			continue
		}
		prev := st.storedDeployment(old, d)
		merged := imports.Combine(&imports.Batch{Deployments: []imports.Deployment{prev}}, &imports.Batch{Deployments: []imports.Deployment{d}}).Deployments[0]
		if err := st.compareDeployment(old, merged); err != nil {
			return err
		}
	}
	// Statuses of deployments in none of the files: of one imported
	// before, a status may change it; of one never imported, it waits for
	// its deployment.
	bySource := map[string][]imports.DeploymentStatus{}
	var order []string
	for _, s := range st.in.Set.Statuses {
		id := EventID(s.Source, s.Deployment)
		if _, ok := bySource[id]; !ok {
			order = append(order, id)
		}
		bySource[id] = append(bySource[id], s)
	}
	for _, id := range order {
		sts := bySource[id]
		old, ok := stored[id]
		if !ok {
			st.rep.Skipped = append(st.rep.Skipped, fmt.Sprintf("%d status(es) of deployment %s: the deployment is in none of the files and was not imported before; import it with its statuses", len(sts), sts[0].Deployment))
			continue
		}
		prev := st.storedDeployment(old, imports.Deployment{ID: sts[0].Deployment, Source: sts[0].Source})
		merged := imports.Combine(&imports.Batch{Deployments: []imports.Deployment{prev}, Statuses: sts}).Deployments[0]
		if err := st.compareDeployment(old, merged); err != nil {
			return err
		}
	}
	return nil
}

// storedDeployment is the imports record a stored deployment stands for,
// at the version the ledger names (like is the new record of it: its
// upstream id and source).
func (st *importer) storedDeployment(r data.Deployment, like imports.Deployment) imports.Deployment {
	d := imports.Deployment{
		ID: like.ID, SHA: r.SHA, Environment: r.Environment, Status: r.Status, Time: r.Time.Time,
		Created: r.Time.Time, Updated: when(st.ledger[r.ID].Updated), Source: like.Source,
	}
	if d.Status != imports.Success && d.Status != imports.Failure {
		d.Status = "" // not an importer's: nothing to decide with
	}
	return d
}

// deploymentRow is the event a deployment becomes; reason says why it
// cannot become one (yet).
func (st *importer) deploymentRow(id string, d imports.Deployment) (row data.Deployment, reason string) {
	row = data.Deployment{ID: id, Environment: d.Environment, Status: d.Status, Source: d.Source, SHA: d.SHA}
	if row.Environment == "" {
		row.Environment = st.in.Production
	}
	switch d.Status {
	case imports.Success, imports.Failure:
	default:
		return row, "no success, failure or error status yet (pending, queued, in progress or waiting for approval): import it again when it has one"
	}
	if row.SHA == "" && d.Source == imports.GitHubReleases && d.Ref != "" {
		if st.in.Repo == nil {
			return row, fmt.Sprintf("release %s names a branch, not a commit, and --repo is not a repository to find its tag in", d.Ref)
		}
		if strings.ContainsAny(d.Ref, " ~^:?*[\\{") || git.CheckBranchName(d.Ref) != nil {
			return row, fmt.Sprintf("release %q names a branch, not a commit, and its tag name is no git tag name", d.Ref)
		}
		sha, err := st.in.Repo.ResolveCommit("refs/tags/" + d.Ref)
		if err != nil {
			return row, fmt.Sprintf("release %s names a branch, not a commit, and its tag is not in --repo: fetch tags (git fetch --tags) and import it again", d.Ref)
		}
		row.SHA = sha
	}
	if row.SHA == "" {
		return row, "the record names no full commit hash"
	}
	row.Time = stamp(d.Time)
	return row, ""
}

// newDeployment writes a deployment not imported before, with its ledger
// row, or says why it does not.
func (st *importer) newDeployment(id string, d imports.Deployment) error {
	row, reason := st.deploymentRow(id, d)
	if reason != "" {
		st.rep.Skipped = append(st.rep.Skipped, id+": "+reason)
		return nil
	}
	if c := st.commit(row.SHA); !c.known {
		st.unknown = append(st.unknown, id)
	} else if row.Time.Before(c.committed) {
		st.rep.Rejected = append(st.rep.Rejected, fmt.Sprintf("%s: deployed at %s, before its commit %s was committed (%s)",
			id, row.Time, row.SHA[:12], c.committed.Format(time.RFC3339)))
		return nil
	}
	added, err := st.tx.AppendDeployment(row)
	switch {
	case err != nil:
		st.rep.Rejected = append(st.rep.Rejected, err.Error())
		return nil
	case !added: // the same id twice in the set cannot be: Combine made one
		st.rep.Unchanged++
		return nil
	}
	st.written(id, data.KindDeployment, data.DeploymentFile(row.Time.Time))
	return st.record(row.Time.Time, data.Imported{ID: id, Kind: data.KindDeployment, Updated: optStamp(d.Updated)})
}

func (st *importer) compareDeployment(old data.Deployment, merged imports.Deployment) error {
	row, reason := st.deploymentRow(old.ID, merged)
	if reason != "" {
		row = old // a newer version that cannot be an event yet changes nothing
	}
	return compare(st, data.KindDeployment, old, row, deploymentFields, merged.Updated, old.Time.Time,
		data.Imported{ID: old.ID, Kind: data.KindDeployment})
}

// deploymentFields are the columns of a deployment an import writes (the
// first of data.DeploymentHeader), times as instants (UTC): a source may
// give one time in several zones. Only these are compared, and corrected.
func deploymentFields(d data.Deployment) []string {
	return []string{d.ID, instant(d.Time.String()), d.SHA, d.Environment, d.Status}
}

// instant is an RFC 3339 time in UTC, to compare instants; s as it is
// when it is no time.
func instant(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// incidents stages the incidents of the set.
func (st *importer) incidents() error {
	if len(st.in.Set.Incidents) == 0 {
		return nil
	}
	if err := st.events(); err != nil {
		return err
	}
	stored := map[string]data.Incident{} // one row an id: Recorded reads them so
	for _, r := range st.own.Incidents {
		stored[r.ID] = r
	}
	for _, in := range st.in.Set.Incidents {
		id := EventID(in.Source, in.ID)
		old, ok := stored[id]
		if !ok {
			if err := st.newIncident(id, in); err != nil {
				return err
			}
			continue
		}
		prev := imports.Incident{
			ID: in.ID, Title: old.Title, State: imports.Open, Opened: old.Opened.Time, Severity: old.Severity,
			Environment: old.Environment, Updated: when(st.ledger[id].Updated), Source: in.Source,
		}
		if old.Resolved.Valid {
			prev.State, prev.Resolved = imports.Resolved, old.Resolved.Time.Time
		}
		merged := imports.Combine(&imports.Batch{Incidents: []imports.Incident{prev}}, &imports.Batch{Incidents: []imports.Incident{in}}).Incidents[0]
		row, reason := st.incidentRow(id, merged)
		if reason != "" {
			row = old
		}
		if err := compare(st, data.KindIncident, old, row, incidentFields, merged.Updated, old.Opened.Time,
			data.Imported{ID: id, Kind: data.KindIncident}); err != nil {
			return err
		}
	}
	return nil
}

// incidentRow is the event an incident becomes; reason says why it
// cannot become one (yet).
func (st *importer) incidentRow(id string, in imports.Incident) (row data.Incident, reason string) {
	row = data.Incident{ID: id, Severity: in.Severity, Category: string(fact.CategoryOther), Environment: in.Environment, Title: in.Title, Source: in.Source}
	if row.Environment == "" {
		row.Environment = st.in.Production
	}
	if row.Severity == "" {
		row.Severity = unknownSeverity
	}
	switch {
	case in.Opened.IsZero():
		return row, "the record does not say when it opened (a webhook of an incident opened before): import its REST response"
	case in.State == "":
		return row, "the record does not say whether it is open or resolved"
	}
	row.Opened = stamp(in.Opened)
	if in.State == imports.Resolved {
		row.Resolved = optStamp(in.Resolved)
	}
	return row, ""
}

// newIncident writes an incident not imported before, with its ledger
// row, or says why it does not.
func (st *importer) newIncident(id string, in imports.Incident) error {
	row, reason := st.incidentRow(id, in)
	if reason != "" {
		st.rep.Skipped = append(st.rep.Skipped, id+": "+reason)
		return nil
	}
	if in.Severity == "" {
		st.rep.Warnings = append(st.rep.Warnings, fmt.Sprintf("%s: the record names no severity: recorded as %s", id, unknownSeverity))
	}
	if in.State == imports.Resolved && in.Resolved.IsZero() {
		st.rep.Warnings = append(st.rep.Warnings, id+": resolved, but the record does not say when: recorded as open")
	}
	added, err := st.tx.AppendIncident(row)
	switch {
	case err != nil:
		st.rep.Rejected = append(st.rep.Rejected, err.Error())
		return nil
	case !added:
		st.rep.Unchanged++
		return nil
	}
	st.written(id, data.KindIncident, data.IncidentFile(row.Opened.Time))
	return st.record(row.Opened.Time, data.Imported{ID: id, Kind: data.KindIncident, Updated: optStamp(in.Updated)})
}

// incidentFields are the columns of an incident an import writes.
func incidentFields(in data.Incident) []string {
	resolved, _ := in.Resolved.MarshalCSV()
	return []string{in.ID, instant(in.Opened.String()), instant(resolved), in.Severity, in.Category, in.Environment}
}

// pulls stages the pulls of the set, and the reviews, commits and ready
// events of pulls imported before.
func (st *importer) pulls() error {
	if len(st.in.Set.Pulls)+len(st.in.Set.Reviews)+len(st.in.Set.Commits)+len(st.in.Set.Readies) == 0 {
		return nil
	}
	if err := st.events(); err != nil {
		return err
	}
	rows := st.own.Pulls
	stored := map[string]data.Pull{}
	type numKey struct {
		source string
		number int64
	}
	byNumber := map[numKey][]string{} // stored pulls by source and number
	// One row an id: Recorded reads them so.
	for _, r := range rows {
		stored[r.ID] = r
		k := numKey{r.Source, r.Number}
		byNumber[k] = append(byNumber[k], r.ID)
	}
	// What each stored pull gets from this import, in the order seen.
	type update struct {
		prev imports.Pull
		in   imports.Batch
	}
	var order []string
	updates := map[string]*update{}
	get := func(id string, upstream, repo string) *update {
		u, ok := updates[id]
		if !ok {
			u = &update{prev: st.storedPull(stored[id], upstream, repo)}
			updates[id] = u
			order = append(order, id)
		}
		return u
	}
	for _, p := range st.in.Set.Pulls {
		id := EventID(p.Source, p.ID)
		if _, ok := stored[id]; !ok {
			if err := st.newPull(id, p); err != nil {
				return err
			}
			continue
		}
		u := get(id, p.ID, p.Repo)
		u.in.Pulls = append(u.in.Pulls, p)
	}
	// find is the stored pull a piece of source, repo and number belongs
	// to: the one of that number (and repository, when both know it).
	find := func(source, repo string, number int64) (string, bool) {
		var found []string
		for _, id := range byNumber[numKey{source, number}] {
			if r := st.ledger[id].Repo; repo == "" || r == "" || r == repo {
				found = append(found, id)
			}
		}
		if len(found) != 1 {
			return "", false
		}
		return found[0], true
	}
	waiting := map[string]int{} // pieces whose pull is nowhere, by pull
	var waitOrder []string
	wait := func(source string, number int64) {
		k := fmt.Sprintf("%s #%d", source, number)
		if waiting[k] == 0 {
			waitOrder = append(waitOrder, k)
		}
		waiting[k]++
	}
	upstreamOf := func(id, source string) string { return strings.TrimPrefix(id, idPrefixes[source]) }
	for _, r := range st.in.Set.Reviews {
		if id, ok := find(r.Source, r.Repo, r.Pull); ok {
			u := get(id, upstreamOf(id, r.Source), r.Repo)
			u.in.Reviews = append(u.in.Reviews, r)
		} else {
			wait(r.Source, r.Pull)
		}
	}
	for _, c := range st.in.Set.Commits {
		if id, ok := find(c.Source, c.Repo, c.Pull); ok {
			u := get(id, upstreamOf(id, c.Source), c.Repo)
			u.in.Commits = append(u.in.Commits, c)
		} else {
			wait(c.Source, c.Pull)
		}
	}
	for _, e := range st.in.Set.Readies {
		if id, ok := find(e.Source, e.Repo, e.Pull); ok {
			u := get(id, upstreamOf(id, e.Source), e.Repo)
			u.in.Readies = append(u.in.Readies, e)
		} else {
			wait(e.Source, e.Pull)
		}
	}
	for _, k := range waitOrder {
		source, number, _ := strings.Cut(k, " ")
		st.rep.Skipped = append(st.rep.Skipped, fmt.Sprintf("%d review(s), commit(s) or ready event(s) of pull %s (%s): the pull is in none of the files and was not imported before (or several match); import the pull first, or with them",
			waiting[k], number, source))
	}
	for _, id := range order {
		u := updates[id]
		// The pieces are matched to the stored pull by number: give them
		// its repository, so Combine puts them together.
		for i := range u.in.Reviews {
			u.in.Reviews[i].Repo = u.prev.Repo
		}
		for i := range u.in.Commits {
			u.in.Commits[i].Repo = u.prev.Repo
		}
		for i := range u.in.Readies {
			u.in.Readies[i].Repo = u.prev.Repo
		}
		for i := range u.in.Pulls {
			u.in.Pulls[i].Repo = u.prev.Repo
		}
		merged := imports.Combine(&imports.Batch{Pulls: []imports.Pull{u.prev}}, &u.in).Pulls[0]
		old := stored[id]
		row := pullRow(id, merged)
		led := data.Imported{ID: id, Kind: data.KindPull, Repo: merged.Repo, AuthorID: merged.AuthorID}
		if err := compare(st, data.KindPull, old, row, pullFields, merged.Updated, old.Opened.Time, led); err != nil {
			return err
		}
	}
	return nil
}

// storedPull is the imports record a stored pull stands for, at the
// version the ledger names, with the repository and author id the
// ledger keeps (repo, when it keeps none).
func (st *importer) storedPull(r data.Pull, upstream, repo string) imports.Pull {
	led := st.ledger[r.ID]
	p := imports.Pull{
		ID: upstream, Repo: led.Repo, Number: r.Number, State: "open", Draft: r.Draft, Opened: r.Opened.Time,
		Ready: when(r.Ready), FirstCommit: when(r.FirstCommit), FirstReview: when(r.FirstReview), Approved: when(r.Approved),
		Merged: when(r.Merged), MergeSHA: r.MergeSHA, HeadSHA: r.HeadSHA, Author: r.Author, AuthorID: led.AuthorID,
		Updated: when(led.Updated), Source: r.Source,
	}
	if p.Repo == "" {
		p.Repo = repo
	}
	// A ready time other than the opening came from an event: it stands
	// until a later one.
	p.ReadySeen = !p.Ready.IsZero() && !p.Ready.Equal(p.Opened)
	if !p.Merged.IsZero() {
		p.State = "merged"
	}
	return p
}

// pullRow is the event a pull becomes.
func pullRow(id string, p imports.Pull) data.Pull {
	row := data.Pull{
		ID: id, Number: p.Number, Opened: stamp(p.Opened), Ready: optStamp(p.Ready), FirstCommit: optStamp(p.FirstCommit),
		FirstReview: optStamp(p.FirstReview), Approved: optStamp(p.Approved), Merged: optStamp(p.Merged),
		HeadSHA: strings.ToLower(p.HeadSHA), Author: p.Author, Draft: p.Draft, Source: p.Source,
	}
	if row.Merged.Valid {
		row.MergeSHA = strings.ToLower(p.MergeSHA)
	}
	return row
}

// newPull writes a pull not imported before, with its ledger row.
func (st *importer) newPull(id string, p imports.Pull) error {
	row := pullRow(id, p)
	added, err := st.tx.AppendPull(row)
	switch {
	case err != nil:
		st.rep.Rejected = append(st.rep.Rejected, err.Error())
		return nil
	case !added:
		st.rep.Unchanged++
		return nil
	}
	st.written(id, data.KindPull, data.PullFile(row.Opened.Time))
	return st.record(row.Opened.Time, data.Imported{ID: id, Kind: data.KindPull, Updated: optStamp(p.Updated), Repo: p.Repo, AuthorID: p.AuthorID})
}

// pullFields are the columns of a pull.
func pullFields(p data.Pull) []string {
	t := func(v data.OptTime) string { s, _ := v.MarshalCSV(); return instant(s) }
	return []string{p.ID, strconv.FormatInt(p.Number, 10), instant(p.Opened.String()), t(p.Ready), t(p.FirstCommit), t(p.FirstReview), t(p.Approved),
		t(p.Merged), p.MergeSHA, p.HeadSHA, p.Author, strconv.FormatBool(p.Draft), p.Source}
}
