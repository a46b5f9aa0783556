package data

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/gitdora/gitdora/fact"
)

// ImportsDir holds the import ledger (docs/import.md): for every event
// `gitdora import` wrote, the version of the upstream object it was
// made from, so that importing the object again can tell an unchanged
// object, a newer version and an older one apart. One file per month
// of the event's own file.
const ImportsDir = "events/imports"

// ImportHeader is the CSV columns of a ledger file, in order.
var ImportHeader = []string{"id", "kind", "updated", "repo", "author_id"}

// An import's kind (the event file an imported object went to) is one
// of the kinds corrections target: KindDeployment, KindIncident, KindPull.

// Imported is one row of events/imports/YYYY-MM.csv.
type Imported struct {
	ID   string `csv:"id"`   // the event's id
	Kind string `csv:"kind"` // KindDeployment, KindIncident or KindPull
	// Updated is the upstream object's updated_at at the version imported.
	Updated OptTime `csv:"updated"`
	// Repo and AuthorID are what a pull's row lacks to match the reviews
	// and commits imported later: its repository (owner/name, a GitLab
	// project id) and its author's upstream user id.
	Repo     string `csv:"repo"`
	AuthorID string `csv:"author_id"`
}

// ImportFile is the ledger file of an event filed at t (its time, or
// when it opened).
func ImportFile(t time.Time) string { return path.Join(ImportsDir, t.Format("2006-01")+".csv") }

// Check reports the first field of r that is not valid.
func (r *Imported) Check() error {
	if r.ID == "" {
		return errors.New("id is empty")
	}
	return oneOf("kind", r.Kind, []string{KindDeployment, KindIncident, KindPull})
}

// AppendImported appends r to the ledger file of an event filed at t. A
// later version of an object gets a row of its own: the one updated last
// counts.
func (tx *Tx) AppendImported(t time.Time, r Imported) error {
	if err := r.Check(); err != nil {
		return fmt.Errorf("import ledger %q: %w", r.ID, err)
	}
	return appendRow(tx, ImportFile(t), ImportHeader, r.ID, r)
}

// Imported reads the ledger: by event id, the row updated last.
func (tx *Tx) Imported() (map[string]Imported, []fact.Problem, error) {
	rows, probs, err := readTx(tx, ImportsDir, importedRows)
	out := make(map[string]Imported, len(rows))
	for _, r := range rows {
		if old, ok := out[r.ID]; !ok || r.Updated.After(old.Updated.Time.Time) {
			out[r.ID] = r
		}
	}
	return out, probs, err
}

// Deployments reads every deployment event as the transaction sees it
// (the tip and what is staged), as Store.Deployments does.
func (tx *Tx) Deployments() ([]Deployment, []fact.Problem, error) {
	return readTx(tx, DeploymentsDir, deploymentRows)
}

// Incidents reads every incident as the transaction sees it.
func (tx *Tx) Incidents() ([]Incident, []fact.Problem, error) {
	return readTx(tx, IncidentsDir, incidentRows)
}

// Pulls reads every pull as the transaction sees it.
func (tx *Tx) Pulls() ([]Pull, []fact.Problem, error) {
	return readTx(tx, PullsDir, pullRows)
}

func readTx[T any](tx *Tx, dir string, spec rowSpec[T]) ([]T, []fact.Problem, error) {
	files, err := tx.List(dir)
	if err != nil {
		return nil, nil, err
	}
	var all []T
	var probs []fact.Problem
	for _, f := range slices.DeleteFunc(files, func(f string) bool { return !strings.HasSuffix(f, ".csv") }) {
		b, err := tx.cachedRead(f)
		if err != nil {
			return nil, nil, err
		}
		rows, _, p := decodeRows(b, tx.where(f), spec)
		all = append(all, rows...)
		probs = append(probs, p...)
	}
	return all, probs, nil
}

// importedRows reads the import ledger: an object's id repeats, once per
// version imported.
var importedRows = rowSpec[Imported]{header: ImportHeader, check: (*Imported).Check, id: func(r *Imported) string { return r.ID }}
