package ingest

import (
	"fmt"
	"strings"
	"time"

	"github.com/gitdora/gitdora/internal/git"

	"github.com/gitdora/gitdora/collect/imports"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/internal/par"
)

// idPrefixes namespace the events `gitdora import` writes by source, so
// that upstream ids of different systems (a GitHub deployment and a
// PagerDuty incident may both be 42) never meet (docs/import.md).
var idPrefixes = map[string]string{
	imports.GitHubDeployments:   "gh-deploy-",
	imports.GitHubReleases:      "gh-release-",
	imports.GitLabDeployments:   "gl-deploy-",
	imports.GitHubPulls:         "gh-pull-",
	imports.GitLabMergeRequests: "gl-mr-",
	imports.GitLabIncidents:     "gl-incident-",
	imports.PagerDuty:           "pd-",
	imports.Opsgenie:            "og-",
}

// EventID is the id of the event an upstream object of source becomes:
// the upstream id behind the source's prefix (gh-deploy-42, pd-Q1W2E3).
// GitLab pipelines are CI records, filed as ci/YYYY/MM/gitlab-<id>.json.
func EventID(source, upstream string) string { return idPrefixes[source] + upstream }

// ImportFile is one file read for an import: its batch, or why it was
// refused.
type ImportFile struct {
	Name  string
	Batch *imports.Batch
	Err   error
}

// ReadImports reads and parses the files named for source, one per CPU,
// in the order given. A file refused has its Err set; the others are
// read all the same.
func ReadImports(source string, names []string, opt imports.Options) []ImportFile {
	out := make([]ImportFile, len(names))
	par.Each(len(names), func(i int) {
		out[i].Name = names[i]
		out[i].Batch, out[i].Err = imports.ReadFile(source, names[i], opt)
	})
	return out
}

// Import is what one `gitdora import` call stores.
type Import struct {
	Source string
	// Set is the files' records and pieces, combined.
	Set *imports.Set
	// Production is the production environment: imported incidents, and
	// releases, deploy there unless the payload names another.
	Production string
	// Repo is the code repository (nil when --repo is none): a
	// deployment may not be earlier than its commit, and a release of a
	// branch is the commit its tag names.
	Repo *git.Repository
	// Now is the time of the corrections an object changed upstream is
	// written as (the time of the import); zero is the clock's.
	Now time.Time
}

// NewImport combines the batches of the files read for source.
func NewImport(source string, files []ImportFile) *Import {
	var bs []*imports.Batch
	for _, f := range files {
		if f.Err == nil {
			bs = append(bs, f.Batch)
		}
	}
	return &Import{Source: source, Set: imports.Combine(bs...)}
}

// ImportReport says what StageImport did.
type ImportReport struct {
	Written   []Outcome // events and CI records written: Name is the id
	Unchanged int       // objects imported before, unchanged upstream
	Changed   []string  // one line per object changed upstream, written as corrections
	Skipped   []string  // objects not imported (yet), with the reason
	Rejected  []string  // objects refused: their values break a rule of the data branch
	Warnings  []string  // imported, with something to know
}

// Change is an imported object whose newer upstream version differs from
// the event as the importer wrote it: its kind (data.KindDeployment,
// KindIncident, KindPull), the event's id, the fields that differ, and
// the newer version's updated_at.
type Change struct {
	Kind, ID string
	Fields   []FieldChange
	Updated  time.Time
}

// FieldChange is one column of an event that a newer upstream version
// changes: its old and new values (times as instants in UTC, to compare
// them) and Value, the new content as the column holds it.
type FieldChange struct{ Field, Old, New, Value string }

func (c Change) String() string {
	var parts []string
	show := func(s string) string {
		if s == "" {
			return `""`
		}
		return s
	}
	for _, f := range c.Fields {
		parts = append(parts, fmt.Sprintf("%s: %s → %s", f.Field, show(f.Old), show(f.New)))
	}
	return fmt.Sprintf("changed upstream: %s (%s)", c.ID, strings.Join(parts, ", "))
}

// Author is the author of the corrections an import of source writes
// (import github-deployments): the corrections an importer made are the
// versions it imported, which the next import of the object compares
// with.
func Author(source string) string { return "import " + source }

// StageImport stages in's records on tx: each object not imported before
// becomes an event (or CI record) with the ledger row of its version; an
// object imported before writes nothing, unless its newer upstream
// version changes the event: then each field it changes is written as a
// correction (docs/import.md), and the version in the ledger. Its writes
// depend only on tx, so it can run again on a new tip.
func StageImport(tx *data.Tx, in *Import) (*ImportReport, error) {
	ledger, probs, err := tx.Imported()
	if err != nil {
		return nil, err
	}
	st := &importer{in: in, tx: tx, ledger: ledger, rep: &ImportReport{}, commits: map[string]commitInfo{}}
	for _, p := range probs {
		st.rep.Warnings = append(st.rep.Warnings, "import ledger: "+p.String())
	}
	st.now = in.Now
	if st.now.IsZero() {
		st.now = time.Now()
	}
	st.now = st.now.UTC().Truncate(time.Second)
	for _, stage := range []func() error{st.deployments, st.pulls, st.incidents, st.pipelines} {
		if err := stage(); err != nil {
			return nil, err
		}
	}
	st.unknownCommits()
	return st.rep, nil
}

// importer is one StageImport run.
type importer struct {
	in      *Import
	tx      *data.Tx
	ledger  map[string]data.Imported
	rep     *ImportReport
	commits map[string]commitInfo // by sha: what --repo says of it
	unknown []string              // deployments whose commit --repo lacks
	now     time.Time             // the time of the corrections written

	// own are the recorded events with the corrections this source's
	// imports wrote applied: the versions imported last, which a newer
	// one is compared with; all with every correction applied, as readers
	// see them. Read once, when first needed.
	own, all *data.Corrected
}

