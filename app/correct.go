package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
)

// CorrectRequest asks to amend or void one recorded event: a correction
// appended to events/corrections/YYYY-MM.csv in one commit (docs/corrections.md).
type CorrectRequest struct {
	Request
	// Kind is deployment, incident or pull; ID the event's id.
	Kind, ID string
	// Fields are the amendments, in the order given: a column of the
	// event's CSV (not id) and its new value; none for a void.
	Fields []Field
	// Void takes the event out of every figure, for good.
	Void bool
	// Reason says why; Author who corrects (see Author).
	Reason, Author string
	// Commit resolves the commit a sha or commit value names to its full
	// hash, as gitdora record resolves --sha; nil keeps a hash as given.
	Commit func(field, rev string) (string, error)
	// Push publishes the commit to Remote, retrying as record does.
	Push   bool
	Remote string
}

// Field is one amendment: a column and its new value.
type Field struct {
	Name, Value string
}

// ReasonLimit is how long the reason of a correction may be, in characters.
const ReasonLimit = 500

// Author is who a correction names: given (--author), else the
// GITHUB_ACTOR of a GitHub Actions run, else the user the git
// configuration of the repository at repo names. It is an error when
// none names anyone.
func Author(given, repo string) (string, error) {
	for _, a := range []string{given, os.Getenv("GITHUB_ACTOR"), data.GitUser(repo)} {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		if err := data.CheckText(a, data.MaxText); err != nil {
			return "", &InputError{Input: "author", Err: err}
		}
		return a, nil
	}
	return "", &InputError{Input: "author", Err: errors.New("who makes this correction? Nobody is named"), Hint: func(n fact.Naming) string {
		return "name them with " + n.Of("author") + ", or set GITHUB_ACTOR, or git config user.name"
	}}
}

