package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/git"
)

// shaFlags are how a recorded commit is checked against --repo.
type shaFlags struct {
	AllowUnknownSHA bool `name:"allow-unknown-sha" help:"Accept a commit hash that is not in --repo (stored as given, lower case)."`
}

// resolve returns the full hash of the commit rev names in --repo (a full
// or abbreviated hash, HEAD, a branch or tag); with --allow-unknown-sha, a
// hash --repo lacks is kept as given.
func (f shaFlags) resolve(g *Globals, store *data.Store, flag, rev string) (string, error) {
	repo, err := g.codeRepo(store)
	if err != nil {
		if f.AllowUnknownSHA {
			return unknownSHA(flag, rev)
		}
		return "", err
	}
	full, err := repo.ResolveCommit(rev)
	switch {
	case err == nil:
		return full, nil
	case errors.Is(err, git.ErrUnknownCommit) && f.AllowUnknownSHA:
		return unknownSHA(flag, rev)
	case errors.Is(err, git.ErrUnknownCommit):
		return "", fmt.Errorf("%s %s: no such commit in --repo %s (fetch it, or pass --allow-unknown-sha to record it anyway)", flag, rev, g.Repo)
	default:
		return "", fmt.Errorf("%s %s: %w", flag, rev, err)
	}
}

func unknownSHA(flag, rev string) (string, error) {
	if err := data.CheckHash(rev); err != nil {
		return "", fmt.Errorf("%s: %w", flag, err)
	}
	return strings.ToLower(rev), nil
}

// text checks a one-line text flag.
func text(flag, v string, required bool) error {
	if required && strings.TrimSpace(v) == "" {
		return fmt.Errorf("%s is empty", flag)
	}
	if err := data.CheckText(v, data.MaxText); err != nil {
		return fmt.Errorf("%s: %w", flag, err)
	}
	return nil
}

// parseTime reads a time flag: RFC 3339, not before 1970, not in the future.
func parseTime(flag, v string) (data.Time, error) {
	t, err := data.ParseTime(v)
	if err == nil {
		err = data.CheckWhen(t.Time, data.Now())
	}
	if err != nil {
		return data.Time{}, fmt.Errorf("%s: %w", flag, err)
	}
	return t, nil
}

// RecordDeploymentCmd is `gitdora record deployment`.
type RecordDeploymentCmd struct {
	ID              string   `required:"" help:"Unique id of the deployment (a repeated id is not written again), e.g. the CI run id."`
	SHA             string   `required:"" placeholder:"COMMIT" help:"Commit deployed: a full or abbreviated hash, HEAD, a branch or tag of --repo; stored as the full hash."`
	At              string   `placeholder:"RFC3339" help:"When it was deployed, RFC 3339 with an offset (default: now)."`
	Env             string   `default:"production" help:"Environment deployed to."`
	Status          string   `default:"success" enum:"success,failure,blocked" help:"success, failure or blocked (stopped by the security gate; implies --gate-blocked)."`
	ScanSeconds     *float64 `placeholder:"SECONDS" help:"Seconds the security scans took (omit if unknown)."`
	PipelineSeconds *float64 `placeholder:"SECONDS" help:"Seconds the whole pipeline took (omit if unknown)."`
	GateBlocked     bool     `help:"The security gate blocked this deployment."`
	Critical        int      `placeholder:"N" help:"Critical findings at deploy time."`
	High            int      `placeholder:"N" help:"High findings at deploy time."`
	Medium          int      `placeholder:"N" help:"Medium findings at deploy time."`
	Low             int      `placeholder:"N" help:"Low findings at deploy time."`
	Source          string   `default:"cli" help:"What recorded it (cli, a workflow name, …)."`
	serviceFlag
	shaFlags
	pushFlags
}

// Help shows an example.
func (c *RecordDeploymentCmd) Help() string {
	return "Appends the deployment to events/deployments/YYYY-MM.csv of the data branch in one commit.\n" +
		"A deployment whose id is already recorded is not written again (exit 0).\n\n" +
		"Examples:\n  gitdora record deployment --id deploy-1234 --sha $GITHUB_SHA --at 2026-03-04T10:00:00Z --scan-seconds 95 --push\n" +
		"  gitdora record deployment --id $GITHUB_RUN_ID --sha HEAD --status blocked --critical 2"
}

// Run records the deployment.
func (c *RecordDeploymentCmd) Run(g *Globals) error {
	return g.record(c.pushFlags, func(store *data.Store) (event, error) {
		d, err := c.deployment(g, store)
		if err != nil {
			return event{}, err
		}
		return event{
			kind: "deployment", id: d.ID, file: data.DeploymentFile(d.Time.Time),
			msg:    fmt.Sprintf("record deployment %s: %s to %s, %s, at %s", d.ID, short(d.SHA), d.Environment, d.Status, d.Time),
			append: func(tx *data.Tx) (bool, error) { return tx.AppendDeployment(d) },
		}, nil
	})
}