// events reads the recorded events and corrections once, and applies
// them.
func (st *importer) events() error {
	if st.own != nil {
		return nil
	}
	r, cs, err := st.tx.Recorded()
	if err != nil {
		return err
	}
	author := Author(st.in.Source)
	var mine []data.Correction
	for _, c := range cs {
		if c.Author == author {
			mine = append(mine, c)
		}
	}
	own := r.Correct(mine)
	st.own, st.all = &own, &own
	if len(mine) < len(cs) {
		all := r.Correct(cs)
		st.all = &all
	}
	return nil
}

type commitInfo struct {
	known     bool
	committed time.Time
}

// commit says whether --repo holds sha, and its committer date.
func (st *importer) commit(sha string) commitInfo {
	if ci, ok := st.commits[sha]; ok {
		return ci
	}
	var ci commitInfo
	if st.in.Repo != nil && data.IsFullHash(sha) {
		if c, err := st.in.Repo.CommitObject(git.NewHash(sha)); err == nil {
			ci = commitInfo{known: true, committed: c.Committer.When}
		}
	}
	st.commits[sha] = ci
	return ci
}

// unknownCommits says, once, which deployments name a commit --repo
// does not hold: they are stored (an import may come before a fetch),
// but what they shipped is unknown until the commit is fetched.
func (st *importer) unknownCommits() {
	if len(st.unknown) == 0 {
		return
	}
	what := "fetch them before computing lead times"
	if st.in.Repo == nil {
		what = "--repo is not a git repository to check them in"
	}
	list := st.unknown
	more := ""
	if len(list) > 5 {
		list, more = list[:5], fmt.Sprintf(" and %d more", len(st.unknown)-5)
	}
	st.rep.Warnings = append(st.rep.Warnings, fmt.Sprintf("%d deployment(s) name a commit that is not in --repo (%s%s): stored all the same; %s",
		len(st.unknown), strings.Join(list, ", "), more, what))
}

// written notes an event written to file.
func (st *importer) written(id, kind, file string) {
	st.rep.Written = append(st.rep.Written, Outcome{Name: id, Path: file, What: kind + " stored"})
}

// record stages the ledger row of an event filed at t.
func (st *importer) record(t time.Time, r data.Imported) error {
	return st.tx.AppendImported(t, r)
}

// compare writes the newer upstream version of an object imported
// before, when the event made of it (row) differs from the one the
// importer wrote last (old, the recorded event with this source's
// corrections): one correction per field that differs, the latest
// winning over earlier ones of that field (a manual amend of another
// field stands), and the version in the ledger (led, filed at the
// event's time). An object unchanged is counted so. A voided event, or
// one the correction would make invalid as readers see it, is not
// corrected, and says so.
func compare[T any](st *importer, kind string, old, row T, fields func(T) []string, updated time.Time, filed time.Time, led data.Imported) error {
	header := data.Header(kind)
	was, now := fields(old), fields(row)
	c := Change{Kind: kind, ID: led.ID, Updated: updated}
	for i := range now {
		if i < len(was) && was[i] != now[i] {
			v, err := data.Column(row, header, header[i])
			if err != nil {
				return err
			}
			c.Fields = append(c.Fields, FieldChange{Field: header[i], Old: was[i], New: now[i], Value: v})
		}
	}
	if len(c.Fields) == 0 {
		st.rep.Unchanged++
		return nil
	}
	cur, voided, ok := st.all.Find(kind, c.ID)
	if voided {
		st.rep.Skipped = append(st.rep.Skipped, c.String()+": it was voided, so it is not corrected")
		return nil
	}
	if current, isT := cur.(T); ok && isT {
		for _, f := range c.Fields {
			var err error
			if current, err = data.SetColumn(current, header, f.Field, f.Value); err != nil {
				return err
			}
		}
		if err := any(&current).(interface{ Check() error }).Check(); err != nil {
			st.rep.Rejected = append(st.rep.Rejected, fmt.Sprintf("%s: as corrected, %s %s would not be valid: %v; nothing written", c, kind, c.ID, err))
			return nil
		}
	}
	reason := "changed upstream"
	if !updated.IsZero() {
		reason = fmt.Sprintf("changed upstream (updated_at %s)", stamp(updated))
	}
	for _, f := range c.Fields {
		corr := data.Correction{Time: data.NewTime(st.now), Kind: kind, Target: c.ID, Field: f.Field, Value: f.Value, Reason: reason, Author: Author(st.in.Source)}
		corr.ID = data.CorrectionID(corr)
		if _, err := st.tx.AppendCorrection(corr); err != nil {
			return err
		}
	}
	led.Updated = optStamp(updated)
	if err := st.record(filed, led); err != nil {
		return err
	}
	st.rep.Changed = append(st.rep.Changed, fmt.Sprintf("%s: %d correction(s) written", c, len(c.Fields)))
	return nil
}

// stamp writes t for an event: RFC 3339 with its fraction and the zone
// the source gave it in.
func stamp(t time.Time) data.Time {
	v, err := data.ParseTime(t.Format(time.RFC3339Nano))
	if err != nil {
		return data.NewTime(t)
	}
	return v
}

func optStamp(t time.Time) data.OptTime {
	if t.IsZero() {
		return data.OptTime{}
	}
	return data.OptTime{Time: stamp(t), Valid: true}
}

// when is the instant a stored time stands for, zero when absent.
func when(t data.OptTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.Time
}