// Correct appends the corrections req asks for, in one commit: checked
// against the events as readers see them (earlier corrections applied),
// so that an unknown id, an event that was voided, a value its column
// does not take (checked as gitdora record checks it), or an amended
// event that would not be valid (resolved before opened) is refused and
// nothing is written. A value equal to the current one is not written
// again; when nothing is left to write, nothing is committed.
func Correct(ctx context.Context, req CorrectRequest, env Env) error {
	kind, id := req.Kind, strings.TrimSpace(req.ID)
	if data.Columns(kind) == nil {
		return fmt.Errorf("kind %q: want deployment, incident or pull", kind)
	}
	if id == "" {
		return fmt.Errorf("the %s's id is empty", kind)
	}
	reason := strings.TrimSpace(req.Reason)
	if reason == "" {
		return &InputError{Input: "reason", Err: errors.New("empty: say why the record is corrected")}
	}
	if err := data.CheckText(reason, ReasonLimit); err != nil {
		return &InputError{Input: "reason", Err: err}
	}
	if req.Void == (len(req.Fields) > 0) {
		if req.Void {
			return errors.New("a void takes the whole event out: it amends no field")
		}
		return fmt.Errorf("say what to amend: --FIELD=VALUE, a field of the %s (%s)", kind, strings.Join(data.Columns(kind), ", "))
	}
	var fields []Field
	seen := map[string]bool{}
	for _, f := range req.Fields {
		if seen[f.Name] {
			return &InputError{Input: f.Name, Err: errors.New("given twice")}
		}
		seen[f.Name] = true
		var commit func(string) (string, error)
		if req.Commit != nil {
			commit = func(rev string) (string, error) { return req.Commit(f.Name, rev) }
		}
		v, err := data.CheckValue(kind, f.Name, f.Value, commit)
		if err != nil {
			return &InputError{Input: f.Name, Err: err}
		}
		fields = append(fields, Field{f.Name, v})
	}
	store, err := req.open()
	if err != nil {
		return err
	}
	when := data.NewTime(req.Now.UTC().Truncate(time.Second))
	base := data.Correction{Time: when, Kind: kind, Target: id, Reason: reason, Author: req.Author}
	msg := fmt.Sprintf("void %s %s: %s", kind, id, reason)
	if !req.Void {
		names := make([]string, len(fields))
		for i, f := range fields {
			names[i] = f.Name
		}
		msg = fmt.Sprintf("amend %s %s: %s (%s)", kind, id, strings.Join(names, ", "), reason)
	}
	var written []data.Correction
	res, err := store.Update(ctx, msg, data.WriteOptions{Push: req.Push, Remote: req.Remote, Log: env.Log}, func(tx *data.Tx) error {
		written = nil
		ev, err := tx.Events()
		if err != nil {
			return err
		}
		row, voided, ok := ev.Find(kind, id)
		switch {
		case !ok:
			return fmt.Errorf("no %s with id %s is recorded on the data %s: only recorded events are corrected", kind, id, store)
		case voided && req.Void:
			return nil // already voided: nothing to write
		case voided:
			return fmt.Errorf("%s %s: %w: it is not amended", kind, id, data.ErrVoided)
		}
		var cs []data.Correction
		if req.Void {
			c := base
			c.Field = data.FieldVoid
			cs = append(cs, c)
		} else if cs, err = amendments(row, kind, id, fields, base); err != nil {
			return err
		}
		for _, c := range cs {
			c.ID = data.CorrectionID(c)
			added, err := tx.AppendCorrection(c)
			if err != nil {
				return err
			}
			if added {
				written = append(written, c)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	reportCorrection(env, store, req, written, res)
	return nil
}

// amendments are the corrections that bring row (the event as readers
// see it) to the values of fields: one per field whose value differs. A
// deployment whose status becomes blocked is also amended to
// gate_blocked true, as gitdora record --status blocked implies. The
// event as amended must be valid.
func amendments(row any, kind, id string, fields []Field, base data.Correction) ([]data.Correction, error) {
	header := data.Header(kind)
	if kind == data.KindDeployment && slices.Contains(fields, Field{"status", "blocked"}) && !slices.ContainsFunc(fields, func(f Field) bool { return f.Name == "gate_blocked" }) {
		fields = append(fields, Field{"gate_blocked", "true"})
	}
	var cs []data.Correction
	set := func(name, value string) error {
		var err error
		switch r := row.(type) {
		case data.Deployment:
			row, err = data.SetColumn(r, header, name, value)
		case data.Incident:
			row, err = data.SetColumn(r, header, name, value)
		case data.Pull:
			row, err = data.SetColumn(r, header, name, value)
		}
		return err
	}
	get := func(name string) (string, error) {
		switch r := row.(type) {
		case data.Deployment:
			return data.Column(r, header, name)
		case data.Incident:
			return data.Column(r, header, name)
		case data.Pull:
			return data.Column(r, header, name)
		}
		return "", fmt.Errorf("no %s", kind)
	}
	for _, f := range fields {
		cur, err := get(f.Name)
		if err != nil {
			return nil, err
		}
		if cur == f.Value {
			continue
		}
		if err := set(f.Name, f.Value); err != nil {
			return nil, &InputError{Input: f.Name, Err: err}
		}
		c := base
		c.Field, c.Value = f.Name, f.Value
		cs = append(cs, c)
	}
	var err error
	switch r := row.(type) {
	case data.Deployment:
		err = r.Check()
	case data.Incident:
		err = r.Check()
	case data.Pull:
		err = r.Check()
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s as amended: %w; nothing written", kind, id, err)
	}
	return cs, nil
}

// reportCorrection says what a correction did.
func reportCorrection(env Env, store *data.Store, req CorrectRequest, written []data.Correction, res data.Result) {
	what := "amended"
	if req.Void {
		what = "voided"
	}
	if len(written) == 0 {
		if req.Void {
			env.Log.Info(fmt.Sprintf("%s %s is already voided; nothing written", req.Kind, req.ID))
		} else {
			env.Log.Info(fmt.Sprintf("%s %s already has these values; nothing written", req.Kind, req.ID))
		}
		return
	}
	fields := make([]string, len(written))
	for i, c := range written {
		fields[i] = c.Field
	}
	attrs := []any{"file", store.Where(data.CorrectionFile(written[0].Time.Time))}
	if res.Commit != "" {
		attrs = append(attrs, "commit", res.Commit[:min(12, len(res.Commit))])
	}
	if req.Push {
		attrs = append(attrs, "pushed_to", req.Remote)
		if res.Attempts > 1 {
			attrs = append(attrs, "attempts", res.Attempts)
		}
	}
	if req.Void {
		env.Log.Info(fmt.Sprintf("%s %s %s: it counts nowhere from now on", what, req.Kind, req.ID), attrs...)
		return
	}
	env.Log.Info(fmt.Sprintf("%s %s %s: %s", what, req.Kind, req.ID, strings.Join(fields, ", ")), attrs...)
}