func (c *RecordDeploymentCmd) deployment(g *Globals, store *data.Store) (data.Deployment, error) {
	d := data.Deployment{Environment: c.Env, Status: c.Status, GateBlocked: c.GateBlocked || fact.Status(c.Status) == fact.StatusBlocked,
		Critical: c.Critical, High: c.High, Medium: c.Medium, Low: c.Low, Source: c.Source}
	d.ID = strings.TrimSpace(c.ID)
	for _, f := range []struct {
		flag, v string
	}{{"--id", d.ID}, {"--env", c.Env}, {"--source", c.Source}} {
		if err := text(f.flag, f.v, true); err != nil {
			return d, err
		}
	}
	var err error
	if c.At == "" {
		d.Time = data.NewTime(time.Now().UTC().Truncate(time.Second))
	} else if d.Time, err = parseTime("--at", c.At); err != nil {
		return d, err
	}
	for _, f := range []struct {
		flag string
		v    *float64
		dst  *data.OptFloat
	}{{"--scan-seconds", c.ScanSeconds, &d.ScanSeconds}, {"--pipeline-seconds", c.PipelineSeconds, &d.PipelineSeconds}} {
		if f.v == nil {
			continue
		}
		*f.dst = data.Float(*f.v)
		if err := f.dst.Check(); err != nil {
			return d, fmt.Errorf("%s: %w", f.flag, err)
		}
	}
	for _, f := range []struct {
		flag string
		n    int
	}{{"--critical", c.Critical}, {"--high", c.High}, {"--medium", c.Medium}, {"--low", c.Low}} {
		if f.n < 0 || f.n > data.MaxCount {
			return d, fmt.Errorf("%s %d: want a count from 0 to %d", f.flag, f.n, data.MaxCount)
		}
	}
	if d.Service, err = c.check(g, store); err != nil {
		return d, err
	}
	d.SHA, err = c.resolve(g, store, "--sha", c.SHA)
	return d, err
}

// RecordIncidentCmd is `gitdora record incident`.
type RecordIncidentCmd struct {
	ID           string `required:"" help:"Unique id of the incident (a repeated id is not written again)."`
	Opened       string `required:"" placeholder:"RFC3339" help:"When it was opened, RFC 3339 with an offset."`
	Resolved     string `placeholder:"RFC3339" help:"When service was restored (omit while open)."`
	Severity     string `required:"" enum:"critical,high,medium,low" help:"critical, high, medium or low."`
	Category     string `default:"other" enum:"security,reliability,other" help:"security, reliability or other."`
	Env          string `default:"production" help:"Environment it happened in."`
	Commit       string `placeholder:"COMMIT" help:"Commit that caused it, if known (checked like record deployment --sha; stored as the full hash)."`
	DeploymentID string `placeholder:"ID" help:"Deployment that caused it, if known."`
	CWE          string `name:"cwe" help:"CWE id, e.g. CWE-79."`
	Title        string `help:"Short title."`
	Author       string `help:"Who resolves it, when it resolves an open incident recorded before (default: GITHUB_ACTOR, else user.name of --repo's git configuration)."`
	serviceFlag
	shaFlags
	pushFlags
}

// Help shows an example.
func (c *RecordIncidentCmd) Help() string {
	return "Appends the incident to events/incidents/YYYY-MM.csv (the month it opened) in one commit.\n" +
		"An incident whose id is already recorded is not written again (exit 0); an open one\n" +
		"recorded again with --resolved is resolved (a correction of resolved, docs/corrections.md).\n\n" +
		"Examples:\n  gitdora record incident --id INC-42 --opened 2026-03-04T11:00:00Z --resolved 2026-03-04T12:30:00Z \\\n" +
		"    --severity high --category security --commit 1a2b3c4 --cwe CWE-532 --title \"Token leaked in logs\" --push"
}

// Run records the incident.
func (c *RecordIncidentCmd) Run(g *Globals) error {
	known := true
	var res resolution
	err := g.record(c.pushFlags, func(store *data.Store) (event, error) {
		in, err := c.incident(g, store)
		if err != nil {
			return event{}, err
		}
		msg := fmt.Sprintf("record incident %s: %s %s in %s, opened %s", in.ID, in.Severity, in.Category, in.Environment, in.Opened)
		if in.Resolved.Valid {
			msg += ", resolved " + in.Resolved.String()
			if res, err = c.resolution(g, store, in); err != nil {
				return event{}, err
			}
			if res.open {
				msg = fmt.Sprintf("resolve incident %s at %s (recorded again with --resolved)", in.ID, in.Resolved)
			}
		}
		return event{
			kind: "incident", id: in.ID, file: data.IncidentFile(in.Opened.Time), msg: msg,
			append: func(tx *data.Tx) (_ bool, err error) {
				res.resolved = false
				if in.DeploymentID != "" {
					if known, err = tx.HasEvent(data.DeploymentsDir, in.DeploymentID); err != nil {
						return false, err
					}
				}
				added, err := tx.AppendIncident(in)
				if err != nil || added || !in.Resolved.Valid {
					return added, err
				}
				res.resolved, res.was, err = tx.ResolveIncident(in.ID, in.Resolved.Time, res.correction)
				return false, err
			},
			report: func(added bool, r data.Result) bool { return res.report(g, store, in, added, r, c.pushFlags) },
		}, nil
	})
	if err == nil && !known {
		g.Log.Warn(fmt.Sprintf("no deployment with id %s is recorded (yet); the incident refers to it anyway", strings.TrimSpace(c.DeploymentID)))
	}
	return err
}

func (c *RecordIncidentCmd) incident(g *Globals, store *data.Store) (data.Incident, error) {
	in := data.Incident{ID: strings.TrimSpace(c.ID), Severity: c.Severity, Category: c.Category, Environment: c.Env,
		DeploymentID: strings.TrimSpace(c.DeploymentID), Title: strings.TrimSpace(c.Title)}
	for _, f := range []struct {
		flag, v  string
		required bool
	}{{"--id", in.ID, true}, {"--env", c.Env, true}, {"--deployment-id", in.DeploymentID, false}, {"--title", in.Title, false}} {
		if err := text(f.flag, f.v, f.required); err != nil {
			return in, err
		}
	}
	var err error
	if in.Opened, err = parseTime("--opened", c.Opened); err != nil {
		return in, err
	}
	if c.Resolved != "" {
		t, err := parseTime("--resolved", c.Resolved)
		if err != nil {
			return in, err
		}
		if t.Before(in.Opened.Time) {
			return in, fmt.Errorf("--resolved %s is before --opened %s", t, in.Opened)
		}
		in.Resolved = data.OptTime{Time: t, Valid: true}
	}
	if in.Service, err = c.check(g, store); err != nil {
		return in, err
	}
	if c.CWE != "" {
		if in.CWE, err = data.ParseCWE(c.CWE); err != nil {
			return in, fmt.Errorf("--cwe: %w", err)
		}
	}
	if c.Commit != "" {
		if in.Commit, err = c.resolve(g, store, "--commit", c.Commit); err != nil {
			return in, err
		}
	}
	return in, nil
}

// event is one deployment or incident to record: what to call it, the
// data file it goes in, the commit message, and how to append it.
type event struct {
	kind, id, file, msg string
	append              func(tx *data.Tx) (added bool, err error)
	// report, when set, says what was done instead of reportRecord, if it
	// returns true.
	report func(added bool, res data.Result) bool
}

// record opens the data store, builds the event, appends it in one commit
// (pushing as p says) and says what was done.
func (g *Globals) record(p pushFlags, build func(store *data.Store) (event, error)) error {
	store, err := data.Open(g.Repo, g.Data)
	if err != nil {
		return err
	}
	ev, err := build(store)
	if err != nil {
		return err
	}
	added := false
	res, err := g.write(store, ev.msg, p, func(tx *data.Tx) (err error) {
		added, err = ev.append(tx)
		return err
	})
	if err != nil {
		return err
	}
	if ev.report != nil && ev.report(added, res) {
		return nil
	}
	g.reportRecord(ev.kind, ev.id, store.Where(ev.file), added, res, p)
	return nil
}

// reportRecord says what a record command did.
func (g *Globals) reportRecord(kind, id, file string, added bool, res data.Result, p pushFlags) {
	if !added {
		g.Log.Info(fmt.Sprintf("%s %s is already recorded; nothing written", kind, id))
		if res.Attempts > 0 {
			g.Log.Info("pushed the data branch to " + p.Remote)
		}
		return
	}
	attrs := []any{}
	if res.Commit != "" {
		attrs = append(attrs, "commit", short(res.Commit))
	}
	if p.Push {
		attrs = append(attrs, "pushed_to", p.Remote)
		if res.Attempts > 1 {
			attrs = append(attrs, "attempts", res.Attempts)
		}
	}
	g.Log.Info(fmt.Sprintf("recorded %s %s in %s", kind, id, file), attrs...)
}
